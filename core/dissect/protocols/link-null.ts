/**
 * BSD loopback: LINKTYPE_NULL (0, address family in the capturing host's byte order) and
 * LINKTYPE_LOOP (108, network byte order), as Wireshark's packet-null.c.
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import { dissectorTables, type DissectFn } from '../context';
import { dissectData, u32 } from './common';

const FAMILIES: Readonly<Record<number, string>> = {
  2: 'IP',
  7: 'OSI',
  16: 'Appletalk',
  23: 'Netware IPX/SPX',
  24: 'IPv6',
  28: 'IPv6',
  30: 'IPv6',
};

const f = defineFields({
  nul: { abbrev: 'null', name: 'Null/Loopback', type: 'protocol' },
  family: { abbrev: 'null.family', name: 'Family', type: 'uint32', valueStrings: FAMILIES },
});
export const nullFields = f;

const dissectNull: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('null', 'NULL');
  ctx.need(buf, offset, 4, end);
  let family = u32(buf, offset);
  // Host byte order: a family number never needs the upper 16 bits, so if they are set the
  // word was written little-endian (Wireshark does the same test).
  if ((family & 0xffff0000) !== 0) {
    family = (buf[offset + 3] << 24) + (buf[offset + 2] << 16) + (buf[offset + 1] << 8) + buf[offset];
    family >>>= 0;
  }
  if (tree) {
    const node = ctx.add(tree, f.nul, offset, 4);
    ctx.add(ctx.children(node), f.family, offset, 4, family);
  }
  const next =
    family === 2
      ? dissectorTables.ethertype.get(0x0800)
      : family === 24 || family === 28 || family === 30
        ? dissectorTables.ethertype.get(0x86dd)
        : undefined;
  if (next) ctx.call(next.fn, buf, offset + 4, end, tree, next.name);
  else dissectData(ctx, buf, offset + 4, end, tree);
};

/** NULL as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'null',
  fields: [f],
  registrations: [
    { table: 'wtap_encap', key: 0, dissector: dissectNull, name: 'Null/Loopback' },
    { table: 'wtap_encap', key: 108, dissector: dissectNull, name: 'Null/Loopback' },
  ],
});
