/**
 * The upload's Stevens graph of a long upload: more segments than a function call takes arguments
 * (Math.max(...segments) threw RangeError past ~125,000), its axes reaching the last byte and
 * the last segment's time.
 */
import { describe, expect, it } from 'vitest';
import { stevensSvg } from './stevens';
import type { UploadTcp } from './types';

describe('Stevens graph of an upload', () => {
  it('draws 200,000 segments, its axes to the last byte and the last time', () => {
    const segments = Array.from({ length: 200_000 }, (_, i) => ({
      frame: i + 4,
      time: i * 1e-5,
      seq: 1 + i * 1448,
      len: 1448,
    }));
    const up: UploadTcp = { stream: 0, segments, rtt: [], bytes: 200_000 * 1448, seconds: 2, throughput: 144_800_000 };
    const svg = stevensSvg(up, 'en');
    const ticks = [...svg.matchAll(/text-anchor="end">(\d+)</g)].map((m) => Number(m[1]));
    expect(Math.max(...ticks)).toBe(1 + 200_000 * 1448);
    const times = [...svg.matchAll(/text-anchor="middle">([\d.]+)</g)].map((m) => Number(m[1]));
    expect(Math.max(...times)).toBeCloseTo(199_999 * 1e-5 * 1000, 2);
    expect(svg.match(/<circle /g)).toHaveLength(200_000);
  });
});
