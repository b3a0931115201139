/**
 * I/O statistics (Statistics › I/O Graphs as a table, tshark's `-z io,stat,INTERVAL`): frames
 * and bytes per time interval, after ui/cli/tap-iostat.c (times in microseconds, as there).
 */
import type { DissectedPacket } from '../dissect/context';

export interface IoStatRow {
  /** Start of the interval, microseconds from the first packet. */
  startUs: number;
  frames: number;
  bytes: number;
}

export interface IoStatResult {
  /** Interval asked for, microseconds. */
  intervalUs: number;
  /** Decimals the interval was given with (tshark's interval precision). */
  intervalDecimals: number;
  /** Microseconds from the first packet to the latest. */
  durationUs: number;
  /**
   * The intervals that saw packets, in order; the others are empty. Only these are kept: 0.01 s
   * intervals over the lab repeat's 33 hours are 11.9 million rows, nearly all empty (an object
   * each ran wirelab out of memory).
   */
  rows: IoStatRow[];
}

/** Parses tshark's INTERVAL (seconds, up to 6 decimals); null when invalid. */
export function parseInterval(text: string): { us: number; decimals: number } | null {
  const m = /^(\d*)(?:\.(\d{0,6}))?$/.exec(text);
  if (!m || (m[1] === '' && !m[2])) return null;
  const decimals = m[2]?.length ?? 0;
  const us = Number(m[1] || '0') * 1e6 + Number((m[2] ?? '').padEnd(6, '0') || '0');
  return { us, decimals };
}

export class IoStat {
  private readonly rows: IoStatRow[] = [];
  private firstSec = 0;
  private firstNsec = 0;
  private seen = false;
  private durationUs = 0;

  constructor(
    readonly intervalUs: number,
    readonly intervalDecimals = 0,
  ) {}

  add(packet: DissectedPacket): void {
    const { tsSec, tsNsec } = packet.record;
    if (packet.record.pcapngBlock) {
      // A pcapng Custom Block has no time stamp (0): it counts in the current interval but neither starts
      // the clock nor moves it (taking 0 as a time makes tshark build intervals back to 1970 and run out
      // of memory).
      this.count(this.current(0), packet);
      return;
    }
    if (!this.seen) {
      this.seen = true;
      this.firstSec = tsSec;
      this.firstNsec = tsNsec;
    }
    const ns = (tsSec - this.firstSec) * 1e9 + (tsNsec - this.firstNsec);
    // nstime to microseconds as tap-iostat.c does it: seconds * 1e6 + (nanoseconds + 500) / 1000.
    const sec = Math.floor(ns / 1e9);
    const us = sec * 1e6 + Math.trunc((ns - sec * 1e9 + 500) / 1000);
    if (us > this.durationUs) this.durationUs = us;
    // Intervals only move forward: a packet stamped earlier than the current one counts there.
    const startUs = this.intervalUs > 0 && us > 0 ? Math.floor(us / this.intervalUs) * this.intervalUs : 0;
    this.count(this.current(startUs), packet);
  }

  /** The row a packet of the interval starting at `startUs` counts in: that interval's, or the latest row if later. */
  private current(startUs: number): IoStatRow {
    const rows = this.rows;
    const last = rows.length > 0 ? rows[rows.length - 1] : null;
    if (last !== null && last.startUs >= startUs) return last;
    const row = { startUs, frames: 0, bytes: 0 };
    rows.push(row);
    return row;
  }

  private count(row: IoStatRow, packet: DissectedPacket): void {
    row.frames++;
    row.bytes += packet.record.originalLength;
  }

  result(): IoStatResult {
    return {
      intervalUs: this.intervalUs,
      intervalDecimals: this.intervalDecimals,
      durationUs: this.durationUs,
      rows: this.rows.map((r) => ({ ...r })),
    };
  }
}

/** Number of decimal digits of `val` (at least 1, at most maxW), as tap-iostat.c's magnitude(). */
function magnitude(val: number, maxW: number): number {
  let mag = 0;
  for (let i = 0; i < maxW; i++) {
    mag++;
    val = Math.floor(val / 10);
    if (val === 0) break;
  }
  return mag;
}

/** `-z io,stat,INTERVAL` as tshark 4.0 prints it (one "Frames and bytes" column). */
export function formatIoStat(r: IoStatResult): string {
  return [...ioStatPieces(r)].join('');
}

/**
 * formatIoStat's text in pieces of some thousand lines: a row for every interval, empty or not,
 * can be more text than one string holds (11.9 million rows, 0.5 GB, for 0.01 s over 33 hours).
 */
export function* ioStatPieces(r: IoStatResult): Generator<string> {
  let duration = r.durationUs;
  let interval: number;
  let wholeCapture = false;
  if (r.intervalUs > duration || r.intervalUs === 0) {
    interval = duration;
    wholeCapture = true;
  } else interval = r.intervalUs;

  let durMag = magnitude(Math.floor(duration / 1e6), 5);
  const invlMag = magnitude(Math.floor(interval / 1e6), 5);
  let prec: number;
  let borderlen: number;
  if (interval === duration) {
    prec = durMag >= 2 ? 1 : durMag === 1 ? 3 : 6;
    borderlen = 30 + durMag + (prec === 0 ? 0 : prec + 1);
  } else {
    prec = r.intervalDecimals;
    borderlen = 24 + invlMag + (prec === 0 ? 0 : prec + 1);
  }
  const originalDuration = duration;
  let dv = 1e6;
  for (let i = 0; i < prec; i++) dv /= 10;
  duration += 5 * Math.floor(dv / 10);
  if (wholeCapture) interval = duration;
  durMag = magnitude(Math.floor(duration / 1e6), 5);
  let invlColW = prec === 0 ? 2 * durMag + 8 : 2 * durMag + 2 * prec + 10;
  invlColW = Math.max(invlColW, 12);
  borderlen = Math.max(borderlen, invlColW);

  let maxFrames = 0;
  let maxBytes = 0;
  for (const x of r.rows) {
    if (x.frames > maxFrames) maxFrames = x.frames;
    if (x.bytes > maxBytes) maxBytes = x.bytes;
  }
  const frW = Math.max(6, magnitude(maxFrames, 15));
  const valW = Math.max(5, magnitude(maxBytes, 15));
  const tabrowW = invlColW + frW + 3 + valW + 3;
  borderlen = Math.max(borderlen, tabrowW);
  // The widest filter text ("Frames and bytes" takes 26) widens a narrow table.
  if (26 > borderlen) borderlen = 26;
  if (borderlen - tabrowW === 1) borderlen++;

  const sp = (n: number) => ' '.repeat(Math.max(0, n));
  // tshark pads a line to the border for numbers of the widths it computed (at most 5 digits of
  // seconds): a longer number, 100000 s and more, pushes the border out by its extra digits.
  const overflowOf = (us: number) => Math.max(0, String(Math.floor(us / 1e6)).length - Math.max(durMag, 1));
  const line = (content: string, overflow = 0) => `${content}${sp(borderlen - 1 - (content.length - overflow))}|`;
  const timeText = (us: number, width: number) =>
    prec === 0
      ? String(Math.floor(us / 1e6)).padStart(width)
      : `${String(Math.floor(us / 1e6)).padStart(width)}.${String(Math.floor((us % 1e6) / dv)).padStart(prec, '0')}`;

  const out: string[] = ['', '='.repeat(borderlen), line('| IO Statistics'), line('|')];
  // With whole-second intervals tshark 4.0 shows the exact duration, its microseconds printed
  // with "%6u" (spaces, not zeros), and "Dur" as the end of the last interval.
  const wholeSeconds = prec === 0 && !wholeCapture;
  if (wholeSeconds) {
    const secs = Math.floor(originalDuration / 1e6);
    out.push(
      line(`| Duration: ${secs}.${String(originalDuration % 1e6).padStart(6)} secs`, overflowOf(originalDuration)),
    );
  } else {
    out.push(line(`| Duration: ${timeText(duration, durMag)} secs`, overflowOf(duration)));
  }
  out.push(line(`| Interval: ${timeText(interval, durMag)} secs`, overflowOf(interval)));
  out.push(line('|'));
  out.push(line('| Col 1: Frames and bytes'));
  out.push(`|-${'-'.repeat(borderlen - 3)}|`);
  const filler = tabrowW < borderlen ? `${sp(borderlen - tabrowW - 1)}|` : '';
  out.push(`|${sp(invlColW - 2)}|${'1'.padEnd(frW + valW + 5)}|${filler}`);
  const center = (label: string, width: number) => {
    const len = 6 - (Math.floor((width - label.length) / 2) + 1);
    if (len <= 0 || len >= 6) return len > 0 && len <= 15 ? `${label}|` : '';
    const s = sp(6 - len);
    return (width - label.length) % 2 === 0 ? `${s}${label}${s}|` : `${s} ${label}${s}|`;
  };
  out.push(`| Interval${sp(invlColW - 11)}|${center('Frames', frW)}${center('Bytes', valW)}${filler}`);
  out.push(`|-${'-'.repeat(tabrowW - 3)}|${filler}`);

  // A capture whose packets all share one time stamp has no rows.
  const numRows =
    originalDuration === 0 || interval === 0
      ? 0
      : // A last interval that starts at the rounded duration itself gets no row: the packets
        // stamped at the very end of the capture are not shown (tshark 4.0's count of rows).
        Math.floor(duration / interval) + (duration % interval > 5 * Math.floor(dv / 10) ? 1 : 0);
  const startW = prec === 0 ? Math.max(2, durMag) : durMag;
  // The rows kept are the intervals that saw packets, each at its start.
  let next = 0;
  for (let i = 0, t = 0; i < numRows; i++, t += interval) {
    const last = i === numRows - 1;
    const end = last ? duration : t + interval;
    // tshark's "| %*u <> %*u |" (and "… <> %-*s|" with "Dur"): a number wider than its
    // width widens the cell, and the border after it moves.
    let cell = `| ${timeText(t, startW)} <> `;
    if (last && wholeSeconds) cell = `${cell}${'Dur'.padEnd(durMag >= 3 ? durMag + 1 : 3)}`.padEnd(invlColW - 1) + '|';
    else {
      cell += timeText(end, durMag);
      cell = cell.length >= invlColW - 1 ? `${cell} |` : cell.padEnd(invlColW - 1) + '|';
    }
    const row = next < r.rows.length && r.rows[next].startUs <= t ? r.rows[next++] : null;
    out.push(
      `${cell} ${String(row?.frames ?? 0).padStart(frW)} | ${String(row?.bytes ?? 0).padStart(valW)} |${filler}`,
    );
    if (out.length >= PIECE_LINES) {
      yield out.join('\n') + '\n';
      out.length = 0;
    }
  }
  out.push('='.repeat(borderlen));
  yield out.join('\n') + '\n';
}

/** Lines a piece of ioStatPieces holds. */
const PIECE_LINES = 4096;
