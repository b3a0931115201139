/**
 * The Time column in each of Wireshark's View → Time Display Formats (tshark -t …), with time
 * references (*REF*). Precision follows the capture's timestamp resolution, and values are
 * truncated, not rounded, as Wireshark prints them.
 */

export type TimeFormat =
  | 'relative' // -t r: seconds since the beginning of the capture (or the last time reference)
  | 'delta' // -t d: seconds since the previous captured packet
  | 'delta_displayed' // -t dd: seconds since the previous displayed packet
  | 'time_of_day' // -t a
  | 'date_time' // -t ad
  | 'utc_time_of_day' // -t u
  | 'utc_date_time' // -t ud
  | 'epoch'; // -t e

/** Each format's tshark `-t` letters. */
export const TSHARK_TIME_FLAGS: Readonly<Record<TimeFormat, string>> = {
  relative: 'r',
  delta: 'd',
  delta_displayed: 'dd',
  time_of_day: 'a',
  date_time: 'ad',
  utc_time_of_day: 'u',
  utc_date_time: 'ud',
  epoch: 'e',
};

export const TIME_FORMATS = Object.keys(TSHARK_TIME_FLAGS) as TimeFormat[];

/** 10^k, k = 0…9: nanoseconds → the Time column's digits. */
export const NS_DIVISORS: readonly number[] = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** `secs.frac` with `digits` digits, truncated (not rounded), sign in front, as Wireshark's display_signed_time. */
export function formatSignedTime(sec: number, nsec: number, digits: number): string {
  let negative = false;
  if (sec < 0 || (sec === 0 && nsec < 0)) {
    negative = true;
    sec = -sec;
    nsec = -nsec;
  }
  if (nsec < 0) {
    sec -= 1;
    nsec += 1e9;
  }
  const sign = negative ? '-' : '';
  if (digits === 0) return `${sign}${sec}`;
  const frac = Math.floor(nsec / (NS_DIVISORS[9 - digits] ?? 10 ** (9 - digits)));
  return sign + sec + '.' + String(frac).padStart(digits, '0');
}

export interface TimeStamp {
  sec: number;
  nsec: number;
}

export interface TimeColumnContext {
  format: TimeFormat;
  /** Digits after the point: 6 for µs captures, 9 for ns (see timePrecisionDigits). */
  digits: number;
  /** The first captured packet. */
  first: TimeStamp;
  /** The packet captured just before (null for the first). */
  previousCaptured: TimeStamp | null;
  /** The packet displayed just before, in capture order (null for the first displayed). */
  previousDisplayed: TimeStamp | null;
  /** The latest time reference at or before this packet, if any. */
  reference: TimeStamp | null;
  /** This packet is a time reference: Wireshark shows `*REF*`. */
  isReference: boolean;
  /** Minutes east of UTC at `sec` for the local formats (default: this machine's time zone). */
  utcOffsetMinutes?: (sec: number) => number;
}

export const REF_TEXT = '*REF*';

const pad2 = (n: number) => String(n).padStart(2, '0');

function localOffset(sec: number): number {
  return -new Date(sec * 1000).getTimezoneOffset();
}

/** Hours:minutes:seconds and date of `sec` shifted by `offsetMinutes`, plus the fraction. */
function clock(ts: TimeStamp, digits: number, offsetMinutes: number, date: boolean): string {
  const shifted = ts.sec + offsetMinutes * 60;
  const d = new Date(shifted * 1000);
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const frac = digits > 0 ? '.' + String(Math.floor(ts.nsec / 10 ** (9 - digits))).padStart(digits, '0') : '';
  const day = date ? `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())} ` : '';
  return day + time + frac;
}

function since(ts: TimeStamp, from: TimeStamp | null, digits: number): string {
  const base = from ?? ts;
  return formatSignedTime(ts.sec - base.sec, ts.nsec - base.nsec, digits);
}

/** The Time column text of a packet stamped `ts`. */
export function formatTimeColumn(ts: TimeStamp, ctx: TimeColumnContext): string {
  if (ctx.isReference) return REF_TEXT;
  const digits = ctx.digits;
  switch (ctx.format) {
    case 'relative':
      return since(ts, ctx.reference ?? ctx.first, digits);
    case 'delta':
      return since(ts, ctx.previousCaptured, digits);
    case 'delta_displayed':
      return since(ts, ctx.previousDisplayed, digits);
    case 'epoch':
      return formatSignedTime(ts.sec, ts.nsec, digits);
    case 'utc_time_of_day':
      return clock(ts, digits, 0, false);
    case 'utc_date_time':
      return clock(ts, digits, 0, true);
    case 'time_of_day':
      return clock(ts, digits, (ctx.utcOffsetMinutes ?? localOffset)(ts.sec), false);
    case 'date_time':
      return clock(ts, digits, (ctx.utcOffsetMinutes ?? localOffset)(ts.sec), true);
  }
}
