/**
 * IGMP (IP protocol 2), versions 1–3 as Wireshark 4.0's packet-igmp.c tells them apart:
 * v1 (RFC 1112) query and report, v2 (RFC 2236) queries, report and leave, v3 (RFC 3376)
 * queries with their sources and reports with their group records.
 * Wireshark adds the protocol twice ("ip:igmp:igmp"): once for IGMP, once for the version.
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import type { DissectFn, PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { formatIpv4, formatBytesHex } from '../format';
import { CHECKSUM_STATUS, addVerifiedChecksum, hexN, onesSum, u16 } from './common';

const TYPES: Readonly<Record<number, string>> = {
  0x11: 'Membership Query',
  0x12: 'Membership Report',
  0x16: 'Membership Report',
  0x17: 'Leave Group',
  0x22: 'Membership Report',
};
const RECORD_TYPES: Readonly<Record<number, string>> = {
  1: 'Mode Is Include',
  2: 'Mode Is Exclude',
  3: 'Change To Include Mode',
  4: 'Change To Exclude Mode',
  5: 'Allow New Sources',
  6: 'Block Old Sources',
};

const f = defineFields({
  igmp: { abbrev: 'igmp', name: 'Internet Group Management Protocol', type: 'protocol' },
  version: { abbrev: 'igmp.version', name: 'IGMP Version', type: 'uint8' },
  type: { abbrev: 'igmp.type', name: 'Type', type: 'uint8', base: 'hex', valueStrings: TYPES },
  maxResp: { abbrev: 'igmp.max_resp', name: 'Max Resp Time', type: 'uint8' },
  maxRespExp: { abbrev: 'igmp.max_resp.exp', name: 'Exponent', type: 'uint8', base: 'hex', bitmask: 0x70 },
  maxRespMant: { abbrev: 'igmp.max_resp.mant', name: 'Mantissa', type: 'uint8', base: 'hex', bitmask: 0x0f },
  reserved: { abbrev: 'igmp.reserved', name: 'Reserved', type: 'bytes' },
  checksum: { abbrev: 'igmp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: {
    abbrev: 'igmp.checksum.status',
    name: 'Checksum Status',
    type: 'uint8',
    valueStrings: CHECKSUM_STATUS,
  },
  maddr: { abbrev: 'igmp.maddr', name: 'Multicast Address', type: 'ipv4' },
  s: { abbrev: 'igmp.s', name: 'S', type: 'bool', bitmask: 0x08, bitWidth: 8 },
  qrv: { abbrev: 'igmp.qrv', name: 'QRV', type: 'uint8', bitmask: 0x07 },
  qqic: { abbrev: 'igmp.qqic', name: 'QQIC', type: 'uint8' },
  numSrc: { abbrev: 'igmp.num_src', name: 'Num Src', type: 'uint16' },
  saddr: { abbrev: 'igmp.saddr', name: 'Source Address', type: 'ipv4' },
  numGrpRecs: { abbrev: 'igmp.num_grp_recs', name: 'Num Group Records', type: 'uint16' },
  record: { abbrev: 'igmp.record', name: 'Group Record', type: 'none', textOnly: true },
  recordType: { abbrev: 'igmp.record_type', name: 'Record Type', type: 'uint8', valueStrings: RECORD_TYPES },
  auxDataLen: { abbrev: 'igmp.aux_data_len', name: 'Aux Data Len', type: 'uint8' },
  auxData: { abbrev: 'igmp.aux_data', name: 'Aux Data', type: 'bytes' },
});
export const igmpFields = f;

/** RFC 3376 4.1.1: codes from 128 up are a floating-point value (exponent and mantissa). */
function maxRespTenths(code: number): number {
  return code < 128 ? code : ((code & 0x0f) | 0x10) << (((code >> 4) & 0x07) + 3);
}

const dissectIgmp: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('igmp');
  ctx.need(buf, offset, 1, end);
  const type = buf[offset];
  const length = end - offset;
  let version = 0;
  if (type === 0x11) version = length > 8 ? 3 : buf[offset + 1] === 0 ? 1 : 2;
  else if (type === 0x12) version = 1;
  else if (type === 0x16 || type === 0x17) version = 2;
  else if (type === 0x22) version = 3;
  if (version === 0) {
    ctx.columns.protocol = 'IGMP';
    ctx.setInfo(`Unknown Type:0x${type.toString(16).padStart(2, '0')}`);
    ctx.add(tree, f.igmp, offset, length);
    return;
  }
  ctx.enterProtocol('igmp', `IGMPv${version}`);
  ctx.need(buf, offset, 8, end);
  const maxResp = buf[offset + 1];
  const checksum = u16(buf, offset + 2);
  const group = formatIpv4(buf, offset + 4);
  const typeName = TYPES[type];
  const stop = Math.min(end, buf.length);
  if (version === 1) ctx.setInfo(typeName);
  else if (type === 0x11) {
    let info = group === '0.0.0.0' ? `${typeName}, general` : `${typeName}, specific for group ${group}`;
    if (version === 3 && stop >= offset + 12) {
      const n = u16(buf, offset + 10);
      const sources = readSources(buf, offset + 12, n, stop);
      if (n > 0) info += `, source${n === 1 ? '' : 's'} {${sources.join(', ')}}`;
    }
    ctx.setInfo(info);
  } else if (type === 0x17) ctx.setInfo(`${typeName} ${group}`);
  else if (version === 3) ctx.setInfo(typeName + reportInfo(buf, offset, stop));
  else ctx.setInfo(`${typeName} group ${group}`);
  if (!tree) return;
  const node = ctx.add(tree, f.igmp, offset, version === 3 ? length : 8);
  const c = ctx.children(node);
  ctx.addGenerated(c, f.version, version);
  ctx.add(c, f.type, offset, 1, type);
  if (version === 1 || type === 0x22)
    ctx.add(c, f.reserved, offset + 1, 1, buf.slice(offset + 1, offset + 2), `Reserved: ${hexN(maxResp, 2).slice(2)}`);
  else if (version === 3) {
    const mn = ctx.add(
      c,
      f.maxResp,
      offset + 1,
      1,
      // The value is the time in tenths of a second, decoded from its floating-point form (as
      // packet-igmp.c stores it: `igmp.max_resp == 224` for the code 0x8c).
      maxRespTenths(maxResp),
      `Max Resp Time: ${(maxRespTenths(maxResp) / 10).toFixed(1)} sec (${hexN(maxResp, 2)})`,
    );
    if (maxResp & 0x80) {
      const mc = ctx.children(mn);
      ctx.add(mc, f.maxRespExp, offset + 1, 1, (maxResp >> 4) & 0x07);
      ctx.add(mc, f.maxRespMant, offset + 1, 1, maxResp & 0x0f);
    }
  } else
    ctx.add(
      c,
      f.maxResp,
      offset + 1,
      1,
      maxResp,
      `Max Resp Time: ${(maxResp / 10).toFixed(1)} sec (${hexN(maxResp, 2)})`,
    );
  addVerifiedChecksum(ctx, c, f, offset + 2, checksum, stop === end ? onesSum(buf, offset, stop) === 0xffff : null);
  if (type === 0x22) {
    ctx.add(c, f.reserved, offset + 4, 2, buf.slice(offset + 4, offset + 6));
    const count = u16(buf, offset + 6);
    ctx.add(c, f.numGrpRecs, offset + 6, 2, count);
    for (let i = 0, p = offset + 8; i < count && p + 8 <= stop; i++) p = groupRecord(ctx, c, buf, p, stop);
    return;
  }
  ctx.add(c, f.maddr, offset + 4, 4, buf.slice(offset + 4, offset + 8));
  if (version === 3 && stop >= offset + 12) {
    const flags = buf[offset + 8];
    ctx.add(
      c,
      f.s,
      offset + 8,
      1,
      (flags & 0x08) !== 0,
      `.... ${flags & 0x08 ? '1' : '0'}... = S: ${flags & 0x08 ? 'SUPPRESS router side processing' : 'Do not suppress router side processing'}`,
    );
    ctx.add(c, f.qrv, offset + 8, 1, flags & 0x07);
    ctx.add(c, f.qqic, offset + 9, 1, buf[offset + 9]);
    const n = u16(buf, offset + 10);
    ctx.add(c, f.numSrc, offset + 10, 2, n);
    for (let i = 0, p = offset + 12; i < n && p + 4 <= stop; i++, p += 4)
      ctx.add(c, f.saddr, p, 4, buf.slice(p, p + 4));
  }
};

function readSources(buf: Uint8Array, start: number, n: number, stop: number): string[] {
  const out: string[] = [];
  for (let i = 0, p = start; i < n && p + 4 <= stop; i++, p += 4) out.push(formatIpv4(buf, p));
  return out;
}

/** The Info of a v3 report: " / Join group G for …" per group record, as packet-igmp.c words it. */
function reportInfo(buf: Uint8Array, offset: number, stop: number): string {
  if (stop < offset + 8) return '';
  const count = u16(buf, offset + 6);
  let out = '';
  for (let i = 0, p = offset + 8; i < count && p + 8 <= stop; i++) {
    const rtype = buf[p];
    const aux = buf[p + 1] * 4;
    const n = u16(buf, p + 2);
    const g = formatIpv4(buf, p + 4);
    const list = `{${readSources(buf, p + 8, n, stop).join(', ')}}`;
    const s = n === 1 ? '' : 's';
    const include = rtype === 1 || rtype === 3;
    const exclude = rtype === 2 || rtype === 4;
    if (n === 0) {
      if (include) out += ` / Leave group ${g}`;
      else if (exclude) out += ` / Join group ${g} for any sources`;
      else if (rtype === 5) out += ` / Group ${g}, ALLOW_NEW_SOURCES but no source specified (?)`;
      else if (rtype === 6) out += ` / Group ${g}, BLOCK_OLD_SOURCES but no source specified (?)`;
      else out += ` / Group ${g}, unknown record type (?)`;
    } else if (include) out += ` / Join group ${g} for source${n === 1 ? '' : 's in'} ${list}`;
    else if (exclude) out += ` / Join group ${g}, for source${n === 1 ? '' : 's'} not${n === 1 ? '' : ' in'} ${list}`;
    else if (rtype === 5) out += ` / Group ${g}, new source${s} ${list}`;
    else if (rtype === 6) out += ` / Group ${g}, block source${s} ${list}`;
    else out += ` / Group ${g}, unknown record type (?)`;
    p += 8 + n * 4 + aux;
  }
  return out;
}

function groupRecord(ctx: PacketContext, c: ProtoNode[] | null, buf: Uint8Array, p: number, stop: number): number {
  const rtype = buf[p];
  const auxWords = buf[p + 1];
  const n = u16(buf, p + 2);
  const len = 8 + n * 4 + auxWords * 4;
  const g = formatIpv4(buf, p + 4);
  const rn = ctx.add(
    c,
    f.record,
    p,
    Math.min(len, stop - p),
    undefined,
    `Group Record : ${g}  ${RECORD_TYPES[rtype] ?? 'Unknown'}`,
  );
  const rc = ctx.children(rn);
  ctx.add(rc, f.recordType, p, 1, rtype);
  ctx.add(rc, f.auxDataLen, p + 1, 1, auxWords);
  ctx.add(rc, f.numSrc, p + 2, 2, n);
  ctx.add(rc, f.maddr, p + 4, 4, buf.slice(p + 4, p + 8));
  let q = p + 8;
  for (let i = 0; i < n && q + 4 <= stop; i++, q += 4) ctx.add(rc, f.saddr, q, 4, buf.slice(q, q + 4));
  if (auxWords > 0 && q < stop) {
    const aux = buf.slice(q, Math.min(q + auxWords * 4, stop));
    ctx.add(rc, f.auxData, q, aux.length, aux, `Aux Data: ${formatBytesHex(aux)}`);
  }
  return p + len;
}

/** IGMP as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'igmp',
  fields: [f],
  registrations: [{ table: 'ip.proto', key: 2, dissector: dissectIgmp, name: 'IGMP' }],
});
