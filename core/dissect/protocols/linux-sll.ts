/**
 * Linux "cooked" captures: LINKTYPE_LINUX_SLL (113, v1, 16 bytes) and LINKTYPE_LINUX_SLL2
 * (276, v2, 20 bytes), as Wireshark's packet-sll.c. Both appear as "sll" in frame.protocols.
 */
import { defineProtocol } from '../protocol';
import { defineFields } from '../fields';
import type { DissectFn, PacketContext } from '../context';
import type { ProtoNode } from '../tree';
import { formatBytesHex } from '../format';
import { ETHERTYPES, etherWithName, resolveEther, u16, u32 } from './common';
import { dispatchEthertype } from './ethernet';

const PACKET_TYPES: Readonly<Record<number, string>> = {
  0: 'Unicast to us',
  1: 'Broadcast',
  2: 'Multicast',
  3: 'Unicast to another host',
  4: 'Sent by us',
};

/** ARPHRD_* values (Wireshark's arp_hrd_vals as used by the SLL dissector). */
const HA_TYPES: Readonly<Record<number, string>> = {
  1: 'Ethernet',
  6: 'IEEE 802',
  24: 'IEEE 1394',
  32: 'InfiniBand',
  512: 'PPP',
  768: 'IPIP',
  769: 'IP6IP6',
  772: 'Loopback',
  776: 'SIT',
  778: 'IP GRE',
  801: 'IEEE 802.11',
  823: 'IPv6 GRE',
  65534: 'None',
};

const f = defineFields({
  sll: { abbrev: 'sll', name: 'Linux cooked capture', type: 'protocol' },
  pkttype: { abbrev: 'sll.pkttype', name: 'Packet type', type: 'uint16', valueStrings: PACKET_TYPES },
  hatype: { abbrev: 'sll.hatype', name: 'Link-layer address type', type: 'uint16', valueStrings: HA_TYPES },
  halen: { abbrev: 'sll.halen', name: 'Link-layer address length', type: 'uint16' },
  srcEth: { abbrev: 'sll.src.eth', name: 'Source', type: 'ether' },
  srcOther: { abbrev: 'sll.src.other', name: 'Source', type: 'bytes' },
  unused: { abbrev: 'sll.unused', name: 'Unused', type: 'bytes' },
  etype: { abbrev: 'sll.etype', name: 'Protocol', type: 'uint16', base: 'hex', valueStrings: ETHERTYPES },
  ltype: { abbrev: 'sll.ltype', name: 'Protocol', type: 'uint16', base: 'hex' },
  ifindex: { abbrev: 'sll.ifindex', name: 'Interface index', type: 'uint32' },
});
export const sllFields = f;

/** The 8-byte address field: a MAC (ARPHRD Ethernet-like, length 6) plus unused bytes. */
function addressNodes(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  buf: Uint8Array,
  offset: number,
  halen: number,
  hatype: number,
): void {
  let used = 0;
  if (halen === 6 && hatype !== 512) {
    ctx.add(c, f.srcEth, offset, 6, buf.slice(offset, offset + 6), `Source: ${etherWithName(buf, offset)}`);
    used = 6;
  } else if (halen > 0 && halen <= 8) {
    const bytes = buf.slice(offset, offset + halen);
    ctx.add(c, f.srcOther, offset, halen, bytes, `Source: ${formatBytesHex(bytes)}`);
    used = halen;
  }
  if (used < 8) {
    const bytes = buf.slice(offset + used, offset + 8);
    ctx.add(c, f.unused, offset + used, 8 - used, bytes, `Unused: ${formatBytesHex(bytes)}`);
  }
}

function setSourceColumn(ctx: PacketContext, buf: Uint8Array, offset: number, halen: number, hatype: number): void {
  if (halen === 6 && hatype !== 512) ctx.columns.source = resolveEther(buf, offset);
}

const dissectSll: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('sll', 'SLL');
  ctx.need(buf, offset, 16, end);
  const pkttype = u16(buf, offset);
  const hatype = u16(buf, offset + 2);
  const halen = u16(buf, offset + 4);
  const protocol = u16(buf, offset + 14);
  setSourceColumn(ctx, buf, offset + 6, halen, hatype);
  if (tree) {
    const node = ctx.add(tree, f.sll, offset, 16, undefined, 'Linux cooked capture v1');
    const c = ctx.children(node);
    ctx.add(c, f.pkttype, offset, 2, pkttype);
    ctx.add(c, f.hatype, offset + 2, 2, hatype);
    ctx.add(c, f.halen, offset + 4, 2, halen);
    addressNodes(ctx, c, buf, offset + 6, halen, hatype);
    if (protocol >= 0x0600) ctx.add(c, f.etype, offset + 14, 2, protocol);
    else ctx.add(c, f.ltype, offset + 14, 2, protocol);
  }
  dispatchEthertype(ctx, protocol, buf, offset + 16, end, tree);
};

const dissectSll2: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('sll', 'SLL');
  ctx.need(buf, offset, 20, end);
  const protocol = u16(buf, offset);
  const ifindex = u32(buf, offset + 4);
  const hatype = u16(buf, offset + 8);
  const pkttype = buf[offset + 10];
  const halen = buf[offset + 11];
  setSourceColumn(ctx, buf, offset + 12, halen, hatype);
  if (tree) {
    const node = ctx.add(tree, f.sll, offset, 20, undefined, 'Linux cooked capture v2');
    const c = ctx.children(node);
    if (protocol >= 0x0600) ctx.add(c, f.etype, offset, 2, protocol);
    else ctx.add(c, f.ltype, offset, 2, protocol);
    ctx.add(c, f.ifindex, offset + 4, 4, ifindex);
    ctx.add(c, f.hatype, offset + 8, 2, hatype);
    ctx.add(c, f.pkttype, offset + 10, 1, pkttype);
    ctx.add(c, f.halen, offset + 11, 1, halen);
    addressNodes(ctx, c, buf, offset + 12, halen, hatype);
  }
  dispatchEthertype(ctx, protocol, buf, offset + 20, end, tree);
};

/** SLL as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'sll',
  fields: [f],
  registrations: [
    { table: 'wtap_encap', key: 113, dissector: dissectSll, name: 'SLL' },
    { table: 'wtap_encap', key: 276, dissector: dissectSll2, name: 'SLL' },
  ],
});
