/**
 * The records a pass over the source reads one at a time (the statistics passes, the I/O graph):
 * the worker's table makes each record object as it is read (record-store.ts) where an array of
 * a million of them, held for the whole pass, was 100+ MB that every major GC walked.
 */
import type { PacketRecord } from '../../core/pcap/types';

export interface RecordSource {
  readonly length: number;
  record(index: number): PacketRecord;
}

/** An array of records as a RecordSource (tests, and callers that have the records). */
export function arraySource(records: readonly PacketRecord[]): RecordSource {
  return { length: records.length, record: (index) => records[index] };
}
