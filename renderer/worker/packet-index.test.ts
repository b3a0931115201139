/**
 * A packet shown after its tree was dropped is re-dissected from only what it depends on
 * (packet-index.ts), and filters build trees only where their fields can be. Both must give
 * exactly what a full in-order dissection gives: checked here for every frame of every
 * capture fixture, and of captures mixing several fixtures (many streams, UDP, ICMP, IP
 * fragments, the same connection twice).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { readCaptureFile } from '../../core/pcap';
import { PCAPNG_BLOCK_LINK_TYPE, type PacketRecord } from '../../core/pcap/types';
import { DissectionEngine, readsOnlyBelowTcpPayload } from '../../core/dissect/engine';
import { copyColumns, type DissectedPacket } from '../../core/dissect/context';
import { compileDisplayFilter } from '../../core/filter';
import { listCaptures } from '../../test/helpers/captures';
import { protocolsAboveTcp } from '../../test/helpers/tree-view';
import { createColorizer } from './coloring';
import { defaultColoringRules } from '../../core/filter/coloring';
import { PacketIndex, WITNESSED_FIELDS, protocolsMayHold } from './packet-index';
import { TcpConversationTable } from '../../core/dissect/protocols/tcp/analysis';
import { DERIVED_FIELDS } from './value-sets';
import { lookupField } from '../../core/dissect/fields';
import { findFieldNodes, type ProtoNode } from '../../core/dissect/tree';
import { PacketTable, toTreeItems } from './packet-table';
import { requestFrameOf, withResponseLink } from './later-links';
import type { PacketDetail } from './worker-messages';

const fixtures = listCaptures().map((f) => ({
  name: f.id,
  records: readCaptureFile(new Uint8Array(readFileSync(f.path))).packets,
}));
const byName = (name: string) => fixtures.find((f) => f.name.endsWith(name))?.records ?? [];

/** Round-robin mix of several captures: streams interleaved, as on a busy link. */
function interleave(...captures: PacketRecord[][]): PacketRecord[] {
  const out: PacketRecord[] = [];
  for (let i = 0; out.length < captures.reduce((n, c) => n + c.length, 0); i++) {
    for (const c of captures) if (i < c.length) out.push(c[i]);
  }
  return out;
}

/** An Ethernet/IPv4 frame split into two IP fragments with identification `id`. */
function fragmented(record: PacketRecord, id: number): PacketRecord[] {
  const d = record.data;
  const ip = 14;
  const ihl = (d[ip] & 0x0f) * 4;
  const payload = d.subarray(ip + ihl, ip + ((d[ip + 2] << 8) | d[ip + 3]));
  const cut = 16;
  const part = (bytes: Uint8Array, offset: number, more: boolean): PacketRecord => {
    const out = new Uint8Array(ip + ihl + bytes.length);
    out.set(d.subarray(0, ip + ihl));
    out.set(bytes, ip + ihl);
    const view = new DataView(out.buffer);
    view.setUint16(ip + 2, ihl + bytes.length);
    view.setUint16(ip + 4, id);
    view.setUint16(ip + 6, (more ? 0x2000 : 0) | (offset / 8));
    view.setUint16(ip + 10, 0);
    let sum = 0;
    for (let i = 0; i < ihl; i += 2) sum += view.getUint16(ip + i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    view.setUint16(ip + 10, ~sum & 0xffff);
    return { ...record, data: out, originalLength: out.length };
  };
  return [part(payload.subarray(0, cut), 0, true), part(payload.subarray(cut), cut, false)];
}

/** A capture's packets with its first HTTP request sent as two IPv4 fragments. */
function withFragmentedRequest(records: PacketRecord[], id: number): PacketRecord[] {
  const get = records.findIndex((r) => new TextDecoder().decode(r.data).includes('GET /'));
  return [...records.slice(0, get), ...fragmented(records[get], id), ...records.slice(get + 1)];
}

/** The capture's client (the SYN's sender) with another initial sequence number: the same ports, a new connection. */
function withNewIsn(records: PacketRecord[], delta: number): PacketRecord[] {
  const tcpAt = (d: Uint8Array) => 14 + (d[14] & 0x0f) * 4;
  const client = new DataView(records[0].data.buffer, records[0].data.byteOffset).getUint16(tcpAt(records[0].data));
  return records.map((r) => {
    const data = r.data.slice();
    const view = new DataView(data.buffer);
    const tcp = tcpAt(data);
    const fromClient = view.getUint16(tcp) === client;
    const at = tcp + (fromClient ? 4 : 8);
    if (fromClient || data[tcp + 13] & 0x10) view.setUint32(at, (view.getUint32(at) + delta) >>> 0);
    return { ...r, data };
  });
}

/** The capture's SYN-ACK turned into a bare RST from the server, before the capture: its stream starts server-side. */
function withLeadingReset(records: PacketRecord[]): PacketRecord[] {
  const synAck = records[1];
  const data = synAck.data.slice();
  const tcp = 14 + (data[14] & 0x0f) * 4;
  data[tcp + 13] = 0x04;
  new DataView(data.buffer).setUint32(tcp + 8, 0);
  return [{ ...synAck, data, tsSec: records[0].tsSec - 1 }, ...records];
}

/** A filter applied over `records`: how many packets it dissected again, and which it shows. */
function filterDissecting(records: readonly PacketRecord[], text: string): { count: number; shown: number[] } {
  const table = tableOf(records);
  const dissect = vi.spyOn(DissectionEngine.prototype, 'dissect');
  try {
    expect(table.setFilter(text).ok).toBe(true);
    table.drain();
    return { count: dissect.mock.calls.length, shown: table.displayedIndices() };
  } finally {
    dissect.mockRestore();
  }
}

/** Whether a tree has an item of `abbrev` anywhere. */
function treeHas(nodes: readonly ProtoNode[], abbrev: string): boolean {
  return findFieldNodes(nodes, abbrev).length > 0;
}

const mixes = [
  {
    name: 'mix: lab HTTP, pipelining, zeek HTTP, IPv4 fragments, IGMP, SSH',
    records: interleave(
      byName('lab-linux-ipv4.pcap'),
      byName('lab-pipelining-ipv4.pcap'),
      byName('zeek-http-get.pcap'),
      byName('zeek-ipv4-fragmented-4.pcap'),
      byName('tcpdump-IGMP_V2.pcap'),
      byName('tcpdump-ssh.pcap'),
    ),
  },
  {
    name: 'mix: the same lab connection twice, with IPv6 and PPTP in between',
    records: [
      ...byName('lab-linux-ipv4.pcap'),
      ...interleave(
        byName('lab-linux-ipv6.pcap'),
        byName('tcpdump-pptp.pcap'),
        byName('zeek-ipv6-http-atomic-frag.pcap'),
      ),
      ...byName('lab-linux-ipv4.pcap'),
    ],
  },
  {
    name: 'mix: the lab connection, then again on the same ports (port reuse) among others',
    records: [
      ...byName('lab-linux-ipv4.pcap'),
      ...interleave(
        withNewIsn(byName('lab-linux-ipv4.pcap'), 1_000_000),
        byName('lab-pipelining-ipv4.pcap'),
        byName('zeek-http-post.pcap'),
      ),
    ],
  },
  {
    // The first stream of those ports starts with a server packet, so whether the second
    // one's SYN opens a new stream depends on packets of the first that a third stream's
    // frames do not replay: the guess is checked and corrected.
    name: 'mix: port reuse decided by packets after the first of the earlier stream',
    records: [
      ...withLeadingReset(byName('lab-linux-ipv4.pcap')),
      ...withNewIsn(byName('lab-linux-ipv4.pcap'), 1_000_000),
      ...byName('lab-pipelining-ipv4.pcap'),
    ],
  },
  {
    // Two streams' requests fragmented with the same IP identification: each reassembly must
    // be complete before the other starts, whichever stream's frame is shown.
    name: 'mix: two connections whose requests are IP fragments with the same identification',
    records: [
      ...withFragmentedRequest(byName('lab-linux-ipv4.pcap'), 0x1234),
      ...withFragmentedRequest(byName('lab-pipelining-ipv4.pcap'), 0x1234),
    ],
  },
];

/** What the detail pane shows for each frame after a full in-order dissection. */
function fullDissection(records: readonly PacketRecord[]): { details: PacketDetail[]; packets: DissectedPacket[] } {
  const engine = new DissectionEngine({ tree: true });
  const colorizer = createColorizer();
  const packets = records.map((r) => {
    const p = engine.dissect(r);
    colorizer(p);
    return p;
  });
  // The request's [Response in frame: N], as the table adds it once the response is dissected.
  const responses = new Map<number, number>();
  for (const p of packets)
    if (requestFrameOf(p) > 0 && !responses.has(requestFrameOf(p))) responses.set(requestFrameOf(p), p.number);
  const details = packets
    .map((raw, index) => ({
      p: withResponseLink(raw, responses.get(raw.number)),
      index,
    }))
    .map(({ p, index }) => ({
      index,
      number: p.number,
      tree: toTreeItems(p.tree ?? [], p.sources[0]?.data),
      sources: p.sources.map((s) => ({ name: s.name, data: s.data })),
    }));
  return { details, packets };
}

/** A table that keeps no trees, so every detail and every filter re-dissects. */
function tableOf(records: readonly PacketRecord[]): PacketTable {
  const table = new PacketTable(createColorizer(), 0);
  table.reset(1);
  table.append(1, 0, records);
  table.drain();
  return table;
}

/**
 * Applies `text` to `table` and checks that the list shows what the filter matches in a full
 * dissection's `packets`; returns the packets the table dissected again meanwhile.
 */
function applyFilter(table: PacketTable, packets: readonly DissectedPacket[], text: string): DissectedPacket[] {
  const compiled = compileDisplayFilter(text);
  if (!compiled.ok) throw new Error(compiled.error.message);
  const dissect = vi.spyOn(DissectionEngine.prototype, 'dissect');
  expect(table.setFilter(text).ok).toBe(true);
  table.drain();
  const dissected = dissect.mock.results.map((r) => r.value as DissectedPacket);
  dissect.mockRestore();
  expect(table.displayedIndices(), text).toEqual(packets.flatMap((p, i) => (compiled.filter(p) ? [i] : [])));
  return dissected;
}

/** The rows `text` shows over `records`, answered from what the load pass noted: nothing dissected again. */
function answeredFromRecord(records: readonly PacketRecord[], text: string): number[] {
  const table = tableOf(records);
  const dissect = vi.spyOn(DissectionEngine.prototype, 'dissect');
  expect(table.setFilter(text).ok).toBe(true);
  const called = dissect.mock.calls.length;
  dissect.mockRestore();
  expect(called, text).toBe(0);
  return table.displayedIndices();
}

const warn = vi.spyOn(console, 'warn');
afterEach(() => warn.mockClear());

describe('re-dissecting one packet from its dependencies', () => {
  for (const { name, records } of [...fixtures, ...mixes]) {
    it(`gives the full dissection's tree for every frame: ${name}`, () => {
      const { details } = fullDissection(records);
      const replayed = vi.spyOn(PacketIndex.prototype, 'replayed');
      // Last to first: every frame from a fresh engine.
      const backwards = tableOf(records);
      for (let i = records.length - 1; i >= 0; i--) expect(backwards.detail(i), `frame ${i + 1}`).toEqual(details[i]);
      // First to last, and jumping around: the detail engine continues where it can.
      const forwards = tableOf(records);
      for (let i = 0; i < records.length; i++) expect(forwards.detail(i), `frame ${i + 1}`).toEqual(details[i]);
      for (let k = 0; k < records.length; k++) {
        const i = (k * 7919) % records.length;
        expect(forwards.detail(i), `frame ${i + 1}`).toEqual(details[i]);
      }
      // Never by falling back to replaying everything, nor by replaying reused ports in full:
      // a plain TCP packet's stream and the streams before it on its ports are enough.
      expect(warn).not.toHaveBeenCalled();
      expect(replayed.mock.calls.filter(([, , stream, portReuse]) => stream >= 0 && portReuse)).toEqual([]);
      replayed.mockRestore();
    });
  }

  it('feeds a late frame only its own stream and the packets that are not plain TCP', () => {
    const records = mixes[0].records;
    const engine = new DissectionEngine({ tree: true });
    const colorizer = createColorizer();
    const index = new PacketIndex();
    const full = records.map((r) => {
      const p = engine.dissect(r);
      colorizer(p);
      index.note(p);
      return p;
    });
    // The last packet of the lab capture: its stream is one of many.
    const target = records.lastIndexOf(byName('lab-linux-ipv4.pcap').at(-1) as PacketRecord);
    const stream = index.streamOfPacket(target);
    expect(stream).toBeGreaterThanOrEqual(0);
    const streamOf = (p: DissectedPacket) =>
      p.tree?.find((n) => n.field?.abbrev === 'tcp')?.children?.find((n) => n.field?.abbrev === 'tcp.stream')?.value;
    const ownStream = full.slice(0, target).flatMap((p, i) => (streamOf(p) === stream ? [i] : []));
    const replayed = Array.from(index.replayed(0, target, stream, false));
    // All of its stream, nothing of the other plain TCP streams (the lab's others, pipelining, zeek's GET).
    expect(replayed.filter((i) => streamOf(full[i]) === stream)).toEqual(ownStream);
    const plainOthers = new Set(['lab-pipelining-ipv4.pcap', 'zeek-http-get.pcap'].flatMap(byName));
    expect(replayed.filter((i) => plainOthers.has(records[i]))).toEqual([]);
    expect(replayed.filter((i) => byName('lab-linux-ipv4.pcap').includes(records[i]))).toEqual(ownStream);
    // Where each stands is counted, not replayed: as many streams as the full pass opened before.
    expect(index.streamsOpenedBefore(target)).toBe(new Set(full.slice(0, target).map(streamOf)).size - 1);
  });
});

describe('re-dissecting several packets (export, the lab analysis) from their dependencies', () => {
  for (const { name, records } of [...fixtures, ...mixes]) {
    it(`gives the full dissection's packets: ${name}`, () => {
      if (records.length < 3) return;
      const { packets } = fullDissection(records);
      const table = tableOf(records);
      const view = (p: DissectedPacket) => ({
        number: p.number,
        columns: copyColumns(p.columns),
        tree: toTreeItems(p.tree ?? [], p.sources[0]?.data),
      });
      for (const wanted of [
        records.map((_, i) => i).filter((i) => i % 5 === 1),
        [records.length - 2, records.length - 1],
        [0, Math.floor(records.length / 2), records.length - 1],
      ]) {
        expect(table.packetsWithTrees(wanted).map(view), `${wanted.length} packets`).toEqual(
          wanted.map((i) => view(packets[i])),
        );
      }
      expect(warn).not.toHaveBeenCalled();
    });
  }
});

describe('filtering with trees only where the filter’s fields can be', () => {
  const filters = [
    'http.request',
    'http',
    '!(http.request)',
    'tcp.port == 8001',
    'http.request.uri contains "logo"',
    'tcp.analysis.flags',
    'tcp.stream == 1',
    'frame.len > 100 && !tcp',
    'udp || icmp || igmp',
    'ip.flags.mf == 1 || ip.frag_offset > 0',
    'frame.coloring_rule.name == "HTTP"',
    'data',
    'http.response.code == 200',
    'http.request.method == "GET" || http.response.code == 404',
    'http.request.uri contains "logo" || tcp.flags.fin == 1',
  ];
  for (const { name, records } of [...mixes, { name: 'cooper-grill', records: byName('dvwa.pcapng') }]) {
    it(`matches exactly the packets a full dissection matches: ${name}`, () => {
      const { packets } = fullDissection(records);
      const table = tableOf(records);
      for (const text of filters) {
        const compiled = compileDisplayFilter(text);
        if (!compiled.ok) throw new Error(compiled.error.message);
        const expected = packets.flatMap((p, i) => (compiled.filter(p) ? [i] : []));
        expect(table.setFilter(text).ok).toBe(true);
        table.drain();
        expect(table.displayedIndices(), text).toEqual(expected);
      }
      // Never by falling back to dissecting everything.
      expect(warn).not.toHaveBeenCalled();
    });
  }

  for (const { name, records } of mixes) {
    it(`dissects only the streams that can match, each up to its last packet that can: ${name}`, () => {
      // (A filter on header items alone would dissect nothing: see header-blocks.ts.)
      const { count, shown } = filterDissecting(records, 'http.request.full_uri contains "a"');
      // The lab capture's streams without HTTP, and the teardowns after the last response, are skipped.
      expect(count).toBeLessThan(records.length * 0.9);
      expect(count).toBeGreaterThanOrEqual(shown.length);
      expect(warn).not.toHaveBeenCalled();
    });
  }

  it('a filter on a request’s own fields re-dissects each stream up to its last request, not its last response', () => {
    const { records } = mixes[0];
    const dissected = (text: string) => filterDissecting(records, text).count;
    // Both are read from the same packets' trees; only the second can be in a response.
    expect(dissected('http.request.full_uri contains "a"')).toBeLessThan(dissected('http.file_data contains "a"'));
    expect(warn).not.toHaveBeenCalled();
  });

  it('a filter on TCP’s RTO re-dissects only the streams with a retransmission: none without one', () => {
    const dissected = filterDissecting;
    // The lab's page load has no retransmission: nothing is dissected again, nothing matches.
    const lab = byName('lab-linux-ipv4.pcap');
    expect(dissected(lab, 'tcp.analysis.rto')).toEqual({ count: 0, shown: [] });
    expect(dissected(lab, '!tcp.analysis.rto_frame').shown).toHaveLength(lab.length);
    // `tshark -r lab-dumpcap-lo-any.pcapng -Y tcp.analysis.rto`: 13 frames (on `any`, lo's
    // packets are captured twice: each second copy is a retransmission).
    const lo = byName('lab-dumpcap-lo-any.pcapng');
    const rtoFrames = (records: PacketRecord[]) =>
      fullDissection(records).packets.flatMap((p, i) => (treeHas(p.tree ?? [], 'tcp.analysis.rto') ? [i] : []));
    expect(dissected(lo, 'tcp.analysis.rto').shown).toEqual(rtoFrames(lo));
    expect(rtoFrames(lo)).toHaveLength(13);
    // Of the first mix, only SSH's stream has one (`tshark -r tcpdump-ssh.pcap -Y tcp.analysis.rto`: 1 frame).
    const { records } = mixes[0];
    const mixed = dissected(records, 'tcp.analysis.rto');
    expect(mixed.shown).toEqual(rtoFrames(records));
    expect(mixed.shown).toHaveLength(1);
    // Its IPv4 fragments and IGMP are dissected again as for any filter (they share state across
    // streams), and SSH's stream up to that frame; not the HTTP streams a filter on TCP's SEQ/ACK
    // analysis itself replays.
    expect(mixed.count).toBeLessThan(dissected(records, 'tcp.analysis').count - 40);
    expect(warn).not.toHaveBeenCalled();
  });

  // What the list noted of each packet (its protocols, HTTP requests and responses, the values
  // of value-sets.ts, its TCP numbers) answers these.
  it('answers a filter on protocols, addresses, ports, streams, flags, HTTP lines and TCP numbers at once, dissecting nothing again', () => {
    const filters = [
      'http.request',
      'http.response && !http.request',
      'dns || arp',
      '!tcp',
      'image-jfif',
      'http',
      'tcp.stream eq 1',
      'tcp.port == 8001',
      'ip.addr == 127.0.0.1 && tcp.port == 8001',
      'ip.addr != 127.0.0.1',
      '!(ip.addr == 127.0.0.1)',
      'ip.src == ip.dst',
      'ip.dst == 224.0.0.0/4',
      'count(ip.addr) > 2',
      'ipv6.addr == ::1 || ipv6.src',
      'tcp.srcport in {8001, 22, 80}',
      'udp.port == 53 || udp.stream == 0',
      'tcp.flags.syn == 1 && tcp.flags.ack == 0',
      'tcp.flags.fin == 1 || tcp.flags.reset == 1',
      'tcp.flags & 0x18 == 0x18',
      'tcp.flags.push && !tcp.flags.cwr',
      'tcp.len > 0 && !http',
      'http.request.method == "GET"',
      'http.request.uri contains "logo" || http.response.code == 404',
      'http.response.phrase == "Not Found" || http.request.version == "HTTP/1.0"',
      'http.response.code >= 200 && tcp.stream <= 2',
      'tcp.analysis.flags',
      'tcp.analysis.retransmission || tcp.analysis.fast_retransmission',
      'tcp.analysis.duplicate_ack_num > 1 && tcp.analysis.duplicate_ack_frame',
      'tcp.analysis.out_of_order || tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment',
      'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive',
      'tcp.analysis.zero_window || tcp.analysis.window_full || tcp.analysis.reused_ports',
      'ip.ttl < 64 || ip.checksum.status != 2',
      'tcp.checksum.status == 2 && udp.checksum.status',
      // Sequence and acknowledgment numbers, noted per packet (packet-numbers.ts). No dissector
      // here puts two TCP headers in one packet (one quoted in an ICMP error is shown as data),
      // so every capture's are regular; packet-numbers.test.ts checks the case where they are not.
      'tcp.seq > 1000',
      'tcp.ack == 1',
      'tcp.seq == 0 && tcp.flags.syn == 1',
      'tcp.seq > 1000 && tcp.len > 0',
      'tcp.ack',
      '!tcp.ack && ip',
      'tcp.seq >= 1 && http.request',
      'tcp.ack > tcp.seq',
      'tcp.seq in {0, 1} || tcp.stream eq 0',
      'tcp.ack >= 4294967000',
      // The next sequence number: a SYN's and a FIN's count one more than their payload.
      'tcp.nxtseq > 1000',
      'tcp.nxtseq == tcp.seq + 1 && tcp.len == 0',
      'tcp.nxtseq == 1 || !tcp.nxtseq && tcp',
      // The RTT of an ACK (a double) and the bytes in flight, noted per packet the same way.
      'tcp.analysis.ack_rtt > 0.0001',
      'tcp.analysis.ack_rtt',
      'tcp.analysis.ack_rtt <= 0.00005 && tcp.len == 0',
      'tcp.analysis.ack_rtt > 0 && http.response',
      // Exact values of lab-linux-ipv4.pcap's frames 5 and 24 (tshark: 0.001326000, 0.041271000).
      'tcp.analysis.ack_rtt == 0.001326 || tcp.analysis.ack_rtt == 0.041271',
      'tcp.analysis.bytes_in_flight > 1000',
      'tcp.analysis.bytes_in_flight == tcp.len',
      '!tcp.analysis.bytes_in_flight && tcp',
      // The rest of the SEQ/ACK analysis's numbers: the handshake's RTT that each later segment
      // with the analysis shows (lab-linux-ipv4.pcap, tshark: 0.000040000, 0.000045000,
      // 0.000036000 in its three streams), the frame an ACK acknowledges, the bytes since a PSH.
      'tcp.analysis.initial_rtt > 0.00004',
      'tcp.analysis.initial_rtt == 0.000036 || tcp.analysis.initial_rtt == 0.00004',
      '!tcp.analysis.initial_rtt && tcp.analysis.acks_frame',
      'tcp.analysis.acks_frame == 4 || tcp.analysis.acks_frame > 20',
      'tcp.analysis.acks_frame && tcp.len == 0',
      'tcp.analysis.push_bytes_sent > 1000',
      'tcp.analysis.push_bytes_sent == tcp.len && tcp.analysis.initial_rtt',
      // The window (flow control): the scaled size and the header's own value, noted the same way.
      'tcp.window_size < 65536',
      'tcp.window_size > 100000 && tcp.window_size_value < 1000',
      'tcp.window_size == tcp.window_size_value',
      'tcp.window_size == 0 || !tcp.window_size_value',
      'tcp.window_size_value >= 512 && http.request',
      // The stream's times ([Timestamps]), told by the TCP dissector the same way.
      'tcp.time_delta > 0.001',
      'tcp.time_delta == 0 && tcp',
      'tcp.time_relative > 0.5 && tcp.time_delta < 0.0002',
      'tcp.time_relative == 0 || !tcp.time_delta',
      'tcp.time_delta > tcp.analysis.ack_rtt && http.response',
    ];
    for (const { name, records } of [...fixtures, ...mixes]) {
      const { packets } = fullDissection(records);
      for (const keep of [0, 3]) {
        const table = new PacketTable(createColorizer(), keep);
        table.reset(1);
        table.append(1, 0, records);
        table.drain();
        for (const text of filters) {
          const compiled = compileDisplayFilter(text);
          if (!compiled.ok) throw new Error(compiled.error.message);
          const dissect = vi.spyOn(DissectionEngine.prototype, 'dissect');
          expect(table.setFilter(text).ok).toBe(true);
          // Complete on return: nothing left to step through.
          expect(table.busy, text).toBe(false);
          expect(dissect).not.toHaveBeenCalled();
          dissect.mockRestore();
          expect(table.displayedIndices(), `${name}: ${text} (${keep} trees kept)`).toEqual(
            packets.flatMap((p, i) => (compiled.filter(p) ? [i] : [])),
          );
        }
      }
    }
  });

  it("answers filters on HTTP's exchange numbers from what the load pass noted, or dissects where a packet holds two", () => {
    // The exchange's numbers (packet-numbers.ts, HTTP_NUMBER_FIELDS). lab-linux-ipv4.pcap, tshark:
    // responses in frames 12, 18, 21 with http.time 0.005973000, 0.000954000, 0.001098000.
    const filters = [
      'http.time > 0.001',
      'http.time == 0.000954 || http.time == 0.001098',
      'http.request_in == 10 || http.request_number == 2',
      'http.response_number >= 2 && http.prev_response_in',
      'http.prev_request_in && http.request',
      '!http.time && http.response',
    ];
    const lab = byName('lab-linux-ipv4.pcap');
    expect(answeredFromRecord(lab, 'http.time > 0.001')).toEqual([11, 20]);
    expect(answeredFromRecord(lab, 'http.request_in == 17')).toEqual([17]);
    expect(answeredFromRecord(lab, 'http.request_number == 3 || http.prev_response_in == 18')).toEqual([19, 20]);
    // Every capture and mix (pipelined requests, two in a segment, included): what a full
    // dissection matches, answered or dissected again.
    for (const { records } of [...fixtures, ...mixes]) {
      const { packets } = fullDissection(records);
      const table = tableOf(records);
      for (const text of filters) applyFilter(table, packets, text);
    }
  });

  it("notes TCP's [Timestamps] where the whole tree has them, a header too short for them included", () => {
    const lab = byName('lab-linux-ipv4.pcap');
    // Frame 10 (stream 1) with a header length of 16: its dissection stops before [Timestamps],
    // though its stream's clock ticks (frame 11's delta is from frame 10).
    const shortHeader = lab.map((record, i) => {
      if (i !== 9) return record;
      const data = record.data.slice();
      data[14 + 20 + 12] = 0x40;
      return { ...record, data };
    });
    // tshark 4.0 on lab-linux-ipv4.pcap: frame 12 at 0.008595000 in stream 1, frame 23 6.000787000 after the one before.
    expect(answeredFromRecord(lab, 'tcp.time_relative == 0.008595 || tcp.time_delta == 6.000787')).toEqual([11, 22]);
    const { packets } = fullDissection(shortHeader);
    expect(
      packets[9].tree?.some(
        (n) => n.field?.abbrev === 'tcp' && n.children?.some((c) => c.field?.abbrev === 'tcp.stream'),
      ),
    ).toBe(true);
    for (const text of ['tcp.time_delta', 'tcp && !tcp.time_relative', 'tcp.time_delta > 0.0025 && tcp.stream == 1']) {
      const compiled = compileDisplayFilter(text);
      if (!compiled.ok) throw new Error(compiled.error.message);
      const expected = packets.flatMap((p, i) => (compiled.filter(p) ? [i] : []));
      expect(answeredFromRecord(shortHeader, text), text).toEqual(expected);
    }
    expect(answeredFromRecord(shortHeader, 'tcp && !tcp.time_relative')).toEqual([9]);
  });

  // The load pass keeps the coloring rules' answers by what the index noted (coloring.ts).
  it('colours every packet as the coloring rules do on its full tree, answers kept per noted set or not', () => {
    // A retransmission (Bad TCP) and a TTL of 1 (TTL low) among packets of the same
    // conversation and direction, which share their value sets.
    const lab = byName('lab-linux-ipv4.pcap');
    const patched = (record: PacketRecord, at: number, value: number): PacketRecord => {
      const data = record.data.slice();
      data[at] = value;
      return { ...record, data };
    };
    const odd = [
      ...lab.slice(0, 6),
      lab[5],
      patched(lab[6], 14 + 8, 1),
      patched(lab[7], 14 + 20 + 17, 0),
      ...lab.slice(8),
    ];
    // Rules of a user's own besides the defaults: on a message kind's presence, on a request
    // line's value, on values of two groups (whose answers are never kept), on bytes.
    const own = [
      'http.request',
      'http.request.method == "GET" && tcp.stream == 1',
      'tcp.flags.syn == 1 && tcp.srcport > 40000',
      'tcp.len > 100 && ip.ttl == 64',
      'eth[0] & 1',
      'http.response.code == 404 || tcp.analysis.retransmission',
    ].map((filter, i) => ({ name: `own ${i}`, filter, foreground: '#000000', background: '#ffffff', enabled: true }));
    for (const rules of [defaultColoringRules, [...own, ...defaultColoringRules]]) {
      for (const { name, records } of [...fixtures, ...mixes, { name: 'lab, odd packets', records: odd }]) {
        const engine = new DissectionEngine({ tree: true });
        const colorizer = createColorizer(rules);
        const expected = records.map((r) => colorizer(engine.dissect(r))?.name);
        const table = new PacketTable(createColorizer(rules), 0);
        table.reset(1);
        table.append(1, 0, records);
        table.drain();
        expect(
          table.rows(0, records.length).map((row) => row.rule),
          `${name} (${rules.length} rules)`,
        ).toEqual(expected);
      }
    }
  });

  it('colours a capture opened after another as a fresh table does (the answers kept belong to the first capture’s sets)', () => {
    const rulesOf = (table: PacketTable, count: number) => table.rows(0, count).map((row) => row.rule);
    const differ: string[] = [];
    for (const first of ['lab-dhcp-crafted.pcap', 'lab-dumpcap-lo-any.pcapng', 'tcpdump-pptp.pcap']) {
      const table = new PacketTable(createColorizer(), 0);
      table.reset(1);
      table.append(1, 0, byName(first));
      table.drain();
      let generation = 2;
      for (const { name, records } of fixtures) {
        table.reset(generation);
        table.append(generation, 0, records);
        table.drain();
        const fresh = tableOf(records);
        if (JSON.stringify(rulesOf(table, records.length)) !== JSON.stringify(rulesOf(fresh, records.length)))
          differ.push(`${first}, then ${name}`);
        generation++;
      }
    }
    expect(differ).toEqual([]);
  });

  it('starts again dissecting everything if a packet dissected after skips disagrees with the list', () => {
    const records = mixes[0].records;
    const { packets } = fullDissection(records);
    const text = 'http.request.full_uri contains "a"';
    const compiled = compileDisplayFilter(text);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const table = tableOf(records);
    // The list's columns are what a re-dissection is checked against: one check fails, half-way.
    const check = vi.spyOn(PacketTable.prototype as unknown as { sameColumns: () => boolean }, 'sameColumns');
    let checks = 0;
    check.mockImplementation(() => ++checks !== 5);
    const dissect = vi.spyOn(DissectionEngine.prototype, 'dissect');
    expect(table.setFilter(text).ok).toBe(true);
    table.drain();
    const dissected = dissect.mock.calls.length;
    dissect.mockRestore();
    check.mockRestore();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(dissected).toBeGreaterThan(records.length);
    expect(table.displayedIndices()).toEqual(packets.flatMap((p, i) => (compiled.filter(p) ? [i] : [])));
    warn.mockClear();
  });
});

describe('filters on header items, answered from the header blocks the load pass noted', () => {
  const filters = [
    'http.user_agent contains "Mozilla"',
    'http.host',
    '!http.user_agent',
    'http.content_length > 1000',
    'http.content_type contains "image"',
    'http.cookie_pair contains "="',
    'http.authbasic',
    'http.request.line contains "Accept"',
    'http.response.line',
    'http.connection == "keep-alive" || http.server contains "Python"',
    'len(http.user_agent) > 10',
  ];
  const withHttp = fixtures.filter(({ records }) =>
    records.some((r) => new TextDecoder('latin1').decode(r.data).includes('HTTP/1.')),
  );
  // The mixes hold headers reassembled from TCP segments (the lab's JPEG response) and from IP
  // fragments, pipelined messages, and the same ports reused.
  for (const { name, records } of [...mixes, ...withHttp]) {
    it(`match exactly what a full dissection matches, dissecting nothing again: ${name}`, () => {
      const { packets } = fullDissection(records);
      const table = tableOf(records);
      for (const text of filters) expect(applyFilter(table, packets, text), text).toEqual([]);
    });
  }

  it('a filter on a header and on anything else still re-dissects (what the blocks cannot answer)', () => {
    const { records } = mixes[0];
    const { packets } = fullDissection(records);
    const table = tableOf(records);
    const text = 'http.user_agent && tcp.len > 100';
    const compiled = compileDisplayFilter(text);
    if (!compiled.ok) throw new Error(compiled.error.message);
    const dissect = vi.spyOn(DissectionEngine.prototype, 'dissect');
    table.setFilter(text);
    table.drain();
    expect(dissect).toHaveBeenCalled();
    dissect.mockRestore();
    expect(table.displayedIndices()).toEqual(packets.flatMap((p, i) => (compiled.filter(p) ? [i] : [])));
  });
});

describe('filters on the frame’s own items, answered by dissecting the frame layer alone', () => {
  const filters = [
    'frame.len > 100',
    'frame contains "HTTP"',
    'frame.time_relative > 0.5',
    'frame.number >= 3 && frame.cap_len < 200',
    'frame.time_delta > 0.1',
    '!(frame.len == 60)',
    'frame[0:2] == 00:00',
    'frame.comment',
    'frame.encap_type == 1',
  ];
  for (const { name, records } of [...mixes, ...fixtures]) {
    it(`match exactly what a full dissection matches: ${name}`, () => {
      const { packets } = fullDissection(records);
      const table = tableOf(records);
      for (const text of filters) {
        // No layer past the frame (a pcapng block shown as a frame is its own).
        const layers = applyFilter(table, packets, text).flatMap((p) =>
          p.record.linkType === PCAPNG_BLOCK_LINK_TYPE ? [] : p.protocols,
        );
        expect(new Set(layers), text).toEqual(new Set(records.length > 0 ? ['frame'] : []));
      }
    });
  }
});

describe('filters below TCP’s payload, re-dissected without the layers above TCP', () => {
  // (Not the window alone, nor ack_rtt: the load pass notes those, packet-numbers.ts.)
  const filters = [
    'tcp.window_size_scalefactor < 128 && tcp.window_size < 65536',
    'tcp.window_size_scalefactor == 128 || tcp.window_size_value > 1000',
    'tcp.hdr_len > 20 && ip.len > 100',
    'tcp.options.mss_val',
    'tcp.payload && tcp.urgent_pointer == 0',
    'tcp.analysis.ack_rtt > 0.001 && tcp.hdr_len > 20',
    'ipv6.hlim < 255 && tcp.window_size_value',
    'icmp.type == 3 || (udp && tcp.window_size)',
    'tcp.checksum != 0 && frame.len > 60',
    // The SEQ/ACK analysis as a whole: each stream's own state, replayed from its start.
    'tcp.analysis && tcp.time_delta > 0.001',
  ];
  for (const { name, records } of [...mixes, ...fixtures]) {
    it(`match exactly what a full dissection matches: ${name}`, () => {
      const { packets } = fullDissection(records);
      const table = tableOf(records);
      for (const text of filters) {
        const dissected = applyFilter(table, packets, text);
        expect(dissected.flatMap(protocolsAboveTcp), text).toEqual([]);
        // Each is one the index cannot answer: this path, not the noted values, gave the rows.
        if (mixes.some((mix) => mix.name === name)) expect(dissected.length, text).toBeGreaterThan(0);
      }
    });
  }

  it('a filter that reads a protocol above TCP too is re-dissected with it', () => {
    const records = byName('lab-linux-ipv4.pcap');
    const dissected = applyFilter(tableOf(records), fullDissection(records).packets, 'tcp.hdr_len > 20 && http');
    expect(dissected.flatMap(protocolsAboveTcp)).toContain('http');
  });

  it('takes only fields that no layer above TCP makes', () => {
    expect(readsOnlyBelowTcpPayload(['tcp.window_size', 'ip.ttl', 'frame.len', 'eth.src', 'udp.port'])).toBe(true);
    for (const field of [
      'http.request',
      'tcp.reassembled_in',
      'tcp.segment',
      'tcp.segments',
      'tcp.pdu.size',
      'frame.protocols',
      'frame.coloring_rule.name',
      '_ws.malformed',
      '_ws.col.info',
      'data',
      'tls',
      'dns.qry.name',
    ])
      expect(readsOnlyBelowTcpPayload(['tcp.window_size', field]), field).toBe(false);
    expect(readsOnlyBelowTcpPayload([])).toBe(false);
  });
});

describe('filters on TCP’s header alone, re-dissected without TCP’s conversations', () => {
  // Each reads an item the load pass does not note (the ports, flags, length and window it does,
  // packet-numbers.ts, value-sets.ts): these rows come from a re-dissection.
  const filters = [
    'tcp.hdr_len > 20 && ip.len > 100',
    'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.hdr_len >= 32',
    'tcp.len > 0 && tcp.flags.push == 0 && tcp.urgent_pointer == 0',
    'tcp.flags.str contains "F" && tcp.ack_raw != 0',
    'tcp.seq_raw > 1000000 && tcp.ack_raw != 0',
    'tcp.checksum != 0 && frame.len > 60',
    'ipv6.hlim < 255 && tcp.hdr_len',
    'tcp.urgent_pointer == 0 && tcp.checksum.status == 2 && tcp.len == 0',
  ];
  for (const { name, records } of [...mixes, ...fixtures]) {
    it(`match exactly what a full dissection matches, with no conversation made: ${name}`, () => {
      const { packets } = fullDissection(records);
      const table = tableOf(records);
      const conversations = vi.spyOn(TcpConversationTable.prototype, 'create');
      try {
        for (const text of filters) {
          const dissected = applyFilter(table, packets, text);
          expect(conversations, text).not.toHaveBeenCalled();
          if (mixes.some((mix) => mix.name === name)) expect(dissected.length, text).toBeGreaterThan(0);
        }
      } finally {
        conversations.mockRestore();
      }
    });
  }
});

describe('Find Packet by display filter, with what filtering uses', () => {
  const filters = [
    'http.user_agent contains "Mozilla"',
    'frame contains "logo"',
    'tcp.seq > 1000',
    'http.request.full_uri contains "logo"',
    'tcp.analysis.retransmission',
    'http.response.code == 404',
  ];
  const find = (table: PacketTable, text: string, from: number, backward = false) =>
    table.search({ kind: 'filter', text, where: 'list', caseSensitive: false, from, backward })?.index ?? null;
  for (const { name, records } of mixes) {
    it(`finds the next and the previous match of a full dissection, and Find Next dissects nothing again: ${name}`, () => {
      const { packets } = fullDissection(records);
      const table = tableOf(records);
      const middle = Math.floor(records.length / 2);
      for (const text of filters) {
        const compiled = compileDisplayFilter(text);
        if (!compiled.ok) throw new Error(compiled.error.message);
        const matches = packets.flatMap((p, i) => (compiled.filter(p) ? [i] : []));
        const dissect = vi.spyOn(DissectionEngine.prototype, 'dissect');
        expect(find(table, text, -1), text).toBe(matches[0] ?? null);
        // At most one pass of re-dissection (not each packet from its stream's start).
        expect(dissect.mock.calls.length, text).toBeLessThanOrEqual(records.length);
        dissect.mockClear();
        expect(find(table, text, middle), text).toBe(matches.find((i) => i > middle) ?? matches[0] ?? null);
        expect(find(table, text, middle, true), text).toBe(
          matches.findLast((i) => i < middle) ?? matches[matches.length - 1] ?? null,
        );
        expect(dissect, text).not.toHaveBeenCalled();
        dissect.mockRestore();
      }
      // Started again after a disagreement, with the search's own fields (not the list's filter's).
      table.setFilter('tcp.port == 8001');
      const check = vi.spyOn(PacketTable.prototype as unknown as { sameColumns: () => boolean }, 'sameColumns');
      let checks = 0;
      check.mockImplementation(() => ++checks !== 3);
      const text = 'http.request.full_uri contains "log"';
      const compiled = compileDisplayFilter(text);
      if (!compiled.ok) throw new Error(compiled.error.message);
      expect(find(table, text, -1)).toBe(packets.findIndex((p) => compiled.filter(p)));
      check.mockRestore();
      warn.mockClear();
      table.setFilter('');
      // A request's later response link is in its detail only: found packet by packet, as shown.
      const request = find(table, 'http.response_in', -1);
      expect(request).not.toBeNull();
      expect(packets[request ?? 0].tree?.some((n) => n.field?.abbrev === 'http')).toBe(true);
      expect(warn).not.toHaveBeenCalled();
    });
  }
});

describe('the load pass, with trees pruned to what the list reads', () => {
  for (const { name, records } of [...fixtures, ...mixes]) {
    it(`gives the rows and colours of a full in-order dissection: ${name}`, () => {
      const { packets } = fullDissection(records);
      const colorizer = createColorizer();
      const expected = packets.map((p) => ({
        number: p.number,
        source: p.columns.source,
        destination: p.columns.destination,
        protocol: p.columns.protocol,
        info: p.columns.info,
        rule: colorizer(p)?.name,
      }));
      // Trees kept for none (all pruned) and for the first few (the switch in the middle).
      for (const keep of [0, 3]) {
        const table = new PacketTable(createColorizer(), keep);
        table.reset(1);
        table.append(1, 0, records);
        table.drain();
        const rows = table.rows(0, records.length).map((r) => ({
          number: r.number,
          source: r.source,
          destination: r.destination,
          protocol: r.protocol,
          info: r.info,
          rule: r.rule,
        }));
        expect(rows, `${keep} trees kept`).toEqual(expected);
      }
    });
  }

  it('filters over every fixture match what a full dissection matches (fields another protocol adds too)', () => {
    const filters = [
      'bootp',
      'ip.version == 4',
      'mptcp',
      'http.request',
      'tcp.analysis.flags',
      'icmpv6',
      '_ws.malformed',
      // Witnessed by the retransmission flag (WITNESSED_FIELDS).
      'tcp.analysis.rto',
      'tcp.analysis.rto_frame > 0 || http.response.code == 404',
      '!tcp.analysis.rto',
    ];
    for (const { name, records } of fixtures) {
      const { packets } = fullDissection(records);
      const table = tableOf(records);
      for (const text of filters) {
        const compiled = compileDisplayFilter(text);
        if (!compiled.ok) throw new Error(compiled.error.message);
        expect(table.setFilter(text).ok).toBe(true);
        table.drain();
        expect(table.displayedIndices(), `${name}: ${text}`).toEqual(
          packets.flatMap((p, i) => (compiled.filter(p) ? [i] : [])),
        );
      }
    }
  });

  // Live capture: Start Lab applies `tcp.port == N` before the first packet, and a filter typed
  // while a file loads applies to what is still to come; both are tested on the load pass's trees.
  it('a filter set before or while packets arrive shows what a full dissection matches, past the kept trees', () => {
    const filters = [
      'tcp.port == 8001',
      'http.request',
      'http.response.code == 404',
      'tcp.flags.fin == 1',
      'image-jfif',
      // Answered from the header blocks noted before it was set, then from the load pass's trees.
      'http.user_agent contains "Mozilla"',
      // Witnessed (WITNESSED_FIELDS), set before or while the retransmissions arrive.
      'tcp.analysis.rto',
    ];
    for (const { name, records } of [...fixtures, ...mixes]) {
      const { packets } = fullDissection(records);
      for (const text of filters) {
        const compiled = compileDisplayFilter(text);
        if (!compiled.ok) throw new Error(compiled.error.message);
        const expected = packets.flatMap((p, i) => (compiled.filter(p) ? [i] : []));
        for (const keep of [0, 3]) {
          for (const setAt of [0, Math.floor(records.length / 2)]) {
            const table = new PacketTable(createColorizer(), keep);
            table.reset(1);
            table.append(1, 0, records.slice(0, setAt));
            table.drain();
            expect(table.setFilter(text).ok).toBe(true);
            table.append(1, setAt, records.slice(setAt));
            table.drain();
            expect(table.displayedIndices(), `${name}: ${text} (${keep} trees kept, set at ${setAt})`).toEqual(
              expected,
            );
          }
        }
      }
    }
  });

  it('an HTTP request’s or response’s own field is only in a complete packet’s tree with http.request or http.response (what relevantPackets relies on)', () => {
    const strays: string[] = [];
    for (const { name, records } of [...fixtures, ...mixes]) {
      for (const p of fullDissection(records).packets) {
        const present = new Set<string>();
        const walk = (nodes: readonly ProtoNode[]) => {
          for (const node of nodes) {
            if (node.field) present.add(node.field.abbrev);
            if (node.children) walk(node.children);
          }
        };
        walk(p.tree ?? []);
        // Cut short or malformed, a dissection may stop half-way (tshark's does too).
        if (p.malformed || p.record.data.length < p.record.originalLength) continue;
        for (const abbrev of present) {
          for (const kind of ['http.request', 'http.response'])
            if (abbrev.startsWith(kind + '.') && !present.has(kind))
              strays.push(`${name} frame ${p.number}: ${abbrev}`);
        }
      }
    }
    expect(strays.slice(0, 10)).toEqual([]);
  });

  it('a witnessed field is only in a complete packet’s tree with its witness (what relevantPackets relies on)', () => {
    const strays: string[] = [];
    let seen = 0;
    for (const { name, records } of [...fixtures, ...mixes]) {
      for (const p of fullDissection(records).packets) {
        if (p.malformed || p.record.data.length < p.record.originalLength) continue;
        for (const [field, witness] of Object.entries(WITNESSED_FIELDS)) {
          if (!treeHas(p.tree ?? [], field)) continue;
          seen++;
          if (!treeHas(p.tree ?? [], witness)) strays.push(`${name} frame ${p.number}: ${field} without ${witness}`);
        }
      }
    }
    expect(strays.slice(0, 10)).toEqual([]);
    // The fixtures have them (lab-dumpcap-lo-any, tcpdump-pptp…): the check is not vacuous.
    expect(seen).toBeGreaterThan(20);
  });

  it('a field is in a tree only with its protocol among the packet’s protocols (what relevantShapes relies on)', () => {
    const strays: string[] = [];
    for (const { name, records } of [...fixtures, ...mixes]) {
      for (const p of fullDissection(records).packets) {
        const protocols = new Set(p.protocols);
        const walk = (nodes: readonly ProtoNode[]) => {
          for (const node of nodes) {
            const abbrev = node.field?.abbrev;
            if (abbrev !== undefined && !protocolsMayHold(protocols, abbrev))
              strays.push(`${name} frame ${p.number}: ${abbrev} (protocols ${p.protocols.join(':')})`);
            if (node.children) walk(node.children);
          }
        };
        walk(p.tree ?? []);
      }
    }
    expect(strays.slice(0, 10)).toEqual([]);
    // And the other way round: a protocol's field is not taken for another's.
    expect(protocolsMayHold(new Set(['frame', 'eth', 'ip', 'tcp']), 'http.request')).toBe(false);
    expect(protocolsMayHold(new Set(['frame', 'eth', 'ip', 'udp', 'dhcp']), 'bootp.type')).toBe(true);
  });

  it('a derived field is in a tree exactly beside the recorded one, with its value or bit (what DERIVED_FIELDS relies on)', () => {
    const wrong: string[] = [];
    let derivedSeen = 0;
    for (const { name, records } of [...fixtures, ...mixes]) {
      for (const p of fullDissection(records).packets) {
        const occurrences = new Map<string, unknown[]>();
        const walk = (nodes: readonly ProtoNode[]) => {
          for (const node of nodes) {
            const abbrev = node.field?.abbrev;
            if (abbrev !== undefined) occurrences.set(abbrev, [...(occurrences.get(abbrev) ?? []), node.value]);
            if (node.children) walk(node.children);
          }
        };
        walk(p.tree ?? []);
        const expected = new Map<string, unknown[]>();
        for (const [from, derivedFields] of Object.entries(DERIVED_FIELDS)) {
          for (const value of occurrences.get(from) ?? []) {
            for (const field of derivedFields) {
              const bit = lookupField(field)?.bitmask;
              const derived = bit === undefined ? value : ((value as number) & bit) !== 0;
              expected.set(field, [...(expected.get(field) ?? []), derived]);
            }
          }
        }
        for (const field of new Set(Object.values(DERIVED_FIELDS).flat())) {
          const actual = occurrences.get(field) ?? [];
          derivedSeen += actual.length;
          const key = (values: unknown[]) => values.map((v) => String(v)).sort();
          if (JSON.stringify(key(actual)) !== JSON.stringify(key(expected.get(field) ?? [])))
            wrong.push(`${name} frame ${p.number}: ${field} ${key(actual)} ≠ ${key(expected.get(field) ?? [])}`);
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(derivedSeen).toBeGreaterThan(1000);
  });
});
