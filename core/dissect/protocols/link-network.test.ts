/**
 * Link and network layers (and the small protocols) against tshark 4.0.17's view of the
 * capture fixtures: columns, frame.protocols, and the -V text of the layers owned here.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

import { readCaptureFile } from '../../pcap/reader';
import { DissectionEngine } from '../engine';
import type { DissectedPacket } from '../context';
import { formatTreeText } from '../print';
import { findFieldNodes } from '../tree';
import { formatFieldValue } from '../tree';
import fc from 'fast-check';
import type { PacketRecord } from '../../pcap/types';
import { tcpRecord } from '../../../test/helpers/packets';

const ROOT = join(__dirname, '../../../test/fixtures/captures');
const REF = join(ROOT, 'dissect');
const MINE = new Set(['ARP', 'ICMP', 'ICMPv6', 'IGMPv2', 'IGMPv1', 'IGMPv3', 'UDP', 'DNS', 'MDNS', 'IPv4', 'IPv6']);
/** frame.protocols entries produced by the layers owned here. */
const MY_PROTOCOLS = new Set([
  'eth',
  'ethertype',
  'vlan',
  'null',
  'sll',
  'raw',
  'ip',
  'ipv6',
  'ipv6.hopopts',
  'ipv6.dstopts',
  'ipv6.routing',
  'ipv6.fraghdr',
  'arp',
  'icmp',
  'icmpv6',
  'igmp',
  'udp',
  'dns',
  'mdns',
  'gre',
  'data',
]);

/** Protocol names our layers pass to ctx.call (a bug there would be reported under these). */
const MY_PROTOCOL_NAMES = new Set([
  'Ethernet',
  'VLAN',
  'Null/Loopback',
  'SLL',
  'Raw',
  'IPv4',
  'IPv6',
  'ARP',
  'RARP',
  'ICMP',
  'ICMPv6',
  'IGMP',
  'UDP',
  'DNS',
  'MDNS',
  'GRE',
]);

function captureFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['lab', 'public']) {
    for (const name of readdirSync(join(ROOT, dir))) {
      if (/\.(pcap|pcapng)$/.test(name)) out.push(`${dir}/${name}`);
    }
  }
  return out.sort();
}

function load(file: string): { packets: DissectedPacket[]; records: PacketRecord[] } {
  const { info, packets: records } = readCaptureFile(new Uint8Array(readFileSync(join(ROOT, file))));
  const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces, format: info.format });
  return { packets: records.map((r) => engine.dissect(r)), records };
}

function tsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  const header = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** Source/Destination from tshark's summary line, given the known Protocol column. */
function summaryAddresses(line: string, protocol: string, length: string): [string, string] | null {
  const idx = line.indexOf(` ${protocol} ${length} `);
  if (idx < 0) return null;
  const head = line.slice(0, idx).trim().split(/\s+/);
  // No. Time Src → Dst
  if (head.length >= 5 && head[3] === '→') return [head[2], head[4]];
  return null;
}

describe('columns for packets whose top layer is dissected here', () => {
  for (const file of captureFiles()) {
    const ref = join(ROOT, `${file}.tshark.tsv`);
    if (!existsSync(ref)) continue;
    it(file, () => {
      const rows = tsv(ref);
      const summary = readFileSync(join(ROOT, `${file}.tshark.txt`), 'utf8').split('\n');
      const { packets } = load(file);
      let checked = 0;
      for (const row of rows) {
        if (!MINE.has(row['_ws.col.Protocol'])) continue;
        const n = Number(row['frame.number']);
        const packet = packets.find((p) => p.number === n);
        if (!packet) continue;
        expect({ n, protocol: packet.columns.protocol, info: packet.columns.info }).toEqual({
          n,
          protocol: row['_ws.col.Protocol'],
          info: row['_ws.col.Info'],
        });
        const addrs = summaryAddresses(summary[n - 1] ?? '', row['_ws.col.Protocol'], row['frame.len']);
        if (addrs)
          expect({ n, src: packet.columns.source, dst: packet.columns.destination }).toEqual({
            n,
            src: addrs[0],
            dst: addrs[1],
          });
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(0);
    });
  }
});

describe('frame.protocols up to the layers dissected here', () => {
  for (const file of captureFiles()) {
    const ref = join(ROOT, `${file}.tshark.frame.tsv`);
    if (!existsSync(ref)) continue;
    it(file, () => {
      const rows = tsv(ref);
      const { packets } = load(file);
      for (const row of rows) {
        const n = Number(row['frame.number']);
        const packet = packets.find((p) => p.number === n);
        if (!packet) continue;
        const expected = row['frame.protocols'].split(':');
        const ours = packet.protocols.filter((p) => !p.startsWith('_ws.'));
        // Compare the prefix made of our protocols (TCP and above belong to other modules).
        const prefix = (list: string[]) => {
          const out: string[] = [];
          for (const p of list) {
            if (p === 'frame') continue;
            if (!MY_PROTOCOLS.has(p)) break;
            out.push(p);
          }
          return out.join(':');
        };
        let mine = prefix(ours).split(':');
        const theirs = prefix(expected).split(':');
        // Where tshark has a dissector we do not (DHCP, PPP), we show Data: compare up to there.
        if (mine[mine.length - 1] === 'data' && theirs[mine.length - 1] !== 'data') mine = mine.slice(0, -1);
        expect({ n, protocols: mine.join(':') }).toEqual({ n, protocols: theirs.join(':') });
      }
    });
  }
});

/** Top-level sections of a -V text (a heading line and its indented lines). */
function sections(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    if (!line.startsWith(' ')) out.push(line);
    else if (out.length) out[out.length - 1] += '\n' + line;
  }
  return out;
}

const MY_HEADINGS = [
  'Frame ',
  'Ethernet II',
  'IEEE 802.3 Ethernet',
  '802.1Q Virtual LAN',
  'Null/Loopback',
  'Linux cooked capture',
  'Raw packet data',
  'Internet Protocol Version 4',
  'Internet Protocol Version 6',
  'Address Resolution Protocol',
  'Internet Group Management Protocol',
  'Internet Control Message Protocol',
  'User Datagram Protocol',
  'Domain Name System',
  'Generic Routing Encapsulation',
];

describe('tshark -V text of the layers dissected here', () => {
  const refs = readdirSync(REF).filter((n) => n.endsWith('.txt'));
  const byFile = new Map<string, number[]>();
  for (const name of refs) {
    const m = /^(.*)\.tshark\.V\.(\d+)\.txt$/.exec(name);
    if (!m) continue;
    byFile.set(m[1], [...(byFile.get(m[1]) ?? []), Number(m[2])]);
  }
  for (const [base, frames] of byFile) {
    const file = existsSync(join(ROOT, 'lab', base)) ? `lab/${base}` : `public/${base}`;
    it(`${base} frames ${frames.join(',')}`, () => {
      const { packets } = load(file);
      for (const n of frames) {
        const expected = sections(readFileSync(join(REF, `${base}.tshark.V.${n}.txt`), 'utf8'));
        const ours = sections(formatTreeText(packets[n - 1].tree ?? []));
        let compared = 0;
        for (const section of expected) {
          const heading = MY_HEADINGS.find((h) => section.startsWith(h));
          if (!heading) continue;
          const mine =
            ours.find((s) => s.startsWith(heading) && s.split('\n')[0] === section.split('\n')[0]) ??
            ours.find((s) => s.startsWith(heading));
          // frame.protocols is checked above (its tail names protocols other modules dissect).
          const norm = (t: string) => t.replace(/\n {4}\[Protocols in frame: [^\]]*\]/, '');
          expect(`#${n}\n${norm(mine ?? '(missing)')}`).toBe(`#${n}\n${norm(section)}`);
          compared++;
        }
        expect(compared).toBeGreaterThan(1);
      }
    });
  }
});

describe('hidden fields for filters', () => {
  it('ip.addr / ip.host / eth.addr / udp.port / ipv6.addr are present', () => {
    const v4 = load('lab/lab-linux-ipv4.pcap').packets[0].tree ?? [];
    const values = (tree: typeof v4, abbrev: string) =>
      findFieldNodes(tree, abbrev).map((n) => (n.field ? formatFieldValue(n.field, n.value) : ''));
    expect(values(v4, 'ip.addr')).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(values(v4, 'ip.host')).toEqual(['127.0.0.1', '127.0.0.1']);
    expect(values(v4, 'ip.src_host')).toEqual(['127.0.0.1']);
    expect(values(v4, 'eth.addr')).toEqual(['00:00:00:00:00:00', '00:00:00:00:00:00']);
    expect(findFieldNodes(v4, 'ip.addr').every((n) => n.hidden)).toBe(true);
    const dns = load('public/zeek-pcapng-multi-interface.pcapng').packets[0].tree ?? [];
    expect(values(dns, 'udp.port')).toEqual(['36343', '53']);
    expect(values(dns, 'dns.qry.name')).toEqual(['www.apple.com']);
    const v6 = load('lab/lab-linux-ipv6.pcap').packets[0].tree ?? [];
    expect(values(v6, 'ipv6.addr')).toEqual(['::1', '::1']);
    expect(values(v6, 'ip.version')).toEqual(['6']);
  });

  it('the reassembled IPv4 datagram is a data source of the completing frame', () => {
    const { packets } = load('public/zeek-ipv4-fragmented-4.pcap');
    expect(packets[4].sources.map((s) => s.name)).toEqual(['Frame (82 bytes)', 'Reassembled IPv4 (89 bytes)']);
    expect(packets[1].sources).toHaveLength(1);
  });
});

describe('Ethernet padding and trailer', () => {
  // A 54-byte TCP segment with bytes after it; tshark 4.0.17 -V on these frames written to a file.
  const segment = tcpRecord({ srcPort: 40000, dstPort: 8001, seq: 1, ack: 1, flags: 0x10 });
  const ethLines = (tail: number[]) => {
    const data = new Uint8Array([...segment.data, ...tail]);
    const packet = new DissectionEngine({ tree: true }).dissect({ ...segment, data, originalLength: data.length });
    // The Ethernet layer's lines from its padding or trailer on (those under them are indented deeper).
    const lines = formatTreeText(packet.tree ?? []).split('\n');
    const from = lines.findIndex((line) => /^ {4}(Padding|Trailer):/.test(line));
    if (from < 0) return [];
    const under = lines.slice(from + 1).findIndex((line) => !line.startsWith('        '));
    return lines.slice(from, under < 0 ? undefined : from + 1 + under);
  };
  const note = "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.";
  const noted = [
    `        [Expert Info (Note/Protocol): ${note}]`,
    `            [${note}]`,
    '            [Severity level: Note]',
    '            [Group: Protocol]',
  ];

  it('is padding up to 60 bytes when zeros, else a trailer noted as maybe non-zero padding', () => {
    expect(ethLines([0, 0, 0, 0, 0, 0])).toEqual(['    Padding: 000000000000']);
    expect(ethLines([0x20, 0x20, 0x20, 0x20, 0x20, 0x20])).toEqual(['    Trailer: 202020202020', ...noted]);
    expect(ethLines([0, 0, 0x20, 0x20, 0x20, 0x20])).toEqual(['    Trailer: 000020202020', ...noted]);
    // A frame shorter than 60 bytes was not padded: what follows the payload is a trailer.
    expect(ethLines([0x20, 0x20, 0x20, 0x20])).toEqual(['    Trailer: 20202020']);
  });

  it('the note is a field of its own for filters (eth.padding_bad)', () => {
    const data = new Uint8Array([...segment.data, 1, 2, 3, 4, 5, 6]);
    const packet = new DissectionEngine({ tree: true, keptFields: ['eth.padding_bad'] }).dissect({
      ...segment,
      data,
      originalLength: data.length,
    });
    expect(findFieldNodes(packet.tree ?? [], 'eth.padding_bad')).toHaveLength(1);
  });
});

describe('summary mode', () => {
  it('gives the same columns and protocols without building a tree', () => {
    for (const file of captureFiles()) {
      const { info, packets: records } = readCaptureFile(new Uint8Array(readFileSync(join(ROOT, file))));
      const full = new DissectionEngine({ tree: true, interfaces: info.interfaces, format: info.format });
      const fast = new DissectionEngine({ tree: false, interfaces: info.interfaces, format: info.format });
      for (const r of records) {
        const a = full.dissect(r);
        const b = fast.dissect(r);
        expect(b.tree).toBeNull();
        expect({ file, n: b.number, columns: b.columns, protocols: b.protocols }).toEqual({
          file,
          n: a.number,
          columns: a.columns,
          protocols: a.protocols,
        });
      }
    }
  });
});

describe('robustness', () => {
  const samples: PacketRecord[] = [];
  for (const file of captureFiles()) {
    const { packets } = readCaptureFile(new Uint8Array(readFileSync(join(ROOT, file))));
    samples.push(...packets.filter((_, i) => i < 6));
  }
  it('truncated and mutated frames never throw out of engine.dissect', () => {
    fc.assert(
      fc.property(
        fc.nat(samples.length - 1),
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 8 }),
        fc.boolean(),
        (index, cut, mutations, tree) => {
          const base = samples[index];
          const data = base.data.slice(0, base.data.length === 0 ? 0 : cut % (base.data.length + 1));
          for (const [pos, value] of mutations) if (data.length) data[pos % data.length] = value;
          const engine = new DissectionEngine({ tree });
          const packet = engine.dissect({ ...base, data, originalLength: Math.max(base.originalLength, data.length) });
          if (tree) formatTreeText(packet.tree ?? []);
          // Bad input may be malformed, but must never hit a dissector bug (a non-bounds exception).
          const bugs = packet.expert.filter((e) => /^(TypeError|RangeError|Error|ReferenceError)/.test(e.message));
          return bugs.length === 0 || bugs.every((e) => !MY_PROTOCOL_NAMES.has(e.protocol));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
