/**
 * The host's packet store: the records of the current source (a live capture or an opened
 * file), in arrival order. A live capture's records are also on disk in the capture's temp
 * pcapng (written by the capture backend), so this store is what the UI reads, not the only copy.
 * An opened or uploaded file's records stay on disk (file-records.ts: a temp copy of the file
 * and a few numbers per record in memory), read back when asked for.
 *
 * Records are kept as the packed batches sent to the UI (record-batch.ts): their bytes back to
 * back plus 28 bytes each, not an object and a view per record (a million of those are
 * ~150 MB of small objects, and their views keep every part of the file read alive).
 */
import type { PacketRecord } from '../../core/pcap/types';
import type { CaptureStatistics, PacketsEvent, RecordBatch } from '../../bridge/lab-api';
import { packRecords, unpackRecords } from '../../bridge/record-batch';
import type { FileRecords } from './file-records';

export class PacketStore {
  private batches: RecordBatch[] = [];
  /** Index of each batch's first record. */
  private starts: number[] = [];
  private count = 0;
  private totalBytes = 0;
  /** Changes whenever the store is replaced by a new source, so listeners can reset. */
  generation = 0;
  /** The source's records on disk (an opened file), or null (a live capture: packed in memory). */
  private file: FileRecords | null = null;

  get size(): number {
    return this.file ? this.file.size : this.count;
  }

  /** Starts a new source, kept in memory or (`file`) on disk; returns its generation. */
  reset(file: FileRecords | null = null): number {
    void this.file?.dispose();
    this.file = file;
    this.batches = [];
    this.starts = [];
    this.count = 0;
    this.totalBytes = 0;
    return ++this.generation;
  }

  /** True while `file` holds the current source's records. */
  holds(file: FileRecords): boolean {
    return this.file === file;
  }

  /** Records of the file source were indexed (FileRecords.add): count their bytes. */
  noteFileRecords(records: readonly PacketRecord[]): void {
    for (const record of records) this.totalBytes += record.originalLength;
  }

  /** Appends records (in memory) and returns the batch event describing them. */
  append(records: readonly PacketRecord[]): PacketsEvent {
    if (this.file) throw new Error('The source is a file: its records are indexed on disk.');
    const firstIndex = this.count;
    const batch = packRecords(records);
    if (batch.count > 0) {
      this.batches.push(batch);
      this.starts.push(firstIndex);
      this.count += batch.count;
      for (const record of records) this.totalBytes += record.originalLength;
    }
    return { generation: this.generation, firstIndex, batch };
  }

  /** The batch holding record `index` (binary search). */
  private batchOf(index: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Records [from, from + count) as objects whose bytes are views into the stored batches. */
  private records(from: number, count: number): PacketRecord[] {
    const end = Math.min(this.count, from + count);
    const out: PacketRecord[] = [];
    if (from < 0 || from >= end) return out;
    for (let b = this.batchOf(from); b < this.batches.length && this.starts[b] < end; b++) {
      const start = this.starts[b];
      const batch = this.batches[b];
      const records = unpackRecords(batch, Math.max(0, from - start));
      const wanted = Math.min(records.length, end - Math.max(from, start));
      for (let i = 0; i < wanted; i++) out.push(records[i]); // a batch can be more than a call's arguments
    }
    return out;
  }

  async slice(from: number, count: number): Promise<PacketsEvent> {
    if (this.file) {
      const file = this.file;
      const end = Math.min(file.size, from + count);
      const indices: number[] = [];
      for (let i = Math.max(0, from); i < end; i++) indices.push(i);
      return { generation: this.generation, firstIndex: from, batch: packRecords(await file.read(indices)) };
    }
    const b = from >= 0 && from < this.count ? this.batchOf(from) : -1;
    // A whole stored batch goes as it is.
    if (b >= 0 && this.starts[b] === from && this.batches[b].count === count)
      return { generation: this.generation, firstIndex: from, batch: this.batches[b] };
    return { generation: this.generation, firstIndex: from, batch: packRecords(this.records(from, count)) };
  }

  /** Record `index`, unpacking its batch once for a run of calls in the same batch. */
  private recordAt(index: number, cache: { batch: number; records: PacketRecord[] }): PacketRecord {
    const b = this.batchOf(index);
    if (cache.batch !== b) {
      cache.batch = b;
      cache.records = unpackRecords(this.batches[b]);
    }
    return cache.records[index - this.starts[b]];
  }

  /** The records at the given indices (all when absent), skipping indices out of range. */
  async select(indices?: readonly number[]): Promise<PacketRecord[]> {
    if (this.file) {
      const file = this.file;
      const wanted = indices
        ? indices.filter((i) => i >= 0 && i < file.size)
        : Array.from({ length: file.size }, (_, i) => i);
      return file.read(wanted);
    }
    if (!indices) return this.records(0, this.count);
    const cache = { batch: -1, records: [] as PacketRecord[] };
    return indices.filter((i) => i >= 0 && i < this.count).map((i) => this.recordAt(i, cache));
  }

  statistics(received: number, dropped: number): CaptureStatistics {
    if (this.file) {
      const file = this.file;
      let first = 0;
      while (first < file.size && file.isBlock(first)) first++;
      let last = file.size - 1;
      while (last >= 0 && file.isBlock(last)) last--;
      return {
        packets: file.size,
        bytes: this.totalBytes,
        firstTime: first < file.size ? file.time(first) : undefined,
        lastTime: last >= 0 ? file.time(last) : undefined,
        received,
        dropped,
      };
    }
    // pcapng block frames (Custom Blocks) have no time: the span is that of the packets.
    const cache = { batch: -1, records: [] as PacketRecord[] };
    let first: PacketRecord | undefined;
    for (let i = 0; i < this.count && !first; i++) {
      const r = this.recordAt(i, cache);
      if (r.pcapngBlock === undefined) first = r;
    }
    let last: PacketRecord | undefined;
    for (let i = this.count - 1; i >= 0 && !last; i--) {
      const r = this.recordAt(i, cache);
      if (r.pcapngBlock === undefined) last = r;
    }
    return {
      packets: this.count,
      bytes: this.totalBytes,
      firstTime: first ? first.tsSec + first.tsNsec / 1e9 : undefined,
      lastTime: last ? last.tsSec + last.tsNsec / 1e9 : undefined,
      received,
      dropped,
    };
  }

  /** Removes the temp copy of a file source (the host stops). */
  async dispose(): Promise<void> {
    const file = this.file;
    this.file = null;
    await file?.dispose();
  }
}
