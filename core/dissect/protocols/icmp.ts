/**
 * ICMP (IP protocol 1), as Wireshark 4.0's packet-icmp.c: echo request/reply (with the
 * request/response matching tshark does in one pass), errors quoting the invoking IP header,
 * and the checksum verified.
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import { copyColumns, dissectorTables, type DissectFn, type PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { formatIpv4, formatBytesHex } from '../format';
import { CHECKSUM_STATUS, addVerifiedChecksum, dissectData, hexN, onesSum, u16, u32 } from './common';
import { enterErrorPacket, leaveErrorPacket } from './ipv4';

const TYPES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  6: 'Alternate host address',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  15: 'Information request',
  16: 'Information reply',
  17: 'Address mask request',
  18: 'Address mask reply',
  30: 'Traceroute',
  40: 'Photuris',
  42: 'Extended Echo request',
  43: 'Extended Echo reply',
};
const PARAM_PROBLEM: Readonly<Record<number, string>> = {
  0: 'Pointer indicates the error',
  1: 'Required option missing',
  2: 'Bad length',
};
const ROUTER_ADVERT: Readonly<Record<number, string>> = {
  0: 'Normal router advertisement',
  16: 'Does not route common traffic',
};
const ALT_HOST: Readonly<Record<number, string>> = { 0: 'Alternate address for host' };
const PHOTURIS: Readonly<Record<number, string>> = {
  0: 'Bad SPI',
  1: 'Authentication Failed',
  2: 'Decompression Failed',
  3: 'Decryption Failed',
  4: 'Need Authentication',
  5: 'Need Authorization',
};
/** RFC 8335 extended echo reply codes (the request uses code 0, "No error"). */
const EXT_ECHO: Readonly<Record<number, string>> = {
  0: 'No error',
  1: 'Malformed Query',
  2: 'No Such Interface',
  3: 'No Such Table Entry',
  4: 'Multiple Interfaces Satisfy Query',
};
const EXT_ECHO_STATE: Readonly<Record<number, string>> = {
  0: 'Reserved',
  1: 'Incomplete',
  2: 'Reachable',
  3: 'Stale',
  4: 'Delay',
  5: 'Probe',
  6: 'Failed',
};
const EXT_CLASSES: Readonly<Record<number, string>> = {
  1: 'MPLS Label Stack Class',
  2: 'Interface Information Object',
  3: 'Interface Identification Object',
};
const INT_IDENT_CTYPES: Readonly<Record<number, string>> = {
  1: 'Identifies Interface By Name',
  2: 'Identifies Interface By Index',
  3: 'Identifies Interface By Address',
};

/** Types whose second word is an identifier and a sequence number shown in Info. */
const ID_SEQ_TYPES = new Set([0, 8, 13, 14, 15, 16, 17, 18]);
/** Errors that quote the invoking datagram's IP header. */
const ERROR_TYPES = new Set([3, 4, 5, 11, 12]);
const UNREACH: Readonly<Record<number, string>> = {
  0: 'Network unreachable',
  1: 'Host unreachable',
  2: 'Protocol unreachable',
  3: 'Port unreachable',
  4: 'Fragmentation needed',
  5: 'Source route failed',
  6: 'Destination network unknown',
  7: 'Destination host unknown',
  8: 'Source host isolated',
  9: 'Network administratively prohibited',
  10: 'Host administratively prohibited',
  11: 'Network unreachable for TOS',
  12: 'Host unreachable for TOS',
  13: 'Communication administratively filtered',
  14: 'Host precedence violation',
  15: 'Precedence cutoff in effect',
};
const REDIRECT: Readonly<Record<number, string>> = {
  0: 'Redirect for network',
  1: 'Redirect for host',
  2: 'Redirect for TOS and network',
  3: 'Redirect for TOS and host',
};
const TTL_EXCEEDED: Readonly<Record<number, string>> = {
  0: 'Time to live exceeded in transit',
  1: 'Fragment reassembly time exceeded',
};

const f = defineFields({
  // Errors quote the packet that caused them, under the ICMP item.
  icmp: { abbrev: 'icmp', name: 'Internet Control Message Protocol', type: 'protocol', subtreeHolds: 'any' },
  type: { abbrev: 'icmp.type', name: 'Type', type: 'uint8', valueStrings: TYPES },
  code: { abbrev: 'icmp.code', name: 'Code', type: 'uint8' },
  checksum: { abbrev: 'icmp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: {
    abbrev: 'icmp.checksum.status',
    name: 'Checksum Status',
    type: 'uint8',
    valueStrings: CHECKSUM_STATUS,
  },
  ident: { abbrev: 'icmp.ident', name: 'Identifier (BE)', type: 'uint16', base: 'dec_hex' },
  identLe: { abbrev: 'icmp.ident_le', name: 'Identifier (LE)', type: 'uint16', base: 'dec_hex' },
  seq: { abbrev: 'icmp.seq', name: 'Sequence Number (BE)', type: 'uint16', base: 'dec_hex' },
  seqLe: { abbrev: 'icmp.seq_le', name: 'Sequence Number (LE)', type: 'uint16', base: 'dec_hex' },
  respIn: { abbrev: 'icmp.resp_in', name: 'Response frame', type: 'framenum' },
  respTo: { abbrev: 'icmp.resp_to', name: 'Request frame', type: 'framenum' },
  respTime: { abbrev: 'icmp.resptime', name: 'Response time', type: 'double' },
  noResp: { abbrev: 'icmp.no_resp', name: 'No response seen', type: 'none' },
  unused: { abbrev: 'icmp.unused', name: 'Unused', type: 'bytes' },
  mtu: { abbrev: 'icmp.mtu', name: 'MTU of next hop', type: 'uint16' },
  redirGw: { abbrev: 'icmp.redir_gw', name: 'Gateway Address', type: 'ipv4' },
  pointer: { abbrev: 'icmp.pointer', name: 'Pointer', type: 'uint32' },
  numAddrs: { abbrev: 'icmp.num_addrs', name: 'Number of addresses', type: 'uint8' },
  addrEntrySize: { abbrev: 'icmp.addr_entry_size', name: 'Address entry size', type: 'uint8' },
  lifetime: { abbrev: 'icmp.lifetime', name: 'Lifetime', type: 'uint16' },
  routerAddress: { abbrev: 'icmp.router_address', name: 'Router address', type: 'ipv4' },
  prefLevel: { abbrev: 'icmp.pref_level', name: 'Preference level', type: 'int32' },
  originate: { abbrev: 'icmp.originate_timestamp', name: 'Originate Timestamp', type: 'uint32' },
  receive: { abbrev: 'icmp.receive_timestamp', name: 'Receive Timestamp', type: 'uint32' },
  transmit: { abbrev: 'icmp.transmit_timestamp', name: 'Transmit Timestamp', type: 'uint32' },
  addressMask: { abbrev: 'icmp.address_mask', name: 'Address Mask', type: 'ipv4' },
  extEchoSeq: { abbrev: 'icmp.ext.echo.seq', name: 'Sequence Number', type: 'uint8', base: 'dec_hex' },
  ext: { abbrev: 'icmp.ext', name: 'ICMP Extensions', type: 'none' },
  extVersion: { abbrev: 'icmp.ext.version', name: 'Version', type: 'uint8' },
  extRes: { abbrev: 'icmp.ext.res', name: 'Reserved', type: 'uint16', base: 'hex', bitmask: 0x0fff },
  extChecksum: { abbrev: 'icmp.ext.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  extChecksumStatus: {
    abbrev: 'icmp.ext.checksum.status',
    name: 'Checksum Status',
    type: 'uint8',
    valueStrings: CHECKSUM_STATUS,
  },
  extObject: { abbrev: 'icmp.ext.object', name: 'Object', type: 'none', textOnly: true },
  extLength: { abbrev: 'icmp.ext.length', name: 'Length', type: 'uint16' },
  extClass: { abbrev: 'icmp.ext.class', name: 'Class', type: 'uint8', valueStrings: EXT_CLASSES },
  extCtype: { abbrev: 'icmp.ext.ctype', name: 'C-Type', type: 'uint8' },
  extData: { abbrev: 'icmp.ext.data', name: 'Data', type: 'bytes' },
  intIdentName: { abbrev: 'icmp.int_ident.name', name: 'Name', type: 'string' },
  intIdentIndex: { abbrev: 'icmp.int_ident.index', name: 'Interface Index', type: 'uint32' },
  intIdentAfi: { abbrev: 'icmp.int_ident.afi', name: 'Address Family Identifier', type: 'uint16' },
  intIdentAddrLen: { abbrev: 'icmp.int_ident.addr_length', name: 'Address Length', type: 'uint8' },
  intIdentReserved: { abbrev: 'icmp.int_ident.reserved', name: 'Reserved', type: 'bytes' },
  intIdentIpv4: { abbrev: 'icmp.int_ident.ipv4', name: 'Address', type: 'ipv4' },
  intIdentIpv6: { abbrev: 'icmp.int_ident.ipv6', name: 'Address', type: 'ipv6' },
  extEchoReqRes: { abbrev: 'icmp.ext.echo.req.res', name: 'Reserved', type: 'uint8', base: 'hex', bitmask: 0xfe },
  extEchoRspRes: { abbrev: 'icmp.ext.echo.rsp.res', name: 'Reserved', type: 'uint8', base: 'hex', bitmask: 0x18 },
  extEchoLocal: { abbrev: 'icmp.ext.echo.req.local', name: 'Local bit', type: 'bool', bitmask: 0x01, bitWidth: 8 },
  extEchoState: {
    abbrev: 'icmp.ext.echo.rsp.state',
    name: 'State',
    type: 'uint8',
    bitmask: 0xe0,
    valueStrings: EXT_ECHO_STATE,
  },
  extEchoActive: { abbrev: 'icmp.ext.echo.rsp.active', name: 'Active bit', type: 'bool', bitmask: 0x04, bitWidth: 8 },
  extEchoIpv4: { abbrev: 'icmp.ext.echo.rsp.ipv4', name: 'IPv4 bit', type: 'bool', bitmask: 0x02, bitWidth: 8 },
  extEchoIpv6: { abbrev: 'icmp.ext.echo.rsp.ipv6', name: 'IPv6 bit', type: 'bool', bitmask: 0x01, bitWidth: 8 },
  data: { abbrev: 'data', name: 'Data', type: 'protocol' },
  dataData: { abbrev: 'data.data', name: 'Data', type: 'bytes' },
  dataLen: { abbrev: 'data.len', name: 'Length', type: 'int32' },
});
export const icmpFields = f;

interface EchoState {
  requests: Map<string, { frame: number; time: number }>;
}

function codeName(type: number, code: number): string | undefined {
  if (type === 3) return UNREACH[code];
  if (type === 5) return REDIRECT[code];
  if (type === 11) return TTL_EXCEEDED[code];
  if (type === 12) return PARAM_PROBLEM[code];
  if (type === 9) return ROUTER_ADVERT[code];
  if (type === 6) return ALT_HOST[code];
  if (type === 40) return PHOTURIS[code];
  if (type === 42 || type === 43) return EXT_ECHO[code];
  return undefined;
}

/** The code text Wireshark appends, "Unknown code: N" for codes of these types it does not know. */
function codeText(type: number, code: number): string | undefined {
  const name = codeName(type, code);
  if (name !== undefined) return name;
  return [3, 5, 6, 9, 11, 12, 40, 42, 43].includes(type) ? `Unknown code: ${code}` : undefined;
}

const dissectIcmp: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('icmp', 'ICMP');
  ctx.need(buf, offset, 4, end);
  const type = buf[offset];
  const code = buf[offset + 1];
  const checksum = u16(buf, offset + 2);
  const typeName =
    type === 9 && (code === 0 || code === 16)
      ? 'Mobile IP Advertisement'
      : (TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)');
  const cName = codeText(type, code);
  const isEcho = type === 0 || type === 8;
  // Wireshark pads the type to 20 characters before the code or the identifiers.
  let info = cName ? `${typeName.padEnd(20, ' ')} (${cName})` : typeName.padEnd(20, ' ');
  let reqFrame = 0;
  let reqTime = 0;
  if (ID_SEQ_TYPES.has(type)) {
    ctx.need(buf, offset, 8, end);
    const id = u16(buf, offset + 4);
    const seq = u16(buf, offset + 6);
    const seqLe = ((seq & 0xff) << 8) | (seq >> 8);
    const ttl = ttlOf(buf, offset);
    info = `${typeName.padEnd(20, ' ')} id=${hexN(id, 4)}, seq=${seq}/${seqLe}${ttl !== null ? `, ttl=${ttl}` : ''}`;
  }
  if (isEcho) {
    const id = u16(buf, offset + 4);
    const seq = u16(buf, offset + 6);
    const state = ctx.state.state<EchoState>('icmp.echo', () => ({ requests: new Map() }));
    const net = ctx.net;
    const key = `${id}/${seq}/${type === 8 ? net?.srcText : net?.dstText}>${type === 8 ? net?.dstText : net?.srcText}`;
    if (type === 8) {
      // One pass, as tshark without -2: the reply is not known yet, and Wireshark says nothing.
      state.requests.set(key, { frame: ctx.packet.number, time: ctx.packet.timeRelative });
    } else {
      const req = state.requests.get(key);
      if (req) {
        reqFrame = req.frame;
        reqTime = ctx.packet.timeRelative - req.time;
        info += ` (request in ${req.frame})`;
      }
    }
  }
  ctx.setInfo(info);

  const stop = Math.min(end, buf.length);
  let c: ProtoNode[] | null = null;
  if (tree) {
    const node = ctx.add(tree, f.icmp, offset, stop - offset);
    c = ctx.children(node);
    ctx.add(c, f.type, offset, 1, type, `Type: ${type} (${typeName})`);
    ctx.add(c, f.code, offset + 1, 1, code, cName ? `Code: ${code} (${cName})` : `Code: ${code}`);
    addVerifiedChecksum(ctx, c, f, offset + 2, checksum, stop === end ? onesSum(buf, offset, end) === 0xffff : null);
    if (ID_SEQ_TYPES.has(type)) {
      const id = u16(buf, offset + 4);
      const seq = u16(buf, offset + 6);
      ctx.add(c, f.ident, offset + 4, 2, id);
      ctx.add(c, f.identLe, offset + 4, 2, ((id & 0xff) << 8) | (id >> 8));
      ctx.add(c, f.seq, offset + 6, 2, seq);
      ctx.add(c, f.seqLe, offset + 6, 2, ((seq & 0xff) << 8) | (seq >> 8));
    }
    if (isEcho) {
      if (reqFrame) {
        ctx.addGenerated(c, f.respTo, reqFrame, `Request frame: ${reqFrame}`);
        ctx.addGenerated(c, f.respTime, reqTime * 1000, `Response time: ${(reqTime * 1000).toFixed(3)} ms`);
      }
    } else if (ERROR_TYPES.has(type)) {
      if (type === 5)
        ctx.add(
          c,
          f.redirGw,
          offset + 4,
          4,
          buf.slice(offset + 4, offset + 8),
          `Gateway Address: ${formatIpv4(buf, offset + 4)}`,
        );
      else if (type === 3 && code === 4) {
        const unused = buf.slice(offset + 4, offset + 6);
        ctx.add(c, f.unused, offset + 4, 2, unused, `Unused: ${formatBytesHex(unused)}`);
        ctx.add(c, f.mtu, offset + 6, 2, u16(buf, offset + 6));
      } else if (type === 12) {
        ctx.add(c, f.pointer, offset + 4, 1, buf[offset + 4]);
        const unused = buf.slice(offset + 5, offset + 8);
        ctx.add(c, f.unused, offset + 5, 3, unused, `Unused: ${formatBytesHex(unused)}`);
      } else if (type !== 4) {
        const unused = buf.slice(offset + 4, offset + 8);
        ctx.add(c, f.unused, offset + 4, 4, unused, `Unused: ${formatBytesHex(unused)}`);
      }
    } else if (type === 9 && stop >= offset + 8) {
      const count = buf[offset + 4];
      const size = buf[offset + 5];
      const life = u16(buf, offset + 6);
      ctx.add(c, f.numAddrs, offset + 4, 1, count);
      ctx.add(c, f.addrEntrySize, offset + 5, 1, size);
      ctx.add(c, f.lifetime, offset + 6, 2, life, `Lifetime: ${life} (${secondsText(life)})`);
      for (let i = 0, p = offset + 8; i < count && size === 2 && p + 8 <= stop; i++, p += 8) {
        ctx.add(c, f.routerAddress, p, 4, buf.slice(p, p + 4));
        ctx.add(c, f.prefLevel, p + 4, 4, u32(buf, p + 4) | 0);
      }
    } else if ((type === 13 || type === 14) && stop >= offset + 20) {
      for (const [field, p] of [
        [f.originate, offset + 8],
        [f.receive, offset + 12],
        [f.transmit, offset + 16],
      ] as const) {
        const ms = u32(buf, p);
        ctx.add(c, field, p, 4, ms, `${field.name}: ${ms} (${millisecondsText(ms)} after midnight UTC)`);
      }
    } else if ((type === 17 || type === 18) && stop >= offset + 12) {
      ctx.add(c, f.addressMask, offset + 8, 4, buf.slice(offset + 8, offset + 12));
    } else if ((type === 42 || type === 43) && stop >= offset + 8) {
      ctx.add(c, f.ident, offset + 4, 2, u16(buf, offset + 4));
      const id = u16(buf, offset + 4);
      ctx.add(c, f.identLe, offset + 4, 2, ((id & 0xff) << 8) | (id >> 8));
      ctx.add(c, f.extEchoSeq, offset + 6, 1, buf[offset + 6]);
      const bits = buf[offset + 7];
      if (type === 42) {
        ctx.add(c, f.extEchoReqRes, offset + 7, 1, bits >> 1);
        ctx.add(c, f.extEchoLocal, offset + 7, 1, (bits & 1) !== 0);
        dissectIcmpExtensions(ctx, c, buf, offset + 8, stop);
      } else {
        ctx.add(c, f.extEchoState, offset + 7, 1, bits >> 5);
        ctx.add(c, f.extEchoRspRes, offset + 7, 1, (bits >> 3) & 3);
        ctx.add(c, f.extEchoActive, offset + 7, 1, (bits & 4) !== 0);
        ctx.add(c, f.extEchoIpv4, offset + 7, 1, (bits & 2) !== 0);
        ctx.add(c, f.extEchoIpv6, offset + 7, 1, (bits & 1) !== 0);
      }
    }
  }
  if (isEcho) dissectData(ctx, buf, offset + 8, end, c);
  else if (ERROR_TYPES.has(type) && stop > offset + 8) {
    // The invoking datagram: its IP header and the start of its payload.
    const ip = dissectorTables.ethertype.get(0x0800);
    const saved = ctx.net;
    const cols = copyColumns(ctx.columns);
    enterErrorPacket(ctx);
    if (ip) ctx.call(ip.fn, buf, offset + 8, end, c, 'IPv4');
    else dissectData(ctx, buf, offset + 8, end, c);
    leaveErrorPacket(ctx);
    ctx.net = saved;
    Object.assign(ctx.columns, cols);
  } else if (TYPES[type] === undefined && tree && stop > offset + 8) {
    dissectData(ctx, buf, offset + 8, end, c);
  }
};

/**
 * The ICMP multi-part extension structure (RFC 4884) of an extended echo request (RFC 8335),
 * with its Interface Identification Objects; ICMPv6 shows it the same way.
 */
export function dissectIcmpExtensions(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  buf: Uint8Array,
  start: number,
  stop: number,
): void {
  if (stop < start + 4) return;
  const en = ctx.add(c, f.ext, start, stop - start, undefined, 'ICMP Multi-Part Extensions');
  const ec = ctx.children(en);
  ctx.add(ec, f.extVersion, start, 1, buf[start] >> 4);
  ctx.add(ec, f.extRes, start, 2, u16(buf, start) & 0x0fff);
  const sum = u16(buf, start + 2);
  if (sum === 0) {
    ctx.addGenerated(ec, f.extChecksum, undefined, 'Checksum: [missing]');
    ctx.addGenerated(ec, f.extChecksumStatus, 3, 'Checksum Status: Not present');
  } else {
    const good = onesSum(buf, start, stop) === 0xffff;
    ctx.add(ec, f.extChecksum, start + 2, 2, sum, `Checksum: ${hexN(sum, 4)} [${good ? 'correct' : 'incorrect'}]`);
    ctx.addGenerated(ec, f.extChecksumStatus, good ? 1 : 0, `Checksum Status: ${good ? 'Good' : 'Bad'}`);
  }
  for (let p = start + 4; p + 4 <= stop;) {
    const len = u16(buf, p);
    const cls = buf[p + 2];
    const ctype = buf[p + 3];
    if (len < 4) return;
    const end = Math.min(p + len, stop);
    const on = ctx.add(ec, f.extObject, p, end - p, undefined, EXT_CLASSES[cls] ?? `Unknown object (${cls}/${ctype})`);
    const oc = ctx.children(on);
    ctx.add(oc, f.extLength, p, 2, len);
    ctx.add(oc, f.extClass, p + 2, 1, cls);
    const typeName = cls === 3 ? INT_IDENT_CTYPES[ctype] : undefined;
    ctx.add(oc, f.extCtype, p + 3, 1, ctype, typeName ? `C-Type: ${ctype} (${typeName})` : `C-Type: ${ctype}`);
    const q = p + 4;
    if (cls === 3 && ctype === 2 && end >= q + 4) ctx.add(oc, f.intIdentIndex, q, 4, u32(buf, q));
    else if (cls === 3 && ctype === 3 && end >= q + 4) {
      const afi = u16(buf, q);
      const alen = buf[q + 2];
      ctx.add(
        oc,
        f.intIdentAfi,
        q,
        2,
        afi,
        `Address Family Identifier: ${afi === 1 ? 'IPv4' : afi === 2 ? 'IPv6' : 'Unknown'} (${afi})`,
      );
      ctx.add(oc, f.intIdentAddrLen, q + 2, 1, alen);
      ctx.add(oc, f.intIdentReserved, q + 3, 1, buf.slice(q + 3, q + 4), `Reserved: ${hexN(buf[q + 3], 2).slice(2)}`);
      if (afi === 1 && alen === 4 && end >= q + 8) ctx.add(oc, f.intIdentIpv4, q + 4, 4, buf.slice(q + 4, q + 8));
      else if (afi === 2 && alen === 16 && end >= q + 20)
        ctx.add(oc, f.intIdentIpv6, q + 4, 16, buf.slice(q + 4, q + 20));
    } else if (end > q) {
      const data = buf.slice(q, end);
      ctx.add(oc, f.extData, q, data.length, data, `Data: ${formatBytesHex(data)}`);
    }
    p += len;
  }
}

/** Wireshark's unsigned_time_secs_to_str: "30 minutes", "1 hour, 2 seconds". */
function secondsText(secs: number): string {
  if (secs === 0) return '0 seconds';
  const parts: string[] = [];
  const unit = (n: number, name: string): void => {
    if (n) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
  };
  unit(Math.floor(secs / 86400), 'day');
  unit(Math.floor((secs % 86400) / 3600), 'hour');
  unit(Math.floor((secs % 3600) / 60), 'minute');
  unit(secs % 60, 'second');
  return parts.join(', ');
}

/** Wireshark's signed_time_msecs_to_str: seconds with their milliseconds ("1 hour, 0.010 seconds"). */
function millisecondsText(ms: number): string {
  const secs = Math.floor(ms / 1000);
  const rest = ms % 1000;
  if (rest === 0) return secondsText(secs);
  const whole = secondsText(secs - (secs % 60));
  const s = `${secs % 60}.${String(rest).padStart(3, '0')} seconds`;
  return secs - (secs % 60) === 0 ? s : `${whole}, ${s}`;
}

/** The TTL of the IPv4 header right before this ICMP message (for the echo Info). */
function ttlOf(buf: Uint8Array, icmpOffset: number): number | null {
  for (let hl = 20; hl <= 60; hl += 4) {
    const ip = icmpOffset - hl;
    if (ip < 0) break;
    if (buf[ip] === (0x40 | (hl >> 2)) && buf[ip + 9] === 1) return buf[ip + 8];
  }
  return null;
}

/** ICMP as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'icmp',
  fields: [f],
  registrations: [{ table: 'ip.proto', key: 1, dissector: dissectIcmp, name: 'ICMP' }],
});
