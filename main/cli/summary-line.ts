/**
 * tshark's one-line packet summary, encoded straight into the output buffer: the default
 * `wirelab -r F` prints a million of these for a million packets, and building each line as a
 * string and then encoding it cost as much as dissecting the packet's TCP layer.
 *
 * The layout is ColumnFormatter.summaryLine's (core/dissect/extract.ts), which the parity tests
 * compare with tshark; summary-line.test.ts checks that both give the same bytes.
 */
import type { DissectedPacket } from '../../core/dissect/context';
import { NS_DIVISORS, formatSignedTime, type ColumnFormatter } from '../../core/dissect/extract';
import type { BufferedOutput } from './output';

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
    private readonly out: BufferedOutput,
    private readonly columns: ColumnFormatter,
  ) {}

  /** Writes the packet's line and a newline; returns a promise when the caller should wait. */
  write(packet: DissectedPacket): Promise<void> | null {
    const c = packet.columns;
    const record = packet.record;
    const maxBytes = FIXED_BYTES + 3 * (c.source.length + c.destination.length + c.protocol.length + c.info.length);
    const buf = this.out.reserve(maxBytes);
    let at = this.out.offset;
    at = writeDecimal(buf, at, packet.number, 5);
    buf[at++] = SPACE;
    at = this.writeTime(buf, at, packet);
    buf[at++] = SPACE;
    at = copy(buf, at, encoded(this.sources, c.source, 12, true));
    at = copy(buf, at, ARROW);
    at = copy(buf, at, encoded(this.destinations, c.destination, 12, false));
    buf[at++] = SPACE;
    at = copy(buf, at, encoded(this.protocols, c.protocol, 0, false));
    buf[at++] = SPACE;
    at = writeDecimal(buf, at, record.originalLength, 0);
    buf[at++] = SPACE;
    at += buf.write(c.info, at, 'utf8');
    buf[at++] = NEWLINE;
    return this.out.commit(at);
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
    at = writeDecimal(buf, at, sec, 0);
    if (digits === 0) return at;
    buf[at++] = 0x2e; // '.'
    return writeDecimal(buf, at, Math.floor(nsec / NS_DIVISORS[9 - digits]), digits, 0x30);
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

function copy(buf: Buffer, at: number, bytes: Buffer): number {
  // A byte loop beats Buffer#set for the dozen bytes of an address.
  const n = bytes.length;
  for (let i = 0; i < n; i++) buf[at + i] = bytes[i];
  return at + n;
}

function decimalLength(n: number): number {
  let length = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    length++;
  }
  return length;
}

/** A non-negative integer in decimal, padded on the left to `width` with `fill` (spaces). */
function writeDecimal(buf: Buffer, at: number, n: number, width: number, fill = SPACE): number {
  const length = decimalLength(n);
  at = width > length ? padWith(buf, at, width - length, fill) : at;
  const end = at + length;
  for (let i = end - 1; i >= at; i--) {
    buf[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

/** `count` bytes of `fill` (none when count ≤ 0). */
function padWith(buf: Buffer, at: number, count: number, fill: number): number {
  for (let i = 0; i < count; i++) buf[at++] = fill;
  return at;
}
