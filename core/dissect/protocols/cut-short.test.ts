/**
 * Packets no fixture capture shows, built in the test (test/helpers/packets.ts), against what
 * tshark 4.0.17 prints for the same bytes (-V and the Info column, copied below):
 * - a DNS query cut short after its ID and flags shows them, and its Info, before
 *   "[Malformed Packet: DNS]";
 * - UDP without a checksum (0): over IPv4 "[zero-value ignored]", over IPv6 "[zero-value illegal]"
 *   with an error expert item; the status under the checksum either way.
 */
import { describe, expect, it } from 'vitest';
import { DissectionEngine } from '../engine';
import { formatTreeText } from '../print';
import { DNS_CUT_SHORT, udpRecord, type UdpPacket } from '../../../test/helpers/packets';

function dissect(packet: UdpPacket) {
  const dissected = new DissectionEngine({ tree: true }).dissect(udpRecord(packet));
  const text = formatTreeText(dissected.tree ?? [], dissected.sources);
  /** The lines of layer `title` (a top-level line starting with it) up to the next top-level line. */
  const layer = (title: string): string[] => {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith(title));
    if (start < 0) return [];
    const end = lines.findIndex((l, i) => i > start && l !== '' && !l.startsWith(' '));
    return lines.slice(start, end < 0 ? undefined : end).filter((l) => l !== '');
  };
  return { dissected, layer };
}

describe('a DNS query cut short', () => {
  it('in its header: the ID, the flags and the Info, then [Malformed Packet: DNS]', () => {
    const { dissected, layer } = dissect({
      ipVersion: 4,
      srcPort: 40000,
      dstPort: 53,
      payload: DNS_CUT_SHORT.inHeader,
    });
    expect(dissected.columns.info).toBe('Standard query 0x1234[Malformed Packet]');
    expect(layer('Domain Name System')).toEqual([
      'Domain Name System (query)',
      '    Transaction ID: 0x1234',
      '    Flags: 0x0100 Standard query',
      '        0... .... .... .... = Response: Message is a query',
      '        .000 0... .... .... = Opcode: Standard query (0)',
      '        .... ..0. .... .... = Truncated: Message is not truncated',
      '        .... ...1 .... .... = Recursion desired: Do query recursively',
      '        .... .... .0.. .... = Z: reserved (0)',
      '        .... .... ...0 .... = Non-authenticated data: Unacceptable',
    ]);
    expect(layer('[Malformed Packet')[0]).toBe('[Malformed Packet: DNS]');
    expect(layer('Frame')).toContain('    [Protocols in frame: eth:ethertype:ip:udp:dns]');
  });

  it('in its first name: the header and the Info, then [Malformed Packet: DNS]', () => {
    const { dissected, layer } = dissect({ ipVersion: 4, srcPort: 40001, dstPort: 53, payload: DNS_CUT_SHORT.inName });
    expect(dissected.columns.info).toBe('Standard query 0x1234[Malformed Packet]');
    expect(layer('Domain Name System').slice(9)).toEqual([
      '    Questions: 1',
      '    Answer RRs: 0',
      '    Authority RRs: 0',
      '    Additional RRs: 0',
      '    Queries',
    ]);
  });
});

describe('UDP without a checksum', () => {
  it('over IPv4: zero-value ignored, the status under the checksum', () => {
    const { layer } = dissect({ ipVersion: 4, srcPort: 40000, dstPort: 53, payload: DNS_CUT_SHORT.inHeader });
    expect(layer('User Datagram Protocol').slice(4, 6)).toEqual([
      '    Checksum: 0x0000 [zero-value ignored]',
      '        [Checksum Status: Not present]',
    ]);
  });

  it('over IPv6: zero-value illegal, an error expert item and the status Illegal under the checksum', () => {
    const query = [...DNS_CUT_SHORT.inName.slice(0, 12), 1, 0x61, 0, 0, 1, 0, 1];
    const { dissected, layer } = dissect({ ipVersion: 6, srcPort: 40000, dstPort: 53, payload: query });
    expect(layer('User Datagram Protocol').slice(4, 10)).toEqual([
      '    Checksum: 0x0000 [zero-value illegal]',
      '        [Expert Info (Error/Checksum): Illegal checksum value (0)]',
      '            [Illegal checksum value (0)]',
      '            [Severity level: Error]',
      '            [Group: Checksum]',
      '        [Checksum Status: Illegal]',
    ]);
    expect(dissected.expert.map((e) => [e.severity, e.group, e.message])).toContainEqual([
      'error',
      'checksum',
      'Illegal checksum value (0)',
    ]);
    expect(dissected.columns.info).toBe('Standard query 0x1234 A a');
  });
});
