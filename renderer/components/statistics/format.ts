/** Number formats of the Statistics dialogs (as Wireshark's dialogs print them). */
export { formatSize } from '../../../core/stats/format-tshark';

/** Wireshark's bits/s column: "N/A" when the duration is too short to tell, else SI-prefixed. */
export function formatBitsPerSecond(bytes: number, seconds: number, na: string): string {
  if (!(seconds > 0)) return na;
  const bps = (bytes * 8) / seconds;
  const units = ['', 'k', 'M', 'G', 'T'];
  let v = bps;
  let u = 0;
  while (v >= 10_000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${Math.round(v)} ${units[u]}bits/s`;
}

export function percent(part: number, whole: number): string {
  return whole > 0 ? `${((part * 100) / whole).toFixed(1)}%` : '0.0%';
}

/** Seconds with Wireshark's 6 decimals in the conversation table. */
export function seconds(s: number, digits = 6): string {
  return s.toFixed(digits);
}

/** `n` with at most `digits` decimals and no trailing zeros (1000 × 0.001 is 1.0000000000000002: "1"). */
export function trimmed(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}
