/**
 * DissectionEngine.seek: a packet fed after a seek dissects as in the full in-order pass, given
 * the packets its state depends on (here: its TCP stream's) and where it stands in the capture.
 * The worker re-dissects one packet of a million this way (renderer/worker/packet-table.ts),
 * building the trees of only the packets it wants (dissect's `tree`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../pcap';
import type { PacketRecord } from '../pcap/types';
import type { DissectedPacket } from './context';
import { DissectionEngine, type CapturePosition } from './engine';
import type { ProtoNode } from './tree';

const CAPTURES = join(__dirname, '../../test/fixtures/captures');

function load(path: string): PacketRecord[] {
  return readCaptureFile(new Uint8Array(readFileSync(join(CAPTURES, path)))).packets;
}

/** The stream index shown by the packet's first TCP header, or -1. */
function streamOf(packet: DissectedPacket): number {
  const tcp = (packet.tree ?? []).find((n) => n.field?.abbrev === 'tcp');
  const stream = tcp?.children?.find((n: ProtoNode) => n.field?.abbrev === 'tcp.stream');
  return typeof stream?.value === 'number' ? stream.value : -1;
}

/** Where packet `index` stands, from what the full pass counted (the worker's packet index knows the same). */
function positionOf(
  records: readonly PacketRecord[],
  full: readonly DissectedPacket[],
  index: number,
): CapturePosition {
  let previous = index - 1;
  while (previous > 0 && records[previous].pcapngBlock !== undefined) previous--;
  previous = Math.max(previous, 0);
  const opened = new Set(
    full
      .slice(0, index)
      .map(streamOf)
      .filter((s) => s >= 0),
  );
  return {
    number: index + 1,
    firstSec: records[0].tsSec,
    firstNsec: records[0].tsNsec,
    prevSec: records[previous].tsSec,
    prevNsec: records[previous].tsNsec,
    tcpStreams: opened.size,
  };
}

describe('DissectionEngine.seek', () => {
  for (const path of [
    'lab/lab-linux-ipv4.pcap',
    'lab/lab-linux-ipv6.pcap',
    'public/zeek-http-cooper-grill-dvwa.pcapng',
  ]) {
    it(`each TCP stream fed alone, every packet where it stands, dissects as in the full pass: ${path}`, () => {
      const records = load(path);
      const engine = new DissectionEngine({ tree: true });
      const full = records.map((r) => engine.dissect(r));
      const streams = new Set(full.map(streamOf));
      // Several streams: each one's packets are fed without the others'.
      expect(streams.size).toBeGreaterThan(2);
      for (const stream of streams) {
        if (stream < 0) continue;
        const alone = new DissectionEngine({ tree: true });
        for (let i = 0; i < records.length; i++) {
          if (streamOf(full[i]) !== stream) continue;
          alone.seek(positionOf(records, full, i));
          const packet = alone.dissect(records[i]);
          expect(packet.number, `frame ${i + 1}`).toBe(full[i].number);
          expect(packet.timeRelative, `frame ${i + 1}`).toBe(full[i].timeRelative);
          expect(packet.timeDelta, `frame ${i + 1}`).toBe(full[i].timeDelta);
          expect(packet.columns, `frame ${i + 1}`).toEqual(full[i].columns);
          expect(packet.tree, `frame ${i + 1}`).toEqual(full[i].tree);
        }
      }
    });
  }

  it('measures the delta from the packet before that is not a pcapng block, and the first frame stays the reference', () => {
    const records = load('public/pcapng-test-generator-le-difficult-test202.pcapng');
    const engine = new DissectionEngine({ tree: true });
    const full = records.map((r) => engine.dissect(r));
    // Frame 11 follows block 10; frame 2 follows block 1, which is the time reference.
    for (const index of [10, 1, 0]) {
      const alone = new DissectionEngine({ tree: true });
      alone.seek(positionOf(records, full, index));
      const packet = alone.dissect(records[index]);
      expect([packet.number, packet.timeRelative, packet.timeDelta]).toEqual([
        full[index].number,
        full[index].timeRelative,
        full[index].timeDelta,
      ]);
      // The Frame item (the rest depends on the packet's stream, not fed here).
      expect(packet.tree?.[0]).toEqual(full[index].tree?.[0]);
    }
  });

  it('a new TCP conversation gets the stream index the seek says', () => {
    const records = load('lab/lab-linux-ipv4.pcap');
    const engine = new DissectionEngine({ tree: true });
    engine.seek({ ...positionOf(records, [], 0), number: 5, tcpStreams: 41 });
    const packet = engine.dissect(records[0]);
    expect(packet.number).toBe(5);
    expect(streamOf(packet)).toBe(41);
  });
});

describe('DissectionEngine.dissect(record, tree)', () => {
  it('builds the trees of the packets asked for, as the whole pass does, and none of the others', () => {
    const records = load('lab/lab-linux-ipv4.pcap');
    const whole = new DissectionEngine({ tree: true });
    const full = records.map((r) => whole.dissect(r));
    // Every third packet with its tree, the others for their state only (a re-dissection's way).
    const engine = new DissectionEngine({ tree: true });
    const some = records.map((r, i) => engine.dissect(r, i % 3 === 0));
    const asked = some.filter((_, i) => i % 3 === 0);
    // The lab capture's handshake, exchange and teardown are among them.
    expect(asked.some((p) => p.columns.protocol === 'HTTP')).toBe(true);
    some.forEach((packet, i) => {
      expect(packet.columns, `frame ${i + 1}`).toEqual(full[i].columns);
      if (i % 3 === 0) expect(packet.tree, `frame ${i + 1}`).toEqual(full[i].tree);
      else expect(packet.tree, `frame ${i + 1}`).toBeNull();
    });
    // An engine made without trees builds one when asked.
    const summary = new DissectionEngine({ tree: false });
    expect(summary.dissect(records[0]).tree).toBeNull();
    expect(summary.dissect(records[1], true).tree).toEqual(full[1].tree);
  });
});
