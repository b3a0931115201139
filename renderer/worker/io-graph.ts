/**
 * Statistics › I/O Graph: packets and bytes per interval of frame.time_relative (as tshark's
 * `-z io,stat,INTERVAL[,FILTER]`), optionally only the packets a display filter keeps. Without a
 * filter only the records' times and lengths are read; with one, every packet is dissected
 * with its tree in slices (`step`) by a fresh engine. Pure: unit-tested directly.
 */
import { DissectionEngine } from '../../core/dissect/engine';
import type { PacketPredicate } from '../../core/filter';
import type { PacketRecord } from '../../core/pcap/types';

export { IO_INTERVALS, type IoGraphResult } from './io-graph-intervals';
import type { IoGraphResult } from './io-graph-intervals';

const time = (r: PacketRecord) => r.tsSec + r.tsNsec / 1e9;

export class IoGraphJob {
  private next = 0;
  private readonly engine: DissectionEngine | null;
  private readonly packets: number[];
  private readonly bytes: number[];
  private counted = 0;
  private readonly first: number;
  private readonly duration: number;

  constructor(
    private readonly records: readonly PacketRecord[],
    readonly interval: number,
    private readonly filter: { text: string; predicate: PacketPredicate } | null,
  ) {
    if (!(interval > 0)) throw new Error(`I/O graph: the interval must be more than 0 (got ${interval})`);
    this.engine = filter ? new DissectionEngine({ tree: true }) : null;
    // pcapng Custom Blocks have no time stamp: the clock runs from the first record that has one.
    const timed = records.filter((r) => !r.pcapngBlock);
    this.first = timed.length > 0 ? time(timed[0]) : 0;
    let last = this.first;
    for (const r of timed) last = Math.max(last, time(r));
    this.duration = last - this.first;
    const buckets = Math.min(1_000_000, this.bucket(this.duration) + 1);
    this.packets = new Array<number>(records.length > 0 ? buckets : 0).fill(0);
    this.bytes = new Array<number>(this.packets.length).fill(0);
  }

  /** The bucket of a time relative to the first packet (µs precision, as tshark's io,stat). */
  private bucket(relative: number): number {
    const us = Math.round(relative * 1e6);
    return Math.max(0, Math.floor(us / Math.round(this.interval * 1e6)));
  }

  get total(): number {
    return this.records.length;
  }
  get done(): number {
    return this.next;
  }

  step(budgetMs: number, now: () => number = () => performance.now()): boolean {
    const deadline = now() + budgetMs;
    while (this.next < this.records.length) {
      const record = this.records[this.next++];
      let keep = true;
      if (this.engine && this.filter) {
        try {
          keep = this.filter.predicate(this.engine.dissect(record));
        } catch {
          keep = false;
        }
      }
      if (keep) {
        const at = record.pcapngBlock ? 0 : time(record) - this.first;
        const b = Math.min(this.packets.length - 1, this.bucket(at));
        this.packets[b]++;
        this.bytes[b] += record.originalLength;
        this.counted++;
      }
      if ((this.next & 63) === 0 && now() >= deadline) break;
    }
    return this.next < this.records.length;
  }

  result(): IoGraphResult {
    return {
      interval: this.interval,
      filter: this.filter?.text ?? '',
      packets: this.packets.slice(),
      bytes: this.bytes.slice(),
      counted: this.counted,
      duration: this.duration,
    };
  }
}
