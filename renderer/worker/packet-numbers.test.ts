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
});
