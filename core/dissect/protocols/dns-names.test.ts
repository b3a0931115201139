/**
 * A query's Name Length and Label Count, as tshark 4.0.17 prints them for the same bytes (built
 * in the test, test/helpers/packets.ts; tshark's -V lines copied below). tshark counts the name's
 * bytes before escaping and its dots plus one (qname_labels_count), the root as its text "<Root>",
 * and a name of one byte as none at all.
 */
import { describe, expect, it } from 'vitest';
import { DissectionEngine } from '../engine';
import { formatTreeText } from '../print';
import { dnsQuery, udpRecord } from '../../../test/helpers/packets';

/** The query's lines of `tshark -V`: its title, Name, Name Length and Label Count. */
function queryLines(labels: readonly (readonly number[])[]): string[] {
  const packet = new DissectionEngine({ tree: true }).dissect(
    udpRecord({ ipVersion: 4, srcPort: 40000, dstPort: 53, payload: dnsQuery(labels) }),
  );
  const lines = formatTreeText(packet.tree ?? [], packet.sources).split('\n');
  const at = lines.indexOf('    Queries');
  return lines.slice(at + 1, at + 5);
}

const a = 0x61;
const b = 0x62;
const c = 0x63;

describe('a DNS query name, counted as tshark 4.0 counts it', () => {
  it.each([
    ['a name of one letter: none', [[a]], ['a: type A, class IN', 'Name: a', '[Name Length: 0]', '[Label Count: 0]']],
    ['two letters', [[a, b]], ['ab: type A, class IN', 'Name: ab', '[Name Length: 2]', '[Label Count: 1]']],
    ['two labels', [[a], [b]], ['a.b: type A, class IN', 'Name: a.b', '[Name Length: 3]', '[Label Count: 2]']],
    ['the root', [], ['<Root>: type A, class IN', 'Name: <Root>', '[Name Length: 6]', '[Label Count: 1]']],
    [
      'an unprintable byte: its length before escaping',
      [[a, 0x01, b]],
      ['a\\001b: type A, class IN', 'Name: a\\001b', '[Name Length: 3]', '[Label Count: 1]'],
    ],
    [
      'a dot inside a label: one label more',
      [[a, 0x2e, b], [c]],
      ['a.b.c: type A, class IN', 'Name: a.b.c', '[Name Length: 5]', '[Label Count: 3]'],
    ],
    [
      'one unprintable byte: none',
      [[0x01]],
      ['\\001: type A, class IN', 'Name: \\001', '[Name Length: 0]', '[Label Count: 0]'],
    ],
  ])('%s', (_, labels, expected) => {
    expect(queryLines(labels).map((line) => line.trim())).toEqual(expected);
  });
});
