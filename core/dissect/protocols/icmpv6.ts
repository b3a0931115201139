/**
 * ICMPv6 (IPv6 next header 58), as Wireshark 4.0's packet-icmpv6.c: echo, errors with the
 * invoking packet, and Neighbor Discovery (RS/RA/NS/NA) with their options. The checksum is
 * verified against the IPv6 pseudo-header (using the routing header's final destination).
 */
import { defineProtocol } from '../protocol';
import { defineExpertInfos } from '../expert';
import { defineFields } from '../fields';
import { dissectorTables, type DissectFn, type PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { formatIpv6, formatEther, formatBytesHex } from '../format';
import {
  CHECKSUM_STATUS,
  addVerifiedChecksum,
  bitLabel,
  dissectData,
  etherWithName,
  hexN,
  onesSum,
  pseudoHeaderSum,
  u16,
  u32,
} from './common';
import { ipv6ChecksumDestination, ipv6HopLimit } from './ipv6';
import { enterErrorPacket, leaveErrorPacket } from './ipv4';
import { dissectIcmpExtensions } from './icmp';

const TYPES: Readonly<Record<number, string>> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  100: 'Private experimentation',
  101: 'Private experimentation',
  127: 'Reserved for expansion of ICMPv6 error messages',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  130: 'Multicast Listener Query',
  131: 'Multicast Listener Report',
  132: 'Multicast Listener Done',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
  138: 'Router Renumbering',
  139: 'Node Information Query',
  140: 'Node Information Reply',
  141: 'Inverse Neighbor Discovery Solicitation',
  142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2',
  144: 'Home Agent Address Discovery Request',
  145: 'Home Agent Address Discovery Reply',
  146: 'Mobile Prefix Solicitation',
  147: 'Mobile Prefix Advertisement',
  148: 'Certification Path Solicitation',
  149: 'Certification Path Advertisement',
  150: 'Experimental Mobility',
  151: 'Multicast Router Advertisement',
  152: 'Multicast Router Solicitation',
  153: 'Multicast Router Termination',
  154: 'FMIPv6',
  155: 'RPL Control',
  156: 'Locator Update',
  157: 'Duplicate Address Request',
  158: 'Duplicate Address Confirmation',
  159: 'MPL Control Message',
  160: 'Extended Echo request',
  161: 'Extended Echo reply',
  200: 'Private experimentation',
  201: 'Private experimentation',
  255: 'Reserved for expansion of ICMPv6 informational messages',
};
// Code names exactly as packet-icmpv6.c spells them (some start lower case, some not).
const UNREACH_CODES: Readonly<Record<number, string>> = {
  0: 'no route to destination',
  1: 'Administratively prohibited',
  2: 'Beyond scope of source address',
  3: 'Address unreachable',
  4: 'Port unreachable',
  5: 'Source address failed ingress/egress policy',
  6: 'Reject route to destination',
  7: 'Error in Source Routing Header',
};
const TIME_EXCEEDED_CODES: Readonly<Record<number, string>> = {
  0: 'hop limit exceeded in transit',
  1: 'fragment reassembly time exceeded',
};
const PARAM_CODES: Readonly<Record<number, string>> = {
  0: 'erroneous header field encountered',
  1: 'unrecognized Next Header type encountered',
  2: 'unrecognized IPv6 option encountered',
  3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
};
/** RFC 8335 extended echo codes. */
const EXT_ECHO_CODES: Readonly<Record<number, string>> = {
  0: 'No error',
  1: 'Malformed Query',
  2: 'No Such Interface',
  3: 'No Such Table Entry',
  4: 'Multiple Interfaces Satisfy Query',
};
const ROUTER_PREFERENCE: Readonly<Record<number, string>> = { 0: 'Medium', 1: 'High', 2: 'Reserved', 3: 'Low' };
const MLDR_RECORD_TYPES: Readonly<Record<number, string>> = {
  1: 'Include',
  2: 'Exclude',
  3: 'Changed to include',
  4: 'Changed to exclude',
  5: 'Allow new sources',
  6: 'Block old sources',
};
const OPTION_TYPES: Readonly<Record<number, string>> = {
  1: 'Source link-layer address',
  2: 'Target link-layer address',
  3: 'Prefix information',
  4: 'Redirected header',
  5: 'MTU',
  25: 'Recursive DNS Server',
  31: 'DNS Search List',
};

const f = defineFields({
  icmpv6: {
    abbrev: 'icmpv6',
    name: 'Internet Control Message Protocol v6',
    type: 'protocol',
    subtreeHolds: 'any', // errors quote the invoking packet
  },
  type: { abbrev: 'icmpv6.type', name: 'Type', type: 'uint8', valueStrings: TYPES },
  code: { abbrev: 'icmpv6.code', name: 'Code', type: 'uint8' },
  checksum: { abbrev: 'icmpv6.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: {
    abbrev: 'icmpv6.checksum.status',
    name: 'Checksum Status',
    type: 'uint8',
    valueStrings: CHECKSUM_STATUS,
  },
  reserved: { abbrev: 'icmpv6.reserved', name: 'Reserved', type: 'bytes' },
  echoId: { abbrev: 'icmpv6.echo.identifier', name: 'Identifier', type: 'uint16', base: 'hex' },
  echoSeq: { abbrev: 'icmpv6.echo.sequence_number', name: 'Sequence', type: 'uint16' },
  data: { abbrev: 'icmpv6.data', name: 'Data', type: 'bytes' },
  mldMaxDelay: { abbrev: 'icmpv6.mld.maximum_response_delay', name: 'Maximum Response Delay [ms]', type: 'uint16' },
  mldMaxCode: { abbrev: 'icmpv6.mld.maximum_response_code', name: 'Maximum Response Code', type: 'uint16' },
  mldMaddr: { abbrev: 'icmpv6.mld.multicast_address', name: 'Multicast Address', type: 'ipv6' },
  mldFlag: { abbrev: 'icmpv6.mld.flag', name: 'Flags', type: 'uint8', base: 'hex' },
  mldFlagS: {
    abbrev: 'icmpv6.mld.flag.s',
    name: 'Suppress Router-Side Processing',
    type: 'bool',
    bitmask: 0x08,
    bitWidth: 8,
    trueFalse: ['True', 'False'],
  },
  mldFlagQrv: {
    abbrev: 'icmpv6.mld.flag.qrv',
    name: "QRV (Querier's Robustness Variable)",
    type: 'uint8',
    bitmask: 0x07,
  },
  mldFlagRsv: { abbrev: 'icmpv6.mld.flag.reserved', name: 'Reserved', type: 'uint8', bitmask: 0xf0 },
  mldQqi: { abbrev: 'icmpv6.mld.qqi', name: "QQIC (Querier's Query Interval Code)", type: 'uint8' },
  mldNbSources: { abbrev: 'icmpv6.mld.nb_sources', name: 'Number of Sources', type: 'uint16' },
  mldSource: { abbrev: 'icmpv6.mld.source_address', name: 'Source Address', type: 'ipv6' },
  mldrNbRecords: {
    abbrev: 'icmpv6.mldr.nb_mcast_records',
    name: 'Number of Multicast Address Records',
    type: 'uint16',
  },
  mldrMar: { abbrev: 'icmpv6.mldr.mar', name: 'Multicast Address Record', type: 'none' },
  mldrRecordType: {
    abbrev: 'icmpv6.mldr.mar.record_type',
    name: 'Record Type',
    type: 'uint8',
    valueStrings: MLDR_RECORD_TYPES,
  },
  mldrAuxLen: { abbrev: 'icmpv6.mldr.mar.aux_data_len', name: 'Aux Data Len', type: 'uint8' },
  mldrNbSources: { abbrev: 'icmpv6.mldr.mar.nb_sources', name: 'Number of Sources', type: 'uint16' },
  mldrMaddr: { abbrev: 'icmpv6.mldr.mar.multicast_address', name: 'Multicast Address', type: 'ipv6' },
  mldrSource: { abbrev: 'icmpv6.mldr.mar.source_address', name: 'Source Address', type: 'ipv6' },
  mldrAux: { abbrev: 'icmpv6.mldr.mar.auxiliary_data', name: 'Auxiliary Data', type: 'bytes' },
  extEchoSeq: { abbrev: 'icmpv6.ext.echo.seq', name: 'Sequence number', type: 'uint8', base: 'dec_hex' },
  extEchoReqRes: { abbrev: 'icmpv6.ext.echo.req.res', name: 'Reserved', type: 'uint8', base: 'hex', bitmask: 0xfe },
  extEchoLocal: { abbrev: 'icmpv6.ext.echo.req.local', name: 'Local bit', type: 'bool', bitmask: 0x01, bitWidth: 8 },
  extEchoState: {
    abbrev: 'icmpv6.ext.echo.rsp.state',
    name: 'State',
    type: 'uint8',
    bitmask: 0xe0,
    valueStrings: { 0: 'Reserved', 1: 'Incomplete', 2: 'Reachable', 3: 'Stale', 4: 'Delay', 5: 'Probe', 6: 'Failed' },
  },
  extEchoRspRes: { abbrev: 'icmpv6.ext.echo.rsp.res', name: 'Reserved', type: 'uint8', base: 'hex', bitmask: 0x18 },
  extEchoActive: { abbrev: 'icmpv6.ext.echo.rsp.active', name: 'Active bit', type: 'bool', bitmask: 0x04, bitWidth: 8 },
  extEchoIpv4: { abbrev: 'icmpv6.ext.echo.rsp.ipv4', name: 'IPv4 bit', type: 'bool', bitmask: 0x02, bitWidth: 8 },
  extEchoIpv6: { abbrev: 'icmpv6.ext.echo.rsp.ipv6', name: 'IPv6 bit', type: 'bool', bitmask: 0x01, bitWidth: 8 },
  mip6Identifier: { abbrev: 'icmpv6.mip6.identifier', name: 'Identifier', type: 'uint16', base: 'dec_hex' },
  mip6Flag: { abbrev: 'icmpv6.mip6.flag', name: 'Flags', type: 'uint16', base: 'hex' },
  mip6FlagM: {
    abbrev: 'icmpv6.mip6.flag.m',
    name: 'Managed address configuration',
    type: 'bool',
    bitmask: 0x8000,
    bitWidth: 16,
  },
  mip6FlagO: { abbrev: 'icmpv6.mip6.flag.o', name: 'Other configuration', type: 'bool', bitmask: 0x4000, bitWidth: 16 },
  mip6FlagRsv: { abbrev: 'icmpv6.mip6.flag.rsv', name: 'Reserved', type: 'uint16', bitmask: 0x3fff },
  sendIdentifier: { abbrev: 'icmpv6.send.identifier', name: 'Identifier', type: 'uint16' },
  sendAllComponents: { abbrev: 'icmpv6.send.all_components', name: 'All Components', type: 'uint16' },
  sendComponent: { abbrev: 'icmpv6.send.component', name: 'Component', type: 'uint16' },
  mcastRaQueryInterval: { abbrev: 'icmpv6.mcast_ra.query_interval', name: 'Query Interval', type: 'uint16' },
  mcastRaRobustness: { abbrev: 'icmpv6.mcast_ra.robustness_variable', name: 'Robustness Variable', type: 'uint16' },
  respTo: { abbrev: 'icmpv6.resp_to', name: 'Response To', type: 'framenum' },
  respTime: { abbrev: 'icmpv6.resptime', name: 'Response Time', type: 'double' },
  mtu: { abbrev: 'icmpv6.mtu', name: 'MTU', type: 'uint32' },
  pointer: { abbrev: 'icmpv6.pointer', name: 'Pointer', type: 'uint32' },
  ndNsTarget: { abbrev: 'icmpv6.nd.ns.target_address', name: 'Target Address', type: 'ipv6' },
  ndNaFlag: { abbrev: 'icmpv6.nd.na.flag', name: 'Flags', type: 'uint32', base: 'hex' },
  ndNaFlagR: { abbrev: 'icmpv6.nd.na.flag.r', name: 'Router', type: 'bool', bitmask: 0x80000000, bitWidth: 32 },
  ndNaFlagS: { abbrev: 'icmpv6.nd.na.flag.s', name: 'Solicited', type: 'bool', bitmask: 0x40000000, bitWidth: 32 },
  ndNaFlagO: { abbrev: 'icmpv6.nd.na.flag.o', name: 'Override', type: 'bool', bitmask: 0x20000000, bitWidth: 32 },
  ndNaFlagRsv: { abbrev: 'icmpv6.nd.na.flag.rsv', name: 'Reserved', type: 'uint32', bitmask: 0x1fffffff },
  ndRdTarget: { abbrev: 'icmpv6.nd.rd.target_address', name: 'Target Address', type: 'ipv6' },
  ndRdDestination: { abbrev: 'icmpv6.rd.na.destination_address', name: 'Destination Address', type: 'ipv6' },
  ndNaTarget: { abbrev: 'icmpv6.nd.na.target_address', name: 'Target Address', type: 'ipv6' },
  ndRaCurHopLimit: { abbrev: 'icmpv6.nd.ra.cur_hop_limit', name: 'Cur hop limit', type: 'uint8' },
  ndRaFlag: { abbrev: 'icmpv6.nd.ra.flag', name: 'Flags', type: 'uint8', base: 'hex' },
  ndRaFlagM: {
    abbrev: 'icmpv6.nd.ra.flag.m',
    name: 'Managed address configuration',
    type: 'bool',
    bitmask: 0x80,
    bitWidth: 8,
  },
  ndRaFlagO: { abbrev: 'icmpv6.nd.ra.flag.o', name: 'Other configuration', type: 'bool', bitmask: 0x40, bitWidth: 8 },
  ndRaFlagH: { abbrev: 'icmpv6.nd.ra.flag.h', name: 'Home Agent', type: 'bool', bitmask: 0x20, bitWidth: 8 },
  ndRaFlagPrf: {
    abbrev: 'icmpv6.nd.ra.flag.prf',
    name: 'Prf (Default Router Preference)',
    type: 'uint8',
    bitmask: 0x18,
    valueStrings: ROUTER_PREFERENCE,
  },
  ndRaFlagP: { abbrev: 'icmpv6.nd.ra.flag.p', name: 'Proxy', type: 'bool', bitmask: 0x04, bitWidth: 8 },
  ndRaFlagRsv: { abbrev: 'icmpv6.nd.ra.flag.rsv', name: 'Reserved', type: 'uint8', bitmask: 0x03 },
  optReservedNone: { abbrev: 'icmpv6.opt.reserved', name: 'Reserved', type: 'none' },
  optPrefixFlag: { abbrev: 'icmpv6.opt.prefix.flag', name: 'Flag', type: 'uint8', base: 'hex' },
  optPrefixFlagL: {
    abbrev: 'icmpv6.opt.prefix.flag.l',
    name: 'On-link flag(L)',
    type: 'bool',
    bitmask: 0x80,
    bitWidth: 8,
  },
  optPrefixFlagA: {
    abbrev: 'icmpv6.opt.prefix.flag.a',
    name: 'Autonomous address-configuration flag(A)',
    type: 'bool',
    bitmask: 0x40,
    bitWidth: 8,
  },
  optPrefixFlagR: {
    abbrev: 'icmpv6.opt.prefix.flag.r',
    name: 'Router address flag(R)',
    type: 'bool',
    bitmask: 0x20,
    bitWidth: 8,
  },
  optPrefixFlagRsv: { abbrev: 'icmpv6.opt.prefix.flag.reserved', name: 'Reserved', type: 'uint8', bitmask: 0x1f },
  optPrefixValid: { abbrev: 'icmpv6.opt.prefix.valid_lifetime', name: 'Valid Lifetime', type: 'uint32' },
  optPrefixPreferred: { abbrev: 'icmpv6.opt.prefix.preferred_lifetime', name: 'Preferred Lifetime', type: 'uint32' },
  optRdnssLifetime: { abbrev: 'icmpv6.opt.rdnss.lifetime', name: 'Lifetime', type: 'uint32' },
  optRdnss: { abbrev: 'icmpv6.opt.rdnss', name: 'Recursive DNS Servers', type: 'ipv6' },
  ndRaRouterLifetime: { abbrev: 'icmpv6.nd.ra.router_lifetime', name: 'Router lifetime (s)', type: 'uint16' },
  ndRaReachable: { abbrev: 'icmpv6.nd.ra.reachable_time', name: 'Reachable time (ms)', type: 'uint32' },
  ndRaRetrans: { abbrev: 'icmpv6.nd.ra.retrans_timer', name: 'Retrans timer (ms)', type: 'uint32' },
  opt: { abbrev: 'icmpv6.opt', name: 'ICMPv6 Option', type: 'none' },
  optType: { abbrev: 'icmpv6.opt.type', name: 'Type', type: 'uint8', valueStrings: OPTION_TYPES },
  optLength: { abbrev: 'icmpv6.opt.length', name: 'Length', type: 'uint8' },
  optLinkaddrMac: { abbrev: 'icmpv6.opt.linkaddr', name: 'Link-layer address', type: 'ether' },
  optSrcLinkaddr: { abbrev: 'icmpv6.opt.src_linkaddr', name: 'Source Link-layer address', type: 'ether' },
  optTargetLinkaddr: { abbrev: 'icmpv6.opt.target_linkaddr', name: 'Target Link-layer address', type: 'ether' },
  optMtu: { abbrev: 'icmpv6.opt.mtu', name: 'MTU', type: 'uint32' },
  optPrefixLength: { abbrev: 'icmpv6.opt.prefix.length', name: 'Prefix Length', type: 'uint8' },
  optPrefix: { abbrev: 'icmpv6.opt.prefix', name: 'Prefix', type: 'ipv6' },
  optReserved: { abbrev: 'icmpv6.opt.reserved', name: 'Reserved', type: 'none' },
  optRedirectedPacket: { abbrev: 'icmpv6.opt.redirected_packet', name: 'Redirected Packet', type: 'none' },
  optData: { abbrev: 'icmpv6.opt.data', name: 'Data', type: 'bytes' },
});

/** ICMPv6's expert items (Wireshark's ei_register_info of packet-icmpv6.c). */
const ei = defineExpertInfos({
  undecodedType: {
    abbrev: 'icmpv6.undecoded.type',
    group: 'undecoded',
    severity: 'note',
    message: (type: number) =>
      `Dissector for ICMPv6 Type (${type}) code not implemented, Contact Wireshark developers if you want this supported`,
  },
  invalidOptionLength: {
    abbrev: 'icmpv6.invalid.option.length',
    group: 'malformed',
    severity: 'error',
    message: 'Invalid option length (Zero)',
  },
});
export const icmpv6Fields = f;

interface EchoState {
  requests: Map<string, { frame: number; time: number }>;
}

function codeName(type: number, code: number): string | undefined {
  if (type === 1) return UNREACH_CODES[code];
  if (type === 3) return TIME_EXCEEDED_CODES[code];
  if (type === 4) return PARAM_CODES[code];
  if (type === 160 || type === 161) return EXT_ECHO_CODES[code];
  return undefined;
}

const dissectIcmpv6: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('icmpv6', 'ICMPv6');
  ctx.need(buf, offset, 4, end);
  const type = buf[offset];
  const code = buf[offset + 1];
  const checksum = u16(buf, offset + 2);
  const typeName = TYPES[type] ?? 'Unknown';
  const cName = codeName(type, code);
  let info = cName ? `${typeName} (${cName})` : typeName;

  // Info text first (cheap), tree afterwards.
  // Each link-layer address option adds " from MAC" (source) or " is at MAC" (target) to Info.
  let linkText = '';
  const optionsStart =
    type === 133 || type === 141 || type === 142
      ? offset + 8
      : type === 134
        ? offset + 16
        : type === 135 || type === 136
          ? offset + 24
          : type === 137
            ? offset + 40
            : -1;
  if (optionsStart > 0) {
    for (let p = optionsStart; p + 2 <= Math.min(end, buf.length);) {
      const olen = buf[p + 1] * 8;
      if (olen === 0) break;
      if ((buf[p] === 1 || buf[p] === 2) && olen === 8 && p + 8 <= buf.length)
        linkText += `${buf[p] === 2 ? ' is at' : ' from'} ${formatEther(buf, p + 2)}`;
      p += olen;
    }
  }
  if (type === 128 || type === 129) {
    ctx.need(buf, offset, 8, end);
    const hlim = ipv6HopLimit(ctx);
    info = `${typeName} id=${hexN(u16(buf, offset + 4), 4)}, seq=${u16(buf, offset + 6)}${hlim !== undefined ? `, hop limit=${hlim}` : ''}`;
  } else if (type === 135) {
    ctx.need(buf, offset, 24, end);
    info = `${typeName} for ${formatIpv6(buf, offset + 8)}${linkText}`;
  } else if (type === 136) {
    ctx.need(buf, offset, 24, end);
    const flags = buf[offset + 4];
    const names: string[] = [];
    if (flags & 0x80) names.push('rtr');
    if (flags & 0x40) names.push('sol');
    if (flags & 0x20) names.push('ovr');
    info = `${typeName} ${formatIpv6(buf, offset + 8)}${names.length ? ` (${names.join(', ')})` : ''}${linkText}`;
  } else if (optionsStart > 0) {
    info += linkText;
  }
  let reqFrame = 0;
  let reqTime = 0;
  if (type === 128 || type === 129) {
    // Request/reply matching in one pass, as tshark without -2 (the request cannot know its reply).
    const state = ctx.state.state<EchoState>('icmpv6.echo', () => ({ requests: new Map() }));
    const net = ctx.net;
    const key = `${u16(buf, offset + 4)}/${u16(buf, offset + 6)}/${type === 128 ? net?.srcText : net?.dstText}>${type === 128 ? net?.dstText : net?.srcText}`;
    if (type === 128) state.requests.set(key, { frame: ctx.packet.number, time: ctx.packet.timeRelative });
    else {
      const req = state.requests.get(key);
      if (req) {
        reqFrame = req.frame;
        reqTime = ctx.packet.timeRelative - req.time;
        info += ` (request in ${req.frame})`;
      }
    }
  }
  ctx.setInfo(info);

  if (!tree) {
    if (type === 128 || type === 129) dissectData(ctx, buf, offset + 8, end, null);
    else if (type === 160 && Math.min(end, buf.length) > offset + 8) ctx.enterProtocol('icmp');
    else if (type === 137) redirectedPacket(ctx, buf, offset + 40, Math.min(end, buf.length));
    dissectInvoking(ctx, type, buf, offset, end, null);
    return;
  }
  const node = ctx.add(tree, f.icmpv6, offset, Math.min(end, buf.length) - offset);
  const c = ctx.children(node);
  ctx.add(c, f.type, offset, 1, type);
  ctx.add(c, f.code, offset + 1, 1, code, cName ? `Code: ${code} (${cName})` : `Code: ${code}`);
  const net = ctx.net;
  const dst = ipv6ChecksumDestination(ctx);
  if (net && dst && end <= buf.length) {
    const len = end - offset;
    const sum = onesSum(buf, offset, end, pseudoHeaderSum(net.src, dst, 58, len));
    addVerifiedChecksum(ctx, c, f, offset + 2, checksum, sum === 0xffff);
  } else {
    addVerifiedChecksum(ctx, c, f, offset + 2, checksum, null);
  }
  const stop = Math.min(end, buf.length);
  switch (type) {
    case 128:
    case 129: {
      ctx.add(c, f.echoId, offset + 4, 2, u16(buf, offset + 4));
      ctx.add(c, f.echoSeq, offset + 6, 2, u16(buf, offset + 6));
      if (reqFrame) {
        ctx.addGenerated(c, f.respTo, reqFrame, `Response To: ${reqFrame}`);
        ctx.addGenerated(c, f.respTime, reqTime * 1000, `Response Time: ${(reqTime * 1000).toFixed(3)} ms`);
      }
      dissectData(ctx, buf, offset + 8, end, c);
      return;
    }
    case 130:
    case 131:
    case 132:
      mld(ctx, c, type, buf, offset, stop);
      return;
    case 143: {
      reserved(ctx, c, buf, offset + 4, 2);
      const count = u16(buf, offset + 6);
      ctx.add(c, f.mldrNbRecords, offset + 6, 2, count);
      for (let i = 0, p = offset + 8; i < count && p + 20 <= stop; i++) {
        const rtype = buf[p];
        const aux = buf[p + 1] * 4;
        const n = u16(buf, p + 2);
        const len = 20 + n * 16 + aux;
        const rn = ctx.add(
          c,
          f.mldrMar,
          p,
          Math.min(len, stop - p),
          undefined,
          `Multicast Address Record ${MLDR_RECORD_TYPES[rtype] ?? 'Unknown'}: ${formatIpv6(buf, p + 4)}`,
        );
        const rc = ctx.children(rn);
        ctx.add(rc, f.mldrRecordType, p, 1, rtype);
        ctx.add(rc, f.mldrAuxLen, p + 1, 1, buf[p + 1]);
        ctx.add(rc, f.mldrNbSources, p + 2, 2, n);
        ctx.add(rc, f.mldrMaddr, p + 4, 16, buf.slice(p + 4, p + 20));
        let q = p + 20;
        for (let k = 0; k < n && q + 16 <= stop; k++, q += 16) ctx.add(rc, f.mldrSource, q, 16, buf.slice(q, q + 16));
        if (aux > 0 && q < stop) {
          const data = buf.slice(q, Math.min(q + aux, stop));
          ctx.add(rc, f.mldrAux, q, data.length, data, `Auxiliary Data: ${formatBytesHex(data)}`);
        }
        p += len;
      }
      return;
    }
    case 160:
    case 161: {
      ctx.need(buf, offset, 8, end);
      ctx.add(c, f.echoId, offset + 4, 2, u16(buf, offset + 4));
      ctx.add(c, f.extEchoSeq, offset + 6, 1, buf[offset + 6]);
      const bits = buf[offset + 7];
      if (type === 160) {
        ctx.add(c, f.extEchoReqRes, offset + 7, 1, bits >> 1);
        ctx.add(c, f.extEchoLocal, offset + 7, 1, (bits & 1) !== 0);
        if (stop > offset + 8) {
          // Wireshark hands the extension structure to its ICMP dissector ("icmpv6:icmp").
          ctx.enterProtocol('icmp');
          dissectIcmpExtensions(ctx, c, buf, offset + 8, stop);
        }
      } else {
        ctx.add(c, f.extEchoState, offset + 7, 1, bits >> 5);
        ctx.add(c, f.extEchoRspRes, offset + 7, 1, (bits >> 3) & 3);
        ctx.add(c, f.extEchoActive, offset + 7, 1, (bits & 4) !== 0);
        ctx.add(c, f.extEchoIpv4, offset + 7, 1, (bits & 2) !== 0);
        ctx.add(c, f.extEchoIpv6, offset + 7, 1, (bits & 1) !== 0);
      }
      return;
    }
    case 141: // Inverse Neighbor Discovery (RFC 3122)
    case 142:
      reserved(ctx, c, buf, offset + 4, 4);
      options(ctx, c, buf, offset + 8, stop);
      return;
    case 144: // Mobile IPv6 (RFC 6275): home agent discovery request, mobile prefix solicitation
    case 146:
      ctx.need(buf, offset, 8, end);
      ctx.add(c, f.mip6Identifier, offset + 4, 2, u16(buf, offset + 4));
      reserved(ctx, c, buf, offset + 6, 2);
      return;
    case 147: {
      ctx.need(buf, offset, 8, end);
      ctx.add(c, f.mip6Identifier, offset + 4, 2, u16(buf, offset + 4));
      const flags = u16(buf, offset + 6);
      const set = [flags & 0x8000 ? 'Managed address configuration' : '', flags & 0x4000 ? 'Other configuration' : ''];
      const label = `Flags: ${hexN(flags, 4)}${set
        .filter(Boolean)
        .map((n) => `, ${n}`)
        .join('')}`;
      const fn = ctx.add(c, f.mip6Flag, offset + 6, 2, flags, label);
      const fc = ctx.children(fn);
      ctx.add(fc, f.mip6FlagM, offset + 6, 2, (flags & 0x8000) !== 0);
      ctx.add(fc, f.mip6FlagO, offset + 6, 2, (flags & 0x4000) !== 0);
      ctx.add(fc, f.mip6FlagRsv, offset + 6, 2, flags & 0x3fff);
      options(ctx, c, buf, offset + 8, stop);
      return;
    }
    case 148: // SEND certification path (RFC 3971)
      ctx.need(buf, offset, 8, end);
      ctx.add(c, f.sendIdentifier, offset + 4, 2, u16(buf, offset + 4));
      ctx.add(c, f.sendComponent, offset + 6, 2, u16(buf, offset + 6));
      options(ctx, c, buf, offset + 8, stop);
      return;
    case 149:
      ctx.need(buf, offset, 12, end);
      ctx.add(c, f.sendIdentifier, offset + 4, 2, u16(buf, offset + 4));
      ctx.add(c, f.sendAllComponents, offset + 6, 2, u16(buf, offset + 6));
      ctx.add(c, f.sendComponent, offset + 8, 2, u16(buf, offset + 8));
      reserved(ctx, c, buf, offset + 10, 2);
      options(ctx, c, buf, offset + 12, stop);
      return;
    case 151: // Multicast Router Discovery (RFC 4286)
      ctx.need(buf, offset, 8, end);
      ctx.add(c, f.mcastRaQueryInterval, offset + 4, 2, u16(buf, offset + 4));
      ctx.add(c, f.mcastRaRobustness, offset + 6, 2, u16(buf, offset + 6));
      return;
    case 152:
    case 153:
      return;
    case 100:
    case 101:
    case 127:
    case 200:
    case 201:
    case 255: {
      ctx.expert(c, ei.undecodedType, type);
      if (stop > offset + 4) {
        const data = buf.slice(offset + 4, stop);
        ctx.add(c, f.data, offset + 4, data.length, data, `Data: ${formatBytesHex(data)}`);
      }
      return;
    }
    case 137:
      ctx.need(buf, offset, 40, end);
      reserved(ctx, c, buf, offset + 4, 4);
      ctx.add(c, f.ndRdTarget, offset + 8, 16, buf.slice(offset + 8, offset + 24));
      ctx.add(c, f.ndRdDestination, offset + 24, 16, buf.slice(offset + 24, offset + 40));
      options(ctx, c, buf, offset + 40, stop);
      return;
    case 133:
      reserved(ctx, c, buf, offset + 4, 4);
      options(ctx, c, buf, offset + 8, stop);
      return;
    case 134: {
      ctx.need(buf, offset, 16, end);
      ctx.add(c, f.ndRaCurHopLimit, offset + 4, 1, buf[offset + 4]);
      const flags = buf[offset + 5];
      const set: string[] = [];
      if (flags & 0x80) set.push('Managed address configuration');
      if (flags & 0x40) set.push('Other configuration');
      if (flags & 0x20) set.push('Home Agent');
      set.push(`Prf (Default Router Preference): ${ROUTER_PREFERENCE[(flags >> 3) & 3]}`);
      if (flags & 0x04) set.push('Proxy');
      const fn = ctx.add(c, f.ndRaFlag, offset + 5, 1, flags, `Flags: ${hexN(flags, 2)}, ${set.join(', ')}`);
      const fc = ctx.children(fn);
      ctx.add(fc, f.ndRaFlagM, offset + 5, 1, (flags & 0x80) !== 0);
      ctx.add(fc, f.ndRaFlagO, offset + 5, 1, (flags & 0x40) !== 0);
      ctx.add(fc, f.ndRaFlagH, offset + 5, 1, (flags & 0x20) !== 0);
      ctx.add(fc, f.ndRaFlagPrf, offset + 5, 1, (flags >> 3) & 3);
      ctx.add(fc, f.ndRaFlagP, offset + 5, 1, (flags & 0x04) !== 0);
      ctx.add(fc, f.ndRaFlagRsv, offset + 5, 1, flags & 0x03);
      ctx.add(c, f.ndRaRouterLifetime, offset + 6, 2, u16(buf, offset + 6));
      ctx.add(c, f.ndRaReachable, offset + 8, 4, u32(buf, offset + 8));
      ctx.add(c, f.ndRaRetrans, offset + 12, 4, u32(buf, offset + 12));
      options(ctx, c, buf, offset + 16, stop);
      return;
    }
    case 135:
      reserved(ctx, c, buf, offset + 4, 4);
      ctx.add(c, f.ndNsTarget, offset + 8, 16, buf.slice(offset + 8, offset + 24));
      options(ctx, c, buf, offset + 24, stop);
      return;
    case 136: {
      const flags = u32(buf, offset + 4);
      const names: string[] = [];
      if (flags & 0x80000000) names.push('Router');
      if (flags & 0x40000000) names.push('Solicited');
      if (flags & 0x20000000) names.push('Override');
      const fn = ctx.add(
        c,
        f.ndNaFlag,
        offset + 4,
        4,
        flags,
        `Flags: ${hexN(flags, 8)}${names.length ? ', ' + names.join(', ') : ''}`,
      );
      const fc = ctx.children(fn);
      ctx.add(fc, f.ndNaFlagR, offset + 4, 4, (flags & 0x80000000) !== 0);
      ctx.add(fc, f.ndNaFlagS, offset + 4, 4, (flags & 0x40000000) !== 0);
      ctx.add(fc, f.ndNaFlagO, offset + 4, 4, (flags & 0x20000000) !== 0);
      ctx.add(
        fc,
        f.ndNaFlagRsv,
        offset + 4,
        4,
        flags & 0x1fffffff,
        bitLabel(0x1fffffff, 32, flags & 0x1fffffff, 'Reserved', String(flags & 0x1fffffff)),
      );
      ctx.add(c, f.ndNaTarget, offset + 8, 16, buf.slice(offset + 8, offset + 24));
      options(ctx, c, buf, offset + 24, stop);
      return;
    }
    case 1:
    case 3:
      reserved(ctx, c, buf, offset + 4, 4);
      dissectInvoking(ctx, type, buf, offset, end, c);
      return;
    case 2:
      ctx.add(c, f.mtu, offset + 4, 4, u32(buf, offset + 4));
      dissectInvoking(ctx, type, buf, offset, end, c);
      return;
    case 4:
      ctx.add(c, f.pointer, offset + 4, 4, u32(buf, offset + 4));
      dissectInvoking(ctx, type, buf, offset, end, c);
      return;
    default:
      if (stop > offset + 4) {
        const data = buf.slice(offset + 4, stop);
        ctx.add(c, f.data, offset + 4, data.length, data, `Data: ${formatBytesHex(data)}`);
      }
  }
};

/** MLDv1 (RFC 2710) messages and the MLDv2 query (RFC 3810, 28 bytes or more). */
function mld(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  type: number,
  buf: Uint8Array,
  offset: number,
  stop: number,
): void {
  if (stop < offset + 24) return;
  const v2 = type === 130 && stop >= offset + 28;
  ctx.add(c, v2 ? f.mldMaxCode : f.mldMaxDelay, offset + 4, 2, u16(buf, offset + 4));
  reserved(ctx, c, buf, offset + 6, 2);
  ctx.add(c, f.mldMaddr, offset + 8, 16, buf.slice(offset + 8, offset + 24));
  if (!v2) return;
  const flags = buf[offset + 24];
  const fn = ctx.add(c, f.mldFlag, offset + 24, 1, flags);
  const fc = ctx.children(fn);
  ctx.add(fc, f.mldFlagS, offset + 24, 1, (flags & 0x08) !== 0);
  ctx.add(fc, f.mldFlagQrv, offset + 24, 1, flags & 0x07);
  ctx.add(fc, f.mldFlagRsv, offset + 24, 1, flags >> 4);
  ctx.add(c, f.mldQqi, offset + 25, 1, buf[offset + 25]);
  const n = u16(buf, offset + 26);
  ctx.add(c, f.mldNbSources, offset + 26, 2, n);
  for (let i = 0, p = offset + 28; i < n && p + 16 <= stop; i++, p += 16)
    ctx.add(c, f.mldSource, p, 16, buf.slice(p, p + 16));
}

function reserved(ctx: PacketContext, c: ProtoNode[] | null, buf: Uint8Array, p: number, n: number): void {
  const bytes = buf.slice(p, p + n);
  ctx.add(c, f.reserved, p, n, bytes, `Reserved: ${formatBytesHex(bytes)}`);
}

function options(ctx: PacketContext, c: ProtoNode[] | null, buf: Uint8Array, start: number, stop: number): void {
  for (let p = start; p + 2 <= stop;) {
    const type = buf[p];
    const lenUnits = buf[p + 1];
    const len = lenUnits * 8;
    const name = OPTION_TYPES[type] ?? 'Unknown';
    const isLink = (type === 1 || type === 2) && len === 8 && p + 8 <= stop;
    let label = isLink ? `ICMPv6 Option (${name} : ${formatEther(buf, p + 2)})` : `ICMPv6 Option (${name})`;
    if (type === 5 && len === 8 && p + 8 <= stop) label = `ICMPv6 Option (${name} : ${u32(buf, p + 4)})`;
    else if (type === 3 && len === 32 && p + 32 <= stop)
      label = `ICMPv6 Option (${name} : ${formatIpv6(buf, p + 16)}/${buf[p + 2]})`;
    else if (type === 25 && len >= 24 && p + len <= stop) {
      const servers: string[] = [];
      for (let q = p + 8; q + 16 <= p + len; q += 16) servers.push(formatIpv6(buf, q));
      label = `ICMPv6 Option (${name} ${servers.join(' ')})`;
    }
    const on = ctx.add(c, f.opt, p, Math.max(2, Math.min(len, stop - p)), undefined, label);
    const oc = ctx.children(on);
    ctx.add(oc, f.optType, p, 1, type);
    const ln = ctx.add(oc, f.optLength, p + 1, 1, lenUnits, `Length: ${lenUnits} (${len} bytes)`);
    if (len === 0) {
      ctx.expert(ctx.children(ln), ei.invalidOptionLength);
      return;
    }
    if (isLink) {
      const mac = buf.slice(p + 2, p + 8);
      ctx.add(oc, f.optLinkaddrMac, p + 2, 6, mac, `Link-layer address: ${etherWithName(buf, p + 2)}`);
      ctx.addHidden(oc, type === 1 ? f.optSrcLinkaddr : f.optTargetLinkaddr, p + 2, 6, mac);
    } else if (type === 4 && len > 8) {
      ctx.add(oc, f.optReserved, p + 2, 6, undefined, 'Reserved');
      ctx.add(oc, f.optRedirectedPacket, p + 8, Math.min(len, stop - p) - 6, undefined, 'Redirected Packet');
      quotePacket(ctx, buf, p + 8, p + len, oc);
    } else if (type === 5 && len === 8 && p + 8 <= stop) {
      ctx.add(oc, f.optReservedNone, p + 2, 2, undefined, 'Reserved');
      ctx.add(oc, f.optMtu, p + 4, 4, u32(buf, p + 4));
    } else if (type === 3 && len === 32 && p + 32 <= stop) {
      ctx.add(oc, f.optPrefixLength, p + 2, 1, buf[p + 2]);
      const pf = buf[p + 3];
      const set: string[] = [];
      if (pf & 0x80) set.push('On-link flag(L)');
      if (pf & 0x40) set.push('Autonomous address-configuration flag(A)');
      if (pf & 0x20) set.push('Router address flag(R)');
      const fn = ctx.add(
        oc,
        f.optPrefixFlag,
        p + 3,
        1,
        pf,
        `Flag: ${hexN(pf, 2)}${set.length ? ', ' + set.join(', ') : ''}`,
      );
      const fc = ctx.children(fn);
      ctx.add(fc, f.optPrefixFlagL, p + 3, 1, (pf & 0x80) !== 0);
      ctx.add(fc, f.optPrefixFlagA, p + 3, 1, (pf & 0x40) !== 0);
      ctx.add(fc, f.optPrefixFlagR, p + 3, 1, (pf & 0x20) !== 0);
      ctx.add(fc, f.optPrefixFlagRsv, p + 3, 1, pf & 0x1f);
      ctx.add(oc, f.optPrefixValid, p + 4, 4, u32(buf, p + 4));
      ctx.add(oc, f.optPrefixPreferred, p + 8, 4, u32(buf, p + 8));
      ctx.add(oc, f.optReservedNone, p + 12, 4, undefined, 'Reserved');
      ctx.add(oc, f.optPrefix, p + 16, 16, buf.slice(p + 16, p + 32));
    } else if (type === 25 && len >= 24 && p + len <= stop) {
      ctx.add(oc, f.optReservedNone, p + 2, 2, undefined, 'Reserved');
      ctx.add(oc, f.optRdnssLifetime, p + 4, 4, u32(buf, p + 4));
      for (let q = p + 8; q + 16 <= p + len; q += 16) ctx.add(oc, f.optRdnss, q, 16, buf.slice(q, q + 16));
    } else if (len > 2) {
      const data = buf.slice(p + 2, Math.min(p + len, stop));
      ctx.add(oc, f.optData, p + 2, data.length, data, `Data: ${formatBytesHex(data)}`);
    }
    p += len;
  }
}

/** Errors quote the invoking packet: dissect it as IPv6 (its upper layer is not followed into the conversation). */
function dissectInvoking(
  ctx: PacketContext,
  type: number,
  buf: Uint8Array,
  offset: number,
  end: number,
  /** The ICMPv6 node's children: the quoted packet goes under it. */
  c: ProtoNode[] | null,
): void {
  if (type < 1 || type > 4) return;
  quotePacket(ctx, buf, offset + 8, end, c);
}

/** Without a tree: the packet quoted by a Redirect's Redirected Header option (its protocols count). */
function redirectedPacket(ctx: PacketContext, buf: Uint8Array, start: number, stop: number): void {
  for (let p = start; p + 8 <= stop;) {
    const len = buf[p + 1] * 8;
    if (len === 0) return;
    if (buf[p] === 4 && len > 8) quotePacket(ctx, buf, p + 8, p + len, null);
    p += len;
  }
}

/** A quoted IPv6 packet (an error's invoking packet, a redirected header): not followed into conversations. */
function quotePacket(ctx: PacketContext, buf: Uint8Array, start: number, end: number, c: ProtoNode[] | null): void {
  if (Math.min(end, buf.length) <= start) return;
  const ipv6 = dissectorTables.ethertype.get(0x86dd);
  const saved = ctx.net;
  const savedInfo = ctx.columns.info;
  const savedSrc = ctx.columns.source;
  const savedDst = ctx.columns.destination;
  const savedProto = ctx.columns.protocol;
  enterErrorPacket(ctx);
  if (ipv6) ctx.call(ipv6.fn, buf, start, end, c, 'IPv6');
  else dissectData(ctx, buf, start, end, c);
  leaveErrorPacket(ctx);
  ctx.net = saved;
  ctx.columns.info = savedInfo;
  ctx.columns.source = savedSrc;
  ctx.columns.destination = savedDst;
  ctx.columns.protocol = savedProto;
}

/** ICMPV6 as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'icmpv6',
  fields: [f],
  expertInfos: [ei],
  registrations: [{ table: 'ip.proto', key: 58, dissector: dissectIcmpv6, name: 'ICMPv6' }],
});
