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

/** DNS queries cut short inside the packet (tshark 4.0 marks both "[Malformed Packet: DNS]"). */
export const DNS_CUT_SHORT = {
  /** ID 0x1234, flags 0x0100 (a standard query), then one byte of the question count. */
  inHeader: [0x12, 0x34, 0x01, 0x00, 0x00],
  /** A whole header (one question), then a name whose first label says 3 bytes and has 2. */
  inName: [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 3, 0x61, 0x62],
};

/** A standard query (ID 0x1234, one question, type A, class IN) of a name given as its wire bytes. */
export function dnsQuery(nameLabels: readonly (readonly number[])[]): number[] {
  const name = nameLabels.flatMap((label) => [label.length, ...label]);
  return [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, ...name, 0, 0x00, 0x01, 0x00, 0x01];
}
