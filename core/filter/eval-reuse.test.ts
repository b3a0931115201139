/**
 * Compiled filters reuse their evaluation state from packet to packet (one context per
 * filter, the field index's lists, each operand's value list). These tests check that the
 * reuse never leaks one packet's or one filter's values into another evaluation: filters
 * interleaved packet by packet answer as each filter run alone over the capture, and as a
 * filter compiled afresh for every packet; a filter re-entered mid-evaluation answers the same.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../pcap/reader';
import { DissectionEngine } from '../dissect/engine';
import type { DissectedPacket } from '../dissect/context';
import { compileDisplayFilter, type PacketPredicate } from './index';
import { compileColoringRules, defaultColoringRules } from './coloring';

const capturesDir = join(__dirname, '../../test/fixtures/captures');

function packetsOf(file: string): DissectedPacket[] {
  const { info, packets } = readCaptureFile(new Uint8Array(readFileSync(join(capturesDir, file))));
  const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces });
  return packets.map((r) => engine.dissect(r));
}

// The same field read twice or on both sides, functions, slices, arithmetic, sets, quantifiers.
const FILTERS = [
  'tcp.port == 8001 && tcp.port > 1000',
  'tcp.srcport == tcp.dstport || tcp.srcport < tcp.dstport',
  'tcp.port != 8001',
  'tcp.port === 8001',
  'tcp.port !== 8001',
  'ip.addr == 127.0.0.0/8 && ip.src != 10.0.0.0/8',
  'tcp.port in {80, 8000..8080} && !(ip.addr in {10.0.0.0/8, 192.168.0.0/16})',
  'tcp.srcport in {tcp.dstport, 1..1023}',
  'len(http.request.uri) > 1 || count(tcp.port) == 2',
  'upper(http.request.method) == "GET" && lower(http.request.method) == "get"',
  'max(tcp.srcport, tcp.dstport) > 8000 && min(tcp.srcport, tcp.dstport) < 8002',
  'abs(tcp.len - 100) < 50',
  'tcp.flags & 0x02 || tcp.flags & 0x18 == 0x18',
  'eth[0] & 1 || ip.src[0:2] == 7f:00 || ip.src[-1] == 01',
  'tcp.payload[0:3] == "GET" || tcp.payload[0:4] == 48:54:54:50',
  'tcp contains "HTTP" && frame matches "(?i)host"',
  'http.request.uri contains "/" && http.request.uri matches "^/"',
  'string(tcp.srcport) matches "^8" || string(ip.src) == "127.0.0.1"',
  'tcp.len > 0 && tcp.len == tcp.len',
  'http.response.code >= 200 && http.response.code < 400',
];

const FILES = ['lab/lab-linux-ipv4.pcap', 'lab/lab-linux-ipv6.pcap', 'public/zeek-http-cooper-grill-dvwa.pcapng'];

function compile(text: string): PacketPredicate {
  const result = compileDisplayFilter(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.filter;
}

describe('reused evaluation state', () => {
  for (const file of FILES) {
    it(`filters interleaved packet by packet answer as each alone (${file})`, () => {
      const packets = packetsOf(file);
      // Each filter alone over the capture, compiled afresh for every packet: no state kept.
      const fresh = FILTERS.map((f) => packets.map((p) => compile(f)(p)));
      // Each filter alone over the capture, one compilation.
      const alone = FILTERS.map((f) => {
        const test = compile(f);
        return packets.map((p) => test(p));
      });
      expect(alone).toEqual(fresh);
      // Every filter on one packet, then the next, in changing orders, with the colouring rules between.
      const tests = FILTERS.map(compile);
      const colours = compileColoringRules(defaultColoringRules);
      const interleaved = FILTERS.map(() => new Array<boolean>(packets.length));
      packets.forEach((p, i) => {
        const order = tests.map((_, k) => (i % 2 === 0 ? k : tests.length - 1 - k));
        for (const k of order) {
          interleaved[k][i] = tests[k](p);
          colours.match(packets[(i + 1) % packets.length]);
        }
      });
      expect(interleaved).toEqual(fresh);
      // The filters select something and not everything, so the comparison means something.
      const counts = fresh.map((r) => r.filter(Boolean).length);
      expect(counts.some((n) => n > 0)).toBe(true);
      expect(counts.some((n) => n < packets.length)).toBe(true);
    });
  }

  it('a filter re-entered while it evaluates answers as when called alone', () => {
    const packets = packetsOf('lab/lab-linux-ipv4.pcap');
    for (const text of FILTERS) {
      const expected = packets.map((p) => compile(text)(p));
      const test = compile(text);
      const inner: boolean[] = [];
      const outer = packets.map((p, i) => {
        const other = packets[(i + 1) % packets.length];
        let entered = false;
        // A packet whose tree, once read, evaluates the same filter on another packet.
        const reentering: DissectedPacket = {
          ...p,
          get tree() {
            if (!entered) {
              entered = true;
              inner.push(test(other));
            }
            return p.tree;
          },
        };
        return test(reentering);
      });
      expect(outer, text).toEqual(expected);
      const reads = inner.length;
      expect(inner, text).toEqual(expected.slice(1).concat(expected.slice(0, 1)).slice(0, reads));
    }
  });
});
