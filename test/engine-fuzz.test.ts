/**
 * Robustness of the dissection engine: mutated and truncated fixture frames and random bytes
 * for every link type go through DissectionEngine with the tree on and off, and through the
 * printers (-V text, -x bytes, -T fields, -T json). No exception may escape, no dissector may
 * hit an internal error (a TypeError/RangeError caught as "malformed"), and a good packet
 * that follows still dissects exactly as it does in a fresh engine.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DissectedPacket } from '../core/dissect/context';
import { DissectionEngine } from '../core/dissect/engine';
import { ColumnFormatter, FieldExtractor, formatSummaryLine } from '../core/dissect/extract';
import { formatPacketBytes, formatTreeText } from '../core/dissect/print';
import { readCaptureFile } from '../core/pcap/reader';
import { LinkType, type PacketRecord } from '../core/pcap/types';
import { formatJsonPacket } from '../main/cli/json';
import { listCaptures } from './helpers/captures';

const SEED = 20261123;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const FIELDS = [
  'frame.number',
  'frame.protocols',
  '_ws.col.Info',
  'ip.src',
  'ipv6.dst',
  'tcp.seq',
  'tcp.flags',
  'http.request.uri',
];

/** Every packet record of every fixture (damaged files give the packets before the damage). */
const frames: PacketRecord[] = listCaptures().flatMap((f) => {
  try {
    return readCaptureFile(new Uint8Array(readFileSync(f.path))).packets;
  } catch {
    return [];
  }
});

/** A stateless packet (UDP DNS query) used to check the engine still works after bad input. */
const goodPacket: PacketRecord = (() => {
  const fixture = listCaptures().find((f) => f.name === 'zeek-pcapng-multi-interface.pcapng');
  if (!fixture) throw new Error('fixture zeek-pcapng-multi-interface.pcapng is missing');
  return readCaptureFile(new Uint8Array(readFileSync(fixture.path))).packets[0];
})();

const LINK_TYPES = [...Object.values(LinkType), 2, 9, 12, 14, 105, 127, 147, 0xffff];

const INTERNAL_ERROR = /^(TypeError|RangeError|ReferenceError|SyntaxError|Error|InternalError)\b/;

function internalErrors(packet: DissectedPacket): string[] {
  return packet.expert.filter((e) => INTERNAL_ERROR.test(e.message)).map((e) => `${e.protocol}: ${e.message}`);
}

/** Everything the CLI would do with a packet; throws if any of it throws. */
function render(packet: DissectedPacket, columns: ColumnFormatter, extractor: FieldExtractor): void {
  formatSummaryLine(columns.columns(packet));
  formatPacketBytes(packet);
  if (packet.tree) {
    formatTreeText(packet.tree);
    extractor.values(packet);
    JSON.parse(`[${formatJsonPacket(packet)}]`);
  }
}

function reference(record: PacketRecord, tree: boolean): { protocols: string[]; columns: DissectedPacket['columns'] } {
  const p = new DissectionEngine({ tree }).dissect(record);
  return { protocols: p.protocols, columns: p.columns };
}

interface Mutation {
  kind: 'flip' | 'set' | 'truncate' | 'insert' | 'delete';
  at: number;
  value: number;
  count: number;
}

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('flip', 'set', 'truncate', 'insert', 'delete'),
  at: fc.nat(),
  value: fc.integer({ min: 0, max: 255 }),
  count: fc.integer({ min: 1, max: 16 }),
});

function mutate(data: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = Uint8Array.from(data);
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
    switch (m.kind) {
      case 'flip':
        if (at < bytes.length) bytes[at] ^= 1 << (m.value % 8);
        break;
      case 'set':
        for (let i = at; i < Math.min(bytes.length, at + m.count); i++) bytes[i] = m.value;
        break;
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'insert': {
        const out = new Uint8Array(bytes.length + m.count);
        out.set(bytes.subarray(0, at));
        out.fill(m.value, at, at + m.count);
        out.set(bytes.subarray(at), at + m.count);
        bytes = out;
        break;
      }
      case 'delete':
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + m.count)]);
        break;
    }
  }
  return bytes;
}

/** Runs a batch of bad records through one engine, then the good packet; checks both. */
function survive(records: PacketRecord[], tree: boolean): void {
  const engine = new DissectionEngine({ tree });
  const columns = new ColumnFormatter();
  const extractor = new FieldExtractor(FIELDS, columns);
  for (const record of records) {
    columns.observe(record);
    const packet = engine.dissect(record);
    render(packet, columns, extractor);
    expect(internalErrors(packet)).toEqual([]);
  }
  const good = engine.dissect({ ...goodPacket });
  render(good, columns, extractor);
  const expected = reference(goodPacket, tree);
  expect({ protocols: good.protocols, columns: good.columns, malformed: good.malformed }).toEqual({
    ...expected,
    malformed: false,
  });
}

describe('engine fuzzing', () => {
  it('has fixture frames to mutate', () => {
    expect(frames.length).toBeGreaterThan(500);
  });

  for (const tree of [true, false]) {
    const mode = tree ? 'tree on' : 'tree off';

    it(`survives mutated fixture frames (${mode})`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 6 }), fc.boolean()), {
            minLength: 1,
            maxLength: 8,
          }),
          (batch) => {
            const records = batch.map(([pick, mutations, keepWireLength]) => {
              const base = frames[pick % frames.length];
              const data = mutate(base.data, mutations);
              return {
                ...base,
                data,
                originalLength: keepWireLength ? Math.max(base.originalLength, data.length) : data.length,
              };
            });
            survive(records, tree);
          },
        ),
        { seed: SEED + (tree ? 1 : 0), numRuns: RUNS },
      );
    });

    it(`survives every fixture frame truncated anywhere (${mode})`, () => {
      fc.assert(
        fc.property(fc.nat(), fc.nat(), fc.boolean(), (pick, cut, snapped) => {
          const base = frames[pick % frames.length];
          const len = cut % (base.data.length + 1);
          const data = base.data.slice(0, len);
          // snapped: the wire length stays (snaplen), else the packet itself is short.
          survive([{ ...base, data, originalLength: snapped ? base.originalLength : len }], tree);
        }),
        { seed: SEED + 2 + (tree ? 1 : 0), numRuns: RUNS },
      );
    });

    it(`survives random bytes for every link type (${mode})`, () => {
      fc.assert(
        fc.property(
          fc.constantFrom(...LINK_TYPES),
          fc.uint8Array({ minLength: 0, maxLength: 200 }),
          fc.integer({ min: 0, max: 64 }),
          (linkType, data, extra) => {
            survive(
              [{ data, originalLength: data.length + extra, tsSec: 1, tsNsec: 0, interfaceId: 0, linkType }],
              tree,
            );
          },
        ),
        { seed: SEED + 4 + (tree ? 1 : 0), numRuns: RUNS },
      );
    });

    it(`survives well-formed headers with random payloads (${mode})`, () => {
      // Keep each frame's first 54 bytes (link + IP + TCP/UDP headers) and randomise the rest,
      // so the application layers (HTTP, DNS, …) see garbage, not just the lower layers.
      fc.assert(
        fc.property(
          fc.nat(),
          fc.uint8Array({ minLength: 0, maxLength: 400 }),
          fc.constantFrom(
            'GET / HTTP/1.1\r\n',
            'HTTP/1.1 200 OK\r\nContent-Length: 99999\r\n',
            '',
            'SSH-2.0-fuzz\r\n',
            '\x16\x03\x01\x02\x00\x01',
            '\x17\x03\x03\x40\x00',
          ),
          (pick, payload, prefix) => {
            const base = frames[pick % frames.length];
            const head = base.data.subarray(0, Math.min(54, base.data.length));
            const text = Uint8Array.from(prefix, (c) => c.charCodeAt(0));
            const data = new Uint8Array(head.length + text.length + payload.length);
            data.set(head);
            data.set(text, head.length);
            data.set(payload, head.length + text.length);
            survive([{ ...base, data, originalLength: data.length }], tree);
          },
        ),
        { seed: SEED + 6 + (tree ? 1 : 0), numRuns: RUNS },
      );
    });
  }

  // TLS, SSH and DHCP keep state per conversation (session version, key exchange, encryption):
  // their captures go through in order with the bytes past the link/IP/transport headers mutated.
  const conversations = ['lab-tls-loopback.pcap', 'tcpdump-ssh.pcap', 'lab-dhcp-crafted.pcap'].map((name) => {
    const fixture = listCaptures().find((f) => f.name === name);
    if (!fixture) throw new Error(`fixture ${name} is missing`);
    return readCaptureFile(new Uint8Array(readFileSync(fixture.path))).packets;
  });
  for (const tree of [true, false]) {
    it(`survives TLS, SSH and DHCP conversations with their payloads mutated, in order (tree ${tree ? 'on' : 'off'})`, () => {
      fc.assert(
        fc.property(
          fc.nat(conversations.length - 1),
          fc.array(mutationArb, { minLength: 1, maxLength: 4 }),
          fc.nat(),
          fc.boolean(),
          (which, mutations, every, snapped) => {
            const records = conversations[which].map((r, i) => {
              if (i % ((every % 3) + 1) !== 0 || r.data.length <= 66) return r;
              const head = r.data.subarray(0, 66);
              const data = new Uint8Array([...head, ...mutate(r.data.subarray(66), mutations)]);
              return { ...r, data, originalLength: snapped ? Math.max(r.originalLength, data.length) : data.length };
            });
            survive(records, tree);
          },
        ),
        { seed: SEED + 10 + (tree ? 1 : 0), numRuns: Math.max(30, Math.floor(RUNS / 3)) },
      );
    });
  }

  it('survives a whole fixture capture with every frame mutated, in order (stateful TCP/HTTP)', () => {
    fc.assert(
      fc.property(fc.array(mutationArb, { minLength: 1, maxLength: 3 }), fc.nat(), (mutations, start) => {
        const from = start % frames.length;
        const slice = frames.slice(from, from + 40).map((r) => {
          const data = mutate(r.data, mutations);
          return { ...r, data, originalLength: Math.max(r.originalLength, data.length) };
        });
        survive(slice, true);
      }),
      { seed: SEED + 8, numRuns: Math.max(20, Math.floor(RUNS / 5)) },
    );
  });
});
