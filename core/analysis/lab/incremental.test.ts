/**
 * A live capture's lab analysis asks again as packets arrive, each time with a new, longer list of
 * the same packets: packetListFacts continues from the facts of the prefix it saw, and
 * followHttpStream remembers each stream's messages. At every length, both must give what a
 * fresh computation gives, and lists handed out before must not change.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listCaptures } from '../../../test/helpers/captures';
import type { DissectedPacket } from '../../dissect/context';
import { DissectionEngine } from '../../dissect/engine';
import { readCaptureFile } from '../../pcap';
import { packetListFacts, tcpFacts, type TcpFacts } from './facts';
import { followHttpStream } from './stream';

function dissect(path: string): DissectedPacket[] {
  const contents = readCaptureFile(new Uint8Array(readFileSync(path)));
  const engine = new DissectionEngine({ tree: true, interfaces: contents.info.interfaces });
  return contents.packets.map((r) => engine.dissect(r));
}

/** The facts of a list computed from nothing (no remembered prefix). */
function freshFacts(packets: readonly DissectedPacket[]) {
  const all = packets.map(tcpFacts).filter((f): f is TcpFacts => f !== null);
  const byStream = new Map<number, TcpFacts[]>();
  for (const f of all) byStream.set(f.stream, [...(byStream.get(f.stream) ?? []), f]);
  return { all, byStream };
}

const lab = listCaptures().filter((c) => c.group === 'lab' && /lab-(linux|dumpcap|scenario)/.test(c.name));

describe('lab analysis over a growing list', () => {
  it('has lab captures with HTTP to grow', () => expect(lab.length).toBeGreaterThan(3));

  it.each(lab.map((c) => [c.id, c.path] as const))('%s: facts and HTTP messages at every length', (_id, path) => {
    const packets = dissect(path);
    let previous: { all: readonly TcpFacts[]; length: number; streams: number } | null = null;
    let messagesSeen = 0;
    // Every length at first, then every fifth, and the whole list.
    const lengths = [...Array.from({ length: packets.length }, (_, i) => i + 1).filter((n) => n <= 40 || n % 5 === 0)];
    if (lengths.at(-1) !== packets.length) lengths.push(packets.length);
    for (const length of lengths) {
      const list = packets.slice(0, length);
      const facts = packetListFacts(list);
      const fresh = freshFacts(list);
      expect(facts.all).toEqual(fresh.all);
      expect(new Map(facts.byStream)).toEqual(fresh.byStream);
      // What an earlier ask was given is as it was.
      if (previous) expect(previous.all.length).toBe(previous.length);
      previous = { all: facts.all, length: facts.all.length, streams: facts.byStream.size };
      for (const [stream, streamFacts] of facts.byStream) {
        const messages = followHttpStream(list, stream, 8001);
        // The same segments as new objects: nothing remembered applies to them.
        expect(messages).toEqual(followHttpStream(structuredClone([...streamFacts]), stream, 8001));
        messagesSeen += messages.length;
      }
    }
    // The same stream less one segment (as the analysis leaves out duplicates): the same first
    // and last segment, its own messages.
    const longest = [...packetListFacts(packets).byStream.values()].sort((a, b) => b.length - a.length)[0];
    const dropped = longest.findIndex((f, i) => i > 0 && i < longest.length - 1 && f.len > 0);
    if (dropped > 0) {
      const stream = longest[0].stream;
      const fewer = longest.filter((_, i) => i !== dropped);
      followHttpStream(longest, stream, 8001);
      expect(followHttpStream(fewer, stream, 8001)).toEqual(followHttpStream(structuredClone(fewer), stream, 8001));
    }
    // A list of every other packet (not a prefix) has its own facts.
    const sparse = packets.filter((_, i) => i % 2 === 0);
    expect(packetListFacts(sparse).all).toEqual(freshFacts(sparse).all);
    expect(packetListFacts(packets).all).toEqual(freshFacts(packets).all);
    expect(messagesSeen).toBeGreaterThan(0);
  });
});
