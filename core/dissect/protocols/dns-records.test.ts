/**
 * DNS records, transactions and mDNS's class bits, built in the test (test/helpers/packets.ts)
 * and compared with what tshark 4.0.17 prints for the same bytes (its -V lines and Info column,
 * copied below):
 * - MX, TXT, SOA and SRV records show their data as items (before: one "Data" item of bytes);
 * - a response without its query is "[Unsolicited: True]"; a query or response seen again is a
 *   retransmission, with an expert item under the Transaction ID; a query more than 5 s later
 *   starts a new transaction; a zone transfer's responses all point at the query;
 * - mDNS splits the class's top bit off: "QU" question, cache flush.
 */
import { describe, expect, it } from 'vitest';
import { DissectionEngine } from '../engine';
import { formatTreeText } from '../print';
import { dnsMessage, dnsName, ednsOpt, udpRecord, type UdpPacket } from '../../../test/helpers/packets';
import { fieldNodeText } from '../extract';
import { findFieldNodes } from '../tree';
import type { DissectedPacket } from '../context';

const RESPONSE = 0x8180;
const QUERY = 0x0100;
const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const text = (s: string) => [...s].map((ch) => ch.charCodeAt(0));

/** Dissects the packets in order (one capture); per packet its Info and its DNS (or mDNS) layer's lines. */
function dissectAll(packets: readonly UdpPacket[]) {
  const engine = new DissectionEngine({ tree: true });
  return packets.map((packet) => {
    const dissected = engine.dissect(udpRecord(packet));
    const lines = formatTreeText(dissected.tree ?? [], dissected.sources).split('\n');
    const start = lines.findIndex((l) => l.startsWith('Domain Name System') || l.startsWith('Multicast Domain'));
    const end = lines.findIndex((l, i) => i > start && !l.startsWith(' '));
    return {
      info: dissected.columns.info,
      dns: lines.slice(start, end < 0 ? undefined : end),
      expert: dissected.expert,
    };
  });
}

/** The lines from the first one equal to `first` (trimmed) on, `count` of them, trimmed. */
function linesFrom(lines: readonly string[], first: string, count: number): string[] {
  const at = lines.findIndex((l) => l.trim() === first);
  return at < 0 ? [] : lines.slice(at, at + count).map((l) => l.trim());
}

/** The lines about the transaction: what packet-dns.c adds after the records. */
function trackingLines(lines: readonly string[]): string[] {
  return lines.map((l) => l.trim()).filter((l) => /^\[(Unsolicited|Request In|Time|Retransmi|Expert Info)/.test(l));
}

describe('DNS records as tshark 4.0 shows them', () => {
  const [packet] = dissectAll([
    {
      ipVersion: 4,
      srcPort: 53,
      dstPort: 40000,
      payload: dnsMessage({
        id: 0x4242,
        flags: RESPONSE,
        questions: [{ name: 'example.com', type: 255 }],
        answers: [
          { type: 15, data: [...u16(10), ...dnsName('mail.example.com')] },
          { type: 16, data: [5, ...text('hello'), 3, ...text('abc')] },
          {
            type: 6,
            data: [
              ...dnsName('ns.example.com'),
              ...dnsName('admin.example.com'),
              ...[2024010101, 7200, 3600, 1209600, 300].flatMap(u32),
            ],
          },
          {
            name: '_sip._tcp.example.com',
            type: 33,
            data: [...u16(10), ...u16(60), ...u16(5060), ...dnsName('sip.example.com')],
          },
        ],
      }),
    },
  ]);

  it('the Info column', () => {
    expect(packet.info).toBe(
      'Standard query response 0x4242 ANY example.com MX 10 mail.example.com TXT SOA ns.example.com SRV 10 60 5060 sip.example.com',
    );
  });

  it('MX: its preference and mail exchange', () => {
    expect(linesFrom(packet.dns, 'Data length: 20', 3)).toEqual([
      'Data length: 20',
      'Preference: 10',
      'Mail Exchange: mail.example.com',
    ]);
  });

  it('TXT: each string with its length', () => {
    expect(linesFrom(packet.dns, 'Data length: 10', 5)).toEqual([
      'Data length: 10',
      'TXT Length: 5',
      'TXT: hello',
      'TXT Length: 3',
      'TXT: abc',
    ]);
  });

  it('SOA: both names, the serial number and the four intervals', () => {
    expect(linesFrom(packet.dns, 'Data length: 55', 8)).toEqual([
      'Data length: 55',
      'Primary name server: ns.example.com',
      "Responsible authority's mailbox: admin.example.com",
      'Serial Number: 2024010101',
      'Refresh Interval: 7200 (2 hours)',
      'Retry Interval: 3600 (1 hour)',
      'Expire limit: 1209600 (14 days)',
      'Minimum TTL: 300 (5 minutes)',
    ]);
  });

  it('SRV: its name as service, protocol and name; priority, weight, port and target', () => {
    expect(
      linesFrom(
        packet.dns,
        '_sip._tcp.example.com: type SRV, class IN, priority 10, weight 60, port 5060, target sip.example.com',
        12,
      ),
    ).toEqual([
      '_sip._tcp.example.com: type SRV, class IN, priority 10, weight 60, port 5060, target sip.example.com',
      'Service: _sip',
      'Protocol: _tcp',
      'Name: example.com',
      'Type: SRV (Server Selection) (33)',
      'Class: IN (0x0001)',
      'Time to live: 300 (5 minutes)',
      'Data length: 23',
      'Priority: 10',
      'Weight: 60',
      'Port: 5060',
      'Target: sip.example.com',
    ]);
  });
});

describe('DNS transactions as tshark 4.0 tracks them', () => {
  const query = (second: number, srcPort = 40200): UdpPacket => ({
    ipVersion: 4,
    srcPort,
    dstPort: 53,
    second,
    payload: dnsMessage({ id: 0x7777, flags: QUERY, questions: [{ name: 'example.com', type: 1 }] }),
  });
  const answer = (second: number, dstPort = 40200): UdpPacket => ({
    ipVersion: 4,
    srcPort: 53,
    dstPort,
    second,
    payload: dnsMessage({
      id: 0x7777,
      flags: RESPONSE,
      questions: [{ name: 'example.com', type: 1 }],
      answers: [{ type: 1, data: [1, 1, 1, 1] }],
    }),
  });
  const zoneTransfer = (flags: number): UdpPacket => ({
    ipVersion: 4,
    srcPort: flags === QUERY ? 40300 : 53,
    dstPort: flags === QUERY ? 53 : 40300,
    second: 9,
    payload: dnsMessage({ id: 0x6666, flags, questions: [{ name: 'example.com', type: 252 }] }),
  });
  const packets = dissectAll([
    query(0),
    query(1),
    query(7),
    answer(8),
    answer(8),
    answer(8, 40201),
    zoneTransfer(QUERY),
    zoneTransfer(RESPONSE),
    zoneTransfer(RESPONSE),
  ]);

  it('a query again within 5 s is a retransmission; later, a new query', () => {
    expect(trackingLines(packets[0].dns)).toEqual([]);
    expect(trackingLines(packets[1].dns)).toEqual([
      '[Expert Info (Warning/Protocol): DNS query retransmission. Original request in frame 1]',
      '[Retransmitted request. Original request in: 1]',
      '[Retransmission: True]',
    ]);
    expect(linesFrom(packets[1].dns, 'Transaction ID: 0x7777', 2)[1]).toBe(
      '[Expert Info (Warning/Protocol): DNS query retransmission. Original request in frame 1]',
    );
    expect(packets[1].expert).toEqual([
      {
        severity: 'warning',
        group: 'protocol',
        protocol: 'dns',
        message: 'DNS query retransmission. Original request in frame 1',
      },
    ]);
    expect(trackingLines(packets[2].dns)).toEqual([]);
  });

  it('the response points at the query it answers; the same response again is a retransmission', () => {
    expect(trackingLines(packets[3].dns)).toEqual(['[Request In: 3]', '[Time: 1.000000000 seconds]']);
    expect(trackingLines(packets[4].dns)).toEqual([
      '[Expert Info (Warning/Protocol): DNS response retransmission. Original response in frame 4]',
      '[Retransmitted response. Original response in: 4]',
      '[Retransmission: True]',
    ]);
  });

  it('a response to another port (another conversation) is unsolicited', () => {
    expect(trackingLines(packets[5].dns)).toEqual(['[Unsolicited: True]']);
  });

  it('a zone transfer (AXFR) has several responses, each pointing at the query', () => {
    expect(packets[6].info).toBe('Standard query 0x6666 AXFR example.com');
    expect(linesFrom(packets[6].dns, 'Type: AXFR (transfer of an entire zone) (252)', 1)).toHaveLength(1);
    expect(trackingLines(packets[7].dns)).toEqual(['[Request In: 7]', '[Time: 0.000000000 seconds]']);
    expect(trackingLines(packets[8].dns)).toEqual(['[Request In: 7]', '[Time: 0.000000000 seconds]']);
  });
});

describe("mDNS: the class's top bit", () => {
  const [announcement] = dissectAll([
    {
      ipVersion: 4,
      srcPort: 5353,
      dstPort: 5353,
      payload: dnsMessage({
        id: 0,
        flags: 0x8400,
        questions: [{ name: 'printer.local', type: 1, klass: 0x8001 }],
        answers: [{ type: 1, klass: 0x8001, ttl: 120, data: [10, 0, 0, 7] }],
      }),
    },
  ]);

  it('"QU" question and cache flush, in the Info column and the tree', () => {
    expect(announcement.info).toBe(
      'Standard query response 0x0000 A printer.local, "QU" question A, cache flush 10.0.0.7',
    );
    expect(linesFrom(announcement.dns, 'printer.local: type A, class IN, "QU" question', 7)).toEqual([
      'printer.local: type A, class IN, "QU" question',
      'Name: printer.local',
      '[Name Length: 13]',
      '[Label Count: 2]',
      'Type: A (Host Address) (1)',
      '.000 0000 0000 0001 = Class: IN (0x0001)',
      '1... .... .... .... = "QU" question: True',
    ]);
    expect(linesFrom(announcement.dns, 'printer.local: type A, class IN, cache flush, addr 10.0.0.7', 5)).toEqual([
      'printer.local: type A, class IN, cache flush, addr 10.0.0.7',
      'Name: printer.local',
      'Type: A (Host Address) (1)',
      '.000 0000 0000 0001 = Class: IN (0x0001)',
      '1... .... .... .... = Cache flush: True',
    ]);
    expect(trackingLines(announcement.dns)).toEqual(['[Unsolicited: True]']);
  });
});

// Expected: tshark 4.0.17 on the same four queries (`tshark -V`, the summary line, `-T fields`).
// Before, only "Option Data" was shown, and the malformed fourth query's summary lacked its mark.
describe('EDNS0 options as tshark 4.0 shows them', () => {
  const queries: (readonly [number, readonly number[]])[][] = [
    [[10, [1, 2, 3, 4, 5, 6, 7, 8]]],
    [
      [10, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]],
      [8, [0, 1, 24, 0, 192, 168, 1]],
      [8, [0, 2, 56, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0]],
    ],
    [
      [3, []],
      [11, [0, 100]],
      [12, [0, 0, 0, 0]],
      [5, [8, 13]],
      [15, [0, 3, ...text('a')]],
      [65001, [1, 2]],
    ],
    // A cookie shorter than its 8-byte client part, at the end of the message.
    [[10, [1, 2, 3]]],
  ];
  const records = queries.map((options, i) =>
    udpRecord({
      ipVersion: 4,
      srcPort: 40000 + i,
      dstPort: 53,
      second: i,
      payload: dnsMessage({
        id: 0x100 + i,
        flags: 0x0120,
        questions: [{ name: 'example.com', type: 1 }],
        additionals: [ednsOpt(options)],
      }),
    }),
  );
  const engine = new DissectionEngine({ tree: true });
  const packets = records.map((record) => engine.dissect(record));
  /** The options' lines: from the first "Option:" to the end of the DNS layer, trimmed. */
  const optionLines = (i: number) => {
    const lines = formatTreeText(packets[i].tree ?? []).split('\n');
    const at = lines.findIndex((l) => l.trim().startsWith('Option: '));
    const end = lines.findIndex((l, k) => k > at && !l.startsWith(' '));
    return lines.slice(at, end < 0 ? undefined : end).map((l) => l.trim());
  };

  it('COOKIE: the client cookie, and the server cookie or <MISSING>', () => {
    expect(optionLines(0)).toEqual([
      'Option: COOKIE',
      'Option Code: COOKIE (10)',
      'Option Length: 8',
      'Option Data: 0102030405060708',
      'Client Cookie: 0102030405060708',
      'Server Cookie: <MISSING>',
    ]);
    expect(optionLines(1).slice(4, 6)).toEqual(['Client Cookie: 0102030405060708', 'Server Cookie: 090a0b0c0d0e0f10']);
  });

  it('CSUBNET: family, netmasks and the subnet, its address zero-filled past the bytes sent', () => {
    expect(optionLines(1).slice(6)).toEqual([
      'Option: CSUBNET - Client subnet',
      'Option Code: CSUBNET - Client subnet (8)',
      'Option Length: 7',
      'Option Data: 00011800c0a801',
      'Family: IPv4 (1)',
      'Source Netmask: 24',
      'Scope Netmask: 0',
      'Client Subnet: 192.168.1.0',
      'Option: CSUBNET - Client subnet',
      'Option Code: CSUBNET - Client subnet (8)',
      'Option Length: 11',
      'Option Data: 0002380020010db8000000',
      'Family: IPv6 (2)',
      'Source Netmask: 56',
      'Scope Netmask: 0',
      'Client Subnet: 2001:db8::',
    ]);
  });

  it('NSID, keepalive, padding, DAU, Extended DNS Error and an unknown code', () => {
    expect(optionLines(2)).toEqual([
      'Option: NSID - Name Server Identifier',
      'Option Code: NSID - Name Server Identifier (3)',
      'Option Length: 0',
      'Option Data: <MISSING>',
      'Option: EDNS TCP Keepalive',
      'Option Code: EDNS TCP Keepalive (11)',
      'Option Length: 2',
      'Option Data: 0064',
      'Timeout: 100',
      'Option: PADDING',
      'Option Code: PADDING (12)',
      'Option Length: 4',
      'Option Data: 00000000',
      'Padding: 00000000',
      'Option: DAU - DNSSEC Algorithm Understood (RFC6975)',
      'Option Code: DAU - DNSSEC Algorithm Understood (RFC6975) (5)',
      'Option Length: 2',
      'Option Data: 080d',
      'DAU: RSA/SHA-256 (8)',
      'DAU: ECDSA Curve P-256 with SHA-256 (13)',
      'Option: Extended DNS Error',
      'Option Code: Extended DNS Error (15)',
      'Option Length: 3',
      'Option Data: 000361',
      'Info Code: Stale Answer (3)',
      'Extra Text: a',
      'Option: Unknown (65001)',
      'Option Code: Unknown (65001)',
      'Option Length: 2',
      'Option Data: 0102',
    ]);
  });

  it('a cookie cut short by the message’s end: a malformed packet, the records before it still in Info', () => {
    expect(packets.map((p) => p.columns.info)).toEqual([
      'Standard query 0x0100 A example.com OPT',
      'Standard query 0x0101 A example.com OPT',
      'Standard query 0x0102 A example.com OPT',
      'Standard query 0x0103 A example.com OPT[Malformed Packet]',
    ]);
    // The summary line is made without a tree: the options are read all the same.
    const summary = new DissectionEngine({ tree: false });
    expect(records.map((r) => summary.dissect(r).columns.info)[3]).toBe(
      'Standard query 0x0103 A example.com OPT[Malformed Packet]',
    );
    expect(optionLines(3)).toEqual([
      'Option: COOKIE',
      'Option Code: COOKIE (10)',
      'Option Length: 3',
      'Option Data: 010203',
    ]);
    // After the DNS layer, at the top of the tree:
    const lines = formatTreeText(packets[3].tree ?? []).split('\n');
    expect(lines.slice(lines.indexOf('[Malformed Packet: DNS]')).map((l) => l.trim())).toEqual([
      '[Malformed Packet: DNS]',
      '[Expert Info (Error/Malformed): Malformed Packet (Exception occurred)]',
      '[Malformed Packet (Exception occurred)]',
      '[Severity level: Error]',
      '[Group: Malformed]',
    ]);
  });

  it('-T fields prints an empty byte array as <MISSING>', () => {
    const fields = ['dns.opt.cookie.client', 'dns.opt.cookie.server', 'dns.opt.client.addr4'];
    const values = (p: DissectedPacket) =>
      fields.map((field) =>
        findFieldNodes(p.tree ?? [], field)
          .map((node) => fieldNodeText(node, p.record))
          .join(','),
      );
    expect(packets.slice(0, 2).map(values)).toEqual([
      ['0102030405060708', '<MISSING>', ''],
      ['0102030405060708', '090a0b0c0d0e0f10', '192.168.1.0'],
    ]);
  });
});
