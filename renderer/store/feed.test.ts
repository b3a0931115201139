import { describe, expect, it, vi } from 'vitest';
import type { PacketsEvent, RecordBatch, WireRecord } from '../../bridge/lab-api';
import { packRecords, unpackRecords } from '../../bridge/record-batch';
import { labStatus } from '../test/fakes';
import { PacketFeed } from './feed';

const rec = (i: number): WireRecord => ({
  data: new Uint8Array([i]),
  originalLength: 1,
  tsSec: i,
  tsNsec: 0,
  interfaceId: 0,
  linkType: 1,
});
const batch = (generation: number, first: number, n: number): PacketsEvent => ({
  generation,
  firstIndex: first,
  batch: packRecords(Array.from({ length: n }, (_, k) => rec(first + k))),
});

function setup(host: WireRecord[] = []) {
  const delivered: number[] = [];
  const resets: number[] = [];
  const target = {
    reset: (g: number) => {
      resets.push(g);
      delivered.length = 0;
    },
    append: (_g: number, first: number, batch: RecordBatch) => {
      expect(first).toBeLessThanOrEqual(delivered.length);
      for (const r of unpackRecords(batch, delivered.length - first)) delivered.push(r.data[0]);
    },
  };
  const fetch = vi.fn(async (from: number, count: number) => ({
    generation: 1,
    firstIndex: from,
    batch: packRecords(host.slice(from, from + count)),
  }));
  return { feed: new PacketFeed(target, fetch), delivered, resets, fetch };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('PacketFeed', () => {
  it('delivers pushed batches in order, once, and resets on a new generation', () => {
    const { feed, delivered, resets } = setup();
    feed.status(labStatus({ source: { kind: 'live', packets: 0, generation: 1 } }));
    feed.packets(batch(1, 0, 3));
    feed.packets(batch(1, 0, 3)); // duplicate
    feed.packets(batch(1, 3, 2));
    expect(delivered).toEqual([0, 1, 2, 3, 4]);
    feed.packets(batch(2, 0, 1));
    expect(resets).toEqual([1, 2]);
    expect(delivered).toEqual([0]);
    feed.packets(batch(1, 5, 1)); // stale generation: ignored
    expect(delivered).toEqual([0]);
  });

  it('parks an early batch and fetches the gap from the host', async () => {
    const host = Array.from({ length: 10 }, (_, i) => rec(i));
    const { feed, delivered, fetch } = setup(host);
    feed.status(labStatus({ source: { kind: 'live', packets: 0, generation: 1 } }));
    feed.packets(batch(1, 0, 2));
    feed.packets(batch(1, 6, 4)); // 2..5 missed (e.g. a reload)
    await flush();
    expect(fetch).toHaveBeenCalledWith(2, 4);
    expect(delivered).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('catches up from status after a reload in the middle of a capture', async () => {
    const host = Array.from({ length: 7 }, (_, i) => rec(i));
    const { feed, delivered } = setup(host);
    feed.status(labStatus({ source: { kind: 'live', packets: 7, generation: 1 } }));
    await flush();
    expect(delivered).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});
