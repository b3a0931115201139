/**
 * tshark's one-line packet summary, encoded straight into the output buffer: the default
 * `wirelab -r F` prints a million of these for a million packets, and building each line as a
 * string and then encoding it cost as much as dissecting the packet's TCP layer.
 *
 * The layout is ColumnFormatter.summaryLine's (core/dissect/extract.ts), which the parity tests
 * compare with tshark; summary-line.test.ts checks that both give the same bytes.
 */
import type { DissectedPacket } from '../../core/dissect/context';
import { heldTcpInfo } from '../../core/dissect/protocols/tcp-info';
import { copyBytes, decimalLength, writeUint } from '../../core/dissect/bytes-out';
import type { ColumnFormatter } from '../../core/dissect/extract';
import { NS_DIVISORS, formatSignedTime } from '../../core/dissect/time-format';

/** Where lines go: BufferedOutput, or the summary thread's own output (summary-worker.ts). */
export interface LineOutput {
  /** A buffer with room for `maxBytes` from `offset`. */
  reserve(maxBytes: number): Buffer;
  readonly offset: number;
  /** The buffer now holds bytes up to `end`; a promise when the caller should wait. */
  commit(end: number): Promise<void> | null;
}

/** The Time column's reference and precision (ColumnFormatter; the summary thread's copy of them). */
export type LineClock = Pick<ColumnFormatter, 'timeDigits' | 'referenceSec' | 'referenceNsec'> &
  // Another format than seconds since the first packet (tshark -t): the formatter's text.
  Partial<Pick<ColumnFormatter, 'timeFormat' | 'timeText'>>;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const ARROW = Buffer.from(' \u2192 ');
/** Bytes a line needs besides its text columns: No., Time, Length, separators (generously). */
const FIXED_BYTES = 96;

export class SummaryLineWriter {
  // Encoded text of the few values a capture repeats on every line.
  private readonly sources = new Map<string, Buffer>();
  private readonly destinations = new Map<string, Buffer>();
  private readonly protocols = new Map<string, Buffer>();

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
    at = copyBytes(buf, at, encoded(this.sources, c.source, 12, true));
    at = copyBytes(buf, at, ARROW);
    at = copyBytes(buf, at, encoded(this.destinations, c.destination, 12, false));
    buf[at++] = SPACE;
    at = copyBytes(buf, at, encoded(this.protocols, c.protocol, 0, false));
    buf[at++] = SPACE;
    at = writeUint(buf, at, record.originalLength);
    buf[at++] = SPACE;
    at = tcp !== null ? tcp.writeUtf8(buf, at) : at + buf.write(c.info, at, 'utf8');
    buf[at++] = NEWLINE;
    return this.out.commit(at);
  }

  /** The Time column right-aligned to 10, as ColumnFormatter.timeText formats it. */
  private writeTime(buf: Buffer, at: number, packet: DissectedPacket): number {
    const record = packet.record;
    const clock = this.columns;
    // (Asked for a packet without a time too: the deltas after it are measured from it.)
    if (clock.timeText && clock.timeFormat !== 'relative') {
      const text = clock.timeText(record);
      at = padWith(buf, at, 10 - text.length, SPACE);
      return at + buf.write(text, at, 'latin1');
    }
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

/** A non-negative integer in decimal, padded on the left to `width` with `fill`. */
function writePadded(buf: Buffer, at: number, n: number, width: number, fill: number): number {
  const length = decimalLength(n);
  return writeUint(buf, width > length ? padWith(buf, at, width - length, fill) : at, n);
}

/** `count` bytes of `fill` (none when count ≤ 0). */
function padWith(buf: Buffer, at: number, count: number, fill: number): number {
  for (let i = 0; i < count; i++) buf[at++] = fill;
  return at;
}
