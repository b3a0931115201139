import { describe, expect, it } from 'vitest';
import type { WireRecord } from './lab-api';
import { packRecords, RECORD_META_BYTES, unpackRecords } from './record-batch';
import { decodeMessage, encodeMessage } from './codec';

const records: WireRecord[] = [
  {
    data: new Uint8Array([1, 2, 3]),
    originalLength: 60,
    tsSec: 1_795_978_190,
    tsNsec: 269_733_000,
    interfaceId: 0,
    linkType: 1,
  },
  { data: new Uint8Array(0), originalLength: 0, tsSec: 2 ** 40, tsNsec: 999_999_999, interfaceId: 3, linkType: 276 },
  {
    data: new Uint8Array([9]),
    originalLength: 1,
    tsSec: 0,
    tsNsec: 1,
    interfaceId: 1,
    linkType: 0,
    comments: ['first', '第二'],
  },
];

describe('record batches', () => {
  it('round-trip every field, through the WebSocket codec too', () => {
    const batch = packRecords(records);
    expect(batch.count).toBe(3);
    expect(batch.meta.byteLength).toBe(3 * RECORD_META_BYTES);
    expect(unpackRecords(batch)).toEqual(records);
    const back = decodeMessage(encodeMessage({ batch })) as { batch: typeof batch };
    expect(unpackRecords(back.batch)).toEqual(records);
    // The packets' bytes are views into the received buffer, not copies.
    expect(unpackRecords(back.batch)[0].data.buffer).toBe(back.batch.data.buffer);
  });

  it('carry pcapng Custom Block frames: their PEN, block type and section, no time, no interface', () => {
    const block: WireRecord = {
      data: new Uint8Array([0x61, 0x6c, 0x6c, 0]),
      originalLength: 4,
      tsSec: 0,
      tsNsec: 0,
      interfaceId: -1,
      linkType: 0x80000000,
      noTimestamp: true,
      pcapngBlock: { type: 0x40000bad, pen: 36724, section: 2 },
    };
    const all = [records[0], block, records[1]];
    const batch = packRecords(all);
    expect(unpackRecords(batch)).toEqual(all);
    const back = decodeMessage(encodeMessage({ batch })) as { batch: typeof batch };
    expect(unpackRecords(back.batch, 1)).toEqual(all.slice(1));
  });

  it('unpack from a position (the part of a batch already held is skipped)', () => {
    expect(unpackRecords(packRecords(records), 2)).toEqual(records.slice(2));
    expect(unpackRecords(packRecords([]))).toEqual([]);
  });

  it('a batch that does not add up ends at its last complete record', () => {
    const batch = packRecords(records);
    expect(unpackRecords({ ...batch, data: batch.data.subarray(0, 2) })).toEqual([]);
    expect(unpackRecords({ ...batch, meta: batch.meta.subarray(0, RECORD_META_BYTES + 5) })).toEqual(
      records.slice(0, 1),
    );
  });
});
