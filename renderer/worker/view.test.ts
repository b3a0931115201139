/**
 * The worker's view options and searches on the lab fixture: Time column in each format (with a
 * time reference), marks, custom columns (also past the kept trees), Find Packet, the request's
 * [Response in frame: N] link, and tree items carrying their Apply-as-Filter text.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readCaptureFile } from '../../core/pcap';
import type { SearchQuery, TreeItem, ViewOptions } from './worker-messages';
import { PacketTable } from './packet-table';
import { createColorizer } from './coloring';

const root = path.join(__dirname, '..', '..', 'test', 'fixtures');
const records = readCaptureFile(
  new Uint8Array(readFileSync(path.join(root, 'captures', 'lab', 'lab-linux-ipv4.pcap'))),
).packets;

function load(keepTrees?: number): PacketTable {
  const table = new PacketTable(createColorizer(), keepTrees);
  table.reset(1);
  table.append(1, 0, records);
  table.drain();
  return table;
}

const view = (patch: Partial<ViewOptions>): ViewOptions => ({
  timeFormat: 'relative',
  refs: [],
  marked: [],
  columns: [],
  ...patch,
});

/** tshark 4.0's Time column for `-t FORMAT` (test/fixtures/time/README.md). */
const tshark = (format: string) =>
  readFileSync(path.join(root, 'time', `lab-linux-ipv4.pcap.t-${format}.tsv`), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t')[1]);

function find(items: readonly TreeItem[], test: (i: TreeItem) => boolean): TreeItem | undefined {
  for (const item of items) {
    if (test(item)) return item;
    const found = item.children && find(item.children, test);
    if (found) return found;
  }
  return undefined;
}

const query = (patch: Partial<SearchQuery>): SearchQuery => ({
  kind: 'string',
  text: '',
  where: 'list',
  caseSensitive: false,
  from: -1,
  backward: false,
  ...patch,
});

describe('worker view options', () => {
  it('computes the Time column in the chosen format, as tshark -t prints it', () => {
    const table = load();
    for (const [format, flag] of [
      ['relative', 'r'],
      ['delta', 'd'],
      ['delta_displayed', 'dd'],
      ['utc_date_time', 'ud'],
      ['epoch', 'e'],
    ] as const) {
      table.setView(view({ timeFormat: format }));
      expect(
        table.rows(0, 30).map((r) => r.timeText),
        format,
      ).toEqual(tshark(flag));
    }
  });

  it('"since previous displayed" follows the display filter, also in a sorted view', () => {
    const table = load();
    table.setView(view({ timeFormat: 'delta_displayed' }));
    table.setFilter('http');
    table.drain();
    const expected = readFileSync(path.join(root, 'time', 'lab-linux-ipv4.pcap.Y-http.t-dd.tsv'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(table.rows(0, 10).map((r) => [String(r.number), r.timeText])).toEqual(expected);
    table.setSort({ column: 'number', descending: true });
    expect(table.rows(0, 10).map((r) => [String(r.number), r.timeText])).toEqual(expected.slice().reverse());
  });

  it('a time reference shows *REF* and later relative times count from it; marks are flagged', () => {
    const table = load();
    table.setView(view({ refs: [9], marked: [0, 9] }));
    const rows = table.rows(0, 13);
    expect(rows[9]).toMatchObject({ number: 10, timeText: '*REF*', ref: true, marked: true });
    expect(rows[11].timeText).toBe('0.005973');
    expect(rows[8].timeText).toBe('0.034386');
    expect(rows[0].marked).toBe(true);
    expect(rows[1].marked).toBeUndefined();
    // The tree says so too, as Wireshark's does.
    const marked = (i: number) => find(table.detail(i)?.tree ?? [], (item) => item.field === 'frame.marked')?.label;
    expect(marked(9)).toBe('[Frame is marked: True]');
    expect(marked(1)).toBe('[Frame is marked: False]');
  });

  it('fills custom columns for each row, from kept trees and from re-dissected packets alike', () => {
    for (const keep of [undefined, 0]) {
      const table = load(keep);
      table.setView(view({ columns: ['http.request.uri', 'tcp.srcport', 'tcp.flags.syn', 'ip.proto'] }));
      const rows = table.rows(0, 30);
      expect(rows[9].custom).toEqual(['/', '46070', 'Not set', 'TCP']);
      expect(rows[16].custom?.[0]).toBe('/logo.jpg');
      expect(rows[0].custom).toEqual(['', '46062', 'Set', 'TCP']);
    }
  });

  it('finds packets by string (list, details, bytes), hex and display filter, forwards, backwards, wrapping', () => {
    const table = load();
    expect(table.search(query({ text: 'logo' }))).toMatchObject({ position: 16, index: 16 });
    expect(table.search(query({ text: 'LOGO', caseSensitive: true }))).toBeNull();
    // Searching on from the only match wraps around to it again.
    expect(table.search(query({ text: 'logo', from: 16 }))).toMatchObject({ position: 16 });
    expect(table.search(query({ text: 'favicon', from: 16 }))).toMatchObject({ position: 19 });
    expect(table.search(query({ kind: 'filter', text: 'http.response.code == 404' }))).toMatchObject({ position: 20 });
    expect(table.search(query({ kind: 'filter', text: 'tcp.flags.syn == 1', from: 20 }))?.position).toBe(0);
    expect(table.search(query({ kind: 'filter', text: 'tcp.flags.syn == 1', from: 6, backward: true }))?.position).toBe(
      1,
    );
    const hex = table.search(query({ kind: 'hex', text: '47:45:54:20:2f:6c' }));
    expect(hex).toMatchObject({ position: 16, bytes: { start: 66, length: 6 } });
    const bytes = table.search(query({ where: 'bytes', text: 'jfif' }));
    expect(bytes?.position).toBe(17);
    const details = table.search(query({ where: 'details', text: 'Response in frame: 12' }));
    expect(details?.position).toBe(9);
    const detail = table.detail(9);
    expect(find(detail?.tree ?? [], (i) => i.id === details?.item)?.label).toBe('[Response in frame: 12]');
    expect(() => table.search(query({ kind: 'hex', text: 'xyz' }))).toThrow(/not a valid hex/);
    expect(() => table.search(query({ kind: 'filter', text: 'tcp.prot == 1' }))).toThrow();
  });

  it("gives a request's tree [Response in frame: N] (a link) and every item its filter text", () => {
    for (const keep of [undefined, 0]) {
      const tree = load(keep).detail(9)?.tree ?? [];
      const link = find(tree, (i) => i.field === 'http.response_in');
      expect(link).toMatchObject({ label: '[Response in frame: 12]', frameRef: 12, filter: 'http.response_in == 12' });
      expect(find(tree, (i) => i.field === 'http.request.uri')?.filter).toBe('http.request.uri == "/"');
      expect(find(tree, (i) => i.field === 'tcp.flags.syn')?.filter).toBe('tcp.flags.syn == 0');
    }
    const response = load().detail(11)?.tree ?? [];
    expect(find(response, (i) => i.field === 'http.request_in')).toMatchObject({ frameRef: 10 });
  });

  it('reassembled-segment lists and ACK links point at their frames (double-click jumps there)', () => {
    const get = readCaptureFile(
      new Uint8Array(readFileSync(path.join(root, 'captures', 'public', 'zeek-http-get.pcap'))),
    ).packets;
    const table = new PacketTable(createColorizer());
    table.reset(1);
    table.append(1, 0, get);
    table.drain();
    const tree = table.detail(8)?.tree ?? [];
    const segments: TreeItem[] = [];
    const walk = (items: readonly TreeItem[]) => {
      for (const i of items) {
        if (i.field === 'tcp.segment') segments.push(i);
        if (i.children) walk(i.children);
      }
    };
    walk(tree);
    // tshark -r zeek-http-get.pcap -V, frame 9: [4 Reassembled TCP Segments (5007 bytes): #6(1448), #7(1448), #8(1448), #9(663)]
    expect(segments.map((i) => [i.label, i.frameRef])).toEqual([
      ['[Frame: 6, payload: 0-1447 (1448 bytes)]', 6],
      ['[Frame: 7, payload: 1448-2895 (1448 bytes)]', 7],
      ['[Frame: 8, payload: 2896-4343 (1448 bytes)]', 8],
      ['[Frame: 9, payload: 4344-5006 (663 bytes)]', 9],
    ]);
    // tshark -2 -r lab-linux-ipv4.pcap -T fields -e tcp.analysis.acks_frame: frame 2 acks frame 1.
    const ack = find(load().detail(1)?.tree ?? [], (i) => i.field === 'tcp.analysis.acks_frame');
    expect(ack).toMatchObject({ label: '[This is an ACK to the segment in frame: 1]', frameRef: 1 });
  });
});
