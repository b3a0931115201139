/**
 * TCP's Info column, kept as its values until someone reads it as text:
 * "[TCP Retransmission] 52345 → 8001 [PSH, ACK] Seq=1 Ack=1 Win=65536 Len=77 TSval=… TSecr=…".
 * Most packets of a capture are plain TCP segments whose text nobody but the printer reads;
 * `wirelab -r` writes these values straight as bytes (main/cli/summary-line.ts). Building
 * and encoding the text per packet cost a tenth of the run.
 */
import { ColumnValues, type DeferredInfo, type PacketColumns } from '../context';
import { decimal } from '../format';
import { copyBytes, writeUint } from '../bytes-out';
import { encodeUtf8, encodeUtf8Into } from '../../pcap/utf8';
import { tcpFlagsText } from './tcp/fields';
import { u16, u32 } from './common';

// The fixed parts of text(), as UTF-8.
const ARROW = encodeUtf8(' \u2192 ');
const ACK = encodeUtf8(' Ack=');
const WIN = encodeUtf8(' Win=');
const URG = encodeUtf8(' Urg=');
const LEN = encodeUtf8(' Len=');
const TSVAL = encodeUtf8(' TSval=');
const TSECR = encodeUtf8(' TSecr=');
/**
 * TcpInfo's timestamps before an option sets them. Not a small integer on purpose: V8 then
 * keeps the fields as doubles from the first packet. A timestamp of 2^30 or more (most
 * captures have them) used to change the class's field layout half-way through a load,
 * which threw away the optimized code of dissectTcp and of everything that made or read a
 * TcpInfo (traced in Chromium: `--js-flags=--trace-deopt`, "dependent map was deprecated").
 */
const NO_TIMESTAMPS = -0.5;
/** " [SYN, ACK] Seq=" by the 12 flag bits (the flags' text is made from them). */
const flagTexts: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(4096).fill(undefined);

/** The TcpInfo a packet's Info is still held as (not yet read as text), or null. */
export function heldTcpInfo(columns: PacketColumns): TcpInfo | null {
  return columns instanceof ColumnValues && columns.deferred instanceof TcpInfo ? columns.deferred : null;
}

export class TcpInfo implements DeferredInfo {
  /** Analysis markers and other text put in front ("[TCP Dup ACK 12#1] "). */
  prefix = '';
  /** Urgent pointer (shown with URG), or -1. */
  urgent = -1;
  /** Segment length, or -1 when the header is longer than the segment. */
  length = -1;
  /** Option texts before the timestamps (" MSS=65495 SACK_PERM"). */
  options = '';
  /** The first Timestamps option's values, or NO_TIMESTAMPS. */
  tsval = NO_TIMESTAMPS;
  tsecr = NO_TIMESTAMPS;
  /** Option texts after the timestamps (" WS=128"). */
  optionsAfter = '';
  /** Text appended after the segment's own ("[TCP segment of a reassembled PDU]", "[Malformed Packet]"). */
  suffix = '';

  constructor(
    readonly srcPort: number,
    readonly dstPort: number,
    /** The 12 flag bits, and their text ("PSH, ACK"). */
    readonly flagBits: number,
    readonly flags: string,
    readonly seq: number,
    /** Relative ack, or -1 when the ACK flag is off. */
    readonly ack: number,
    readonly window: number,
  ) {}

  /** Adds an option's Info text in the order of the options. */
  addOption(text: string): void {
    if (this.tsval < 0) this.options += text;
    else this.optionsAfter += text;
  }

  addTimestamps(tsval: number, tsecr: number): void {
    if (this.tsval >= 0) {
      this.optionsAfter += ' TSval=' + decimal(tsval) + ' TSecr=' + decimal(tsecr);
      return;
    }
    this.tsval = tsval;
    this.tsecr = tsecr;
  }

  prepend(text: string): void {
    this.prefix = text + this.prefix;
  }

  append(text: string): void {
    this.suffix += text;
  }

  text(): string {
    let s = this.prefix + decimal(this.srcPort) + ' \u2192 ' + decimal(this.dstPort);
    s += ' [' + this.flags + '] Seq=' + decimal(this.seq);
    if (this.ack >= 0) s += ' Ack=' + decimal(this.ack);
    s += ' Win=' + decimal(this.window);
    if (this.urgent >= 0) s += ' Urg=' + decimal(this.urgent);
    if (this.length >= 0) s += ' Len=' + decimal(this.length);
    s += this.options;
    if (this.tsval >= 0) s += ' TSval=' + decimal(this.tsval) + ' TSecr=' + decimal(this.tsecr);
    return s + this.optionsAfter + this.suffix;
  }

  /**
   * Writes text()'s UTF-8 bytes into `out` from `at` (room for textLengthBound() * 3 bytes)
   * without making the text; returns where they end.
   */
  writeUtf8(out: Uint8Array, at: number): number {
    at = writeText(out, at, this.prefix);
    at = writeUint(out, at, this.srcPort);
    at = copyBytes(out, at, ARROW);
    at = writeUint(out, at, this.dstPort);
    const flags = (flagTexts[this.flagBits] ??= encodeUtf8(` [${this.flags}] Seq=`));
    at = writeUint(out, copyBytes(out, at, flags), this.seq);
    if (this.ack >= 0) at = writeUint(out, copyBytes(out, at, ACK), this.ack);
    at = writeUint(out, copyBytes(out, at, WIN), this.window);
    if (this.urgent >= 0) at = writeUint(out, copyBytes(out, at, URG), this.urgent);
    if (this.length >= 0) at = writeUint(out, copyBytes(out, at, LEN), this.length);
    at = writeText(out, at, this.options);
    if (this.tsval >= 0) {
      at = writeUint(out, copyBytes(out, at, TSVAL), this.tsval);
      at = writeUint(out, copyBytes(out, at, TSECR), this.tsecr);
    }
    at = writeText(out, at, this.optionsAfter);
    return writeText(out, at, this.suffix);
  }

  /**
   * Writes the values of a plain segment's Info (no prefix, option texts, suffix or urgent
   * pointer, 32-bit numbers) at `at` in at most PACKED_TCP_INFO_BYTES bytes; returns where they
   * end, or -1 when this Info has more than those values (it is then kept as text).
   * unpackTcpInfo makes the text back, as text() makes it.
   */
  pack(out: Uint8Array, at: number): number {
    if (this.prefix !== '' || this.options !== '' || this.optionsAfter !== '' || this.suffix !== '') return -1;
    const { srcPort, dstPort, flagBits, seq, ack, window, length, tsval, tsecr } = this;
    if (this.urgent >= 0 || !isUint32(seq) || !isUint32(window) || !isUint32(length)) return -1;
    if (srcPort > 0xffff || dstPort > 0xffff || flagBits > 0xfff || (ack !== -1 && !isUint32(ack))) return -1;
    const hasTimestamps = tsval >= 0;
    if (hasTimestamps && (!isUint32(tsval) || !isUint32(tsecr))) return -1;
    const hasAck = ack !== -1;
    out[at] = (hasAck ? PACKED_ACK : 0) | (hasTimestamps ? PACKED_TIMESTAMPS : 0);
    at = putUint16(out, at + 1, srcPort);
    at = putUint16(out, at, dstPort);
    at = putUint16(out, at, flagBits);
    at = putUint32(out, at, seq);
    if (hasAck) at = putUint32(out, at, ack);
    at = putUint32(out, at, window);
    at = putUint32(out, at, length);
    if (hasTimestamps) at = putUint32(out, putUint32(out, at, tsval), tsecr);
    return at;
  }

  /** At least the number of UTF-16 units text() has (numbers take at most 10 digits). */
  textLengthBound(): number {
    return (
      this.prefix.length +
      this.flags.length +
      this.options.length +
      this.optionsAfter.length +
      this.suffix.length +
      // ' → ' ' [' '] Seq=' ' Ack=' ' Win=' ' Urg=' ' Len=' ' TSval=' ' TSecr=' and their numbers
      51 +
      9 * 10
    );
  }
}

// The packed form (pack): a byte of what is there, the ports and flags in 16 bits, the numbers in 32.
const PACKED_ACK = 1;
const PACKED_TIMESTAMPS = 2;
/** The most bytes pack() writes. */
const PACKED_TCP_INFO_BYTES = 1 + 3 * 2 + 6 * 4;

function isUint32(n: number): boolean {
  return n >>> 0 === n;
}

function putUint16(out: Uint8Array, at: number, n: number): number {
  out[at] = n >>> 8;
  out[at + 1] = n & 0xff;
  return at + 2;
}

function putUint32(out: Uint8Array, at: number, n: number): number {
  out[at] = n >>> 24;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
  return at + 4;
}

/** The Info text of the values TcpInfo.pack wrote at `at`: text() of the same TcpInfo. */
function unpackTcpInfo(bytes: Uint8Array, at: number): string {
  const what = bytes[at];
  const srcPort = u16(bytes, at + 1);
  const dstPort = u16(bytes, at + 3);
  const flagBits = u16(bytes, at + 5);
  let p = at + 7;
  const seq = u32(bytes, p);
  p += 4;
  let ack = -1;
  if (what & PACKED_ACK) {
    ack = u32(bytes, p);
    p += 4;
  }
  const info = new TcpInfo(srcPort, dstPort, flagBits, tcpFlagsText(flagBits), seq, ack, u32(bytes, p));
  info.length = u32(bytes, p + 4);
  if (what & PACKED_TIMESTAMPS) info.addTimestamps(u32(bytes, p + 8), u32(bytes, p + 12));
  // Written as bytes and decoded: 1.5× the time of decoding stored text, where text()'s
  // concatenation took 3-4× (Sort by Info reads every row's).
  return unpackDecoder.decode(unpackScratch.subarray(0, info.writeUtf8(unpackScratch, 0)));
}
/** Room for any packed Info's text: textLengthBound() * 3 (flags' text ≤ 60 units, the rest ≤ 141). */
const unpackScratch = new Uint8Array(1024);
const unpackDecoder = new TextDecoder();

/** TcpInfo's packed form, for a column of texts that keeps them packed (text-column.ts). */
export const TCP_INFO_PACKING = { maxBytes: PACKED_TCP_INFO_BYTES, unpack: unpackTcpInfo } as const;

/** `text` in UTF-8 (most of TcpInfo's texts are empty). */
function writeText(out: Uint8Array, at: number, text: string): number {
  return text.length === 0 ? at : at + encodeUtf8Into(text, out, at);
}
