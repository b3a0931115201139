/**
 * Robustness: mutated and truncated TCP headers (and payloads) never throw out of the
 * dissector (ctx.call turns bounds errors into [Malformed Packet]), with or without a tree.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ColumnValues,
  PacketContext,
  SessionState,
  tcpPayloadConsumers,
  type DissectedPacket,
  type PacketInDissection,
} from '../../core/dissect/context';
import { dissectTcp } from '../../core/dissect/protocols/tcp/dissector';
import { formatTreeText } from '../../core/dissect/print';
import type { ProtoNode } from '../../core/dissect/tree';
import { fakeHttp } from './fake-http';
import { loadCapture, locateTcp } from './harness';

tcpPayloadConsumers.push(fakeHttp);

function run(state: SessionState, n: number, bytes: Uint8Array, end: number, buildTree: boolean): DissectedPacket {
  const tree: ProtoNode[] = [];
  const packet: PacketInDissection = {
    number: n,
    record: {
      data: bytes,
      originalLength: Math.max(bytes.length, end),
      tsSec: 1000 + n,
      tsNsec: n * 1000,
      interfaceId: 0,
      linkType: 101,
    },
    timeRelative: 0,
    timeDelta: 0,
    columns: new ColumnValues(),
    protocols: [],
    tree: buildTree ? tree : null,
    sources: [{ name: 'Frame', data: bytes }],
    expert: [],
    malformed: false,
    cutShortAfterLayers: -1,
  };
  const ctx = new PacketContext(packet, state, buildTree);
  ctx.net = {
    family: 4,
    src: new Uint8Array([10, 0, 0, 1]),
    dst: new Uint8Array([10, 0, 0, 2]),
    srcText: '10.0.0.1',
    dstText: '10.0.0.2',
  };
  ctx.call(dissectTcp, bytes, 0, end, buildTree ? tree : null, 'TCP');
  if (buildTree) formatTreeText(tree);
  // ctx.call would hide a dissector bug as "[Malformed Packet]": it records the error's text.
  const bug = packet.expert.find((e) => /Error/.test(e.message));
  if (bug) throw new Error(bug.message);
  return packet;
}

// Real TCP segments from the lab capture, as seeds for mutation.
const seeds: Uint8Array[] = loadCapture('lab/lab-linux-ipv4.pcap').map((r) => {
  const loc = locateTcp(r)!;
  return r.data.slice(loc.offset, loc.end);
});

describe('TCP fuzz', () => {
  it('mutated / truncated segments never throw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: seeds.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.nat(),
        fc.integer({ min: -8, max: 64 }),
        fc.boolean(),
        (seedIndex, mutations, cut, endDelta, buildTree) => {
          const seg = seeds[seedIndex].slice();
          for (const [pos, value] of mutations) seg[pos % seg.length] = value;
          const captured = seg.subarray(0, cut % (seg.length + 1));
          const state = new SessionState();
          // A few packets through the same session so the conversation state is exercised too.
          for (let i = 1; i <= 3; i++) {
            expect(() =>
              run(state, i, i === 2 ? captured : seg, Math.max(0, seg.length + (i === 3 ? endDelta : 0)), buildTree),
            ).not.toThrow();
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('random bytes never throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), fc.integer({ min: 0, max: 200 }), (bytes, end) => {
        const state = new SessionState();
        expect(() => run(state, 1, bytes, end, true)).not.toThrow();
        expect(() => run(state, 2, bytes, end, false)).not.toThrow();
      }),
      { numRuns: 1500 },
    );
  });
});
