/**
 * Exact conversion between a file's 64-bit tick counts and { sec, nsec }.
 *
 * pcapng stores time as a 64-bit count of "units" (if_tsresol: 10^-6 s by default, 10^-9 s from
 * dumpcap, or a power of two). A double holds integers exactly only up to 2^53, and nanoseconds
 * since 1970 are already ~2^61, so the two 32-bit halves are divided with integer-exact steps
 * instead of ever forming the 64-bit value as a float. BigInt is used only for exotic resolutions.
 */

export interface Timestamp {
  sec: number;
  nsec: number;
}

const TWO_32 = 4294967296;
const NS_PER_SEC = 1e9;

/**
 * ticks = hi * 2^32 + lo (both unsigned 32-bit), unitsPerSecond > 0.
 * Returns whole seconds and the nanoseconds within that second (truncated toward zero,
 * as Wireshark does for resolutions finer than 1 ns).
 */
export function ticksToTimestamp(hi: number, lo: number, unitsPerSecond: number): Timestamp {
  if (unitsPerSecond === 1e6 && hi < 0x200000) {
    // Fast path for µs: hi < 2^21 keeps the tick count below 2^53, so plain arithmetic is exact.
    const ticks = hi * TWO_32 + lo;
    let sec = Math.floor(ticks / 1e6);
    let rem = ticks - sec * 1e6;
    if (rem < 0) {
      sec -= 1;
      rem += 1e6;
    } else if (rem >= 1e6) {
      sec += 1;
      rem -= 1e6;
    }
    return { sec, nsec: rem * 1000 };
  }
  if (Number.isInteger(unitsPerSecond) && unitsPerSecond <= 1e11) {
    // Long division by 16-bit limbs: each partial dividend is < unitsPerSecond * 2^16 < 2^53.
    const limbs = [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff];
    let sec = 0;
    let rem = 0;
    for (const limb of limbs) {
      const cur = rem * 65536 + limb;
      const q = Math.floor(cur / unitsPerSecond);
      rem = cur - q * unitsPerSecond;
      sec = sec * 65536 + q;
    }
    const nsec = remainderToNanoseconds(rem, unitsPerSecond);
    if (nsec !== null) return { sec, nsec };
  }
  return ticksToTimestampBig(hi, lo, unitsPerSecond);
}

function remainderToNanoseconds(rem: number, unitsPerSecond: number): number | null {
  if (NS_PER_SEC % unitsPerSecond === 0) return rem * (NS_PER_SEC / unitsPerSecond);
  if (unitsPerSecond % NS_PER_SEC === 0) return Math.floor(rem / (unitsPerSecond / NS_PER_SEC));
  const product = rem * NS_PER_SEC;
  return Number.isSafeInteger(product) ? Math.floor(product / unitsPerSecond) : null;
}

function ticksToTimestampBig(hi: number, lo: number, unitsPerSecond: number): Timestamp {
  const ticks = (BigInt(hi) << 32n) | BigInt(lo);
  const units = BigInt(Math.round(unitsPerSecond));
  if (units <= 0n) return { sec: 0, nsec: 0 };
  const sec = ticks / units;
  const nsec = ((ticks % units) * 1_000_000_000n) / units;
  return { sec: Number(sec), nsec: Number(nsec) };
}

/**
 * The inverse, for writers: seconds + nanoseconds → 64-bit tick count as two 32-bit halves.
 * Sub-unit nanoseconds are truncated (a µs file cannot hold them). Negative or out-of-range
 * times are clamped to 0 / 2^64-1 rather than written as garbage.
 */
export function timestampToTicks(sec: number, nsec: number, unitsPerSecond: number): { hi: number; lo: number } {
  if (unitsPerSecond === 1e6) {
    const ticks = sec * 1e6 + Math.floor(nsec / 1000);
    if (Number.isSafeInteger(ticks) && ticks >= 0) {
      const hi = Math.floor(ticks / TWO_32);
      return { hi, lo: ticks - hi * TWO_32 };
    }
  }
  if (unitsPerSecond === 1e9 && sec >= 0 && nsec >= 0 && nsec < 1e9) {
    // 1e9 = 512 * 1953125: sec * 1953125 stays below 2^53 for any sec below ~4.6e9 (year 2116),
    // and the * 512 is done on the two 32-bit halves separately.
    const a = sec * 1953125;
    if (Number.isSafeInteger(a)) {
      const aHi = Math.floor(a / TWO_32);
      const low = (a - aHi * TWO_32) * 512 + nsec; // < 2^41 + 1e9: exact
      const carry = Math.floor(low / TWO_32);
      const hi = aHi * 512 + carry;
      if (hi < TWO_32) return { hi, lo: low - carry * TWO_32 };
    }
  }
  const units = BigInt(Math.round(unitsPerSecond));
  let ticks = BigInt(Math.trunc(sec)) * units + (BigInt(Math.trunc(nsec)) * units) / 1_000_000_000n;
  const max = (1n << 64n) - 1n;
  if (ticks < 0n) ticks = 0n;
  if (ticks > max) ticks = max;
  return { hi: Number(ticks >> 32n), lo: Number(ticks & 0xffffffffn) };
}
