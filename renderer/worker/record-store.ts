/**
 * The worker's copy of the source's records, kept as the packed batches the host sent
 * (record-batch.ts) with a few numbers per record, instead of an object and a Uint8Array view
 * per record. A million records as objects are ~150 MB of small long-lived objects that every
 * major GC walks; packed they are the bytes themselves plus 12 bytes a record. `get()` makes
 * the record object when it is needed (dissection, the bytes pane), and it dies young.
 */
import type { PacketRecord } from '../../core/pcap/types';
import type { RecordBatch, WireRecord } from '../../bridge/lab-api';
import { RECORD_META_BYTES, readRecord, writeRecordMeta } from '../../bridge/record-batch';
import { GrowableUint32 } from './growable';

/**
 * A batch whose records' bytes are not back to back: a part of a capture file read by the
 * worker (file-reader.ts), `data` the part itself and `offsets` where each record's bytes
 * start in it (the file's record headers lie between them).
 */
export interface FileBatch extends RecordBatch {
  offsets: Uint32Array;
}

/** A packed batch, or one record given as an object (kept as it is). */
type StoredBatch = { batch: RecordBatch; view: DataView; record?: undefined } | { record: PacketRecord };

export class RecordStore {
  private readonly batches: StoredBatch[] = [];
  /** Per record: its batch, its position in the batch, and where its bytes start in the batch's data. */
  private readonly batchOf = new GrowableUint32();
  private readonly positionOf = new GrowableUint32();
  private readonly offsetOf = new GrowableUint32();

  get length(): number {
    return this.batchOf.length;
  }

  /** Makes room for `records` records in all (see growable.ts). */
  reserve(records: number): void {
    this.batchOf.reserve(records);
    this.positionOf.reserve(records);
    this.offsetOf.reserve(records);
  }

  /** Appends the batch's records from position `from` on (the ones before are already held). */
  appendBatch(batch: RecordBatch | FileBatch, from = 0): void {
    const { meta, data } = batch;
    const offsets = 'offsets' in batch ? batch.offsets : null;
    const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
    const count = Math.min(batch.count, Math.floor(meta.byteLength / RECORD_META_BYTES));
    const id = this.batches.length;
    let added = false;
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const length = view.getUint32(i * RECORD_META_BYTES + 12, true);
      if (offsets) offset = offsets[i] ?? data.byteLength;
      // A batch that does not add up (too short) ends at the last complete record.
      if (offset + length > data.byteLength) break;
      if (i >= from) {
        this.batchOf.push(id);
        this.positionOf.push(i);
        this.offsetOf.push(offset);
        added = true;
      }
      offset += length;
    }
    if (added) this.batches.push({ batch, view });
  }

  /** Appends records given as objects (tests, and callers that already have them). */
  appendRecords(records: readonly WireRecord[]): void {
    for (const record of records) {
      this.batchOf.push(this.batches.length);
      this.positionOf.push(0);
      this.offsetOf.push(0);
      this.batches.push({ record });
    }
  }

  /** Record `index` (a new object each time; its bytes are a view, not a copy). */
  get(index: number): PacketRecord {
    const stored = this.batches[this.batchOf.data[index]];
    if (stored.record) return stored.record;
    const { batch, view } = stored;
    return readRecord(batch, view, this.positionOf.data[index], this.offsetOf.data[index]);
  }

  originalLength(index: number): number {
    const stored = this.batches[this.batchOf.data[index]];
    if (stored.record) return stored.record.originalLength;
    return stored.view.getUint32(this.positionOf.data[index] * RECORD_META_BYTES + 16, true);
  }

  tsSec(index: number): number {
    const stored = this.batches[this.batchOf.data[index]];
    if (stored.record) return stored.record.tsSec;
    return stored.view.getFloat64(this.positionOf.data[index] * RECORD_META_BYTES, true);
  }

  tsNsec(index: number): number {
    const stored = this.batches[this.batchOf.data[index]];
    if (stored.record) return stored.record.tsNsec;
    return stored.view.getUint32(this.positionOf.data[index] * RECORD_META_BYTES + 8, true);
  }
}

/**
 * The records of one part as batches over the buffers their bytes are in: the part itself for
 * most, a buffer of its own for a record cut by the part's start (core/pcap/reader.ts copies it).
 */
export function toBatches(records: readonly PacketRecord[]): FileBatch[] {
  const out: FileBatch[] = [];
  for (let i = 0; i < records.length;) {
    const buffer = records[i].data.buffer;
    let j = i + 1;
    while (j < records.length && records[j].data.buffer === buffer) j++;
    const meta = new Uint8Array((j - i) * RECORD_META_BYTES);
    const view = new DataView(meta.buffer);
    const offsets = new Uint32Array(j - i);
    const batch: FileBatch = { count: j - i, meta, data: new Uint8Array(buffer), offsets };
    for (let k = i; k < j; k++) {
      const r = records[k];
      const n = k - i;
      writeRecordMeta(view, n * RECORD_META_BYTES, r);
      offsets[n] = r.data.byteOffset;
      if (r.comments?.length) (batch.comments ??= {})[n] = r.comments;
      if (r.pcapngBlock) (batch.blocks ??= {})[n] = r.pcapngBlock;
    }
    out.push(batch);
    i = j;
  }
  return out;
}
