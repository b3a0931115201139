/** The I/O graph's counts against tshark 4.0's `-z io,stat,1` (test/fixtures/stats/NAME.io-stat-1.txt). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../core/pcap';
import { compileDisplayFilter } from '../../core/filter';
import { DissectionEngine } from '../../core/dissect/engine';
import { IoGraphJob, MAX_IO_INTERVALS } from './io-graph';
import { arraySource } from './record-source';
import { PacketTable } from './packet-table';
import { createColorizer } from './coloring';
import type { PacketRecord } from '../../core/pcap/types';

const ROOT = resolve(__dirname, '../../test/fixtures');
const CAPTURES: Record<string, string> = {
  'lab-linux-ipv4.pcap': join(ROOT, 'captures/lab/lab-linux-ipv4.pcap'),
  'lab-null-loopback.pcap': join(ROOT, 'captures/lab/lab-null-loopback.pcap'),
  'lab-pipelining-ipv4.pcap': join(ROOT, 'captures/lab/lab-pipelining-ipv4.pcap'),
  'http-media.pcap': join(ROOT, 'http/http-media.pcap'),
};
const records = (name: string) => readCaptureFile(new Uint8Array(readFileSync(CAPTURES[name]))).packets;

/** Frames and bytes of each interval row tshark printed. */
function tsharkRows(name: string): { frames: number; bytes: number }[] {
  const text = readFileSync(join(ROOT, 'stats', `${name}.io-stat-1.txt`), 'utf8');
  return [...text.matchAll(/^\|\s*[\d.]+ <>\s*(?:[\d.]+|Dur)\s*\|\s*(\d+) \|\s*(\d+) \|$/gm)].map((m) => ({
    frames: Number(m[1]),
    bytes: Number(m[2]),
  }));
}

function run(list: ReturnType<typeof records>, interval: number, filter: string | null) {
  let predicate = null;
  if (filter !== null) {
    const compiled = compileDisplayFilter(filter);
    if (!compiled.ok) throw new Error(compiled.error.message);
    predicate = { text: filter, predicate: compiled.filter };
  }
  const job = new IoGraphJob(arraySource(list), interval, predicate);
  while (job.step(1_000)) {
    /* keep going */
  }
  return job.result();
}

describe.each(Object.keys(CAPTURES))('I/O graph of %s', (name) => {
  it('1 s intervals: tshark -z io,stat,1 frames and bytes', () => {
    const expected = tsharkRows(name);
    expect(expected.length).toBeGreaterThan(0);
    const result = run(records(name), 1, null);
    expect(result.packets.map((frames, i) => ({ frames, bytes: result.bytes[i] }))).toEqual(expected);
  });
});

describe('I/O graph with a display filter', () => {
  it('counts only the packets the filter keeps, in the same intervals', () => {
    const list = records('lab-linux-ipv4.pcap');
    const all = run(list, 1, null);
    const http = run(list, 1, 'http');
    const engine = new DissectionEngine({ tree: true });
    const compiled = compileDisplayFilter('http');
    if (!compiled.ok) throw new Error('http must compile');
    const httpFrames = list.map((r) => engine.dissect(r)).filter((p) => compiled.filter(p));
    expect(http.counted).toBe(httpFrames.length);
    expect(http.packets.reduce((a, b) => a + b, 0)).toBe(httpFrames.length);
    expect(http.bytes.reduce((a, b) => a + b, 0)).toBe(httpFrames.reduce((n, p) => n + p.record.originalLength, 0));
    expect(http.packets.length).toBe(all.packets.length);
    for (let i = 0; i < all.packets.length; i++) expect(http.packets[i]).toBeLessThanOrEqual(all.packets[i]);
    expect(http.counted).toBeLessThan(all.counted);
  });

  it('finer intervals split the same totals; a zero interval is refused', () => {
    const list = records('lab-linux-ipv4.pcap');
    const fine = run(list, 0.01, null);
    expect(fine.packets.length).toBe(Math.floor(fine.duration / 0.01) + 1);
    expect(fine.packets.reduce((a, b) => a + b, 0)).toBe(list.length);
    expect(() => new IoGraphJob(arraySource(list), 0, null)).toThrow(/interval/);
  });
});

/** The lab capture five times over, each 100 s after the one before (a connection's ports come back). */
function repeated(): PacketRecord[] {
  const one = records('lab-linux-ipv4.pcap');
  return Array.from({ length: 5 }, (_, copy) => one.map((r) => ({ ...r, tsSec: r.tsSec + 100 * copy }))).flat();
}

/** The worker's way: the table's records, and the filter's matches as the list's filter finds them. */
function runOnTable(list: readonly PacketRecord[], interval: number, filter: string) {
  const table = new PacketTable(createColorizer(), 0);
  table.reset(1);
  table.append(1, 0, list);
  table.drain();
  const compiled = compileDisplayFilter(filter);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const source = table.receivedSource();
  const search = table.matchSearch(filter, compiled);
  const job = new IoGraphJob(source, interval, { text: filter, predicate: compiled.filter }, search);
  let slices = 0;
  // Slices of no time at all: the search and the count go on from where they stopped.
  let clock = 0;
  while (job.step(0, () => clock++)) slices++;
  return { result: job.result(), searched: search !== null, slices };
}

describe("I/O graph with a filter, from the list's filter passes", () => {
  // Noted by the load pass (http, tcp.stream, tcp.time_delta, tcp.analysis.initial_rtt), needing
  // TCP's state (the SEQ/ACK analysis itself, the analysis flags), the frame layer alone, header lines, and one
  // only a packet's detail has (response_in).
  const FILTERS = [
    'http',
    'http.request.method == "GET"',
    'http.response.code == 404',
    'tcp.time_delta > 0.001',
    'tcp.analysis.initial_rtt > 0.00003',
    'tcp.analysis && tcp.len > 100',
    'tcp.analysis.ack_rtt > 0.00005 || tcp.analysis.retransmission',
    'frame.len > 100',
    'http.host contains "127"',
    'tcp.stream == 1 && tcp.flags.fin == 1',
    'http.response_in',
  ];
  for (const name of ['lab-linux-ipv4.pcap', 'lab-pipelining-ipv4.pcap', 'http-media.pcap', 'repeated']) {
    it(`equals every packet dissected with its whole tree: ${name}`, () => {
      const list = name === 'repeated' ? repeated() : records(name);
      for (const filter of FILTERS) {
        for (const interval of [0.01, 1]) {
          const whole = run(list, interval, filter);
          const { result, searched, slices } = runOnTable(list, interval, filter);
          expect(result, `${filter} in ${interval} s intervals`).toEqual(whole);
          expect(searched).toBe(filter !== 'http.response_in');
          // Slices of no time: a search that re-dissects, and the count, stop every 64 packets.
          if (name === 'repeated' && filter.startsWith('tcp.analysis && ')) expect(slices).toBeGreaterThanOrEqual(3);
        }
      }
      // Filters that keep something and filters that keep nothing.
      expect(run(list, 1, 'http').counted).toBeGreaterThan(0);
      expect(run(list, 1, 'http.response.code == 404').counted).toBeLessThan(run(list, 1, 'http').counted);
    });
  }

  it('a new source ends a search that was still running', () => {
    const list = repeated();
    const table = new PacketTable(createColorizer(), 0);
    table.reset(1);
    table.append(1, 0, list);
    table.drain();
    const compiled = compileDisplayFilter('tcp.analysis && tcp.len > 100');
    if (!compiled.ok) throw new Error('must compile');
    const search = table.matchSearch('tcp.analysis && tcp.len > 100', compiled);
    let clock = 0;
    expect(search?.step(0, () => clock++)).toBe(true);
    table.reset(2);
    expect(() => search?.step(0, () => clock++)).toThrow(/capture changed/);
  });
});

describe('I/O graph of more intervals than it holds', () => {
  /** Packets a second apart over `seconds` seconds, from 1,700,000,000 s. */
  const spread = (seconds: number, every = 1): PacketRecord[] =>
    Array.from({ length: Math.floor(seconds / every) + 1 }, (_, i) => ({
      data: new Uint8Array(60),
      originalLength: 60 + (i % 7),
      tsSec: 1_700_000_000 + i * every,
      tsNsec: 0,
      interfaceId: 0,
      linkType: 1,
    }));

  it('stops at MAX_IO_INTERVALS, as Wireshark stops at its limit: later packets are not counted, and told', () => {
    // 2,000 s in 1 ms intervals: two million intervals, of which the graph holds the first million.
    const list = spread(2000, 10);
    const result = run(list, 0.001, null);
    expect(result.packets).toHaveLength(MAX_IO_INTERVALS);
    const inGraph = list.filter((r) => r.tsSec - 1_700_000_000 < 1000);
    expect(result.counted).toBe(inGraph.length);
    expect(result.beyond).toBe(list.length - inGraph.length);
    expect(result.packets.reduce((a, b) => a + b, 0)).toBe(inGraph.length);
    expect(result.bytes.reduce((a, b) => a + b, 0)).toBe(inGraph.reduce((n, r) => n + r.originalLength, 0));
    // The last interval holds its own packets only (none: 999.999 s is not a multiple of 10 s).
    expect(result.packets[MAX_IO_INTERVALS - 1]).toBe(0);
    expect(result.duration).toBe(2000);
  });

  it('a capture within the limit counts every packet and says none are beyond it', () => {
    const list = spread(999);
    const result = run(list, 0.001, null);
    expect(result.packets).toHaveLength(999_001);
    expect(result.beyond).toBe(0);
    expect(result.counted).toBe(list.length);
  });
});
