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
import { explainLab } from '../../core/analysis/lab/explain';
import { LabResults, labResult, labResultForViews, type WholeLabResult } from './lab';
import { ALL_LAB_VIEWS, GUIDE_CONNECTIONS, type LabViews } from './worker-messages';

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
    const whole = labResult(packets, packets.length, { serverPort: 8001 });
    expect(JSON.stringify(first)).toBe(JSON.stringify(labResultForViews(whole, ALL_LAB_VIEWS)));
    expect(later.analysis).toEqual(first.analysis);
    expect([later.total, later.truncated, later.analysed]).toEqual([1_000_000, true, packets.length]);
    spy.mockRestore();
  });

  it('analyses again for more packets, other options or a new source', () => {
    const packets = dissectAll();
    const results = new LabResults();
    const spy = vi.spyOn(analyze, 'analyzeLab');
    results.get(1, packets.slice(0, 10), 10, {});
    const more = results.get(1, packets, packets.length, {});
    expect(spy).toHaveBeenCalledTimes(2);
    expect(more.analysis.packetCount).toBe(packets.length);
    const hosted = results.get(1, packets, packets.length, { host: { serverUp: true } });
    expect(spy).toHaveBeenCalledTimes(3);
    // Another source with the same generation number and count: its own packets are analysed.
    const again = dissectAll();
    const other = results.get(1, again, again.length, { host: { serverUp: true } });
    expect(spy).toHaveBeenCalledTimes(4);
    expect(spy.mock.calls[3][0]).toBe(again);
    expect(JSON.stringify(other.analysis)).toBe(JSON.stringify(hosted.analysis));
    spy.mockRestore();
  });
});

describe('a lab result for the views that read it', () => {
  it('carries the arrows only for the flow graph and the points only for the time–sequence graph', () => {
    const packets = dissectAll();
    const results = new LabResults();
    const all = results.get(1, packets, packets.length, { serverPort: 8001 });
    const guide = results.get(1, packets, packets.length, {
      serverPort: 8001,
      views: { flowGraph: false, timeSequence: false, allConnections: false },
    });
    expect(all.views).toEqual(ALL_LAB_VIEWS);
    expect(all.graph.arrows.length).toBeGreaterThan(0);
    expect(all.analysis.connections.some((c) => c.timeSequence.length > 0)).toBe(true);
    // The guide's result: no arrows and no points, and everything else the guide reads as it was.
    expect(guide.views).toEqual({ flowGraph: false, timeSequence: false, allConnections: false });
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
      views: { flowGraph: true, timeSequence: false, allConnections: false },
    });
    expect(flow.graph.arrows).toEqual(all.graph.arrows);
    expect(flow.analysis.connections.every((c) => c.timeSequence.length === 0)).toBe(true);
    const tcptrace = results.get(1, packets, packets.length, {
      serverPort: 8001,
      views: { flowGraph: false, timeSequence: true, allConnections: false },
    });
    expect(tcptrace.graph.arrows).toEqual([]);
    expect(tcptrace.analysis.connections.map((c) => c.timeSequence)).toEqual(
      all.analysis.connections.map((c) => c.timeSequence),
    );
  });
});

describe("the guide's result of a capture with many connections", () => {
  // The fixture's analysis with 40 more connections (copies of its first, streams 1000…): a load
  // test's many connections, for what the result carries of them.
  const many = (): WholeLabResult => {
    const whole = labResult(dissectAll(), records.length, { serverPort: 8001 });
    const model = whole.analysis.connections[0];
    const extra = Array.from({ length: 40 }, (_, i) => ({ ...model, stream: 1000 + i, notes: [] }));
    return { ...whole, analysis: { ...whole.analysis, connections: [...extra, ...whole.analysis.connections] } };
  };
  const guideViews: LabViews = { flowGraph: false, timeSequence: false, allConnections: false };

  it("carries the page's connection and the first others, GUIDE_CONNECTIONS in all, and explains the whole analysis", () => {
    const whole = many();
    const { analysis } = whole;
    const guide = labResultForViews(whole, guideViews);
    expect(guide.connectionCount).toBe(analysis.connections.length);
    const streams = guide.analysis.connections.map((c) => c.stream);
    expect(streams).toHaveLength(GUIDE_CONNECTIONS);
    // The page's connection comes after the 40 copies in the analysis's order, and is carried.
    expect(analysis.mainStream).not.toBeNull();
    expect(streams).toContain(analysis.mainStream);
    expect(streams.filter((s) => s !== analysis.mainStream)).toEqual(
      analysis.connections
        .filter((c) => c.stream !== analysis.mainStream)
        .slice(0, GUIDE_CONNECTIONS - 1)
        .map((c) => c.stream),
    );
    // Each carried connection as the analysis has it, but for its time–sequence points.
    for (const c of guide.analysis.connections) {
      const own = analysis.connections.find((o) => o.stream === c.stream);
      expect(c).toEqual({ ...own, timeSequence: [] });
    }
    expect('transactions' in guide.analysis).toBe(false);
    // The explanation is of the whole analysis, in both languages, describing the connections carried.
    for (const lang of ['en', 'zh-CN'] as const)
      expect(guide.explanation[lang]).toEqual(explainLab(analysis, lang, { connectionsDescribed: GUIDE_CONNECTIONS }));
    expect(guide.explanation.en.sections.map((s) => s.id)).toContain('more-connections');
    expect(JSON.stringify(guide.explanation.en)).toContain(`${analysis.connections.length} TCP connections`);
  });

  it('carries and describes every connection for "Show all", and every one for the time–sequence graph', () => {
    const whole = many();
    const { analysis } = whole;
    const all = labResultForViews(whole, { ...guideViews, allConnections: true });
    expect(all.analysis.connections.map((c) => c.stream)).toEqual(analysis.connections.map((c) => c.stream));
    expect(all.explanation.en).toEqual(explainLab(analysis, 'en'));
    expect(all.explanation.en.sections.map((s) => s.id)).not.toContain('more-connections');
    const tcptrace = labResultForViews(whole, { ...guideViews, timeSequence: true });
    expect(tcptrace.analysis.connections.map((c) => c.timeSequence)).toEqual(
      analysis.connections.map((c) => c.timeSequence),
    );
    // The guide's explanation still describes its first cards only.
    expect(tcptrace.explanation.en).toEqual(explainLab(analysis, 'en', { connectionsDescribed: GUIDE_CONNECTIONS }));
  });

  it('is a small part of the whole result', () => {
    const whole = many();
    const guide = labResultForViews(whole, guideViews);
    const everything = labResultForViews(whole, ALL_LAB_VIEWS);
    expect(JSON.stringify(guide.analysis.connections).length * 2).toBeLessThan(
      JSON.stringify(everything.analysis.connections).length,
    );
  });
});
