import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { readCaptureFile } from '../../core/pcap';
import { listCaptures } from '../../test/helpers/captures';
import { packRecords, unpackRecords } from '../../bridge/record-batch';
import { createColorizer } from './coloring';
import { PacketTable } from './packet-table';
import { RecordStore } from './record-store';

const fixtures = listCaptures().map((f) => ({
  name: f.id,
  records: readCaptureFile(new Uint8Array(readFileSync(f.path))).packets,
}));

describe('RecordStore (records kept packed as the host sent them)', () => {
  it('gives back every record of every fixture as the batch unpacks it, across batches and overlaps', () => {
    for (const { name, records } of fixtures) {
      const store = new RecordStore();
      const expected = [];
      // Batches of 7, each overlapping the previous one by 2 (the part already held is skipped).
      for (let first = 0; first < records.length; first += 5) {
        const batch = packRecords(records.slice(first, first + 7));
        const skip = store.length - first;
        store.appendBatch(batch, skip);
        expected.push(...unpackRecords(batch, skip));
      }
      expect(store.length, name).toBe(records.length);
      for (let i = 0; i < records.length; i++) {
        expect(store.get(i), `${name} #${i}`).toEqual(expected[i]);
        expect(store.originalLength(i)).toBe(expected[i].originalLength);
        expect([store.tsSec(i), store.tsNsec(i)]).toEqual([expected[i].tsSec, expected[i].tsNsec]);
      }
      expect(store.length).toBe(expected.length);
    }
  });

  it('a table fed packed batches shows what a table fed record objects shows', () => {
    for (const { name, records } of fixtures.slice(0, 12)) {
      const objects = new PacketTable(createColorizer(), 2);
      objects.reset(1);
      objects.append(1, 0, unpackRecords(packRecords(records)));
      objects.drain();
      const packed = new PacketTable(createColorizer(), 2);
      packed.reset(1);
      for (let first = 0; first < records.length; first += 4)
        packed.appendBatch(1, first, packRecords(records.slice(first, first + 4)));
      packed.drain();
      expect(packed.rows(0, records.length), name).toEqual(objects.rows(0, records.length));
      const last = records.length - 1;
      expect(packed.detail(last), name).toEqual(objects.detail(last));
    }
  });
});
