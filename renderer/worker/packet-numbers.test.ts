import { describe, expect, it } from 'vitest';
import type { ProtoNode } from '../../core/dissect/tree';
import { SEGMENT_NUMBER_FIELDS } from '../../core/dissect/protocols/tcp';
import { PacketNumbers, numberSlotOf } from './packet-numbers';

const seq = numberSlotOf('tcp.seq');
const ack = numberSlotOf('tcp.ack');

function nodesOf(numbers: PacketNumbers, index: number): [string, unknown][] {
  const out: ProtoNode[] = [];
  numbers.addNodes(index, [seq, ack], out);
  return out.map((node) => [node.field?.abbrev ?? '', node.value]);
}

describe('the TCP numbers noted per packet', () => {
  it('gives each packet its own values, only of the fields it had, 32-bit unsigned whole', () => {
    expect(SEGMENT_NUMBER_FIELDS.slice(0, 2)).toEqual(['tcp.seq', 'tcp.ack']);
    const numbers = new PacketNumbers();
    numbers.add(seq, 4294967295);
    numbers.add(ack, 1);
    numbers.endPacket();
    numbers.endPacket(); // no TCP
    numbers.add(seq, 0);
    numbers.endPacket();
    expect(nodesOf(numbers, 0)).toEqual([
      ['tcp.seq', 4294967295],
      ['tcp.ack', 1],
    ]);
    expect(nodesOf(numbers, 1)).toEqual([]);
    expect(nodesOf(numbers, 2)).toEqual([['tcp.seq', 0]]);
    expect(numbers.answers('tcp.seq') && numbers.answers('tcp.ack')).toBe(true);
    expect(numbers.answers('tcp.len')).toBe(false);
  });

  it('declines a field a packet had twice, or not as a 32-bit unsigned number (filters on it dissect again)', () => {
    const twice = new PacketNumbers();
    twice.add(seq, 1);
    twice.add(seq, 2);
    twice.endPacket();
    expect(twice.answers('tcp.seq')).toBe(false);
    expect(twice.answers('tcp.ack')).toBe(true);
    for (const odd of [-1, 2 ** 32, 1.5, '1', undefined]) {
      const numbers = new PacketNumbers();
      numbers.add(ack, odd);
      numbers.endPacket();
      expect(numbers.answers('tcp.ack'), String(odd)).toBe(false);
    }
  });

  it('keeps a time (ack_rtt) as the exact double the dissector gave, and a count as a uint32', () => {
    const rtt = numberSlotOf('tcp.analysis.ack_rtt');
    const inFlight = numberSlotOf('tcp.analysis.bytes_in_flight');
    const numbers = new PacketNumbers();
    numbers.add(rtt, 123456 / 1e9);
    numbers.add(inFlight, 1448);
    numbers.endPacket();
    numbers.add(rtt, 0.25);
    numbers.endPacket();
    const out = (index: number) => {
      const nodes: ProtoNode[] = [];
      numbers.addNodes(index, [rtt, inFlight], nodes);
      return nodes.map((node) => [node.field?.abbrev, node.value]);
    };
    expect(out(0)).toEqual([
      ['tcp.analysis.ack_rtt', 123456 / 1e9],
      ['tcp.analysis.bytes_in_flight', 1448],
    ]);
    expect(out(1)).toEqual([['tcp.analysis.ack_rtt', 0.25]]);
    expect(numbers.answers('tcp.analysis.ack_rtt') && numbers.answers('tcp.analysis.bytes_in_flight')).toBe(true);
    // A fraction is a time's value, not a count's.
    const odd = new PacketNumbers();
    odd.add(inFlight, 1.5);
    odd.add(rtt, 'soon');
    odd.endPacket();
    expect(odd.answers('tcp.analysis.bytes_in_flight')).toBe(false);
    expect(odd.answers('tcp.analysis.ack_rtt')).toBe(false);
  });

  it("keeps HTTP's numbers for the packets that have them only, each found again by its packet", () => {
    const time = numberSlotOf('http.time');
    const requestIn = numberSlotOf('http.request_in');
    expect(time).toBeGreaterThanOrEqual(SEGMENT_NUMBER_FIELDS.length);
    const numbers = new PacketNumbers();
    const responses = new Map<number, number>();
    for (let index = 0; index < 5000; index++) {
      numbers.add(seq, index);
      if (index % 7 === 3) {
        numbers.add(time, index / 1e6);
        numbers.add(requestIn, index - 1);
        responses.set(index, index / 1e6);
      }
      numbers.endPacket();
    }
    for (const index of [0, 3, 4, 10, 17, 4997, 4999]) {
      const nodes: ProtoNode[] = [];
      numbers.addNodes(index, [time, requestIn, seq], nodes);
      const expected: [string, unknown][] = responses.has(index)
        ? [
            ['http.time', responses.get(index)],
            ['http.request_in', index - 1],
            ['tcp.seq', index],
          ]
        : [['tcp.seq', index]];
      expect(
        nodes.map((node) => [node.field?.abbrev, node.value]),
        String(index),
      ).toEqual(expected);
    }
    expect(numbers.answers('http.time') && numbers.answers('http.request_in')).toBe(true);
  });
});
