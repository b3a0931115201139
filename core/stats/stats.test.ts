/**
 * core/stats as the UI will use it: plain rows with typed numbers, computed from dissected
 * packets (the values are tshark 4.0's for lab-linux-ipv4.pcap, see test/fixtures/stats).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DissectionEngine } from '../dissect/engine';
import type { DissectedPacket } from '../dissect/context';
import { readCaptureFile } from '../pcap/reader';
import {
  ConversationTable,
  EndpointTable,
  ExpertSummary,
  FollowTcpStream,
  IoStat,
  LAYER_FIELDS,
  formatIoStat,
  ioStatPieces,
  ProtocolHierarchy,
} from '.';
import { HttpObjectList } from './http-objects';

function dissect(file: string, keptFields?: readonly string[]): DissectedPacket[] {
  const bytes = new Uint8Array(readFileSync(resolve(__dirname, '../../test/fixtures/captures', file)));
  const { packets, info } = readCaptureFile(bytes);
  const engine = new DissectionEngine({ tree: true, keptFields, interfaces: info?.interfaces });
  return packets.map((p) => engine.dissect(p));
}

describe('core/stats on lab-linux-ipv4.pcap', () => {
  const pruned = dissect('lab/lab-linux-ipv4.pcap', LAYER_FIELDS);
  const whole = dissect('lab/lab-linux-ipv4.pcap');

  it("conversations: A is the first packet's source; frames, bytes, start and duration as numbers", () => {
    const table = new ConversationTable('tcp');
    for (const p of pruned) table.add(p);
    const [first] = table.result();
    expect(first).toMatchObject({
      addressA: '127.0.0.1',
      portA: 46070,
      addressB: '127.0.0.1',
      portB: 8001,
      stream: 1,
      framesAtoB: 10,
      bytesAtoB: 2449,
      framesBtoA: 7,
      bytesBtoA: 15969,
    });
    expect(first.relStart).toBeCloseTo(0.034341, 6);
    expect(first.duration).toBeCloseTo(11.6592, 4);
  });

  it('endpoints, protocol hierarchy, expert summary and I/O intervals', () => {
    const endpoints = new EndpointTable('tcp');
    const phs = new ProtocolHierarchy();
    const expert = new ExpertSummary();
    const io = new IoStat(1e6);
    for (const p of pruned) endpoints.add(p);
    for (const p of whole) {
      phs.add(p);
      expert.add(p);
      io.add(p);
    }
    expect(endpoints.result()[0]).toEqual({
      address: '127.0.0.1',
      port: 8001,
      txFrames: 12,
      txBytes: 16315,
      rxFrames: 18,
      rxBytes: 2993,
    });
    const [eth] = phs.result();
    expect([eth.protocol, eth.frames, eth.bytes]).toEqual(['eth', 30, 19308]);
    expect(eth.children[0].children[0].children[0]).toMatchObject({ protocol: 'http', frames: 6, bytes: 17676 });
    expect(expert.result()[0]).toEqual({
      severity: 'note',
      group: 'sequence',
      protocol: 'TCP',
      summary: 'This frame initiates the connection closing',
      count: 3,
    });
    const rows = io.result().rows;
    expect(rows[0]).toEqual({ startUs: 0, frames: 22, bytes: 18780 });
    expect(rows.reduce((n, r) => n + r.frames, 0)).toBe(30);
  });

  // Chunk lengths as `tshark -z follow,tcp,ascii,1` prints them; object frames as http.file_data's.
  it('follows a TCP stream: client first, each direction in order, bytes as captured', () => {
    const follow = new FollowTcpStream(1);
    for (const p of pruned) follow.add(p);
    const r = follow.result();
    expect(r.client).toEqual({ address: '127.0.0.1', port: 46070, ipv6: false });
    expect(r.chunks.map((c) => [c.fromServer, c.data.length])).toEqual([
      [false, 644],
      [true, 635],
      [false, 567],
      [true, 14683],
      [false, 570],
      [true, 181],
    ]);
    expect(new TextDecoder().decode(r.chunks[0].data.subarray(0, 16))).toBe('GET / HTTP/1.1\r\n');
  });

  it('lists the HTTP objects with their frame, type and decoded bytes', () => {
    const objects = new HttpObjectList();
    for (const p of whole) objects.add(p);
    const list = objects.result();
    expect(list.map((o) => [o.frame, o.filename, o.contentType, o.data.length])).toEqual([
      [12, '/', 'text/html; charset=utf-8', 471],
      [18, 'logo.jpg', 'image/jpeg', 14506],
      [21, 'favicon.ico', 'text/plain; charset=utf-8', 10],
    ]);
    expect([...list[1].data.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
  });
});

describe('I/O statistics over a long capture in fine intervals', () => {
  /** A packet at `sec` seconds of 60 bytes: what IoStat reads of one. */
  const at = (sec: number): DissectedPacket =>
    ({ record: { tsSec: 1_000_000_000 + sec, tsNsec: 0, originalLength: 60 } }) as DissectedPacket;

  it('keeps only the intervals that saw packets, and prints every interval, in pieces', () => {
    // Two packets a day apart in 1 ms intervals: 86.4 million intervals, two of them used.
    const io = new IoStat(1000, 3);
    io.add(at(0));
    io.add(at(86_400));
    const result = io.result();
    expect(result.rows).toEqual([
      { startUs: 0, frames: 1, bytes: 60 },
      { startUs: 86_400_000_000, frames: 1, bytes: 60 },
    ]);
    // The table itself, for an hour of them: a row per interval, in pieces of bounded size.
    const hour = new IoStat(1000, 3);
    hour.add(at(0));
    hour.add(at(1800));
    hour.add(at(3600));
    const pieces = [...ioStatPieces(hour.result())];
    expect(pieces.length).toBeGreaterThan(100);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(200_000);
    const text = pieces.join('');
    expect(text).toBe(formatIoStat(hour.result()));
    const rows = text.split('\n').filter((l) => / <> /.test(l));
    expect(rows).toHaveLength(3_600_000);
    expect(rows[0]).toMatch(/\|\s+1 \|\s+60 \|$/);
    expect(rows[1_800_000]).toMatch(/^\| 1800\.000 <> 1800\.001 \|\s+1 \|\s+60 \|$/);
    expect(rows.filter((l) => /\|\s+1 \|\s+60 \|$/.test(l))).toHaveLength(2);
  });
});
