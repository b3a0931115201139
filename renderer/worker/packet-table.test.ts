import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCaptureFile } from '../../core/pcap';
import type { TreeItem } from './worker-messages';
import { PacketTable } from './packet-table';
import { createColorizer } from './coloring';
import { dnsMessage, udpRecord } from '../../test/helpers/packets';
import { fixtureRecords } from '../../test/helpers/captures';
import type { PacketRecord } from '../../core/pcap/types';

const fixture = path.join(__dirname, '..', '..', 'test', 'fixtures', 'captures', 'lab', 'lab-linux-ipv4.pcap');
const records = readCaptureFile(new Uint8Array(readFileSync(fixture))).packets;

function load(keepTrees?: number): PacketTable {
  const table = new PacketTable(createColorizer(), keepTrees);
  table.reset(1);
  table.append(1, 0, records.slice(0, 10));
  table.append(1, 5, records.slice(5)); // overlapping batch: no duplicates
  table.drain();
  return table;
}

function find(items: readonly TreeItem[], test: (i: TreeItem) => boolean): TreeItem | undefined {
  for (const item of items) {
    if (test(item)) return item;
    const found = item.children && find(item.children, test);
    if (found) return found;
  }
  return undefined;
}

describe('PacketTable (worker side, real engine)', () => {
  it('dissects every packet once, with Wireshark columns and rule colours', () => {
    const table = load();
    expect(table.received).toBe(30);
    expect(table.displayed).toBe(30);
    const [syn, synAck] = table.rows(0, 2);
    expect(syn.number).toBe(1);
    expect(syn.info).toMatch(/^\d+ → 8001 \[SYN\] Seq=0 Win=\d+ Len=0 MSS=65495/);
    expect(syn.protocol).toBe('TCP');
    expect(syn.rule).toBe('TCP SYN/FIN');
    expect(synAck.background).toMatch(/^#[0-9a-f]{6}$/i);
    const http = table.rows(0, 30).find((r) => r.protocol === 'HTTP');
    expect(http?.rule).toBe('HTTP');
  });

  it('filters: http leaves only HTTP rows; a bad filter gives the parser error; empty restores all', () => {
    const table = load();
    expect(table.setFilter('http')).toMatchObject({ ok: true });
    table.drain();
    const rows = table.rows(0, table.displayed);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.protocol === 'HTTP')).toBe(true);
    const bad = table.check('tcp.prot == 1');
    expect(bad).toMatchObject({ ok: false });
    expect(bad.ok === false && bad.message).toContain('tcp.prot');
    expect(table.setFilter('tcp.prot == 1').ok).toBe(false);
    expect(table.currentFilter).toBe('http');
    table.setFilter('');
    expect(table.displayed).toBe(30);
    // Packets arriving after a filter is set are checked as they come.
    table.setFilter('tcp.flags.syn == 1 && tcp.flags.ack == 0');
    table.drain();
    const before = table.displayed;
    table.append(1, 30, records.slice(0, 1));
    table.drain();
    expect(table.displayed).toBe(before + 1);
  });

  it('sorts by a column and finds frames in the view', () => {
    const table = load();
    table.setSort({ column: 'length', descending: true });
    const rows = table.rows(0, 30);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].length).toBeGreaterThanOrEqual(rows[i].length);
    expect(table.find(rows[3].number)).toBe(3);
    table.setSort(null);
    expect(table.rows(0, 1)[0].number).toBe(1);
    expect(table.find(31)).toBe(-1);
  });

  it('details: the TCP tree, Sequence Number covering exactly 4 bytes, hidden nodes dropped', () => {
    const table = load();
    const detail = table.detail(0);
    if (!detail) throw new Error('no detail');
    expect(detail.sources[0].name).toBe('Frame (74 bytes)');
    const tcp = detail.tree.find((i) => i.field === 'tcp');
    expect(tcp?.label).toMatch(/^Transmission Control Protocol, Src Port: \d+, Dst Port: 8001, Seq: 0, Len: 0$/);
    const seq = find(detail.tree, (i) => i.field === 'tcp.seq');
    expect(seq).toMatchObject({ start: 38, length: 4, source: 0 });
    expect(seq?.label).toMatch(/^Sequence Number: 0 +\(relative sequence number\)$/);
    expect(find(detail.tree, (i) => i.field === 'tcp.port')).toBeUndefined(); // hidden
    const stream = find(detail.tree, (i) => i.field === 'tcp.stream');
    expect(stream?.label).toBe('[Stream index: 0]');
    expect(stream?.length).toBe(0);
    expect(find(detail.tree, (i) => i.field === 'frame.coloring_rule.name')?.label).toBe(
      '[Coloring Rule Name: TCP SYN/FIN]',
    );
  });

  it('re-dissects packets whose trees were not kept, with the same result', () => {
    const kept = load();
    const lean = load(5);
    for (const index of [20, 7, 29]) {
      expect(lean.detail(index)?.tree).toEqual(kept.detail(index)?.tree);
    }
    expect(lean.setFilter('http').ok).toBe(true);
    lean.drain();
    kept.setFilter('http');
    kept.drain();
    expect(lean.displayedIndices()).toEqual(kept.displayedIndices());
    expect(lean.exportText()).toBe(kept.exportText());
  });

  it('exports the displayed packets as text (summary, tree, hex)', () => {
    const table = load();
    table.setFilter('frame.number == 1');
    table.drain();
    const text = table.exportText();
    expect(text).toMatch(/^No\. +Time +Source +Destination +Protocol Length Info\n +1 0\.000000 +127\.0\.0\.1/);
    expect(text).toContain('Transmission Control Protocol, Src Port:');
    expect(text).toContain('0000  00 00 00 00 00 00 00 00 00 00 00 00 08 00 45 00');
  });

  it('measures "Time delta from previous displayed frame" from the packet shown before, as Wireshark under a filter', () => {
    // tshark -r lab-linux-ipv4.pcap -Y http -T fields -e frame.number -e frame.time_delta_displayed
    const tshark: [number, string][] = [
      [10, '0.000000000'],
      [12, '0.005973000'],
      [17, '0.042444000'],
      [18, '0.000954000'],
      [20, '0.047522000'],
      [21, '0.001098000'],
    ];
    const label = (table: PacketTable, number: number) =>
      find(table.detail(number - 1)?.tree ?? [], (i) => i.field === 'frame.time_delta_displayed')?.label;
    for (const keep of [undefined, 5]) {
      const table = load(keep);
      // No filter: every packet is shown, the delta is the captured one (frame 12: 0.005941 s).
      expect(label(table, 12)).toBe('[Time delta from previous displayed frame: 0.005941000 seconds]');
      table.setFilter('http');
      table.drain();
      for (const [number, delta] of tshark)
        expect(label(table, number)).toBe(`[Time delta from previous displayed frame: ${delta} seconds]`);
      // Sorted another way, the packet shown before is still the one before in the capture.
      table.setSort({ column: 'length', descending: true });
      expect(label(table, 17)).toBe('[Time delta from previous displayed frame: 0.042444000 seconds]');
      // A packet the filter hides: from the last shown before it (frame 10).
      expect(label(table, 11)).toBe('[Time delta from previous displayed frame: 0.000032000 seconds]');
      expect(table.exportText()).toContain('[Time delta from previous displayed frame: 0.047522000 seconds]');
      table.setSort(null);
      table.setFilter('');
      expect(label(table, 12)).toBe('[Time delta from previous displayed frame: 0.005941000 seconds]');
    }
  });

  it('a filter on the displayed delta measures each packet from the last one it shows, as tshark -Y', () => {
    // tshark -r lab-linux-ipv4.pcap -Y 'frame.number == 1 || frame.time_delta_displayed > 0.03'
    const text = 'frame.number == 1 || frame.time_delta_displayed > 0.03';
    const tshark = [1, 4, 17, 20, 23, 24, 25, 27];
    for (const keep of [undefined, 5]) {
      const table = load(keep);
      table.setFilter(text);
      table.drain();
      expect(table.displayedIndices().map((i) => i + 1)).toEqual(tshark);
      // Find Packet reads each packet's delta as the list shows it (from the packet shown before).
      table.setFilter('http');
      table.drain();
      const query = { kind: 'filter', where: 'list', caseSensitive: false, from: -1, backward: false } as const;
      const found = table.search({ ...query, text: 'frame.time_delta_displayed > 0.04' });
      // (By the captured delta, 0.029 s, frame 17 would not match: the first would be frame 20.)
      expect(found && found.index + 1).toBe(17);
    }
    // Set while the packets arrive: those after the filter's job are checked as they come.
    const live = new PacketTable(createColorizer());
    live.reset(1);
    live.append(1, 0, records.slice(0, 10));
    live.drain();
    live.setFilter(text);
    live.append(1, 10, records.slice(10, 20));
    live.drain();
    live.append(1, 20, records.slice(20));
    live.drain();
    expect(live.displayedIndices().map((i) => i + 1)).toEqual(tshark);
  });

  it('exports selected / all packets, with or without bytes, and gives the lab packets with trees', () => {
    const table = load(5);
    const one = table.exportText({ scope: 'selected', indices: [0], bytes: false });
    expect(one).toContain('Transmission Control Protocol, Src Port:');
    expect(one).not.toMatch(/^0000 {2}/m);
    expect((table.exportText({ scope: 'all' }).match(/^No\. {5}Time/gm) ?? []).length).toBe(30);
    const packets = table.firstPackets(20_000);
    expect(packets).toHaveLength(30);
    expect(packets.every((p) => p.tree && p.tree.length > 0)).toBe(true);
  });

  it('the lab packets grow with the source: each ask continues the last, the same trees as a full pass', () => {
    for (const name of ['lab-linux-ipv4.pcap', 'lab-dumpcap-lo-any.pcapng']) {
      const file = path.join(__dirname, '..', '..', 'test', 'fixtures', 'captures', 'lab', name);
      const all = readCaptureFile(new Uint8Array(readFileSync(file))).packets;
      const whole = new PacketTable(createColorizer(), all.length);
      whole.reset(1);
      whole.append(1, 0, all);
      whole.drain();
      const expected = whole.firstPackets(20_000);
      // Trees kept for 3 packets: the rest come from the lab's own in-order engine, asked as packets arrive.
      const growing = new PacketTable(createColorizer(), 3);
      growing.reset(1);
      const asked: number[] = [];
      for (let from = 0; from < all.length; from += 7) {
        growing.append(1, from, all.slice(from, from + 7));
        growing.drain();
        const packets = growing.firstPackets(20_000);
        asked.push(packets.length);
        expect(
          packets.map((p) => p.tree),
          `${name} after ${packets.length}`,
        ).toEqual(expected.slice(0, packets.length).map((p) => p.tree));
      }
      expect(asked.at(-1)).toBe(all.length);
      // A limit below what was made: the first ones, the same.
      expect(growing.firstPackets(5).map((p) => p.number)).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('ignores batches of another generation and resets cleanly', () => {
    const table = load();
    expect(table.append(2, 0, records)).toBe(false);
    table.reset(2);
    expect(table.displayed).toBe(0);
    expect(table.rows(0, 10)).toEqual([]);
    expect(table.detail(0)).toBeNull();
  });

  it('gives a pass the records received when it starts, one at a time; a new source ends the pass', () => {
    const table = load();
    const source = table.receivedSource();
    expect(source.length).toBe(records.length);
    expect(source.record(records.length - 1)).toEqual(records[records.length - 1]);
    // Packets received later are the next pass's.
    table.append(1, records.length, records.slice(0, 3));
    expect(source.length).toBe(records.length);
    expect(table.receivedSource().length).toBe(records.length + 3);
    table.reset(2);
    table.append(2, 0, records.slice(5));
    expect(() => source.record(0)).toThrow(/capture changed/);
  });
});

/**
 * The frames a filter shows, with kept trees off: the filter takes the pruned re-dissection a
 * long capture takes (whole trees are kept only for short ones).
 */
function framesOfPrunedFilter(packets: readonly PacketRecord[], filter: string): number[] {
  const table = new PacketTable(createColorizer(), 0);
  table.reset(1);
  table.append(1, 0, packets);
  table.drain();
  expect(table.setFilter(filter)).toMatchObject({ ok: true });
  table.drain();
  return table.rows(0, table.displayed).map((row) => row.number);
}

describe('PacketTable: mDNS items are DNS fields (dns.*), as in Wireshark', () => {
  // An mDNS query, an mDNS response and a DNS query, built in the test. tshark 4.0.17 shows the
  // frames listed for each filter on the same bytes.
  const mdnsQuery = dnsMessage({ id: 0, flags: 0, questions: [{ name: 'printer.local', type: 1 }] });
  const mdnsResponse = dnsMessage({
    id: 0,
    flags: 0x8400,
    questions: [{ name: 'printer.local', type: 1 }],
    answers: [{ type: 1, data: [10, 0, 0, 7] }],
  });
  const dnsQuery = dnsMessage({ id: 0x5555, flags: 0x0100, questions: [{ name: 'example.com', type: 1 }] });
  const packets = [
    udpRecord({ ipVersion: 4, srcPort: 5353, dstPort: 5353, payload: mdnsQuery }),
    udpRecord({ ipVersion: 4, srcPort: 5353, dstPort: 5353, payload: mdnsResponse }),
    udpRecord({ ipVersion: 4, srcPort: 40000, dstPort: 53, payload: dnsQuery }),
  ];

  it.each([
    ['dns.qry.name == "printer.local"', [1, 2]],
    ['dns.flags.response == 1', [2]],
    ['dns.a == 10.0.0.7', [2]],
    ['dns', [3]],
    ['mdns', [1, 2]],
  ])('%s, re-dissected with trees pruned to the filter: frames %j', (filter, frames) => {
    expect(framesOfPrunedFilter(packets, filter)).toEqual(frames);
  });
});

describe('PacketTable: packet comments (pcapng), as tshark filters them', () => {
  // tshark 4.0.17 on the same file: `frame.comment contains "JPEG"` → frame 16; `pkt_comment` → 4, 16, 21.
  const commented = fixtureRecords('lab/lab-dumpcap-lo-any.pcapng');

  it.each([
    ['frame.comment contains "JPEG"', [16]],
    ['pkt_comment', [4, 16, 21]],
  ])('%s, re-dissected with trees pruned to the filter: frames %j', (filter, frames) => {
    expect(framesOfPrunedFilter(commented, filter)).toEqual(frames);
  });
});
