/**
 * Dropbox LAN sync Discovery Protocol (UDP port 17500), as Wireshark 4.0's packet-db-lsp.c shows
 * it: Protocol "DB-LSP-DISC", Info "Dropbox LAN sync Discovery Protocol", and the datagram, a JSON
 * object, dissected as JSON under it ("DB-LSP-DISC/JSON", ", JavaScript Object Notation").
 */
import { defineProtocol } from '../protocol';
import type { DissectFn } from '../context';
import { defineFields } from '../fields';
import { dissectData } from './common';
import { dissectJson } from './media/json';

const f = defineFields({
  proto: {
    abbrev: 'db-lsp-disc',
    name: 'Dropbox LAN sync Discovery Protocol',
    type: 'protocol',
    subtreeHolds: ['json', 'data'],
  },
});

const dissectDbLspDisc: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('db-lsp-disc', 'DB-LSP-DISC');
  ctx.setInfo('Dropbox LAN sync Discovery Protocol');
  const stop = Math.min(end, buf.length);
  const node = ctx.add(tree, f.proto, offset, stop - offset);
  const c = ctx.children(node);
  // Not JSON (another program on the port, or cut short): the bytes as Data.
  if (!dissectJson(ctx, buf, offset, stop, c, '', null)) dissectData(ctx, buf, offset, stop, c);
};

/** DB-LSP-DISC as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'db-lsp-disc',
  fields: [f],
  registrations: [{ table: 'udp.port', key: 17500, dissector: dissectDbLspDisc, name: 'DB-LSP-DISC' }],
});
