/**
 * The host's packet store: the records of the current source (a live capture or an opened
 * file), in arrival order. A live capture's records are also on disk in the capture's temp
 * pcapng (written by the capture backend), so this store is what the UI reads, not the only copy.
 */
import type { PacketRecord } from '../../core/pcap/types';
import type { CaptureStatistics, PacketsEvent } from '../../bridge/lab-api';
import { packRecords } from '../../bridge/record-batch';

export class PacketStore {
  private records: PacketRecord[] = [];
  private totalBytes = 0;
  /** Changes whenever the store is replaced by a new source, so listeners can reset. */
  generation = 0;

  get size(): number {
    return this.records.length;
  }

  /** Starts a new source; returns its generation. */
  reset(): number {
    this.records = [];
    this.totalBytes = 0;
    return ++this.generation;
  }

  /** Appends records and returns the batch event describing them. */
  append(batch: readonly PacketRecord[]): PacketsEvent {
    const firstIndex = this.records.length;
    for (const record of batch) {
      this.records.push(record);
      this.totalBytes += record.originalLength;
    }
    return { generation: this.generation, firstIndex, batch: packRecords(batch) };
  }

  slice(from: number, count: number): PacketsEvent {
    const records = this.records.slice(from, from + count);
    return { generation: this.generation, firstIndex: from, batch: packRecords(records) };
  }

  /** The records at the given indices (all when absent), skipping indices out of range. */
  select(indices?: readonly number[]): PacketRecord[] {
    if (!indices) return this.records.slice();
    return indices.filter((i) => i >= 0 && i < this.records.length).map((i) => this.records[i]);
  }

  statistics(received: number, dropped: number): CaptureStatistics {
    // pcapng block frames (Custom Blocks) have no time: the span is that of the packets.
    const first = this.records.find((r) => r.pcapngBlock === undefined);
    const last = this.records.findLast((r) => r.pcapngBlock === undefined);
    return {
      packets: this.records.length,
      bytes: this.totalBytes,
      firstTime: first ? first.tsSec + first.tsNsec / 1e9 : undefined,
      lastTime: last ? last.tsSec + last.tsNsec / 1e9 : undefined,
      received,
      dropped,
    };
  }
}
