/**
 * ARP/RARP (ethertype 0x0806 / 0x8035), as Wireshark 4.0's packet-arp.c: fields, Info
 * ("Who has 192.168.111.2? Tell 192.168.111.1", "… is at …", probes and announcements).
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import type { DissectFn } from '../context';
import { formatIpv4, formatEther, formatBytesHex } from '../format';
import { ETHERTYPES, etherWithName, u16 } from './common';

const HW_TYPES: Readonly<Record<number, string>> = {
  0: 'NET/ROM pseudo',
  1: 'Ethernet',
  2: 'Experimental Ethernet',
  3: 'AX.25',
  4: 'ProNET',
  5: 'Chaos',
  6: 'IEEE 802',
  7: 'ARCNET',
  15: 'Frame Relay',
  16: 'ATM',
  17: 'HDLC',
  18: 'Fibre Channel',
  19: 'ATM',
  20: 'Serial Line',
  24: 'IEEE 1394.1995',
  32: 'InfiniBand',
};
const OPCODES: Readonly<Record<number, string>> = {
  1: 'request',
  2: 'reply',
  3: 'reverse request',
  4: 'reverse reply',
  5: 'DRARP-Request',
  6: 'DRARP-Reply',
  7: 'DRARP-Error',
  8: 'inverse request',
  9: 'inverse reply',
  10: 'ARP-NAK',
};

const f = defineFields({
  arp: { abbrev: 'arp', name: 'Address Resolution Protocol', type: 'protocol' },
  hwType: { abbrev: 'arp.hw.type', name: 'Hardware type', type: 'uint16', valueStrings: HW_TYPES },
  protoType: { abbrev: 'arp.proto.type', name: 'Protocol type', type: 'uint16', base: 'hex', valueStrings: ETHERTYPES },
  hwSize: { abbrev: 'arp.hw.size', name: 'Hardware size', type: 'uint8' },
  protoSize: { abbrev: 'arp.proto.size', name: 'Protocol size', type: 'uint8' },
  opcode: { abbrev: 'arp.opcode', name: 'Opcode', type: 'uint16', valueStrings: OPCODES },
  srcHwMac: { abbrev: 'arp.src.hw_mac', name: 'Sender MAC address', type: 'ether' },
  srcHw: { abbrev: 'arp.src.hw', name: 'Sender hardware address', type: 'bytes' },
  srcIpv4: { abbrev: 'arp.src.proto_ipv4', name: 'Sender IP address', type: 'ipv4' },
  srcProto: { abbrev: 'arp.src.proto', name: 'Sender protocol address', type: 'bytes' },
  dstHwMac: { abbrev: 'arp.dst.hw_mac', name: 'Target MAC address', type: 'ether' },
  dstHw: { abbrev: 'arp.dst.hw', name: 'Target hardware address', type: 'bytes' },
  dstIpv4: { abbrev: 'arp.dst.proto_ipv4', name: 'Target IP address', type: 'ipv4' },
  dstProto: { abbrev: 'arp.dst.proto', name: 'Target protocol address', type: 'bytes' },
  isGratuitous: { abbrev: 'arp.isgratuitous', name: 'Is gratuitous', type: 'bool' },
  isProbe: { abbrev: 'arp.isprobe', name: 'Is probe', type: 'bool' },
  isAnnouncement: { abbrev: 'arp.isannouncement', name: 'Is announcement', type: 'bool' },
});
export const arpFields = f;

const dissectArp: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('arp', 'ARP');
  ctx.need(buf, offset, 8, end);
  const hwType = u16(buf, offset);
  const protoType = u16(buf, offset + 2);
  const hl = buf[offset + 4];
  const pl = buf[offset + 5];
  const op = u16(buf, offset + 6);
  const total = 8 + 2 * hl + 2 * pl;
  ctx.need(buf, offset, total, end);
  const sha = offset + 8;
  const spa = sha + hl;
  const tha = spa + pl;
  const tpa = tha + hl;
  const isEther = hl === 6 && (hwType === 1 || hwType === 6);
  const isIp = pl === 4 && protoType === 0x0800;
  const hwText = (o: number) => (isEther ? formatEther(buf, o) : formatBytesHex(buf.subarray(o, o + hl), ':'));
  const protoText = (o: number) => (isIp ? formatIpv4(buf, o) : formatBytesHex(buf.subarray(o, o + pl), ':'));

  // As packet-arp.c: a request or reply whose sender and target protocol addresses are the same
  // is gratuitous; a gratuitous request with no target MAC announces the address, and a request
  // from 0.0.0.0 with no target MAC probes for it.
  const sameAddress = buf.subarray(spa, spa + pl).every((byte, i) => byte === buf[tpa + i]);
  const noTargetMac = tha + 6 <= buf.length && buf.subarray(tha, tha + 6).every((byte) => byte === 0);
  const zeroSenderIp = buf[spa] === 0 && buf[spa + 1] === 0 && buf[spa + 2] === 0 && buf[spa + 3] === 0;
  const isGratuitous = sameAddress && (op === 1 || op === 2);
  const isAnnouncement = isGratuitous && op === 1 && noTargetMac;
  const isProbe = !isGratuitous && op === 1 && noTargetMac && zeroSenderIp;

  let info: string;
  switch (op) {
    case 1:
      if (isAnnouncement) info = `ARP Announcement for ${protoText(tpa)}`;
      else if (isGratuitous) info = `Gratuitous ARP for ${protoText(tpa)} (Request)`;
      else if (isProbe) info = `Who has ${protoText(tpa)}? (ARP Probe)`;
      else info = `Who has ${protoText(tpa)}? Tell ${protoText(spa)}`;
      break;
    case 2:
      info = isGratuitous ? `Gratuitous ARP for ${protoText(spa)} (Reply)` : `${protoText(spa)} is at ${hwText(sha)}`;
      break;
    case 3:
      info = `Who is ${hwText(tha)}? Tell ${hwText(sha)}`;
      break;
    case 4:
      info = `${hwText(tha)} is at ${protoText(tpa)}`;
      break;
    case 8:
      info = `Who is ${hwText(tha)}? Tell ${protoText(spa)}`;
      break;
    case 9:
      info = `${hwText(sha)} is at ${protoText(spa)}`;
      break;
    default:
      info = `Unknown ARP opcode 0x${op.toString(16).padStart(4, '0')}`;
  }
  ctx.setInfo(info);
  if (op === 3 || op === 4) ctx.columns.protocol = 'RARP';

  if (!tree) return;
  const opName = OPCODES[op] ?? 'Unknown';
  let title = `Address Resolution Protocol (${opName})`;
  if (isAnnouncement) title = 'Address Resolution Protocol (ARP Announcement)';
  else if (isProbe) title = 'Address Resolution Protocol (ARP Probe)';
  else if (isGratuitous) title = `Address Resolution Protocol (${opName}/gratuitous ARP)`;
  const node = ctx.add(tree, f.arp, offset, total, undefined, title);
  const c = ctx.children(node);
  ctx.add(c, f.hwType, offset, 2, hwType);
  ctx.add(c, f.protoType, offset + 2, 2, protoType);
  ctx.add(c, f.hwSize, offset + 4, 1, hl);
  ctx.add(c, f.protoSize, offset + 5, 1, pl);
  ctx.add(c, f.opcode, offset + 6, 2, op);
  if (isGratuitous) ctx.addGenerated(c, f.isGratuitous, true, 'Is gratuitous: True');
  if (isProbe) ctx.addGenerated(c, f.isProbe, true, 'Is probe: True');
  if (isAnnouncement) ctx.addGenerated(c, f.isAnnouncement, true, 'Is announcement: True');
  const hwNode = (field: typeof f.srcHwMac, other: typeof f.srcHw, o: number, label: string) => {
    if (isEther) ctx.add(c, field, o, 6, buf.slice(o, o + 6), `${label}: ${etherWithName(buf, o)}`);
    else if (hl > 0) ctx.add(c, other, o, hl, buf.slice(o, o + hl), `${label}: ${hwText(o)}`);
  };
  const protoNode = (field: typeof f.srcIpv4, other: typeof f.srcProto, o: number, label: string) => {
    if (isIp) ctx.add(c, field, o, 4, buf.slice(o, o + 4), `${label}: ${formatIpv4(buf, o)}`);
    else if (pl > 0) ctx.add(c, other, o, pl, buf.slice(o, o + pl), `${label}: ${protoText(o)}`);
  };
  hwNode(f.srcHwMac, f.srcHw, sha, isEther ? 'Sender MAC address' : 'Sender hardware address');
  protoNode(f.srcIpv4, f.srcProto, spa, isIp ? 'Sender IP address' : 'Sender protocol address');
  hwNode(f.dstHwMac, f.dstHw, tha, isEther ? 'Target MAC address' : 'Target hardware address');
  protoNode(f.dstIpv4, f.dstProto, tpa, isIp ? 'Target IP address' : 'Target protocol address');
};

/** ARP as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'arp',
  fields: [f],
  registrations: [
    { table: 'ethertype', key: 0x0806, dissector: dissectArp, name: 'ARP' },
    { table: 'ethertype', key: 0x8035, dissector: dissectArp, name: 'RARP' },
  ],
});
