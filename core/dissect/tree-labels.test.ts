import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FieldDef } from './fields';
import { formatFieldValueForLabel } from './tree';

/** The hex digits of a masked value as proto.c shows them: the bits from the mask's lowest set bit to its highest. */
function digitsBitByBit(mask: number): number {
  let lowest = -1;
  let highest = -1;
  for (let bit = 0; bit < 53; bit++) {
    if (Math.floor(mask / 2 ** bit) % 2 === 1) {
      if (lowest < 0) lowest = bit;
      highest = bit;
    }
  }
  return lowest < 0 ? 0 : Math.ceil((highest - lowest + 1) / 4);
}

const hexField = (bitmask: number): FieldDef => ({
  abbrev: 'test.masked',
  name: 'Masked',
  type: 'uint64',
  base: 'hex',
  bitmask,
});

describe('a masked hex field in a label', () => {
  it('is padded to the digits its mask spans', () => {
    expect(formatFieldValueForLabel(hexField(0x0fff), 0x12)).toBe('0x012');
    expect(formatFieldValueForLabel(hexField(0x80000000), 1)).toBe('0x1');
    expect(formatFieldValueForLabel(hexField(0xffffffff), 0xab)).toBe('0x000000ab');
    expect(formatFieldValueForLabel(hexField(0xf0), 3)).toBe('0x3');
    expect(formatFieldValueForLabel(hexField(2 ** 40 - 2 ** 8), 5)).toBe('0x00000005');
  });

  it('has as many digits as the mask spans bit by bit, for any mask up to 2^53', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: 1, max: 0xffffffff }),
          fc.maxSafeNat().filter((n) => n > 0),
        ),
        (mask) => {
          const text = formatFieldValueForLabel(hexField(mask), 0);
          expect(text.length - 2).toBe(Math.max(1, digitsBitByBit(mask)));
        },
      ),
    );
  });
});
