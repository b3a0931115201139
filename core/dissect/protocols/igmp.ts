/**
 * IGMP (IP protocol 2), versions 1–3 as Wireshark 4.0's packet-igmp.c tells them apart.
 * Wireshark adds the protocol twice ("ip:igmp:igmp"): once for IGMP, once for the version.
 */
import { defineFields } from '../fields';
import { dissectorTables, type DissectFn } from '../context';
import { formatIpv4 } from '../format';
import { CHECKSUM_STATUS, addVerifiedChecksum, hexN, onesSum, u16 } from './common';

const TYPES: Readonly<Record<number, string>> = {
  0x11: 'Membership Query',
  0x12: 'Membership Report',
  0x16: 'Membership Report',
  0x17: 'Leave Group',
  0x22: 'Membership Report',
};

const f = defineFields({
  igmp: { abbrev: 'igmp', name: 'Internet Group Management Protocol', type: 'protocol' },
  version: { abbrev: 'igmp.version', name: 'IGMP Version', type: 'uint8' },
  type: { abbrev: 'igmp.type', name: 'Type', type: 'uint8', base: 'hex', valueStrings: TYPES },
  maxResp: { abbrev: 'igmp.max_resp', name: 'Max Resp Time', type: 'uint8' },
  unused: { abbrev: 'igmp.unused', name: 'Unused', type: 'bytes' },
  checksum: { abbrev: 'igmp.checksum', name: 'Checksum', type: 'uint16', base: 'hex' },
  checksumStatus: {
    abbrev: 'igmp.checksum.status',
    name: 'Checksum Status',
    type: 'uint8',
    valueStrings: CHECKSUM_STATUS,
  },
  maddr: { abbrev: 'igmp.maddr', name: 'Multicast Address', type: 'ipv4' },
});
export const igmpFields = f;

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
  if (type === 0x11 && version !== 3)
    ctx.setInfo(group === '0.0.0.0' ? `${typeName}, general` : `${typeName}, specific for group ${group}`);
  else if (type === 0x17) ctx.setInfo(`${typeName} ${group}`);
  else if (version === 3) ctx.setInfo(typeName);
  else ctx.setInfo(`${typeName} group ${group}`);
  if (!tree) return;
  const node = ctx.add(tree, f.igmp, offset, version === 3 ? length : 8);
  const c = ctx.children(node);
  ctx.addGenerated(c, f.version, version);
  ctx.add(c, f.type, offset, 1, type);
  if (version === 1)
    ctx.add(c, f.unused, offset + 1, 1, buf.slice(offset + 1, offset + 2), `Unused: ${hexN(maxResp, 2).slice(2)}`);
  else
    ctx.add(
      c,
      f.maxResp,
      offset + 1,
      1,
      maxResp,
      `Max Resp Time: ${(maxResp / 10).toFixed(1)} sec (${hexN(maxResp, 2)})`,
    );
  const stop = Math.min(end, buf.length);
  addVerifiedChecksum(ctx, c, f, offset + 2, checksum, stop === end ? onesSum(buf, offset, stop) === 0xffff : null);
  ctx.add(c, f.maddr, offset + 4, 4, buf.slice(offset + 4, offset + 8));
};

dissectorTables.ipProto.set(2, { fn: dissectIgmp, name: 'IGMP' });
