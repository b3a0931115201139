/**
 * The dissection worker's code, warmed while the app is idle. A fresh worker runs the load pass
 * in V8's interpreter and baseline code until V8's optimizing compilers have compiled it, and
 * they compile on the other core, beside the load. Measured in headless Chromium on the
 * benches' 2-core VM: opening the 1M-packet bench capture a second and a third time in the same
 * page took 8.35 and 7.6 s against 8.8 s the first time (the lab repeat 3.6 and 3.1 s against
 * 4.05 s), and V8's thread pool used 2.0 → 0.9 s of CPU during the load (1.4 → 0.4 s).
 *
 * So, once the worker has started and while nothing is asked of it, it dissects copies of a real
 * lab capture (warmup-sample.ts) through a table of its own, as a file's load pass and its rows
 * would, then drops that table. Each copy gets its own client ports and times, so the copies
 * are new conversations as in a class capture, not retransmissions of the first. It runs in
 * slices of a few milliseconds, only while the worker has nothing of its own to do (IdleWarmup),
 * and ends once as many real packets have been dissected: real work never waits for more than a
 * slice. A file opened before it is done gets what is warm by then.
 *
 * The first open of a page, alternately without and with it (ui.bench's load, two runs each):
 * the 1M bench capture fully loaded in 10.6 / 12.1 s → 7.96 / 8.07 s, the worker's CPU 8.6 /
 * 10.5 → 6.8 / 6.8 s, V8's thread pool's 2.9 / 2.6 → 1.7 / 1.8 s; the lab repeat in 4.02 /
 * 4.49 → 3.58 / 3.48 s. A first version fed the copies as record objects (table.append) and
 * gained little (the pool 2.7 / 2.4 → 2.3 / 2.0 s): the real load's records are read from
 * packed batches, objects of another shape, and V8 compiled again for those.
 */
import type { WireRecord } from '../../bridge/lab-api';
import { packRecords } from '../../bridge/record-batch';
import { readCaptureFile } from '../../core/pcap/reader';
import { base64ToBytes } from '../lib/base64';
import { createColorizer } from './coloring';
import { PacketTable } from './packet-table';
import { WARMUP_SAMPLE_BASE64 } from './warmup-sample';

/** Packets dissected in all: enough for V8 to optimize the load pass's functions (see the top of the file). */
export const WARMUP_PACKETS = 30_000;
/** The longest a slice runs before the worker takes its messages again. */
export const WARMUP_SLICE_MS = 8;
/** Rows read after each copy, as a progress reads the list's tail. */
const TAIL_ROWS = 30;

/** The records of the warm-up capture (Ethernet, IPv4, TCP). */
export function warmupSample(): WireRecord[] {
  return readCaptureFile(base64ToBytes(WARMUP_SAMPLE_BASE64)).packets;
}

/** Where an Ethernet frame's IPv4 TCP header starts, or -1. */
function tcpOffset(data: Uint8Array): number {
  if (data.length < 14 + 20 || data[12] !== 0x08 || data[13] !== 0x00 || data[14 + 9] !== 6) return -1;
  const tcp = 14 + (data[14] & 0x0f) * 4;
  return data.length >= tcp + 20 ? tcp : -1;
}

/** The client ports of `records`: the ports no SYN went to, in order of appearance. */
export function clientPortsOf(records: readonly WireRecord[]): number[] {
  const serverPorts = new Set<number>();
  const clientPorts: number[] = [];
  for (const { data } of records) {
    const tcp = tcpOffset(data);
    // SYN without ACK: its destination is a server.
    if (tcp >= 0 && (data[tcp + 13] & 0x12) === 0x02) serverPorts.add((data[tcp + 2] << 8) | data[tcp + 3]);
  }
  for (const { data } of records) {
    const tcp = tcpOffset(data);
    if (tcp < 0) continue;
    for (const port of [(data[tcp] << 8) | data[tcp + 1], (data[tcp + 2] << 8) | data[tcp + 3]])
      if (!serverPorts.has(port) && !clientPorts.includes(port)) clientPorts.push(port);
  }
  return clientPorts;
}

/**
 * Copy `copy` of `records`: each of their client ports made another, and the times moved past
 * the copies before. The checksums are left as they were: nothing verifies them by default,
 * and these packets are never shown.
 */
export function warmupCopy(
  records: readonly WireRecord[],
  copy: number,
  clientPorts: readonly number[] = clientPortsOf(records),
): WireRecord[] {
  const first = records[0]?.tsSec ?? 0;
  const span = (records[records.length - 1]?.tsSec ?? first) - first + 1;
  return records.map((record) => {
    const data = record.data.slice();
    const tcp = tcpOffset(data);
    if (tcp >= 0) {
      for (const at of [tcp, tcp + 2]) {
        const k = clientPorts.indexOf((data[at] << 8) | data[at + 1]);
        if (k < 0) continue;
        const port = 1024 + ((copy * clientPorts.length + k) % (65536 - 1024));
        data[at] = port >> 8;
        data[at + 1] = port & 0xff;
      }
    }
    return { ...record, data, tsSec: record.tsSec + copy * span };
  });
}

/** Dissects copies of the sample through a table of its own, slice by slice (see the top of the file). */
export class EngineWarmup {
  /** A table as a large file's (no trees kept), dropped once done. */
  private table: PacketTable | null;
  private copies = 0;
  /** The sample's client ports, found once for all its copies. */
  private readonly clientPorts: readonly number[];

  constructor(
    private readonly sample: readonly WireRecord[] = warmupSample(),
    private readonly packets = WARMUP_PACKETS,
  ) {
    const table = new PacketTable(createColorizer(), 0);
    table.reset(1);
    this.table = table;
    this.clientPorts = clientPortsOf(sample);
  }

  /** Packets dissected so far. */
  get dissected(): number {
    return this.copies * this.sample.length;
  }

  /** Dissects copies for about `budgetMs`; false once `packets` are dissected (the table is then dropped). */
  step(budgetMs: number, now: () => number = () => performance.now()): boolean {
    const table = this.table;
    if (table === null || this.sample.length === 0) return false;
    const end = now() + budgetMs;
    while (this.dissected < this.packets && now() < end) {
      // Packed, as a file's parts and a capture's batches come: records of another shape (objects,
      // table.append) taught V8 types the real load never brings, and it compiled again for those.
      table.appendBatch(1, table.received, packRecords(warmupCopy(this.sample, this.copies++, this.clientPorts)));
      table.drain();
      table.rows(Math.max(0, table.displayed - TAIL_ROWS), TAIL_ROWS);
    }
    if (this.dissected < this.packets) return true;
    this.table = null;
    return false;
  }
}

/** How the worker runs a warm-up's slices (dissect-worker.ts; fakes in tests). */
export interface WarmupScheduling {
  /** Runs a slice after the worker's pending messages (a MessageChannel in the worker). */
  later(slice: () => void): void;
  /** Whether the worker has nothing of its own to do (no packets to dissect, no file being read). */
  idle(): boolean;
  /** Runs a slice a while later: the worker was busy. */
  wait(slice: () => void): void;
  /** Whether real packets have warmed the code already (as many as the warm-up dissects): it then ends. */
  warm(): boolean;
}

/**
 * A warm-up's slices, one after another while the worker is idle: a slice waits while the
 * worker has real work (a live capture's first packets, a file being read), and the warm-up goes
 * on once it is done, so a capture started at once still finds warm code when its load comes.
 */
export class IdleWarmup {
  private current: { step(budgetMs: number): boolean } | null = null;

  constructor(private readonly scheduling: WarmupScheduling) {}

  get running(): boolean {
    return this.current !== null;
  }

  start(warmup: { step(budgetMs: number): boolean }): void {
    this.current = warmup;
    this.scheduling.later(() => this.slice(warmup));
  }

  /** No more slices. */
  stop(): void {
    this.current = null;
  }

  private slice(warmup: { step(budgetMs: number): boolean }): void {
    if (this.current !== warmup) return;
    if (this.scheduling.warm()) {
      this.current = null;
      return;
    }
    if (!this.scheduling.idle()) {
      this.scheduling.wait(() => this.slice(warmup));
      return;
    }
    let more = false;
    try {
      more = warmup.step(WARMUP_SLICE_MS);
    } catch {
      // A warm-up that fails leaves a cold start, nothing worse: the real table is not its table.
    }
    if (this.current !== warmup) return;
    if (more) this.scheduling.later(() => this.slice(warmup));
    else this.current = null;
  }
}
