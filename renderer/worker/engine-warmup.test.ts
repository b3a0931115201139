/**
 * The dissection worker's warm-up (engine-warmup.ts): its capture is the lab fixture it names,
 * its copies are new conversations (no retransmissions, no reused ports), it stops at its
 * packets and when real work stops it, and it leaves nothing behind in what a real table shows.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { packRecords } from '../../bridge/record-batch';
import { readCaptureFile } from '../../core/pcap/reader';
import { base64ToBytes } from '../lib/base64';
import { createColorizer } from './coloring';
import { EngineWarmup, IdleWarmup, WARMUP_SLICE_MS, warmupCopy, warmupSample } from './engine-warmup';
import { PacketTable } from './packet-table';
import { WARMUP_SAMPLE_BASE64, WARMUP_SAMPLE_SOURCE } from './warmup-sample';

const tcpPorts = (data: Uint8Array) => {
  const tcp = 14 + (data[14] & 0x0f) * 4;
  return [(data[tcp] << 8) | data[tcp + 1], (data[tcp + 2] << 8) | data[tcp + 3]];
};

/** A table of `copies` copies of the sample, as the warm-up fills its own. */
function tableOfCopies(copies: number): PacketTable {
  const table = new PacketTable(createColorizer(), 0);
  table.reset(1);
  for (let copy = 0; copy < copies; copy++)
    table.appendBatch(1, table.received, packRecords(warmupCopy(warmupSample(), copy)));
  table.drain();
  return table;
}

function shown(table: PacketTable, filter: string): number {
  expect(table.setFilter(filter).ok, filter).toBe(true);
  table.drain();
  return table.displayed;
}

describe('the warm-up of the dissection code', () => {
  it('dissects the lab capture it names (scripts/make-warmup-sample.mjs)', () => {
    expect(base64ToBytes(WARMUP_SAMPLE_BASE64)).toEqual(new Uint8Array(readFileSync(WARMUP_SAMPLE_SOURCE)));
    expect(warmupSample()).toHaveLength(readCaptureFile(readFileSync(WARMUP_SAMPLE_SOURCE)).packets.length);
  });

  it('copies are new conversations: other client ports, later times, the same bytes otherwise', () => {
    const sample = warmupSample();
    const [a, b] = [warmupCopy(sample, 0), warmupCopy(sample, 1)];
    const clientPorts = (records: typeof a) =>
      new Set(records.flatMap((r) => tcpPorts(r.data)).filter((port) => port !== 8001));
    expect([...clientPorts(a)].some((port) => clientPorts(b).has(port))).toBe(false);
    expect(clientPorts(b).size).toBe(clientPorts(a).size);
    for (let i = 0; i < sample.length; i++) {
      expect(b[i].tsSec).toBeGreaterThan(a[a.length - 1].tsSec);
      expect(b[i].tsNsec).toBe(a[i].tsNsec);
      const tcp = 14 + (a[i].data[14] & 0x0f) * 4;
      // Only the two ports differ.
      const differs = [...a[i].data].flatMap((byte, at) => (byte === b[i].data[at] ? [] : [at]));
      expect(differs.every((at) => at >= tcp && at < tcp + 4)).toBe(true);
      expect(tcpPorts(a[i].data).includes(8001)).toBe(tcpPorts(b[i].data).includes(8001));
    }
    // The sample itself is untouched.
    expect(sample.map((r) => tcpPorts(r.data))).toEqual(warmupSample().map((r) => tcpPorts(r.data)));
  });

  it('three copies show three times what one shows: no retransmission, no reused port', () => {
    const one = tableOfCopies(1);
    const three = tableOfCopies(3);
    expect(three.received).toBe(3 * one.received);
    for (const filter of [
      'tcp.analysis.flags',
      'tcp.flags.syn == 1 && tcp.flags.ack == 0',
      'http.request',
      'http.response.code == 404',
    ])
      expect(shown(three, filter), filter).toBe(3 * shown(one, filter));
    expect(shown(three, 'tcp.analysis.reused_ports || tcp.analysis.retransmission')).toBe(0);
  });

  it('runs in slices of the budget and stops at its packets, its table dropped', () => {
    let clock = 0;
    const now = () => clock++; // each look at the clock: a millisecond later
    const warmup = new EngineWarmup(warmupSample(), 300);
    let slices = 0;
    while (warmup.step(3, now)) slices++;
    expect(warmup.dissected).toBeGreaterThanOrEqual(300);
    expect(warmup.dissected).toBeLessThan(300 + warmupSample().length);
    expect(slices).toBeGreaterThan(2);
    expect(warmup.step(3, now)).toBe(false);
  });

  it('leaves nothing behind: a table made after it shows what one made before it showed', () => {
    const bytes = readFileSync('test/fixtures/captures/lab/lab-dumpcap-lo-any.pcapng');
    const rowsOf = () => {
      const table = new PacketTable(createColorizer(), 0);
      table.reset(1);
      const records = readCaptureFile(bytes).packets;
      table.append(1, 0, records);
      table.drain();
      return { rows: table.rows(0, records.length), detail: table.detail(records.length - 1) };
    };
    const before = rowsOf();
    new EngineWarmup(warmupSample(), 3000).step(60_000);
    expect(rowsOf()).toEqual(before);
  });
});

describe('its slices, while the worker is idle', () => {
  /** A worker's scheduling: slices queued in order; busy and warm as the test sets them. */
  function worker() {
    const state = { busy: false, warm: false, waited: 0 };
    const queued: (() => void)[] = [];
    const scheduling = {
      later: (slice: () => void) => void queued.push(slice),
      idle: () => !state.busy,
      wait: (slice: () => void) => {
        state.waited++;
        queued.push(slice);
      },
      warm: () => state.warm,
    };
    const runAll = (most = 100) => {
      for (let i = 0; i < most && queued.length > 0; i++) queued.shift()?.();
    };
    return { state, queued, scheduling, runAll };
  }

  it('runs slices of WARMUP_SLICE_MS while the warm-up has more, then ends', () => {
    const { queued, scheduling, runAll } = worker();
    const budgets: number[] = [];
    const idle = new IdleWarmup(scheduling);
    idle.start({ step: (budget) => (budgets.push(budget), budgets.length < 3) });
    expect(idle.running).toBe(true);
    runAll();
    expect(budgets).toEqual([WARMUP_SLICE_MS, WARMUP_SLICE_MS, WARMUP_SLICE_MS]);
    expect(idle.running).toBe(false);
    expect(queued).toHaveLength(0);
  });

  it('waits while the worker is busy, goes on once it is idle, ends once real packets warmed the code', () => {
    const { state, scheduling, runAll } = worker();
    let steps = 0;
    const idle = new IdleWarmup(scheduling);
    idle.start({ step: () => (steps++, true) });
    runAll(1);
    expect(steps).toBe(1);
    state.busy = true;
    runAll(5);
    expect(steps).toBe(1);
    expect(state.waited).toBe(5);
    state.busy = false;
    runAll(2);
    expect(steps).toBe(3);
    state.warm = true;
    runAll();
    expect(steps).toBe(3);
    expect(idle.running).toBe(false);
  });

  it('stop ends it before its next slice; a warm-up that throws ends quietly', () => {
    const { queued, scheduling, runAll } = worker();
    let steps = 0;
    const idle = new IdleWarmup(scheduling);
    idle.start({ step: () => (steps++, true) });
    runAll(1);
    idle.stop();
    runAll();
    expect(steps).toBe(1);
    expect(idle.running).toBe(false);

    idle.start({
      step: () => {
        throw new Error('out of memory');
      },
    });
    expect(() => runAll()).not.toThrow();
    expect(idle.running).toBe(false);
    expect(queued).toHaveLength(0);
  });
});
