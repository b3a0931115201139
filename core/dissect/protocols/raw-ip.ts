/**
 * Raw IP link types: LINKTYPE_RAW (101, IPv4 or IPv6 by the version nibble), LINKTYPE_IPV4
 * (228) and LINKTYPE_IPV6 (229). Wireshark shows a childless "Raw packet data" item first.
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import { dissectorTables, type DissectFn } from '../context';
import { dissectData } from './common';

const f = defineFields({
  raw: { abbrev: 'raw', name: 'Raw packet data', type: 'protocol' },
});
export const rawFields = f;

function rawDissector(force: 4 | 6 | null): DissectFn {
  return (ctx, buf, offset, end, tree) => {
    ctx.enterProtocol('raw', 'Raw');
    ctx.add(tree, f.raw, offset, Math.min(end, buf.length) - offset);
    ctx.need(buf, offset, 1, end);
    const version = force ?? buf[offset] >> 4;
    const next =
      version === 4
        ? dissectorTables.ethertype.get(0x0800)
        : version === 6
          ? dissectorTables.ethertype.get(0x86dd)
          : undefined;
    if (next) ctx.call(next.fn, buf, offset, end, tree, next.name);
    else dissectData(ctx, buf, offset, end, tree);
  };
}

/** RAW as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'raw',
  fields: [f],
  registrations: [
    { table: 'wtap_encap', key: 101, dissector: rawDissector(null), name: 'Raw' },
    { table: 'wtap_encap', key: 228, dissector: rawDissector(4), name: 'Raw' },
    { table: 'wtap_encap', key: 229, dissector: rawDissector(6), name: 'Raw' },
  ],
});
