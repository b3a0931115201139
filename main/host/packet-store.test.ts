import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readCaptureFile } from '../../core/pcap';
import { listCaptures } from '../../test/helpers/captures';
import { PacketStore } from './packet-store';
import { packRecords, unpackRecords } from '../../bridge/record-batch';

const fixtures = listCaptures().map((f) => ({
  name: f.id,
  records: readCaptureFile(new Uint8Array(readFileSync(f.path))).packets,
}));

describe('PacketStore (records kept packed)', () => {
  it('slices, selects and counts every fixture as the records it was given', async () => {
    for (const { name, records } of fixtures) {
      const store = new PacketStore();
      const generation = store.reset();
      const events = [];
      for (let first = 0; first < records.length; first += 7)
        events.push(store.append(records.slice(first, first + 7)));
      expect(events.map((e) => e.firstIndex)).toEqual(events.map((_, i) => i * 7));
      expect(store.size, name).toBe(records.length);
      // What the UI receives: the same records as packing them directly (views, no objects kept).
      const wire = unpackRecords(packRecords(records));
      for (const [from, count] of [
        [0, records.length],
        [3, 9],
        [Math.max(0, records.length - 2), 10],
        [5, 0],
      ]) {
        const slice = await store.slice(from, count);
        expect(slice.generation).toBe(generation);
        expect(unpackRecords(slice.batch), `${name} ${from}+${count}`).toEqual(wire.slice(from, from + count));
      }
      // A whole stored batch is sent as it is.
      if (records.length >= 14) expect((await store.slice(7, 7)).batch).toBe(events[1].batch);
      expect(await store.select()).toEqual(wire);
      expect(await store.select([records.length - 1, 0, -1, records.length])).toEqual([
        wire[records.length - 1],
        wire[0],
      ]);
      const stats = store.statistics(records.length, 0);
      const timed = records.filter((r) => r.pcapngBlock === undefined);
      expect(stats).toMatchObject({
        packets: records.length,
        bytes: records.reduce((n, r) => n + r.originalLength, 0),
        firstTime: timed.length ? timed[0].tsSec + timed[0].tsNsec / 1e9 : undefined,
        lastTime: timed.length ? (timed.at(-1)?.tsSec ?? 0) + (timed.at(-1)?.tsNsec ?? 0) / 1e9 : undefined,
      });
    }
  });

  it('gives back a live capture batch of 200,000 small records (more than a call takes arguments)', async () => {
    const records = Array.from({ length: 200_000 }, (_, i) => ({
      data: Uint8Array.of(i & 0xff, 0x45),
      originalLength: 60,
      tsSec: 1_700_000_000 + i,
      tsNsec: 0,
      interfaceId: 0,
      linkType: 1,
    }));
    const store = new PacketStore();
    store.reset();
    store.append(records);
    const back = await store.select();
    expect(back).toHaveLength(200_000);
    expect(back[199_999]).toMatchObject({ tsSec: 1_700_199_999, originalLength: 60 });
    expect([...back[199_999].data]).toEqual([199_999 & 0xff, 0x45]);
  });
});
