/**
 * tshark's one-line packet summary, encoded straight into the output buffer: the default
 * `wirelab -r F` prints a million of these for a million packets, and building each line as a
 * string and then encoding it cost as much as dissecting the packet's TCP layer.
 *
 * The layout is ColumnFormatter.summaryLine's (core/dissect/extract.ts), which the parity tests
 * compare with tshark; summary-line.test.ts checks that both give the same bytes.
 */
import type { DissectedPacket } from '../../core/dissect/context';
import { heldTcpInfo, type TcpInfo } from '../../core/dissect/protocols/tcp-info';
import { NS_DIVISORS, formatSignedTime, type ColumnFormatter } from '../../core/dissect/extract';

/** Where lines go: BufferedOutput, or the summary thread's own output (summary-worker.ts). */
export interface LineOutput {
  /** A buffer with room for `maxBytes` from `offset`. */
  reserve(maxBytes: number): Buffer;
  readonly offset: number;
  /** The buffer now holds bytes up to `end`; a promise when the caller should wait. */
  commit(end: number): Promise<void> | null;
}

/** The Time column's reference and precision (ColumnFormatter; the summary thread's copy of them). */
export type LineClock = Pick<ColumnFormatter, 'timeDigits' | 'referenceSec' | 'referenceNsec'>;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const ARROW = Buffer.from(' \u2192 ');
// The fixed parts of TCP's Info (see TcpInfo.text).
const ACK = Buffer.from(' Ack=');
const WIN = Buffer.from(' Win=');
const URG = Buffer.from(' Urg=');
const LEN = Buffer.from(' Len=');
const TSVAL = Buffer.from(' TSval=');
const TSECR = Buffer.from(' TSecr=');
/** Bytes a line needs besides its text columns: No., Time, Length, separators (generously). */
const FIXED_BYTES = 96;

export class SummaryLineWriter {
  // Encoded text of the few values a capture repeats on every line.
  private readonly sources = new Map<string, Buffer>();
  private readonly destinations = new Map<string, Buffer>();
  private readonly protocols = new Map<string, Buffer>();
  /** " [SYN, ACK] Seq=" by the flag bits. */
  private readonly tcpFlags: (Buffer | undefined)[] = new Array<Buffer | undefined>(4096).fill(undefined);

  constructor(
    private readonly out: LineOutput,
    private readonly columns: LineClock,
  ) {}

  /** Writes the packet's line and a newline; returns a promise when the caller should wait. */
  write(packet: DissectedPacket): Promise<void> | null {
    const c = packet.columns;
    const record = packet.record;
    // TCP's Info still held as values is written from them (reading c.info would build its text).
    const tcp = heldTcpInfo(c);
    const infoLength = tcp !== null ? tcp.textLengthBound() : c.info.length;
    const maxBytes = FIXED_BYTES + 3 * (c.source.length + c.destination.length + c.protocol.length + infoLength);
    const buf = this.out.reserve(maxBytes);
    let at = this.out.offset;
    at = writePadded(buf, at, packet.number, 5, SPACE);
    buf[at++] = SPACE;
    at = this.writeTime(buf, at, packet);
    buf[at++] = SPACE;
    at = copy(buf, at, encoded(this.sources, c.source, 12, true));
    at = copy(buf, at, ARROW);
    at = copy(buf, at, encoded(this.destinations, c.destination, 12, false));
    buf[at++] = SPACE;
    at = copy(buf, at, encoded(this.protocols, c.protocol, 0, false));
    buf[at++] = SPACE;
    at = writeUint(buf, at, record.originalLength);
    buf[at++] = SPACE;
    at = tcp !== null ? this.writeTcpInfo(buf, at, tcp) : at + buf.write(c.info, at, 'utf8');
    buf[at++] = NEWLINE;
    return this.out.commit(at);
  }

  /** TcpInfo.text()'s bytes. */
  private writeTcpInfo(buf: Buffer, at: number, info: TcpInfo): number {
    at = writeText(buf, at, info.prefix);
    at = writeUint(buf, at, info.srcPort);
    at = copy(buf, at, ARROW);
    at = writeUint(buf, at, info.dstPort);
    at = copy(buf, at, (this.tcpFlags[info.flagBits] ??= Buffer.from(` [${info.flags}] Seq=`)));
    at = writeUint(buf, at, info.seq);
    if (info.ack >= 0) at = writeUint(buf, copy(buf, at, ACK), info.ack);
    at = writeUint(buf, copy(buf, at, WIN), info.window);
    if (info.urgent >= 0) at = writeUint(buf, copy(buf, at, URG), info.urgent);
    if (info.length >= 0) at = writeUint(buf, copy(buf, at, LEN), info.length);
    at = writeText(buf, at, info.options);
    if (info.tsval >= 0) {
      at = writeUint(buf, copy(buf, at, TSVAL), info.tsval);
      at = writeUint(buf, copy(buf, at, TSECR), info.tsecr);
    }
    at = writeText(buf, at, info.optionsAfter);
    return writeText(buf, at, info.suffix);
  }

  /** The Time column right-aligned to 10, as ColumnFormatter.timeText formats it. */
  private writeTime(buf: Buffer, at: number, packet: DissectedPacket): number {
    const record = packet.record;
    if (record.noTimestamp) return padWith(buf, at, 10, SPACE);
    const digits = this.columns.timeDigits(record);
    let sec = record.tsSec - this.columns.referenceSec;
    let nsec = record.tsNsec - this.columns.referenceNsec;
    if (sec < 0 || (sec === 0 && nsec < 0)) {
      // Before the first packet: rare, left to the string formatter.
      const text = formatSignedTime(sec, nsec, digits);
      at = padWith(buf, at, 10 - text.length, SPACE);
      return at + buf.write(text, at, 'latin1');
    }
    if (nsec < 0) {
      sec -= 1;
      nsec += 1e9;
    }
    const secDigits = decimalLength(sec);
    const width = digits === 0 ? secDigits : secDigits + 1 + digits;
    at = padWith(buf, at, 10 - width, SPACE);
    at = writeUint(buf, at, sec);
    if (digits === 0) return at;
    buf[at++] = 0x2e; // '.'
    return writePadded(buf, at, Math.floor(nsec / NS_DIVISORS[9 - digits]), digits, 0x30);
  }
}

/** The bytes of `text` padded to `width` (left when `right`), cached per text. */
function encoded(cache: Map<string, Buffer>, text: string, width: number, right: boolean): Buffer {
  let bytes = cache.get(text);
  if (bytes === undefined) {
    if (cache.size >= 4096) cache.clear();
    bytes = Buffer.from(right ? text.padStart(width, ' ') : text.padEnd(width, ' '));
    cache.set(text, bytes);
  }
  return bytes;
}

/** `text` in UTF-8 (most of TcpInfo's texts are empty). */
function writeText(buf: Buffer, at: number, text: string): number {
  return text.length === 0 ? at : at + buf.write(text, at, 'utf8');
}

function copy(buf: Buffer, at: number, bytes: Buffer): number {
  // A byte loop beats Buffer#set for the dozen bytes of an address.
  const n = bytes.length;
  for (let i = 0; i < n; i++) buf[at + i] = bytes[i];
  return at + n;
}

const UINT32_LIMIT = 0x1_0000_0000;

function decimalLength(n: number): number {
  if (n < UINT32_LIMIT) {
    if (n < 100_000) return n < 100 ? (n < 10 ? 1 : 2) : n < 1_000 ? 3 : n < 10_000 ? 4 : 5;
    return n < 10_000_000 ? (n < 1_000_000 ? 6 : 7) : n < 100_000_000 ? 8 : n < 1_000_000_000 ? 9 : 10;
  }
  let length = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    length++;
  }
  return length;
}

// "00" … "99": numbers are written two digits at a time (a line has up to a dozen numbers).
const DIGIT_PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));

/** A non-negative integer in decimal, padded on the left to `width` with `fill`. */
function writePadded(buf: Buffer, at: number, n: number, width: number, fill: number): number {
  const length = decimalLength(n);
  return writeUint(buf, width > length ? padWith(buf, at, width - length, fill) : at, n);
}

/** A non-negative integer in decimal. */
function writeUint(buf: Buffer, at: number, n: number): number {
  if (n < 10) {
    buf[at] = 0x30 + n;
    return at + 1;
  }
  const end = at + decimalLength(n);
  let i = end;
  if (n >= UINT32_LIMIT) {
    for (; i > at; n = Math.floor(n / 10)) buf[--i] = 0x30 + (n % 10);
    return end;
  }
  while (n >= 100) {
    const q = (n / 100) >>> 0; // below 2^32: integer division
    const pair = (n - q * 100) * 2;
    buf[--i] = DIGIT_PAIRS[pair + 1];
    buf[--i] = DIGIT_PAIRS[pair];
    n = q;
  }
  if (n >= 10) {
    buf[--i] = DIGIT_PAIRS[n * 2 + 1];
    buf[i - 1] = DIGIT_PAIRS[n * 2];
  } else buf[i - 1] = 0x30 + n;
  return end;
}

/** `count` bytes of `fill` (none when count ≤ 0). */
function padWith(buf: Buffer, at: number, count: number, fill: number): number {
  for (let i = 0; i < count; i++) buf[at++] = fill;
  return at;
}
