/**
 * IPv4 (ethertype 0x0800), as Wireshark 4.0's packet-ip.c: header fields with the hidden
 * ip.addr/ip.host family for filters, options, fragment reassembly (the reassembled datagram
 * becomes a new data source, "Reassembled IPv4 (N bytes)"), and payload dispatch by protocol.
 */
import { defineProtocol } from '../protocol';
import { defineExpertInfos } from '../expert';
import { defineFields, type FieldDef } from '../fields';
import { dissectorTables, type DissectFn, type PacketContext } from '../context';
import { bitPattern, type ProtoNode } from '../tree';
import { formatIpv4, formatBytesHex } from '../format';
import {
  CHECKSUM_STATUS,
  DSCP_LONG,
  DSCP_SHORT,
  ECN_LONG,
  ECN_SHORT,
  IP_PROTOCOLS,
  bitLabel,
  dissectData,
  hexN,
  ipProtoName,
  u16,
} from './common';
import { FragmentTable, addFragmentTree, reassembledSource, type Reassembled } from './reassembly';

const OPT_CLASSES: Readonly<Record<number, string>> = {
  0: 'Control',
  1: 'Reserved for future use',
  2: 'Debugging and measurement',
  3: 'Reserved for future use',
};
const OPT_NUMBERS: Readonly<Record<number, string>> = {
  0: 'End of Option List (EOL)',
  1: 'No-Operation (NOP)',
  2: 'Security',
  3: 'Loose source route',
  4: 'Time stamp',
  5: 'Extended security',
  6: 'Commercial IP security option',
  7: 'Record route',
  8: 'Stream identifier',
  9: 'Strict source route',
  10: 'Experimental Measurement',
  11: 'MTU Probe',
  12: 'MTU Reply',
  18: 'Traceroute',
  20: 'Router Alert',
  25: 'Quick-Start',
};
/** Option names in the "IP Option - …" items and the "Options: (N bytes), …" summary. */
const OPT_NAMES: Readonly<Record<number, string>> = {
  0x00: 'End of Options List (EOL)',
  0x01: 'No-Operation (NOP)',
  0x07: 'Record Route',
  0x0a: 'Experimental Measurement',
  0x0b: 'MTU Probe',
  0x0c: 'MTU Reply',
  0x19: 'Quick-Start',
  0x44: 'Time Stamp',
  0x52: 'Traceroute',
  0x82: 'Security',
  0x83: 'Loose Source Route',
  0x85: 'Extended Security',
  0x86: 'Commercial IP Security Option',
  0x88: 'Stream ID',
  0x89: 'Strict Source Route',
  0x94: 'Router Alert',
};
const RA_VALUES: Readonly<Record<number, string>> = { 0: 'Router shall examine packet' };

const f = defineFields({
  ip: { abbrev: 'ip', name: 'Internet Protocol Version 4', type: 'protocol' },
  version: { abbrev: 'ip.version', name: 'Version', type: 'uint8', bitmask: 0xf0 },
  hdrLen: { abbrev: 'ip.hdr_len', name: 'Header Length', type: 'uint8', bitmask: 0x0f },
  dsfield: {
    abbrev: 'ip.dsfield',
    name: 'Differentiated Services Field',
    type: 'uint8',
    base: 'hex',
    subtreeHolds: [],
  },
  dscp: {
    abbrev: 'ip.dsfield.dscp',
    name: 'Differentiated Services Codepoint',
    type: 'uint8',
    bitmask: 0xfc,
    valueStrings: DSCP_LONG,
  },
  ecn: {
    abbrev: 'ip.dsfield.ecn',
    name: 'Explicit Congestion Notification',
    type: 'uint8',
    bitmask: 0x03,
    valueStrings: ECN_LONG,
  },
  len: { abbrev: 'ip.len', name: 'Total Length', type: 'uint16' },
  id: { abbrev: 'ip.id', name: 'Identification', type: 'uint16', base: 'hex_dec' },
  flags: { abbrev: 'ip.flags', name: 'Flags', type: 'uint8', base: 'hex', bitmask: 0xe0, subtreeHolds: [] },
  flagsRb: { abbrev: 'ip.flags.rb', name: 'Reserved bit', type: 'bool', bitmask: 0x80, bitWidth: 8 },
  flagsDf: { abbrev: 'ip.flags.df', name: "Don't fragment", type: 'bool', bitmask: 0x40, bitWidth: 8 },
  flagsMf: { abbrev: 'ip.flags.mf', name: 'More fragments', type: 'bool', bitmask: 0x20, bitWidth: 8 },
  fragOffset: { abbrev: 'ip.frag_offset', name: 'Fragment Offset', type: 'uint16', bitmask: 0x1fff },
  ttl: { abbrev: 'ip.ttl', name: 'Time to Live', type: 'uint8' },
  proto: { abbrev: 'ip.proto', name: 'Protocol', type: 'uint8', valueStrings: IP_PROTOCOLS },
  checksum: { abbrev: 'ip.checksum', name: 'Header Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: {
    abbrev: 'ip.checksum.status',
    name: 'Header checksum status',
    type: 'uint8',
    valueStrings: CHECKSUM_STATUS,
  },
  src: { abbrev: 'ip.src', name: 'Source Address', type: 'ipv4' },
  dst: { abbrev: 'ip.dst', name: 'Destination Address', type: 'ipv4' },
  addr: { abbrev: 'ip.addr', name: 'Source or Destination Address', type: 'ipv4' },
  srcHost: { abbrev: 'ip.src_host', name: 'Source Host', type: 'string' },
  dstHost: { abbrev: 'ip.dst_host', name: 'Destination Host', type: 'string' },
  host: { abbrev: 'ip.host', name: 'Source or Destination Host', type: 'string' },
  options: { abbrev: 'ip.options', name: 'Options', type: 'none', textOnly: true },
  optRouterAlert: { abbrev: 'ip.options.routeralert', name: 'Router Alert', type: 'bytes' },
  option: { abbrev: 'ip.option', name: 'IP Option', type: 'bytes' },
  optType: { abbrev: 'ip.opt.type', name: 'Type', type: 'uint8' },
  optTypeCopy: {
    abbrev: 'ip.opt.type.copy',
    name: 'Copy on fragmentation',
    type: 'bool',
    bitmask: 0x80,
    bitWidth: 8,
    trueFalse: ['Yes', 'No'],
  },
  optTypeClass: { abbrev: 'ip.opt.type.class', name: 'Class', type: 'uint8', bitmask: 0x60, valueStrings: OPT_CLASSES },
  optTypeNumber: {
    abbrev: 'ip.opt.type.number',
    name: 'Number',
    type: 'uint8',
    bitmask: 0x1f,
    valueStrings: OPT_NUMBERS,
  },
  optLen: { abbrev: 'ip.opt.len', name: 'Length', type: 'uint8' },
  optRa: { abbrev: 'ip.opt.ra', name: 'Router Alert', type: 'uint16', valueStrings: RA_VALUES },
  optData: { abbrev: 'ip.opt.data', name: 'Data', type: 'bytes' },
  fragments: { abbrev: 'ip.fragments', name: 'IPv4 Fragments', type: 'bytes' },
  fragment: { abbrev: 'ip.fragment', name: 'IPv4 Fragment', type: 'framenum' },
  fragmentError: { abbrev: 'ip.fragment.error', name: 'Defragmentation error', type: 'framenum' },
  fragmentOverlap: { abbrev: 'ip.fragment.overlap', name: 'Fragment overlap', type: 'bool' },
  fragmentConflict: {
    abbrev: 'ip.fragment.overlap.conflict',
    name: 'Conflicting data in fragment overlap',
    type: 'bool',
  },
  fragmentCount: { abbrev: 'ip.fragment.count', name: 'Fragment count', type: 'uint32' },
  reassembledIn: { abbrev: 'ip.reassembled_in', name: 'Reassembled IPv4 in frame', type: 'framenum' },
  reassembledLength: { abbrev: 'ip.reassembled.length', name: 'Reassembled IPv4 length', type: 'uint32' },
  reassembledData: { abbrev: 'ip.reassembled.data', name: 'Reassembled IPv4 data', type: 'bytes' },
  ttlTooSmall: { abbrev: 'ip.ttl.too_small', name: 'Time To Live too small', type: 'none' },
  ttlLncb: { abbrev: 'ip.ttl.lncb', name: 'Time To Live for LNCB', type: 'none' },
});

/** IPv4's expert items (Wireshark's ei_register_info of packet-ip.c). */
const ei = defineExpertInfos({
  bogusVersion: {
    abbrev: 'ip.bogus_ip_version',
    group: 'protocol',
    severity: 'error',
    message: (version: number) => `Bogus IP version (${version})`,
  },
  bogusHeaderLength: {
    abbrev: 'ip.bogus_header_length',
    group: 'protocol',
    severity: 'error',
    message: (hdrLen: number) => `Bogus IP header length (${hdrLen}, must be at least 20)`,
  },
  ttlLncb: {
    abbrev: 'ip.ttl.lncb',
    group: 'sequence',
    severity: 'note',
    message: '"Time To Live" != 1 for a packet sent to the Local Network Control Block (see RFC 3171)',
    field: f.ttlLncb,
  },
  ttlTooSmall: {
    abbrev: 'ip.ttl.too_small',
    group: 'sequence',
    severity: 'note',
    message: (ttl: number) => `"Time To Live" only ${ttl}`,
    field: f.ttlTooSmall,
  },
  bogusLength: {
    abbrev: 'ip.bogus_ip_length',
    group: 'protocol',
    severity: 'error',
    message: (totalLen: number, hdrLen: number) => `Bogus IP length (${totalLen}, less than header length ${hdrLen})`,
  },
  optionLenInvalid: {
    abbrev: 'ip.opt.len.invalid',
    group: 'protocol',
    severity: 'warning',
    message: (len: number) => `Bogus IP option length (${len})`,
  },
});
export const ipv4Fields = f;

/**
 * ICMP errors quote the packet that caused them. Inside such a quote only stateless upper
 * layers (UDP, ICMP) are dissected, so the quoted header does not disturb TCP's stream state.
 */
export function enterErrorPacket(ctx: PacketContext): void {
  ctx.quotedPacketDepth++;
}
export function leaveErrorPacket(ctx: PacketContext): void {
  ctx.quotedPacketDepth--;
}
export function isErrorPacket(ctx: PacketContext): boolean {
  return ctx.quotedPacketDepth > 0;
}

/** Calls the dissector registered for IP protocol `proto`, or shows the payload as Data. */
export function dispatchIpPayload(
  ctx: PacketContext,
  proto: number,
  buf: Uint8Array,
  offset: number,
  end: number,
  tree: ProtoNode[] | null,
  family: 'IPv4' | 'IPv6',
): void {
  const next =
    isErrorPacket(ctx) && proto !== 17 && proto !== 1 && proto !== 58 ? undefined : dissectorTables.ipProto.get(proto);
  if (next) {
    ctx.call(next.fn, buf, offset, end, tree, next.name);
    return;
  }
  if (family === 'IPv4' && !isErrorPacket(ctx)) ctx.setInfo(`${ipProtoName(proto)} (${proto})`);
  dissectData(ctx, buf, offset, end, tree);
}

/** The end of the bytes the wire carried for this layer, given a captured `end` (snaplen). */
export function reportedEnd(ctx: PacketContext, buf: Uint8Array, end: number): number {
  if (ctx.source === 0 && end >= buf.length) return end + Math.max(0, ctx.packet.record.originalLength - buf.length);
  return end;
}

/** Leaf groups of the header (see dissectIpv4): a pruned tree keeping none of a group skips it. */
const DS_ITEMS: readonly FieldDef[] = [f.dsfield, f.dscp, f.ecn];
const LENGTH_ID_ITEMS: readonly FieldDef[] = [f.len, f.id];
const HIDDEN_ADDRESS_ITEMS: readonly FieldDef[] = [f.addr, f.srcHost, f.dstHost, f.host];

function flagsText(flags: number): string {
  const names: string[] = [];
  if (flags & 4) names.push('Reserved bit');
  if (flags & 2) names.push("Don't fragment");
  if (flags & 1) names.push('More fragments');
  return `Flags: ${hexN(flags, 1)}${names.length ? ', ' + names.join(', ') : ''}`;
}

function isMulticast(b0: number): boolean {
  return b0 >= 224 && b0 <= 239;
}

// Addresses by value: every packet carries two, and a capture holds few distinct ones, so
// their bytes (shared, never written) and text are made once rather than per packet.
interface Ipv4Address {
  bytes: Uint8Array;
  text: string;
}
const ipv4Addresses = new Map<number, Ipv4Address>();

function ipv4Address(buf: Uint8Array, offset: number): Ipv4Address {
  const key = ((buf[offset] << 24) | (buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]) >>> 0;
  let address = ipv4Addresses.get(key);
  if (address === undefined) {
    if (ipv4Addresses.size >= 4096) ipv4Addresses.clear();
    const bytes = buf.slice(offset, offset + 4);
    address = { bytes, text: formatIpv4(bytes) };
    ipv4Addresses.set(key, address);
  }
  return address;
}

const dissectIpv4: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('ip', 'IPv4');
  ctx.need(buf, offset, 20, end);
  const verIhl = buf[offset];
  const hdrLen = (verIhl & 0x0f) * 4;
  const version = verIhl >> 4;
  const tos = buf[offset + 1];
  const totalLen = u16(buf, offset + 2);
  const id = u16(buf, offset + 4);
  const flagsOff = u16(buf, offset + 6);
  const flags = flagsOff >> 13;
  const fragOffset = (flagsOff & 0x1fff) * 8;
  const ttl = buf[offset + 8];
  const proto = buf[offset + 9];
  const checksum = u16(buf, offset + 10);
  const { bytes: src, text: srcText } = ipv4Address(buf, offset + 12);
  const { bytes: dst, text: dstText } = ipv4Address(buf, offset + 16);
  ctx.columns.source = srcText;
  ctx.columns.destination = dstText;

  let c: ProtoNode[] | null = null;
  if (tree) {
    const node = ctx.add(
      tree,
      f.ip,
      offset,
      Math.max(20, hdrLen),
      undefined,
      // A pruned tree (filters, -e, the packet list's load pass) skips labels it does not keep.
      ctx.labelled(f.ip) ? `Internet Protocol Version 4, Src: ${srcText}, Dst: ${dstText}` : undefined,
    );
    c = ctx.children(node);
    ctx.add(c, f.version, offset, 1, version);
    ctx.add(
      c,
      f.hdrLen,
      offset,
      1,
      hdrLen,
      ctx.labelled(f.hdrLen)
        ? bitLabel(0x0f, 8, verIhl & 0x0f, 'Header Length', `${hdrLen} bytes (${verIhl & 0x0f})`)
        : undefined,
    );
  }
  if (version !== 4 || hdrLen < 20) {
    ctx.setInfo(
      version !== 4 ? `Bogus IP version (${version})` : `Bogus IP header length (${hdrLen}, must be at least 20)`,
    );
    if (c && version !== 4) ctx.expert(c, ei.bogusVersion, version);
    if (c && version === 4) ctx.expert(c, ei.bogusHeaderLength, hdrLen);
    return;
  }
  ctx.need(buf, offset, hdrLen, end);
  if (c) {
    // A pruned tree keeps few of these leaves: each group is skipped at once when it keeps none.
    const dscp = tos >> 2;
    if (ctx.keepsAny(DS_ITEMS)) {
      const ds = ctx.add(
        c,
        f.dsfield,
        offset + 1,
        1,
        tos,
        ctx.labelled(f.dsfield)
          ? `Differentiated Services Field: ${hexN(tos, 2)} (DSCP: ${DSCP_SHORT[dscp] ?? 'Unknown'}, ECN: ${ECN_SHORT[tos & 3]})`
          : undefined,
      );
      const dsc = ctx.children(ds);
      ctx.add(dsc, f.dscp, offset + 1, 1, dscp);
      ctx.add(dsc, f.ecn, offset + 1, 1, tos & 3);
    }
    if (ctx.keepsAny(LENGTH_ID_ITEMS)) {
      ctx.add(c, f.len, offset + 2, 2, totalLen);
      ctx.add(c, f.id, offset + 4, 2, id);
    }
    const fl = ctx.add(
      c,
      f.flags,
      offset + 6,
      1,
      flags,
      ctx.labelled(f.flags) ? `${bitPattern(0xe0, 8, flags)} = ${flagsText(flags)}` : undefined,
    );
    const flc = ctx.children(fl);
    ctx.add(flc, f.flagsRb, offset + 6, 1, (flags & 4) !== 0);
    ctx.add(flc, f.flagsDf, offset + 6, 1, (flags & 2) !== 0);
    ctx.add(flc, f.flagsMf, offset + 6, 1, (flags & 1) !== 0);
    ctx.add(
      c,
      f.fragOffset,
      offset + 6,
      2,
      // The field's own value, in units of 8 bytes (as tshark 4.0 gives it to filters and -T
      // fields: 3 for the fragment at byte 24); the label shows the bytes.
      flagsOff & 0x1fff,
      ctx.labelled(f.fragOffset)
        ? bitLabel(0x1fff, 16, flagsOff & 0x1fff, 'Fragment Offset', String(fragOffset))
        : undefined,
    );
    const ttlNode = ctx.add(c, f.ttl, offset + 8, 1, ttl);
    if (dst[0] === 224 && dst[1] === 0 && dst[2] === 0) {
      if (ttl !== 1) ctx.expert(ctx.children(ttlNode), ei.ttlLncb);
    } else if (!isMulticast(dst[0]) && ttl < 5 && proto !== 103 && proto !== 89) {
      ctx.expert(ctx.children(ttlNode), ei.ttlTooSmall, ttl);
    }
    ctx.add(c, f.proto, offset + 9, 1, proto);
    ctx.add(
      c,
      f.checksum,
      offset + 10,
      2,
      checksum,
      ctx.labelled(f.checksum) ? `Header Checksum: ${hexN(checksum, 4)} [validation disabled]` : undefined,
    );
    ctx.addGenerated(c, f.checksumStatus, 2, 'Header checksum status: Unverified');
    const hidden = ctx.keepsAny(HIDDEN_ADDRESS_ITEMS);
    ctx.add(c, f.src, offset + 12, 4, src);
    if (hidden) {
      ctx.addHidden(c, f.addr, offset + 12, 4, src);
      ctx.addHidden(c, f.srcHost, offset + 12, 4, srcText);
      ctx.addHidden(c, f.host, offset + 12, 4, srcText);
    }
    ctx.add(c, f.dst, offset + 16, 4, dst);
    if (hidden) {
      ctx.addHidden(c, f.addr, offset + 16, 4, dst);
      ctx.addHidden(c, f.dstHost, offset + 16, 4, dstText);
      ctx.addHidden(c, f.host, offset + 16, 4, dstText);
    }
    if (hdrLen > 20) dissectOptions(ctx, c, buf, offset + 20, offset + hdrLen);
  }
  ctx.net = { family: 4, src, dst, srcText, dstText };

  // Where this datagram's payload ends: the total length, unless the frame is shorter than that.
  const wireEnd = reportedEnd(ctx, buf, end);
  if (totalLen < hdrLen) {
    if (c) ctx.expert(c, ei.bogusLength, totalLen, hdrLen);
    ctx.setInfo(`Bogus IP length (${totalLen}, less than header length ${hdrLen})`);
    return;
  }
  let payloadEnd = offset + totalLen;
  if (payloadEnd > wireEnd) payloadEnd = wireEnd;
  const payloadStart = offset + hdrLen;
  const more = (flags & 1) !== 0;

  if (more || fragOffset > 0) {
    const table = ctx.state.state('ipv4.frag', () => new FragmentTable());
    const avail = Math.min(payloadEnd, buf.length) - payloadStart;
    let done: Reassembled | null = null;
    if (avail === payloadEnd - payloadStart && avail >= 0) {
      const key = `${srcText}>${dstText}#${id}#${proto}`;
      done = table.add(key, ctx.packet.number, fragOffset, buf.subarray(payloadStart, payloadEnd), more);
    }
    if (!done) {
      ctx.setInfo(
        `Fragmented IP protocol (proto=${ipProtoName(proto)} ${proto}, off=${fragOffset}, ID=${id.toString(16).padStart(4, '0')})`,
      );
      dissectData(ctx, buf, payloadStart, payloadEnd, tree);
      return;
    }
    dissectReassembled(ctx, c, done, proto, tree);
    return;
  }
  dispatchIpPayload(ctx, proto, buf, payloadStart, payloadEnd, tree, 'IPv4');
};

/** Adds the fragment list, pushes the reassembled data source, and dissects the datagram in it. */
function dissectReassembled(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  done: Reassembled,
  proto: number,
  tree: ProtoNode[] | null,
): void {
  const data = done.data;
  const saved = ctx.source;
  ctx.source = reassembledSource(ctx, data, 'IPv4');
  addFragmentTree(ctx, c, f, done, 'IPv4', true);
  try {
    dispatchIpPayload(ctx, proto, data, 0, data.length, tree, 'IPv4');
  } finally {
    ctx.source = saved;
  }
}

function dissectOptions(ctx: PacketContext, c: ProtoNode[] | null, buf: Uint8Array, start: number, end: number): void {
  // First pass: the option names for the summary line.
  const names: string[] = [];
  for (let p = start; p < end;) {
    const type = buf[p];
    names.push(OPT_NAMES[type] ?? `Unknown (0x${type.toString(16).padStart(2, '0')})`);
    if (type === 0) break;
    if (type === 1) {
      p++;
      continue;
    }
    const len = p + 1 < end ? buf[p + 1] : 0;
    if (len < 2) break;
    p += len;
  }
  const optsNode = ctx.add(
    c,
    f.options,
    start,
    end - start,
    undefined,
    `Options: (${end - start} bytes), ${names.join(', ')}`,
  );
  const oc = ctx.children(optsNode);
  for (let p = start; p < end;) {
    const type = buf[p];
    const name = OPT_NAMES[type] ?? `Unknown (0x${type.toString(16).padStart(2, '0')})`;
    if (type === 0 || type === 1) {
      const item = ctx.add(oc, f.option, p, 1, buf.slice(p, p + 1), `IP Option - ${name}`);
      optionType(ctx, ctx.children(item), buf, p);
      if (type === 0) break;
      p++;
      continue;
    }
    const len = p + 1 < end ? buf[p + 1] : 0;
    if (len < 2 || p + len > end) {
      const item = ctx.add(oc, f.option, p, end - p, buf.slice(p, end), `IP Option - ${name}`);
      const ic = ctx.children(item);
      optionType(ctx, ic, buf, p);
      if (p + 1 < end) ctx.add(ic, f.optLen, p + 1, 1, len);
      ctx.expert(ic, ei.optionLenInvalid, len);
      break;
    }
    const bytes = buf.slice(p, p + len);
    if (type === 0x94 && len === 4) {
      const ra = u16(buf, p + 2);
      const item = ctx.add(
        oc,
        f.optRouterAlert,
        p,
        len,
        bytes,
        `IP Option - Router Alert (4 bytes): ${RA_VALUES[ra] ?? 'Reserved'} (${ra})`,
      );
      const ic = ctx.children(item);
      optionType(ctx, ic, buf, p);
      ctx.add(ic, f.optLen, p + 1, 1, len);
      ctx.add(ic, f.optRa, p + 2, 2, ra, `Router Alert: ${RA_VALUES[ra] ?? 'Reserved'} (${ra})`);
    } else {
      const item = ctx.add(oc, f.option, p, len, bytes, `IP Option - ${name} (${len} bytes)`);
      const ic = ctx.children(item);
      optionType(ctx, ic, buf, p);
      ctx.add(ic, f.optLen, p + 1, 1, len);
      if (len > 2) {
        const data = buf.slice(p + 2, p + len);
        ctx.add(ic, f.optData, p + 2, len - 2, data, `Data: ${formatBytesHex(data)}`);
      }
    }
    p += len;
  }
}

function optionType(ctx: PacketContext, parent: ProtoNode[] | null, buf: Uint8Array, p: number): void {
  const type = buf[p];
  const t = ctx.add(parent, f.optType, p, 1, type);
  const tc = ctx.children(t);
  ctx.add(tc, f.optTypeCopy, p, 1, (type & 0x80) !== 0);
  ctx.add(tc, f.optTypeClass, p, 1, (type >> 5) & 3);
  ctx.add(tc, f.optTypeNumber, p, 1, type & 0x1f);
}

/** IP as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'ip',
  fields: [f],
  expertInfos: [ei],
  registrations: [
    { table: 'ethertype', key: 0x0800, dissector: dissectIpv4, name: 'IPv4' },
    { table: 'ip.proto', key: 4, dissector: dissectIpv4, name: 'IPv4' }, // IP in IP
  ],
});
