/**
 * The worker's statistics pass (Statistics dialogs, Export Objects › HTTP) against what tshark 4.0
 * printed for the same captures (test/fixtures/stats, see its README): the rows the dialogs show,
 * formatted as tshark prints them, must be tshark's bytes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readCaptureFile } from '../../core/pcap';
import {
  formatConversations,
  formatEndpoints,
  formatExpertSummary,
  formatProtocolHierarchy,
  type ConversationType,
} from '../../core/stats';
import { compileDisplayFilter } from '../../core/filter';
import { DissectionEngine } from '../../core/dissect/engine';
import type { DissectedPacket } from '../../core/dissect/context';
import { DNS_CUT_SHORT, udpRecord } from '../../test/helpers/packets';
import { listCaptures } from '../../test/helpers/captures';
import { protocolsAboveTcp } from '../../test/helpers/tree-view';
import { computeStatistics, StatisticsJob } from './statistics';
import { arraySource } from './record-source';
import { conversationFilter, endpointFilter } from './conversation-filter';

const ROOT = resolve(__dirname, '../../test/fixtures');
const CAPTURES: Record<string, string> = {
  'lab-linux-ipv4.pcap': join(ROOT, 'captures/lab/lab-linux-ipv4.pcap'),
  'lab-linux-ipv6.pcap': join(ROOT, 'captures/lab/lab-linux-ipv6.pcap'),
  'lab-pipelining-ipv4.pcap': join(ROOT, 'captures/lab/lab-pipelining-ipv4.pcap'),
  'lab-null-loopback.pcap': join(ROOT, 'captures/lab/lab-null-loopback.pcap'),
  'lab-linux-any-sll2-ipv4.pcap': join(ROOT, 'captures/lab/lab-linux-any-sll2-ipv4.pcap'),
  'lab-dumpcap-lo-any.pcapng': join(ROOT, 'captures/lab/lab-dumpcap-lo-any.pcapng'),
  'zeek-http-get-gzip.pcap': join(ROOT, 'captures/public/zeek-http-get-gzip.pcap'),
  'zeek-http-cooper-grill-dvwa.pcapng': join(ROOT, 'captures/public/zeek-http-cooper-grill-dvwa.pcapng'),
  'http-media.pcap': join(ROOT, 'http/http-media.pcap'),
};
/** The one line where WireLab's dissection differs for these captures (no GIF dissector; see main/cli/stats.test.ts). */
const KNOWN: Record<string, [string, string][]> = {
  'http-media.pcap.io-phs': [
    [
      '        image-gif                        frames:1 bytes:161',
      '        media                            frames:1 bytes:161',
    ],
  ],
};
const reference = (name: string, suffix: string) => {
  let text = readFileSync(join(ROOT, 'stats', `${name}.${suffix}.txt`), 'utf8');
  for (const [tshark, ours] of KNOWN[`${name}.${suffix}`] ?? []) {
    expect(text).toContain(tshark);
    text = text.replace(tshark, ours);
  }
  return text;
};
const records = (name: string) => readCaptureFile(new Uint8Array(readFileSync(CAPTURES[name]))).packets;

describe.each(Object.keys(CAPTURES))('statistics of %s as tshark -z prints them', (name) => {
  const stats = computeStatistics(records(name));

  it.each(['eth', 'ip', 'ipv6', 'tcp', 'udp'] as ConversationType[])('conv,%s', (type) => {
    expect(formatConversations(type, stats.conversations[type], null)).toBe(reference(name, `conv-${type}`));
  });
  it.each(['ip', 'tcp', 'udp'] as ConversationType[])('endpoints,%s', (type) => {
    expect(formatEndpoints(type, stats.endpoints[type], null)).toBe(reference(name, `endpoints-${type}`));
  });
  it('io,phs', () => {
    expect(formatProtocolHierarchy(stats.hierarchy, null)).toBe(reference(name, 'io-phs'));
  });
  it('expert: every count is the number of frames listed', () => {
    expect(formatExpertSummary(stats.expert)).toBe(reference(name, 'expert'));
    for (const row of stats.expert) expect(row.frames.length).toBe(row.count);
  });
  it('--export-objects http: names and bytes', () => {
    const lines = stats.httpObjects
      .map((o) => `${createHash('sha256').update(o.data).digest('hex')}  ${o.saveName}`)
      .sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1));
    expect(lines.map((l) => l + '\n').join('')).toBe(reference(name, 'export-http'));
    for (const o of stats.httpObjects) expect(o.size).toBe(o.data.length);
  });
});

describe('worker statistics: what the dialogs do with the rows', () => {
  const list = records('lab-linux-ipv4.pcap');
  const stats = computeStatistics(list);
  /** The frame numbers a display filter keeps. */
  const matching = (text: string): number[] => {
    const compiled = compileDisplayFilter(text);
    if (!compiled.ok) throw new Error(`${text}: ${compiled.error.message}`);
    const engine = new DissectionEngine({ tree: true });
    return list
      .map((r) => engine.dissect(r))
      .filter((p) => compiled.filter(p))
      .map((p) => p.number);
  };

  it('Apply as Filter: a TCP conversation is its tcp.stream, keeping exactly its frames', () => {
    const total = stats.conversations.tcp.reduce((n, r) => n + r.framesAtoB + r.framesBtoA, 0);
    expect(total).toBe(30);
    for (const row of stats.conversations.tcp) {
      const filter = conversationFilter('tcp', row);
      expect(filter).toBe(`tcp.stream eq ${row.stream}`);
      const frames = matching(filter);
      expect(frames.length).toBe(row.framesAtoB + row.framesBtoA);
      expect(frames[0]).toBe(row.firstFrame);
    }
  });

  it('Apply as Filter: IPv4, Ethernet and endpoint filters parse and match their frames', () => {
    const ip = stats.conversations.ip[0];
    expect(conversationFilter('ip', ip)).toBe('ip.addr==127.0.0.1 && ip.addr==127.0.0.1');
    expect(matching(conversationFilter('ip', ip)).length).toBe(ip.framesAtoB + ip.framesBtoA);
    const eth = stats.conversations.eth[0];
    expect(conversationFilter('eth', eth)).toBe('eth.addr==00:00:00:00:00:00 && eth.addr==00:00:00:00:00:00');
    expect(matching(conversationFilter('eth', eth)).length).toBe(30);
    const server = stats.endpoints.tcp.find((e) => e.port === 8001);
    expect(server).toBeDefined();
    if (!server) return;
    expect(matching(endpointFilter('tcp', server.filterAddress, server.port)).length).toBe(
      server.txFrames + server.rxFrames,
    );
  });

  it('UDP and IPv6 conversations filter on ports and ipv6.addr', () => {
    const row = {
      addressA: 'fe80::1',
      portA: 5353,
      addressB: 'ff02::fb',
      portB: 5353,
      stream: null,
      framesAtoB: 1,
      bytesAtoB: 1,
      framesBtoA: 0,
      bytesBtoA: 0,
      relStart: 0,
      duration: 0,
      filterAddressA: 'fe80::1',
      filterAddressB: 'ff02::fb',
      firstFrame: null,
    };
    const filter = conversationFilter('udp', row);
    expect(filter).toBe('ipv6.addr==fe80::1 && udp.port==5353 && ipv6.addr==ff02::fb && udp.port==5353');
    expect(compileDisplayFilter(filter).ok).toBe(true);
  });

  it('capture file properties and expert frames come from the packets', () => {
    const p = stats.properties;
    expect(p.packets).toBe(30);
    expect(p.bytes).toBe(list.reduce((n, r) => n + r.originalLength, 0));
    expect(p.first).toBe(list[0].tsSec + list[0].tsNsec / 1e9);
    expect(p.linkTypes).toEqual([1]);
    const syn = stats.expert.find((e) => e.summary.startsWith('Connection establish request'));
    expect(syn?.frames).toEqual(stats.conversations.tcp.map((c) => c.firstFrame).sort((a, b) => (a ?? 0) - (b ?? 0)));
  });

  it('works in slices and reports how far it is', () => {
    const job = new StatisticsJob(arraySource(list), 3);
    let now = 0;
    let slices = 0;
    while (job.step(1, () => (now += 1))) slices++;
    expect(slices).toBeGreaterThan(0);
    expect(job.done).toBe(job.total);
    const result = job.result();
    expect(result.generation).toBe(3);
    expect(result.conversations.tcp).toEqual(stats.conversations.tcp);
  });
});

describe('the tables’ pass (Conversations, Endpoints, Capture File Properties)', () => {
  const captures = listCaptures();
  it('covers the test set', () => expect(captures.length).toBeGreaterThan(20));
  for (const capture of captures) {
    it(`gives the rows and properties the pass of every dialog gives, dissecting nothing above TCP: ${capture.id}`, () => {
      const list = readCaptureFile(new Uint8Array(readFileSync(capture.path))).packets;
      const all = computeStatistics(list, 0, 'all');
      const dissect = vi.spyOn(DissectionEngine.prototype, 'dissect');
      const tables = computeStatistics(list, 0, 'tables');
      const dissected = dissect.mock.results.map((r) => r.value as DissectedPacket);
      dissect.mockRestore();
      expect(tables.scope).toBe('tables');
      expect(tables.conversations).toEqual(all.conversations);
      expect(tables.endpoints).toEqual(all.endpoints);
      expect(tables.properties).toEqual(all.properties);
      expect([tables.hierarchy, tables.expert, tables.httpObjects]).toEqual([[], [], []]);
      // No HTTP, TLS or any other protocol above TCP was dissected for the tables.
      expect(dissected.flatMap(protocolsAboveTcp)).toEqual([]);
    });
  }
});

describe('the protocols’ pass (Protocol Hierarchy, Expert Information, and the tables)', () => {
  const captures = listCaptures();
  for (const capture of captures) {
    it(`gives the hierarchy, expert items, rows and properties the pass of every dialog gives: ${capture.id}`, () => {
      const list = readCaptureFile(new Uint8Array(readFileSync(capture.path))).packets;
      const all = computeStatistics(list, 0, 'all');
      const protocols = computeStatistics(list, 0, 'protocols');
      expect(protocols.scope).toBe('protocols');
      expect(protocols.hierarchy).toEqual(all.hierarchy);
      expect(protocols.protocolNames).toEqual(all.protocolNames);
      expect(protocols.expert).toEqual(all.expert);
      expect(protocols.conversations).toEqual(all.conversations);
      expect(protocols.endpoints).toEqual(all.endpoints);
      expect(protocols.properties).toEqual(all.properties);
      expect(protocols.httpObjects).toEqual([]);
    });
  }
  it('lists "[Packet size limited during capture]" where tshark does, from a pruned tree', () => {
    const cut = captures.filter((c) =>
      computeStatistics(readCaptureFile(new Uint8Array(readFileSync(c.path))).packets, 0, 'protocols').hierarchy.some(
        function short(n): boolean {
          return n.protocol === '_ws.short' || n.children.some(short);
        },
      ),
    );
    // The snap-length captures of the test set, at least.
    expect(cut.length).toBeGreaterThan(3);
  });
});

describe('the protocols’ pass on malformed packets', () => {
  it('lists "[Malformed Packet]" (_ws.malformed) where the pass of whole trees does', () => {
    // DNS queries that end inside their header or their first name: tshark marks both malformed.
    const records = [
      udpRecord({ ipVersion: 4, srcPort: 40000, dstPort: 53, payload: DNS_CUT_SHORT.inHeader }),
      udpRecord({ ipVersion: 4, srcPort: 40001, dstPort: 53, payload: DNS_CUT_SHORT.inName, second: 1 }),
    ];
    const all = computeStatistics(records, 0, 'all');
    const protocols = computeStatistics(records, 0, 'protocols');
    expect(protocols.hierarchy).toEqual(all.hierarchy);
    expect(protocols.expert).toEqual(all.expert);
    // As tshark 4.0's -z io,phs of these two packets: eth > ip > udp > dns > _ws.malformed, frames:2 each.
    const chain: [string, number][] = [];
    for (let level = protocols.hierarchy; level.length > 0; level = level[0].children)
      chain.push([level[0].protocol, level[0].frames]);
    expect(chain).toEqual([
      ['eth', 2],
      ['ip', 2],
      ['udp', 2],
      ['dns', 2],
      ['_ws.malformed', 2],
    ]);
    expect(protocols.expert.some((e) => e.severity === 'error' && e.frames.length === 2)).toBe(true);
  });
});
