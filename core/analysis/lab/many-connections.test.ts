/**
 * The lab guide's analysis of a capture with many connections (a page reloaded many times, a
 * load test): every packet's tree is read a bounded number of times, however many streams the
 * analysis looks up. It used to walk every tree once per connection (scenario checks, Follow
 * HTTP Stream per connection), and 3,000 connections held the dissection worker for minutes.
 * The capture is the bench's generator (bench/lib/make-capture.mjs): lab-like connections of 14
 * packets each (handshake, GET / and GET /logo.jpg, teardown).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKETS_PER_CONNECTION, writeBenchCapture } from '../../../bench/lib/make-capture.mjs';
import type { DissectedPacket } from '../../dissect/context';
import { DissectionEngine } from '../../dissect/engine';
import { readCaptureFile } from '../../pcap/reader';
import { analyzeLab } from './analyze';
import { explainLab, OVERVIEW_CONNECTIONS } from './explain';
import { packetListFacts } from './facts';
import { buildFlowGraph } from './flow-graph';
import { analyzeScenario } from './scenarios';
import { LISTED_AT_MOST } from './scenarios/context';
import { streamFacts } from './stream';

const CONNECTIONS = 120;
const dir = mkdtempSync(join(tmpdir(), 'wirelab-many-connections-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function dissect(): DissectedPacket[] {
  const path = join(dir, 'many.pcap');
  writeBenchCapture(path, CONNECTIONS * PACKETS_PER_CONNECTION);
  const { info, packets } = readCaptureFile(new Uint8Array(readFileSync(path)));
  const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces });
  return packets.map((record) => engine.dissect(record));
}

/** The packets, each counting how often its tree is read. */
function counting(packets: readonly DissectedPacket[]): { packets: DissectedPacket[]; reads: () => number } {
  let reads = 0;
  const wrapped = packets.map((packet) => {
    const copy = { ...packet };
    Object.defineProperty(copy, 'tree', {
      get: () => {
        reads++;
        return packet.tree;
      },
    });
    return copy;
  });
  return { packets: wrapped, reads: () => reads };
}

describe(`lab analysis of ${CONNECTIONS} connections`, () => {
  const packets = dissect();

  it('finds every connection and its two exchanges', () => {
    const analysis = analyzeLab(packets, { serverPort: 8001 });
    expect(analysis.connections).toHaveLength(CONNECTIONS);
    expect(analysis.connections.every((c) => c.transactions.length === 2)).toBe(true);
  });

  it('the overview names the first connections and counts the others, in both languages', () => {
    const analysis = analyzeLab(packets, { serverPort: 8001 });
    const overview = (lang: 'en' | 'zh-CN') =>
      explainLab(analysis, lang).sections.find((s) => s.id === 'overview')?.paragraphs[0]?.text ?? '';
    const en = overview('en');
    expect(en.match(/connection \d+ \(browser port \d+,/g)).toHaveLength(OVERVIEW_CONNECTIONS);
    expect(en).toContain(`connection ${analysis.mainStream} (browser port`);
    const rest = CONNECTIONS - OVERVIEW_CONNECTIONS;
    expect(en).toContain(`and ${rest} more (${rest} carried HTTP requests, 0 unused, 0 data, not HTTP)`);
    const zh = overview('zh-CN');
    expect(zh.match(/连接 \d+（浏览器端口 \d+，/g)).toHaveLength(OVERVIEW_CONNECTIONS);
    expect(zh).toContain(`以及另外 ${rest} 条连接（${rest} 条承载 HTTP 请求，0 条未使用，0 条有数据但不是 HTTP）`);
  });

  it('describes every connection by default, or as many as asked and counts the others', () => {
    const analysis = analyzeLab(packets, { serverPort: 8001 });
    const sectionsOf = (lang: 'en' | 'zh-CN', connectionsDescribed?: number) =>
      explainLab(analysis, lang, { connectionsDescribed }).sections;
    const perConnection = (sections: { id: string }[]) => sections.filter((s) => /^connection-\d+$/.test(s.id));
    expect(perConnection(sectionsOf('en'))).toHaveLength(CONNECTIONS - 1);
    expect(sectionsOf('en').some((s) => s.id === 'more-connections')).toBe(false);
    // Six in all: the page's connection and the first five others.
    const few = sectionsOf('en', 6);
    expect(perConnection(few)).toHaveLength(5);
    // The page's connection keeps its own sections; 5 others have HTTP sections too.
    expect(few.filter((s) => s.id.startsWith('http-'))).toHaveLength(6);
    const more = CONNECTIONS - 1 - 5;
    expect(few.find((s) => s.id === 'more-connections')?.paragraphs[0].text).toBe(
      `${more} more connections are not described one by one here.`,
    );
    expect(sectionsOf('zh-CN', 6).find((s) => s.id === 'more-connections')?.paragraphs[0].text).toBe(
      `另有 ${more} 条连接未在此逐一说明。`,
    );
    // Without a page's connection (no request for the page), as many others as asked.
    const noPage = explainLab({ ...analysis, mainStream: null }, 'en', { connectionsDescribed: 6 }).sections;
    expect(perConnection(noPage)).toHaveLength(6);
    expect(noPage.find((s) => s.id === 'more-connections')?.paragraphs[0].text).toBe(
      `${CONNECTIONS - 6} more connections are not described one by one here.`,
    );
  });

  it('reads each tree a bounded number of times, not once per connection', () => {
    const { packets: watched, reads } = counting(packets);
    const analysis = analyzeLab(watched, { serverPort: 8001 });
    buildFlowGraph(watched, { analysis });
    const scenario = analyzeScenario(watched, analysis);
    expect(scenario.scenario).toBeTruthy();
    // Walking each tree once per connection would be CONNECTIONS reads a packet.
    expect(reads() / watched.length).toBeLessThan(8);
  });

  it('the scenario names the first items of its long lists and counts the rest, in both languages', () => {
    const analysis = analyzeLab(packets, { serverPort: 8001 });
    const scenario = analyzeScenario(packets, analysis, { scenario: 'embedded-objects' });
    const objects = scenario.checks.find((c) => c.id === 'objects')?.text;
    // Every connection asks for the same logo: one URI with its count, not the URI 120 times.
    expect(objects?.en).toBe(
      `After the page came ${CONNECTIONS} GET requests for its embedded images: /logo.jpg ×${CONNECTIONS}`,
    );
    expect(objects?.['zh-CN']).toBe(`页面之后又有 ${CONNECTIONS} 个 GET 请求嵌入的图片：/logo.jpg ×${CONNECTIONS}`);
    const rest = CONNECTIONS - LISTED_AT_MOST;
    const explanation = scenario.explanation[0]?.text;
    expect(explanation?.en).toContain(`(connection: requests 0: 2, 1: 2, 2: 2,`);
    expect(explanation?.en).toContain(`11: 2, and ${rest} more)`);
    expect(explanation?.['zh-CN']).toContain(`11: 2……（另有 ${rest} 个））`);
    const where = scenario.questions.find((q) => q.id === 'connections')?.where;
    expect(where?.en).toBe(`Distinct tcp.stream values: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, and ${rest} more`);
  });

  it('gives each stream the same facts as a walk over every packet', () => {
    const facts = packetListFacts(packets);
    expect(facts.all.length).toBe(packets.length);
    for (const stream of [0, 1, CONNECTIONS - 1]) {
      const expected = facts.all.filter((f) => f.stream === stream);
      expect(expected).toHaveLength(PACKETS_PER_CONNECTION);
      expect(streamFacts(packets, stream)).toEqual(expected);
    }
    expect(streamFacts(packets, CONNECTIONS + 5)).toEqual([]);
  });

  it('sees packets added to a list it looked at before', () => {
    const growing = packets.slice(0, PACKETS_PER_CONNECTION);
    expect(packetListFacts(growing).byStream.size).toBe(1);
    growing.push(...packets.slice(PACKETS_PER_CONNECTION, 3 * PACKETS_PER_CONNECTION));
    expect(packetListFacts(growing).byStream.size).toBe(3);
    expect(streamFacts(growing, 2)).toHaveLength(PACKETS_PER_CONNECTION);
  });
});
