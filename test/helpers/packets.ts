/**
 * Packets built in a test, for cases no capture of the fixtures shows: Ethernet, then IPv4 or
 * IPv6, then UDP from loopback to loopback around a payload. Checksums are left 0 (UDP's "none";
 * IPv4's is not checked by default, as in Wireshark).
 */
import type { PacketRecord } from '../../core/pcap/types';

export interface UdpPacket {
  ipVersion: 4 | 6;
  srcPort: number;
  dstPort: number;
  payload: readonly number[];
  /** Seconds after 1,700,000,000 (the packet's time). */
  second?: number;
}

export function udpRecord({ ipVersion, srcPort, dstPort, payload, second = 0 }: UdpPacket): PacketRecord {
  const udpLength = 8 + payload.length;
  const udp = [srcPort >> 8, srcPort & 0xff, dstPort >> 8, dstPort & 0xff, udpLength >> 8, udpLength & 0xff, 0, 0];
  const loopback6 = [...new Array<number>(15).fill(0), 1];
  const ip =
    ipVersion === 4
      ? [0x45, 0, (20 + udpLength) >> 8, (20 + udpLength) & 0xff, 0, 0, 0, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]
      : [0x60, 0, 0, 0, udpLength >> 8, udpLength & 0xff, 17, 64, ...loopback6, ...loopback6];
  const ethertype = ipVersion === 4 ? [0x08, 0x00] : [0x86, 0xdd];
  const data = new Uint8Array([...new Array<number>(12).fill(0), ...ethertype, ...ip, ...udp, ...payload]);
  return { data, originalLength: data.length, tsSec: 1_700_000_000 + second, tsNsec: 0, interfaceId: 0, linkType: 1 };
}

/** A TCP segment over IPv4 between 10.0.0.1 and 10.0.0.2 (`reverse`: from 10.0.0.2), no options. */
export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** The flag bits (0x02 SYN, 0x10 ACK, 0x18 PSH+ACK…). */
  flags: number;
  payload?: readonly number[];
  reverse?: boolean;
  second?: number;
}

export function tcpRecord({
  srcPort,
  dstPort,
  seq,
  ack,
  flags,
  payload = [],
  reverse = false,
  second = 0,
}: TcpSegment): PacketRecord {
  const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
  const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const tcp = [...u16(srcPort), ...u16(dstPort), ...u32(seq), ...u32(ack), 0x50, flags, ...u16(65535), 0, 0, 0, 0];
  const addresses = reverse ? [10, 0, 0, 2, 10, 0, 0, 1] : [10, 0, 0, 1, 10, 0, 0, 2];
  const ip = [0x45, 0, ...u16(20 + tcp.length + payload.length), 0, 1, 0x40, 0, 64, 6, 0, 0, ...addresses];
  const ethernet = [0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00];
  const data = new Uint8Array([...ethernet, ...ip, ...tcp, ...payload]);
  return { data, originalLength: data.length, tsSec: 1_700_000_000 + second, tsNsec: 0, interfaceId: 0, linkType: 1 };
}

/** An ARP packet for Ethernet and IPv4, broadcast, from 00:66:77:88:99:aa. */
export function arpRecord(arp: {
  opcode: number;
  senderMac: readonly number[];
  senderIp: readonly number[];
  targetMac: readonly number[];
  targetIp: readonly number[];
}): PacketRecord {
  const ethernet = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x66, 0x77, 0x88, 0x99, 0xaa, 0x08, 0x06];
  const header = [0, 1, 0x08, 0x00, 6, 4, 0, arp.opcode];
  const body = [...arp.senderMac, ...arp.senderIp, ...arp.targetMac, ...arp.targetIp];
  const data = new Uint8Array([...ethernet, ...header, ...body]);
  return { data, originalLength: data.length, tsSec: 1_700_000_000, tsNsec: 0, interfaceId: 0, linkType: 1 };
}

/** DNS queries cut short inside the packet (tshark 4.0 marks both "[Malformed Packet: DNS]"). */
export const DNS_CUT_SHORT = {
  /** ID 0x1234, flags 0x0100 (a standard query), then one byte of the question count. */
  inHeader: [0x12, 0x34, 0x01, 0x00, 0x00],
  /** A whole header (one question), then a name whose first label says 3 bytes and has 2. */
  inName: [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x62],
};

/** A standard query (ID 0x1234, one question, type A, class IN) of a name given as its wire bytes. */
export function dnsQuery(nameLabels: readonly (readonly number[])[]): number[] {
  return dnsMessage({ id: 0x1234, flags: 0x0100, questions: [{ name: nameLabels, type: 1 }] });
}

/** A name's wire bytes: its labels given as bytes, or as text ("mail.example.com"). */
type DnsWireName = readonly (readonly number[])[] | string;

/** A DNS record of dnsMessage; `name` defaults to a pointer to the first question's name. */
export interface DnsRecord {
  name?: DnsWireName;
  type: number;
  klass?: number;
  ttl?: number;
  data: readonly number[];
}

/** A DNS message: questions of class IN unless told, answers, and additional records. */
export function dnsMessage(message: {
  id: number;
  flags: number;
  questions: readonly { name: DnsWireName; type: number; klass?: number }[];
  answers?: readonly DnsRecord[];
  additionals?: readonly DnsRecord[];
}): number[] {
  const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
  const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  const answers = message.answers ?? [];
  const additionals = message.additionals ?? [];
  const header = [...u16(message.id), ...u16(message.flags), ...u16(message.questions.length), ...u16(answers.length)];
  const questions = message.questions.flatMap((q) => [...dnsName(q.name), ...u16(q.type), ...u16(q.klass ?? 1)]);
  const records = (list: readonly DnsRecord[]) =>
    list.flatMap((r) => [
      ...(r.name === undefined ? [0xc0, 0x0c] : dnsName(r.name)),
      ...u16(r.type),
      ...u16(r.klass ?? 1),
      ...u32(r.ttl ?? 300),
      ...u16(r.data.length),
      ...r.data,
    ]);
  return [...header, 0, 0, ...u16(additionals.length), ...questions, ...records(answers), ...records(additionals)];
}

/**
 * An EDNS0 OPT record (additional section) with these options, each `[code, data]`: the root's
 * name, a UDP payload size of 1232, no extended flags.
 */
export function ednsOpt(options: readonly (readonly [number, readonly number[]])[]): DnsRecord {
  const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
  return {
    name: '',
    type: 41,
    klass: 1232,
    ttl: 0,
    data: options.flatMap(([code, data]) => [...u16(code), ...u16(data.length), ...data]),
  };
}

/** A name as DNS writes it: each label after its length, then a zero byte. */
export function dnsName(name: DnsWireName): number[] {
  const labels =
    typeof name === 'string'
      ? name === ''
        ? []
        : name.split('.').map((label) => [...label].map((ch) => ch.charCodeAt(0)))
      : name;
  return [...labels.flatMap((label) => [label.length, ...label]), 0];
}
