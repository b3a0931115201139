/**
 * Packet records packed for the bridge (see RecordBatch in lab-api.ts): the captured bytes
 * back to back in one buffer and a fixed-size row of numbers per record in another. Sending
 * two buffers instead of an object per packet keeps the UI thread's share of a batch tiny:
 * it only forwards the buffers to the dissection worker, which unpacks them.
 * Pure: no Node or DOM imports (the host, the renderer and its worker share it).
 */
import type { RecordBatch, WireRecord } from './lab-api';

/** Bytes per record in `meta`: tsSec (f64), then tsNsec, captured length, original length, interface id, link type (u32), little-endian. */
export const RECORD_META_BYTES = 28;

/** One record's RECORD_META_BYTES at `offset`: times, captured and original length, interface, link type. */
export function writeRecordMeta(view: DataView, offset: number, r: WireRecord): void {
  view.setFloat64(offset, r.tsSec, true);
  view.setUint32(offset + 8, r.tsNsec, true);
  view.setUint32(offset + 12, r.data.byteLength, true);
  view.setUint32(offset + 16, r.originalLength, true);
  view.setUint32(offset + 20, r.interfaceId, true);
  view.setUint32(offset + 24, r.linkType, true);
}

export function packRecords(records: readonly WireRecord[]): RecordBatch {
  let size = 0;
  for (const r of records) size += r.data.byteLength;
  const data = new Uint8Array(size);
  const meta = new Uint8Array(records.length * RECORD_META_BYTES);
  const view = new DataView(meta.buffer);
  let comments: Record<string, string[]> | undefined;
  let blocks: RecordBatch['blocks'];
  let offset = 0;
  records.forEach((r, i) => {
    writeRecordMeta(view, i * RECORD_META_BYTES, r);
    data.set(r.data, offset);
    offset += r.data.byteLength;
    if (r.comments?.length) (comments ??= {})[i] = r.comments;
    if (r.pcapngBlock) (blocks ??= {})[i] = r.pcapngBlock;
  });
  const batch: RecordBatch = { count: records.length, meta, data };
  if (comments) batch.comments = comments;
  if (blocks) batch.blocks = blocks;
  return batch;
}

/**
 * The records of a batch, from position `from` on. Their `data` are views into `batch.data`
 * (no copy). A batch that does not add up (too short) ends at the last complete record.
 */
export function unpackRecords(batch: RecordBatch, from = 0): WireRecord[] {
  const { meta, data } = batch;
  const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  const count = Math.min(batch.count, Math.floor(meta.byteLength / RECORD_META_BYTES));
  const out: WireRecord[] = [];
  let offset = 0;
  for (let i = 0; i < count; i++) {
    const length = view.getUint32(i * RECORD_META_BYTES + 12, true);
    if (offset + length > data.byteLength) break;
    if (i >= from) out.push(readRecord(batch, view, i, offset));
    offset += length;
  }
  return out;
}

/**
 * The record at `position` of a batch (`view` over its meta), its bytes starting at `offset` in
 * `batch.data`: a view, not a copy. A pcapng block frame has no time and no interface.
 */
export function readRecord(batch: RecordBatch, view: DataView, position: number, offset: number): WireRecord {
  const m = position * RECORD_META_BYTES;
  const record: WireRecord = {
    data: batch.data.subarray(offset, offset + view.getUint32(m + 12, true)),
    originalLength: view.getUint32(m + 16, true),
    tsSec: view.getFloat64(m, true),
    tsNsec: view.getUint32(m + 8, true),
    interfaceId: view.getUint32(m + 20, true),
    linkType: view.getUint32(m + 24, true),
  };
  const comments = batch.comments?.[position];
  if (comments) record.comments = comments;
  const block = batch.blocks?.[position];
  if (block) {
    record.pcapngBlock = block;
    record.noTimestamp = true;
    record.interfaceId = -1;
  }
  return record;
}
