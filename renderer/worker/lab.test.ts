/**
 * The lab guide asks the worker for the lab analysis again and again while a capture grows
 * (lab.ts, LabResults): the same packets give the same analysis without analysing them again,
 * while the source's total, a new source, more packets or other options give a fresh one.
 */
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCaptureFile } from '../../core/pcap';
import { DissectionEngine } from '../../core/dissect/engine';
import * as analyze from '../../core/analysis/lab/analyze';
import { LabResults, labResult } from './lab';

const fixture = path.join(__dirname, '..', '..', 'test', 'fixtures', 'captures', 'lab', 'lab-linux-ipv4.pcap');
const records = readCaptureFile(new Uint8Array(readFileSync(fixture))).packets;
const dissectAll = () => {
  const engine = new DissectionEngine({ tree: true });
  return records.map((r) => engine.dissect(r));
};

describe('LabResults', () => {
  it('gives what labResult gives, analysing the same packets once; the total follows the source', () => {
    const packets = dissectAll();
    const results = new LabResults();
    const spy = vi.spyOn(analyze, 'analyzeLab');
    const first = results.get(1, packets, packets.length, { serverPort: 8001 });
    expect(spy).toHaveBeenCalledTimes(1);
    // A live capture went on: 1,000,000 packets, the same first ones analysed.
    const later = results.get(1, packets.slice(), 1_000_000, { serverPort: 8001 });
    expect(spy).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(first)).toBe(JSON.stringify(labResult(packets, packets.length, { serverPort: 8001 })));
    expect(later.analysis).toBe(first.analysis);
    expect([later.total, later.truncated, later.analysed]).toEqual([1_000_000, true, packets.length]);
    spy.mockRestore();
  });

  it('analyses again for more packets, other options or a new source', () => {
    const packets = dissectAll();
    const results = new LabResults();
    const first = results.get(1, packets.slice(0, 10), 10, {});
    const more = results.get(1, packets, packets.length, {});
    expect(more.analysis).not.toBe(first.analysis);
    expect(more.analysis.packetCount).toBe(packets.length);
    const hosted = results.get(1, packets, packets.length, { host: { serverUp: true } });
    expect(hosted.analysis).not.toBe(more.analysis);
    // Another source with the same generation number and count: its own packets are analysed.
    const again = dissectAll();
    const other = results.get(1, again, again.length, { host: { serverUp: true } });
    expect(other.analysis).not.toBe(hosted.analysis);
    expect(JSON.stringify(other.analysis)).toBe(JSON.stringify(hosted.analysis));
  });
});
