/** The I/O graph's counts against tshark 4.0's `-z io,stat,1` (test/fixtures/stats/NAME.io-stat-1.txt). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../../core/pcap';
import { compileDisplayFilter } from '../../core/filter';
import { DissectionEngine } from '../../core/dissect/engine';
import { IoGraphJob } from './io-graph';

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
  const job = new IoGraphJob(list, interval, predicate);
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
    expect(() => new IoGraphJob(list, 0, null)).toThrow(/interval/);
  });
});
