/**
 * Numbers and texts written straight as UTF-8 bytes: `wirelab -r`'s summary lines
 * (main/cli/summary-line.ts) and the packet list's Info column (renderer/worker/text-column.ts)
 * hold a million short texts made mostly of numbers, and building each as a string first, to
 * encode it after, cost as much as dissecting the packet's TCP layer. The same for long hex
 * texts (`-x` dumps, a body's bytes in `-T json`): written as bytes, then decoded once.
 */

const UINT32_LIMIT = 0x1_0000_0000;

/** The digits of a non-negative integer. */
export function decimalLength(n: number): number {
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
const DIGIT_PAIRS = Uint8Array.from(
  Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''),
  (digit) => digit.charCodeAt(0),
);

/** A non-negative integer in decimal; returns where it ends. */
export function writeUint(out: Uint8Array, at: number, n: number): number {
  if (n < 10) {
    out[at] = 0x30 + n;
    return at + 1;
  }
  const end = at + decimalLength(n);
  let i = end;
  if (n >= UINT32_LIMIT) {
    for (; i > at; n = Math.floor(n / 10)) out[--i] = 0x30 + (n % 10);
    return end;
  }
  while (n >= 100) {
    const q = (n / 100) >>> 0; // below 2^32: integer division
    const pair = (n - q * 100) * 2;
    out[--i] = DIGIT_PAIRS[pair + 1];
    out[--i] = DIGIT_PAIRS[pair];
    n = q;
  }
  if (n >= 10) {
    out[--i] = DIGIT_PAIRS[n * 2 + 1];
    out[i - 1] = DIGIT_PAIRS[n * 2];
  } else out[i - 1] = 0x30 + n;
  return end;
}

/** Copies `bytes` to `out` at `at`; returns where they end. */
export function copyBytes(out: Uint8Array, at: number, bytes: Uint8Array): number {
  // A byte loop beats Uint8Array#set for the dozen bytes of an address.
  const n = bytes.length;
  for (let i = 0; i < n; i++) out[at + i] = bytes[i];
  return at + n;
}

/** ASCII codes of the hex digits "0" … "f". */
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** The hex digit of `nibble` (0–15) as its ASCII code. */
export function hexDigit(nibble: number): number {
  return HEX_DIGITS[nibble];
}

/** A byte as two lowercase hex digits; returns where they end. */
export function writeHexByte(out: Uint8Array, at: number, byte: number): number {
  out[at] = HEX_DIGITS[byte >> 4];
  out[at + 1] = HEX_DIGITS[byte & 15];
  return at + 2;
}

/** Reused by scratchBytes: a text of up to 64 KB is written into it, then decoded at once. */
const scratch = new Uint8Array(64 * 1024);

/**
 * Room for a text of up to `size` bytes that is written and then decoded (asciiText) before
 * anything else writes: a 64 KB buffer reused, or for a longer text its own.
 */
export function scratchBytes(size: number): Uint8Array {
  return size <= scratch.length ? scratch : new Uint8Array(size);
}

const ascii = new TextDecoder('latin1');

/** Bytes of ASCII text (below 0x80) as a string, decoded natively. */
export function asciiText(bytes: Uint8Array): string {
  return ascii.decode(bytes);
}
