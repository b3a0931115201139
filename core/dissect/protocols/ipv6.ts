/**
 * IPv6 (ethertype 0x86dd) and its extension headers (Hop-by-Hop, Routing, Fragment,
 * Destination Options), as Wireshark 4.0's packet-ipv6.c. Extension headers are shown inside
 * the IPv6 item, each as its own protocol (ipv6.hopopts, ipv6.routing, …) in frame.protocols.
 */
import { defineProtocol } from '../protocol';
import { defineExpertInfos } from '../expert';
import { defineFields } from '../fields';
import type { DissectFn, PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { formatIpv6, formatBytesHex } from '../format';
import {
  DSCP_LONG,
  DSCP_SHORT,
  ECN_LONG,
  ECN_SHORT,
  IP_PROTOCOLS,
  dissectData,
  etherWithName,
  hexN,
  u16,
  u32,
} from './common';
import { dispatchIpPayload, reportedEnd } from './ipv4';
import { FragmentTable, addFragmentTree, reassembledSource, type Reassembled } from './reassembly';

const OPTION_TYPES: Readonly<Record<number, string>> = {
  0x00: 'Pad1',
  0x01: 'PadN',
  0x04: 'Tunnel Encapsulation Limit',
  0x05: 'Router Alert',
  0x06: 'Quick-Start',
  0x07: 'CALIPSO',
  0x08: 'SMF_DPD',
  0x26: 'Quick-Start',
  0x31: 'Path MTU Record',
  0x63: 'RPL Option',
  0xc2: 'Jumbo Payload',
  0xc9: 'Home Address',
};
const OPT_ACTIONS: Readonly<Record<number, string>> = {
  0: 'Skip and continue',
  1: 'Discard packet',
  2: 'Discard packet and send ICMP Parameter Problem',
  3: 'Discard packet and send ICMP Parameter Problem if not multicast',
};
const ROUTING_TYPES: Readonly<Record<number, string>> = {
  0: 'Source Route',
  1: 'Nimrod',
  2: 'Type 2 Routing',
  3: 'RPL Source Route',
  4: 'Segment Routing',
};
const RA_VALUES: Readonly<Record<number, string>> = { 0: 'MLD', 1: 'RSVP', 2: 'Active Networks' };

const f = defineFields({
  ipv6: { abbrev: 'ipv6', name: 'Internet Protocol Version 6', type: 'protocol', subtreeHolds: ['ip'] }, // ip.version
  version: { abbrev: 'ipv6.version', name: 'Version', type: 'uint8', bitmask: 0xf0 },
  ipVersion: { abbrev: 'ip.version', name: 'Version', type: 'uint8', bitmask: 0xf0 },
  tclass: { abbrev: 'ipv6.tclass', name: 'Traffic Class', type: 'uint32', base: 'hex', bitmask: 0x0ff00000 },
  dscp: {
    abbrev: 'ipv6.tclass.dscp',
    name: 'Differentiated Services Codepoint',
    type: 'uint32',
    bitmask: 0x0fc00000,
    valueStrings: DSCP_LONG,
  },
  ecn: {
    abbrev: 'ipv6.tclass.ecn',
    name: 'Explicit Congestion Notification',
    type: 'uint32',
    bitmask: 0x00300000,
    valueStrings: ECN_LONG,
  },
  flow: { abbrev: 'ipv6.flow', name: 'Flow Label', type: 'uint24', base: 'hex', bitmask: 0x0fffff },
  plen: { abbrev: 'ipv6.plen', name: 'Payload Length', type: 'uint16' },
  nxt: { abbrev: 'ipv6.nxt', name: 'Next Header', type: 'uint8', valueStrings: IP_PROTOCOLS },
  hlim: { abbrev: 'ipv6.hlim', name: 'Hop Limit', type: 'uint8' },
  src: { abbrev: 'ipv6.src', name: 'Source Address', type: 'ipv6' },
  dst: { abbrev: 'ipv6.dst', name: 'Destination Address', type: 'ipv6' },
  addr: { abbrev: 'ipv6.addr', name: 'Source or Destination Address', type: 'ipv6' },
  srcHost: { abbrev: 'ipv6.src_host', name: 'Source Host', type: 'string' },
  dstHost: { abbrev: 'ipv6.dst_host', name: 'Destination Host', type: 'string' },
  host: { abbrev: 'ipv6.host', name: 'Source or Destination Host', type: 'string' },
  srcSlaac: { abbrev: 'ipv6.src_slaac_mac', name: 'Source SLAAC MAC', type: 'ether' },
  dstSlaac: { abbrev: 'ipv6.dst_slaac_mac', name: 'Destination SLAAC MAC', type: 'ether' },
  slaac: { abbrev: 'ipv6.slaac_mac', name: 'SLAAC MAC', type: 'ether' },
  hopopts: { abbrev: 'ipv6.hopopts', name: 'IPv6 Hop-by-Hop Option', type: 'protocol' },
  hopoptsNxt: { abbrev: 'ipv6.hopopts.nxt', name: 'Next Header', type: 'uint8', valueStrings: IP_PROTOCOLS },
  hopoptsLen: { abbrev: 'ipv6.hopopts.len', name: 'Length', type: 'uint8' },
  hopoptsLenOct: { abbrev: 'ipv6.hopopts.len_oct', name: 'Length', type: 'uint16' },
  dstopts: { abbrev: 'ipv6.dstopts', name: 'Destination Options for IPv6', type: 'protocol' },
  dstoptsNxt: { abbrev: 'ipv6.dstopts.nxt', name: 'Next Header', type: 'uint8', valueStrings: IP_PROTOCOLS },
  dstoptsLen: { abbrev: 'ipv6.dstopts.len', name: 'Length', type: 'uint8' },
  dstoptsLenOct: { abbrev: 'ipv6.dstopts.len_oct', name: 'Length', type: 'uint16' },
  opt: { abbrev: 'ipv6.opt', name: 'IPv6 Option', type: 'none' },
  optType: { abbrev: 'ipv6.opt.type', name: 'Type', type: 'uint8', base: 'hex', valueStrings: OPTION_TYPES },
  optAction: {
    abbrev: 'ipv6.opt.type.action',
    name: 'Action',
    type: 'uint8',
    bitmask: 0xc0,
    valueStrings: OPT_ACTIONS,
  },
  optChange: {
    abbrev: 'ipv6.opt.type.change',
    name: 'May Change',
    type: 'bool',
    bitmask: 0x20,
    bitWidth: 8,
    trueFalse: ['Yes', 'No'],
  },
  optRest: { abbrev: 'ipv6.opt.type.rest', name: 'Low-Order Bits', type: 'uint8', base: 'hex', bitmask: 0x1f },
  optLength: { abbrev: 'ipv6.opt.length', name: 'Length', type: 'uint8' },
  optPad1: { abbrev: 'ipv6.opt.pad1', name: 'Pad1', type: 'none' },
  optPadn: { abbrev: 'ipv6.opt.padn', name: 'PadN', type: 'bytes' },
  optRouterAlert: { abbrev: 'ipv6.opt.router_alert', name: 'Router Alert', type: 'uint16', valueStrings: RA_VALUES },
  optJumbo: { abbrev: 'ipv6.opt.jumbo', name: 'Payload Length', type: 'uint32' },
  optTel: { abbrev: 'ipv6.opt.tel', name: 'Tunnel Encapsulation Limit', type: 'uint8' },
  optUnknown: { abbrev: 'ipv6.opt.unknown', name: 'Unknown Option Payload', type: 'bytes' },
  routing: { abbrev: 'ipv6.routing', name: 'Routing Header for IPv6', type: 'protocol' },
  routingNxt: { abbrev: 'ipv6.routing.nxt', name: 'Next Header', type: 'uint8', valueStrings: IP_PROTOCOLS },
  routingLen: { abbrev: 'ipv6.routing.len', name: 'Length', type: 'uint8' },
  routingLenOct: { abbrev: 'ipv6.routing.len_oct', name: 'Length', type: 'uint16' },
  routingType: { abbrev: 'ipv6.routing.type', name: 'Type', type: 'uint8', valueStrings: ROUTING_TYPES },
  routingSegleft: { abbrev: 'ipv6.routing.segleft', name: 'Segments Left', type: 'uint8' },
  routingDeprecated: { abbrev: 'ipv6.routing.deprecated', name: 'Routing header type is deprecated', type: 'none' },
  routingSrcReserved: { abbrev: 'ipv6.routing.src.reserved', name: 'Reserved', type: 'bytes' },
  routingSrcAddr: { abbrev: 'ipv6.routing.src.addr', name: 'Address', type: 'ipv6' },
  routingMipv6Reserved: { abbrev: 'ipv6.routing.mipv6.reserved', name: 'Reserved', type: 'bytes' },
  routingMipv6Home: { abbrev: 'ipv6.routing.mipv6.home_address', name: 'Home Address', type: 'ipv6' },
  routingData: { abbrev: 'ipv6.routing.data', name: 'Data', type: 'bytes' },
  finalDst: { abbrev: 'ipv6.final_dst', name: 'Final Destination Address', type: 'ipv6' },
  fraghdr: { abbrev: 'ipv6.fraghdr', name: 'Fragment Header for IPv6', type: 'protocol' },
  fragNxt: { abbrev: 'ipv6.fraghdr.nxt', name: 'Next header', type: 'uint8', valueStrings: IP_PROTOCOLS },
  fragReservedOctet: { abbrev: 'ipv6.fraghdr.reserved_octet', name: 'Reserved octet', type: 'uint8', base: 'hex' },
  fragOffset: { abbrev: 'ipv6.fraghdr.offset', name: 'Offset', type: 'uint16', bitmask: 0xfff8 },
  fragReservedBits: { abbrev: 'ipv6.fraghdr.reserved_bits', name: 'Reserved bits', type: 'uint16', bitmask: 0x0006 },
  fragMore: {
    abbrev: 'ipv6.fraghdr.more',
    name: 'More Fragments',
    type: 'bool',
    bitmask: 0x0001,
    bitWidth: 16,
    trueFalse: ['Yes', 'No'],
  },
  fragIdent: { abbrev: 'ipv6.fraghdr.ident', name: 'Identification', type: 'uint32', base: 'hex' },
  fragments: { abbrev: 'ipv6.fragments', name: 'IPv6 Fragments', type: 'bytes' },
  fragment: { abbrev: 'ipv6.fragment', name: 'IPv6 Fragment', type: 'framenum' },
  fragmentError: { abbrev: 'ipv6.fragment.error', name: 'Defragmentation error', type: 'framenum' },
  fragmentOverlap: { abbrev: 'ipv6.fragment.overlap', name: 'Fragment overlap', type: 'bool' },
  fragmentConflict: {
    abbrev: 'ipv6.fragment.overlap.conflict',
    name: 'Conflicting data in fragment overlap',
    type: 'bool',
  },
  fragmentCount: { abbrev: 'ipv6.fragment.count', name: 'Fragment count', type: 'uint32' },
  reassembledLength: { abbrev: 'ipv6.reassembled.length', name: 'Reassembled IPv6 length', type: 'uint32' },
  reassembledData: { abbrev: 'ipv6.reassembled.data', name: 'Reassembled IPv6 data', type: 'bytes' },
});

/** IPv6's expert items (Wireshark's ei_register_info of packet-ipv6.c). */
const ei = defineExpertInfos({
  routingDeprecated: {
    abbrev: 'ipv6.routing.deprecated',
    protocol: 'ipv6.routing', // its own protocol in Wireshark ("IPv6 Routing")
    group: 'deprecated',
    severity: 'note',
    field: f.routingDeprecated,
  },
});
export const ipv6Fields = f;

/** The hop limit of the innermost IPv6 header (ICMPv6 echo Info shows it). */
export function ipv6HopLimit(ctx: PacketContext): number | undefined {
  return ctx.ipv6HopLimit;
}

/** The destination for the upper-layer checksum: the last address of a type 0 routing header, else ipv6.dst. */
export function ipv6ChecksumDestination(ctx: PacketContext): Uint8Array | null {
  if (!ctx.net || ctx.net.family !== 6) return null;
  return ctx.ipv6FinalDestination ?? ctx.net.dst;
}

/** The MAC embedded in a modified EUI-64 interface identifier (…ff:fe…), or null. */
function slaacMac(addr: Uint8Array): Uint8Array | null {
  if (addr[11] !== 0xff || addr[12] !== 0xfe) return null;
  return Uint8Array.of(addr[8] ^ 0x02, addr[9], addr[10], addr[13], addr[14], addr[15]);
}

const dissectIpv6: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('ipv6', 'IPv6');
  ctx.need(buf, offset, 40, end);
  const word0 = u32(buf, offset);
  const version = buf[offset] >> 4;
  const tclass = (word0 >>> 20) & 0xff;
  const flow = word0 & 0xfffff;
  const plen = u16(buf, offset + 4);
  const nxt = buf[offset + 6];
  const hlim = buf[offset + 7];
  const src = buf.slice(offset + 8, offset + 24);
  const dst = buf.slice(offset + 24, offset + 40);
  const srcText = formatIpv6(src);
  const dstText = formatIpv6(dst);
  ctx.columns.source = srcText;
  ctx.columns.destination = dstText;
  ctx.net = { family: 6, src, dst, srcText, dstText };
  ctx.ipv6FinalDestination = undefined;
  ctx.ipv6HopLimit = hlim;

  const wireEnd = reportedEnd(ctx, buf, end);
  let payloadEnd = offset + 40 + plen;
  if (payloadEnd > wireEnd) payloadEnd = wireEnd;

  let node: ProtoNode | null = null;
  let c: ProtoNode[] | null = null;
  if (tree) {
    node = ctx.add(
      tree,
      f.ipv6,
      offset,
      40,
      undefined,
      `Internet Protocol Version 6, Src: ${srcText}, Dst: ${dstText}`,
    );
    c = ctx.children(node);
    ctx.add(c, f.version, offset, 1, version);
    ctx.addHidden(c, f.ipVersion, offset, 1, version);
    const dscp = tclass >> 2;
    const tc = ctx.add(
      c,
      f.tclass,
      offset,
      4,
      tclass,
      `.... ${bin8(tclass)} .... .... .... .... .... = Traffic Class: ${hexN(tclass, 2)} (DSCP: ${DSCP_SHORT[dscp] ?? 'Unknown'}, ECN: ${ECN_SHORT[tclass & 3]})`,
    );
    const tcc = ctx.children(tc);
    ctx.add(tcc, f.dscp, offset, 4, dscp);
    ctx.add(tcc, f.ecn, offset, 4, tclass & 3);
    ctx.add(c, f.flow, offset + 1, 3, flow);
    ctx.add(c, f.plen, offset + 4, 2, plen);
    ctx.add(c, f.nxt, offset + 6, 1, nxt);
    ctx.add(c, f.hlim, offset + 7, 1, hlim);
    ctx.add(c, f.src, offset + 8, 16, src);
    ctx.addHidden(c, f.addr, offset + 8, 16, src);
    ctx.addHidden(c, f.srcHost, offset + 8, 16, srcText);
    ctx.addHidden(c, f.host, offset + 8, 16, srcText);
    ctx.add(c, f.dst, offset + 24, 16, dst);
    ctx.addHidden(c, f.addr, offset + 24, 16, dst);
    ctx.addHidden(c, f.dstHost, offset + 24, 16, dstText);
    ctx.addHidden(c, f.host, offset + 24, 16, dstText);
    const srcMac = slaacMac(src);
    if (srcMac) {
      ctx.addGenerated(c, f.srcSlaac, srcMac, `Source SLAAC MAC: ${etherWithName(srcMac, 0)}`);
      ctx.addHidden(c, f.slaac, offset + 8, 16, srcMac);
    }
    const dstMac = slaacMac(dst);
    if (dstMac) {
      ctx.addGenerated(c, f.dstSlaac, dstMac, `Destination SLAAC MAC: ${etherWithName(dstMac, 0)}`);
      ctx.addHidden(c, f.slaac, offset + 24, 16, dstMac);
    }
  }
  if (version !== 6) {
    ctx.setInfo(`Bogus IPv6 version (${version})`);
    return;
  }

  let next = nxt;
  let p = offset + 40;
  for (;;) {
    if (next === 0 || next === 60) {
      const start = p;
      p = dissectOptionsHeader(ctx, c, buf, p, payloadEnd, next === 0 ? 'hopopts' : 'dstopts', node);
      next = buf[start];
      continue;
    }
    if (next === 43) {
      const start = p;
      p = dissectRouting(ctx, c, buf, p, payloadEnd, node);
      next = buf[start];
      continue;
    }
    if (next === 44) {
      const start = p;
      const result = dissectFragmentHeader(ctx, c, buf, p, payloadEnd, node, tree);
      if (result === 'done') return;
      p = start + 8;
      next = buf[start];
      continue;
    }
    break;
  }
  if (next === 59) {
    // No Next Header: whatever follows is not dissected.
    if (payloadEnd > p) dissectData(ctx, buf, p, payloadEnd, tree);
    return;
  }
  dispatchIpPayload(ctx, next, buf, p, payloadEnd, tree, 'IPv6');
};

function bin8(v: number): string {
  const s = v.toString(2).padStart(8, '0');
  return `${s.slice(0, 4)} ${s.slice(4)}`;
}

/** The IPv6 item spans its extension headers (also when only the item itself is built). */
function growNode(node: ProtoNode | null, newEnd: number): void {
  if (node && node.start + node.length < newEnd) node.length = newEnd - node.start;
}

function dissectOptionsHeader(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  buf: Uint8Array,
  p: number,
  end: number,
  kind: 'hopopts' | 'dstopts',
  ipNode: ProtoNode | null,
): number {
  ctx.enterProtocol(`ipv6.${kind}`);
  ctx.need(buf, p, 2, end);
  const len = (buf[p + 1] + 1) * 8;
  ctx.need(buf, p, len, end);
  growNode(ipNode, p + len);
  if (c) {
    const hop = kind === 'hopopts';
    const node = ctx.add(
      c,
      hop ? f.hopopts : f.dstopts,
      p,
      len,
      undefined,
      hop ? 'IPv6 Hop-by-Hop Option' : 'Destination Options for IPv6',
    );
    const hc = ctx.children(node);
    ctx.add(hc, hop ? f.hopoptsNxt : f.dstoptsNxt, p, 1, buf[p]);
    ctx.add(hc, hop ? f.hopoptsLen : f.dstoptsLen, p + 1, 1, buf[p + 1]);
    ctx.addGenerated(hc, hop ? f.hopoptsLenOct : f.dstoptsLenOct, len, `Length: ${len} bytes`);
    for (let q = p + 2; q < p + len;) {
      const type = buf[q];
      const name = OPTION_TYPES[type] ?? 'Unknown IPv6 Option';
      if (type === 0) {
        const on = ctx.add(hc, f.opt, q, 1, undefined, 'Pad1');
        optionType(ctx, ctx.children(on), buf, q);
        q++;
        continue;
      }
      const olen = q + 1 < p + len ? buf[q + 1] : 0;
      const oend = Math.min(q + 2 + olen, p + len);
      let label = name;
      if (type === 0x05 && olen === 2) label = `Router Alert: ${RA_VALUES[u16(buf, q + 2)] ?? 'Reserved'}`;
      const on = ctx.add(hc, f.opt, q, oend - q, undefined, label);
      const oc = ctx.children(on);
      optionType(ctx, oc, buf, q);
      ctx.add(oc, f.optLength, q + 1, 1, olen);
      const data = buf.slice(q + 2, oend);
      if (type === 0x01) ctx.add(oc, f.optPadn, q + 2, oend - q - 2, data, `PadN: ${formatBytesHex(data)}`);
      else if (type === 0x05 && olen === 2) ctx.add(oc, f.optRouterAlert, q + 2, 2, u16(buf, q + 2));
      else if (type === 0xc2 && olen === 4) ctx.add(oc, f.optJumbo, q + 2, 4, u32(buf, q + 2));
      else if (type === 0x04 && olen === 1) ctx.add(oc, f.optTel, q + 2, 1, buf[q + 2]);
      else if (data.length)
        ctx.add(oc, f.optUnknown, q + 2, data.length, data, `Unknown Option Payload: ${formatBytesHex(data)}`);
      q = oend;
    }
  }
  return p + len;
}

function optionType(ctx: PacketContext, parent: ProtoNode[] | null, buf: Uint8Array, q: number): void {
  const type = buf[q];
  const t = ctx.add(parent, f.optType, q, 1, type);
  const tc = ctx.children(t);
  ctx.add(tc, f.optAction, q, 1, type >> 6);
  ctx.add(tc, f.optChange, q, 1, (type & 0x20) !== 0);
  ctx.add(tc, f.optRest, q, 1, type & 0x1f);
}

function dissectRouting(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  buf: Uint8Array,
  p: number,
  end: number,
  ipNode: ProtoNode | null,
): number {
  ctx.enterProtocol('ipv6.routing');
  ctx.need(buf, p, 4, end);
  const len = (buf[p + 1] + 1) * 8;
  ctx.need(buf, p, len, end);
  const type = buf[p + 2];
  const segleft = buf[p + 3];
  let finalDst: Uint8Array | null = null;
  if (type === 0 && segleft > 0 && len >= 24) {
    const count = Math.floor((len - 8) / 16);
    finalDst = buf.slice(p + 8 + (count - 1) * 16, p + 8 + count * 16);
  } else if (type === 2 && segleft > 0 && len >= 24) {
    finalDst = buf.slice(p + 8, p + 24);
  }
  if (finalDst && ctx.net) {
    // Wireshark's pinfo->dst (Destination column, conversations) becomes the final destination.
    ctx.ipv6FinalDestination = finalDst;
    const text = formatIpv6(finalDst);
    ctx.net = { ...ctx.net, dst: finalDst, dstText: text };
    ctx.columns.destination = text;
  }
  growNode(ipNode, p + len);
  if (c) {
    const node = ctx.add(
      c,
      f.routing,
      p,
      len,
      undefined,
      `Routing Header for IPv6 (${ROUTING_TYPES[type] ?? 'Unknown'})`,
    );
    const rc = ctx.children(node);
    ctx.add(rc, f.routingNxt, p, 1, buf[p]);
    ctx.add(rc, f.routingLen, p + 1, 1, buf[p + 1]);
    ctx.addGenerated(rc, f.routingLenOct, len, `Length: ${len} bytes`);
    const tn = ctx.add(rc, f.routingType, p + 2, 1, type);
    if (type === 0) {
      ctx.expert(ctx.children(tn), ei.routingDeprecated);
    }
    ctx.add(rc, f.routingSegleft, p + 3, 1, segleft);
    if (type === 0) {
      const reserved = buf.slice(p + 4, p + 8);
      ctx.add(rc, f.routingSrcReserved, p + 4, 4, reserved, `Reserved: ${formatBytesHex(reserved)}`);
      let n = 1;
      for (let q = p + 8; q + 16 <= p + len; q += 16, n++) {
        const a = buf.slice(q, q + 16);
        ctx.add(rc, f.routingSrcAddr, q, 16, a, `Address[${n}]: ${formatIpv6(a)}`);
      }
    } else if (type === 2 && len >= 24) {
      const reserved = buf.slice(p + 4, p + 8);
      ctx.add(rc, f.routingMipv6Reserved, p + 4, 4, reserved, `Reserved: ${formatBytesHex(reserved)}`);
      ctx.add(rc, f.routingMipv6Home, p + 8, 16, buf.slice(p + 8, p + 24));
    } else if (len > 4) {
      const data = buf.slice(p + 4, p + len);
      ctx.add(rc, f.routingData, p + 4, len - 4, data, `Data: ${formatBytesHex(data)}`);
    }
  }
  return p + len;
}

/** Returns 'done' when the header ended dissection (a non-atomic fragment), else 'continue'. */
function dissectFragmentHeader(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  buf: Uint8Array,
  p: number,
  end: number,
  ipNode: ProtoNode | null,
  tree: ProtoNode[] | null,
): 'done' | 'continue' {
  ctx.enterProtocol('ipv6.fraghdr');
  ctx.need(buf, p, 8, end);
  const nxt = buf[p];
  const offWord = u16(buf, p + 2);
  const fragOffset = offWord & 0xfff8;
  const more = (offWord & 1) !== 0;
  const ident = u32(buf, p + 4);
  growNode(ipNode, p + 8);
  if (c) {
    const node = ctx.add(c, f.fraghdr, p, 8);
    const fc = ctx.children(node);
    ctx.add(fc, f.fragNxt, p, 1, nxt);
    ctx.add(fc, f.fragReservedOctet, p + 1, 1, buf[p + 1]);
    ctx.add(
      fc,
      f.fragOffset,
      p + 2,
      2,
      offWord >> 3,
      `${bitPatternText(offWord)} = Offset: ${offWord >> 3} (${fragOffset} bytes)`,
    );
    ctx.add(fc, f.fragReservedBits, p + 2, 2, (offWord >> 1) & 3);
    ctx.add(fc, f.fragMore, p + 2, 2, more);
    ctx.add(fc, f.fragIdent, p + 4, 4, ident);
  }
  if (fragOffset === 0 && !more) return 'continue'; // atomic fragment (RFC 6946)
  const payloadStart = p + 8;
  const table = ctx.state.state('ipv6.frag', () => new FragmentTable());
  const net = ctx.net;
  let done: Reassembled | null = null;
  if (net && Math.min(end, buf.length) === end && end >= payloadStart) {
    const key = `${net.srcText}>${net.dstText}#${ident}`;
    done = table.add(key, ctx.packet.number, fragOffset, buf.subarray(payloadStart, end), more);
  }
  if (!done) {
    ctx.setInfo(`IPv6 fragment (off=${fragOffset} more=${more ? 'y' : 'n'} ident=${hexN(ident, 8)} nxt=${nxt})`);
    dissectData(ctx, buf, payloadStart, end, tree);
    return 'done';
  }
  const data = done.data;
  const saved = ctx.source;
  ctx.source = reassembledSource(ctx, data, 'IPv6');
  try {
    addFragmentTree(ctx, c, f, done, 'IPv6', false);
    dispatchIpPayload(ctx, nxt, data, 0, data.length, tree, 'IPv6');
  } finally {
    ctx.source = saved;
  }
  return 'done';
}

function bitPatternText(word: number): string {
  const s = (word >> 3).toString(2).padStart(13, '0') + '...';
  return `${s.slice(0, 4)} ${s.slice(4, 8)} ${s.slice(8, 12)} ${s.slice(12)}`;
}

/** IPV6 as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'ipv6',
  fields: [f],
  expertInfos: [ei],
  registrations: [
    { table: 'ethertype', key: 0x86dd, dissector: dissectIpv6, name: 'IPv6' },
    { table: 'ip.proto', key: 41, dissector: dissectIpv6, name: 'IPv6' },
  ],
});
