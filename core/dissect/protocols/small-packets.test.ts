/**
 * Packets built in the test (test/helpers/packets.ts) against what tshark 4.0.17 prints for the
 * same bytes (its -V lines and Info column, copied below):
 * - the kinds of ARP request: a probe (from 0.0.0.0), an announcement (gratuitous, no target
 *   MAC) and a gratuitous request or reply, each with its own generated item;
 * - lengths of one byte read "1 byte" (Data, UDP payload, TCP segment data).
 */
import { describe, expect, it } from 'vitest';
import { DissectionEngine } from '../engine';
import { formatTreeText } from '../print';
import type { PacketRecord } from '../../pcap/types';
import { arpRecord, tcpRecord, udpRecord } from '../../../test/helpers/packets';

/** Dissects the records in order; per packet its Info and its -V lines, trimmed. */
function dissectAll(records: readonly PacketRecord[]) {
  const engine = new DissectionEngine({ tree: true });
  return records.map((record) => {
    const packet = engine.dissect(record);
    const lines = formatTreeText(packet.tree ?? [], packet.sources)
      .split('\n')
      .map((line) => line.trim());
    return { info: packet.columns.info, lines };
  });
}

/** The ARP layer's title and its generated items ("[Is …: True]"). */
function arpSummary(lines: readonly string[]): string[] {
  return lines.filter((line) => line.startsWith('Address Resolution Protocol') || line.startsWith('[Is '));
}

describe('ARP requests and replies, by kind', () => {
  const mac = [0, 0x66, 0x77, 0x88, 0x99, 0xaa];
  const zeroMac = [0, 0, 0, 0, 0, 0];
  const broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
  const ip = [192, 168, 1, 10];
  const [probe, announcement, gratuitousReply, gratuitousRequest] = dissectAll([
    arpRecord({ opcode: 1, senderMac: mac, senderIp: [0, 0, 0, 0], targetMac: zeroMac, targetIp: ip }),
    arpRecord({ opcode: 1, senderMac: mac, senderIp: ip, targetMac: zeroMac, targetIp: ip }),
    arpRecord({ opcode: 2, senderMac: mac, senderIp: ip, targetMac: broadcast, targetIp: ip }),
    arpRecord({ opcode: 1, senderMac: mac, senderIp: ip, targetMac: broadcast, targetIp: ip }),
  ]);

  it('a probe: from 0.0.0.0, no target MAC', () => {
    expect(probe.info).toBe('Who has 192.168.1.10? (ARP Probe)');
    expect(arpSummary(probe.lines)).toEqual(['Address Resolution Protocol (ARP Probe)', '[Is probe: True]']);
  });

  it('an announcement: gratuitous, no target MAC', () => {
    expect(announcement.info).toBe('ARP Announcement for 192.168.1.10');
    expect(arpSummary(announcement.lines)).toEqual([
      'Address Resolution Protocol (ARP Announcement)',
      '[Is gratuitous: True]',
      '[Is announcement: True]',
    ]);
  });

  it('a gratuitous reply, and a gratuitous request with a target MAC', () => {
    expect(gratuitousReply.info).toBe('Gratuitous ARP for 192.168.1.10 (Reply)');
    expect(arpSummary(gratuitousReply.lines)).toEqual([
      'Address Resolution Protocol (reply/gratuitous ARP)',
      '[Is gratuitous: True]',
    ]);
    expect(gratuitousRequest.info).toBe('Gratuitous ARP for 192.168.1.10 (Request)');
    expect(arpSummary(gratuitousRequest.lines)).toEqual([
      'Address Resolution Protocol (request/gratuitous ARP)',
      '[Is gratuitous: True]',
    ]);
  });
});

describe('a length of one byte', () => {
  it('Data and UDP payload', () => {
    const [oneByte, twoBytes] = dissectAll([
      udpRecord({ ipVersion: 4, srcPort: 40000, dstPort: 40001, payload: [0x7a] }),
      udpRecord({ ipVersion: 4, srcPort: 40000, dstPort: 40001, payload: [0x7a, 0x7b] }),
    ]);
    expect(oneByte.lines).toContain('UDP payload (1 byte)');
    expect(oneByte.lines).toContain('Data (1 byte)');
    expect(twoBytes.lines).toContain('UDP payload (2 bytes)');
    expect(twoBytes.lines).toContain('Data (2 bytes)');
  });

  it('TCP segment data (one byte to port 80, which HTTP keeps for more)', () => {
    const packets = dissectAll([
      tcpRecord({ srcPort: 40000, dstPort: 80, seq: 100, ack: 0, flags: 0x02 }),
      tcpRecord({ srcPort: 80, dstPort: 40000, seq: 500, ack: 101, flags: 0x12, reverse: true }),
      tcpRecord({ srcPort: 40000, dstPort: 80, seq: 101, ack: 501, flags: 0x10 }),
      tcpRecord({ srcPort: 40000, dstPort: 80, seq: 101, ack: 501, flags: 0x18, payload: [0x47] }),
    ]);
    expect(packets[3].info).toBe(
      '40000 → 80 [PSH, ACK] Seq=1 Ack=1 Win=65535 Len=1 [TCP segment of a reassembled PDU]',
    );
    expect(packets[3].lines).toContain('TCP segment data (1 byte)');
  });
});
