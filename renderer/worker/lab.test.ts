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

describe('a lab result for the views that read it', () => {
  it('carries the arrows only for the flow graph and the points only for the time–sequence graph', () => {
    const packets = dissectAll();
    const results = new LabResults();
    const all = results.get(1, packets, packets.length, { serverPort: 8001 });
    const guide = results.get(1, packets, packets.length, {
      serverPort: 8001,
      views: { flowGraph: false, timeSequence: false },
    });
    expect(all.views).toEqual({ flowGraph: true, timeSequence: true });
    expect(all.graph.arrows.length).toBeGreaterThan(0);
    expect(all.analysis.connections.some((c) => c.timeSequence.length > 0)).toBe(true);
    // The guide's result: no arrows and no points, and everything else the guide reads as it was.
    expect(guide.views).toEqual({ flowGraph: false, timeSequence: false });
    expect(guide.graph.arrows).toEqual([]);
    expect(guide.analysis.connections.every((c) => c.timeSequence.length === 0)).toBe(true);
    const withoutPoints = (result: typeof all) => ({
      ...result,
      views: null,
      graph: { ...result.graph, arrows: [] },
      analysis: {
        ...result.analysis,
        connections: result.analysis.connections.map((c) => ({ ...c, timeSequence: [] })),
      },
    });
    expect(JSON.stringify(withoutPoints(guide))).toBe(JSON.stringify(withoutPoints(all)));
    expect(JSON.stringify(guide).length).toBeLessThan(JSON.stringify(all).length);
    // Each view gets its own list, from the same analysis (the guide's ask cut no list short).
    const flow = results.get(1, packets, packets.length, {
      serverPort: 8001,
      views: { flowGraph: true, timeSequence: false },
    });
    expect(flow.graph.arrows).toEqual(all.graph.arrows);
    expect(flow.analysis.connections.every((c) => c.timeSequence.length === 0)).toBe(true);
    const tcptrace = results.get(1, packets, packets.length, {
      serverPort: 8001,
      views: { flowGraph: false, timeSequence: true },
    });
    expect(tcptrace.graph.arrows).toEqual([]);
    expect(tcptrace.analysis.connections.map((c) => c.timeSequence)).toEqual(
      all.analysis.connections.map((c) => c.timeSequence),
    );
  });
});
