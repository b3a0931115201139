/**
 * ICMP (IP protocol 1), as Wireshark 4.0's packet-icmp.c: echo request/reply (with the
 * request/response matching tshark does in one pass), errors quoting the invoking IP header,
 * and the checksum verified.
 */
import { defineFields } from '../fields';
import { copyColumns, dissectorTables, type DissectFn } from '../context';
import type { ProtoNode } from '../tree';
import { formatIpv4, formatBytesHex } from '../format';
import { CHECKSUM_STATUS, addVerifiedChecksum, dissectData, hexN, onesSum, u16 } from './common';
import { enterErrorPacket, leaveErrorPacket } from './ipv4';

const TYPES: Readonly<Record<number, string>> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench (flow control)',
  5: 'Redirect',
  8: 'Echo (ping) request',
  9: 'Router advertisement',
  10: 'Router solicitation',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
  17: 'Address mask request',
  18: 'Address mask reply',
};
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
  redirGw: { abbrev: 'icmp.redir_gw', name: 'Gateway address', type: 'ipv4' },
  pointer: { abbrev: 'icmp.pointer', name: 'Pointer', type: 'uint32' },
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
  return undefined;
}

const dissectIcmp: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('icmp', 'ICMP');
  ctx.need(buf, offset, 4, end);
  const type = buf[offset];
  const code = buf[offset + 1];
  const checksum = u16(buf, offset + 2);
  const typeName = TYPES[type] ?? 'Unknown ICMP (obsolete or malformed?)';
  const cName = codeName(type, code);
  const isEcho = type === 0 || type === 8;
  let info = cName ? `${typeName} (${cName})` : typeName;
  let reqFrame = 0;
  let reqTime = 0;
  if (isEcho) {
    ctx.need(buf, offset, 8, end);
    const id = u16(buf, offset + 4);
    const seq = u16(buf, offset + 6);
    const seqLe = ((seq & 0xff) << 8) | (seq >> 8);
    const ttl = ttlOf(buf, offset);
    info = `${typeName.padEnd(20, ' ')} id=${hexN(id, 4)}, seq=${seq}/${seqLe}${ttl !== null ? `, ttl=${ttl}` : ''}`;
    const state = ctx.state.state<EchoState>('icmp.echo', () => ({ requests: new Map() }));
    const net = ctx.net;
    const key = `${id}/${seq}/${type === 8 ? net?.srcText : net?.dstText}>${type === 8 ? net?.dstText : net?.srcText}`;
    if (type === 8) {
      state.requests.set(key, { frame: ctx.packet.number, time: ctx.packet.timeRelative });
      info += ' (no response found!)';
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
    if (isEcho) {
      const id = u16(buf, offset + 4);
      const seq = u16(buf, offset + 6);
      ctx.add(c, f.ident, offset + 4, 2, id);
      ctx.add(c, f.identLe, offset + 4, 2, ((id & 0xff) << 8) | (id >> 8));
      ctx.add(c, f.seq, offset + 6, 2, seq);
      ctx.add(c, f.seqLe, offset + 6, 2, ((seq & 0xff) << 8) | (seq >> 8));
      if (type === 8) ctx.addGenerated(c, f.noResp, undefined, 'No response seen');
      if (reqFrame) {
        ctx.addGenerated(c, f.respTo, reqFrame, `Request frame: ${reqFrame}`);
        ctx.addGenerated(c, f.respTime, reqTime * 1000, `Response time: ${(reqTime * 1000).toFixed(3)} ms`);
      }
      if (stop > offset + 8) {
        const data = buf.slice(offset + 8, stop);
        const dn = ctx.add(c, f.data, offset + 8, data.length, undefined, `Data (${data.length} bytes)`);
        const dc = ctx.children(dn);
        ctx.add(dc, f.dataData, offset + 8, data.length, data, `Data: ${formatBytesHex(data)}`);
        ctx.addGenerated(dc, f.dataLen, data.length, `Length: ${data.length}`);
      }
    } else if (type === 3 || type === 11 || type === 4 || type === 5 || type === 12) {
      if (type === 5)
        ctx.add(
          c,
          f.redirGw,
          offset + 4,
          4,
          buf.slice(offset + 4, offset + 8),
          `Gateway address: ${formatIpv4(buf, offset + 4)}`,
        );
      else if (type === 3 && code === 4) {
        const unused = buf.slice(offset + 4, offset + 6);
        ctx.add(c, f.unused, offset + 4, 2, unused, `Unused: ${formatBytesHex(unused)}`);
        ctx.add(c, f.mtu, offset + 6, 2, u16(buf, offset + 6));
      } else if (type === 12) ctx.add(c, f.pointer, offset + 4, 1, buf[offset + 4]);
      else {
        const unused = buf.slice(offset + 4, offset + 8);
        ctx.add(c, f.unused, offset + 4, 4, unused, `Unused: ${formatBytesHex(unused)}`);
      }
    }
  }
  if (!isEcho && (type === 3 || type === 11 || type === 4 || type === 5 || type === 12) && stop > offset + 8) {
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
  } else if (!isEcho && tree && stop > offset + 8) {
    dissectData(ctx, buf, offset + 8, end, c);
  }
};

/** The TTL of the IPv4 header right before this ICMP message (for the echo Info). */
function ttlOf(buf: Uint8Array, icmpOffset: number): number | null {
  for (let hl = 20; hl <= 60; hl += 4) {
    const ip = icmpOffset - hl;
    if (ip < 0) break;
    if (buf[ip] === (0x40 | (hl >> 2)) && buf[ip + 9] === 1) return buf[ip + 8];
  }
  return null;
}

dissectorTables.ipProto.set(1, { fn: dissectIcmp, name: 'ICMP' });
