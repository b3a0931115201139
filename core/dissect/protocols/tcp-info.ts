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

// The fixed parts of text(), as UTF-8.
const ARROW = encodeUtf8(' \u2192 ');
const ACK = encodeUtf8(' Ack=');
const WIN = encodeUtf8(' Win=');
const URG = encodeUtf8(' Urg=');
const LEN = encodeUtf8(' Len=');
const TSVAL = encodeUtf8(' TSval=');
const TSECR = encodeUtf8(' TSecr=');
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
  /** The first Timestamps option's values, or -1. */
  tsval = -1;
  tsecr = 0;
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

/** `text` in UTF-8 (most of TcpInfo's texts are empty). */
function writeText(out: Uint8Array, at: number, text: string): number {
  return text.length === 0 ? at : at + encodeUtf8Into(text, out, at);
}
