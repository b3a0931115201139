/**
 * Ethernet II (LINKTYPE_ETHERNET, 1), the ethertype dispatcher shared with Linux SLL and
 * 802.1Q VLAN tags, as Wireshark 4.0's packet-eth.c / packet-ethertype.c / packet-vlan.c.
 */
import { defineProtocol } from '../protocol';
import { defineExpertInfos } from '../expert';
import { defineFields, type FieldValue } from '../fields';
import { dissectorTables, type PacketContext, type DissectFn } from '../context';
import type { ProtoNode } from '../tree';
import { formatBytesHex } from '../format';
import { ETHERTYPES, dissectData, etherWithName, hexN, ouiVendor, resolveEther, u16, u24 } from './common';

const LG_TF: [string, string] = [
  'Locally administered address (this is NOT the factory default)',
  'Globally unique address (factory default)',
];
const IG_TF: [string, string] = ['Group address (multicast/broadcast)', 'Individual address (unicast)'];

const f = defineFields({
  eth: { abbrev: 'eth', name: 'Ethernet', type: 'protocol' },
  dst: { abbrev: 'eth.dst', name: 'Destination', type: 'ether', label: (v) => `Destination: ${macWithName(v)}` },
  dstResolved: { abbrev: 'eth.dst_resolved', name: 'Destination (resolved)', type: 'string' },
  // BASE_OUI in packet-eth.c: -T fields and -T json print the number in decimal.
  dstOui: { abbrev: 'eth.dst.oui', name: 'Destination OUI', type: 'uint24' },
  dstOuiResolved: { abbrev: 'eth.dst.oui_resolved', name: 'Destination OUI (resolved)', type: 'string' },
  src: { abbrev: 'eth.src', name: 'Source', type: 'ether', label: (v) => `Source: ${macWithName(v)}` },
  srcResolved: { abbrev: 'eth.src_resolved', name: 'Source (resolved)', type: 'string' },
  srcOui: { abbrev: 'eth.src.oui', name: 'Source OUI', type: 'uint24' },
  srcOuiResolved: { abbrev: 'eth.src.oui_resolved', name: 'Source OUI (resolved)', type: 'string' },
  addr: { abbrev: 'eth.addr', name: 'Address', type: 'ether', label: (v) => `Address: ${macWithName(v)}` },
  addrResolved: { abbrev: 'eth.addr_resolved', name: 'Address (resolved)', type: 'string' },
  addrOui: { abbrev: 'eth.addr.oui', name: 'Address OUI', type: 'uint24' },
  addrOuiResolved: { abbrev: 'eth.addr.oui_resolved', name: 'Address OUI (resolved)', type: 'string' },
  dstLg: { abbrev: 'eth.dst.lg', name: 'LG bit', type: 'bool', bitmask: 0x020000, bitWidth: 24, trueFalse: LG_TF },
  dstIg: { abbrev: 'eth.dst.ig', name: 'IG bit', type: 'bool', bitmask: 0x010000, bitWidth: 24, trueFalse: IG_TF },
  srcLg: { abbrev: 'eth.src.lg', name: 'LG bit', type: 'bool', bitmask: 0x020000, bitWidth: 24, trueFalse: LG_TF },
  srcIg: { abbrev: 'eth.src.ig', name: 'IG bit', type: 'bool', bitmask: 0x010000, bitWidth: 24, trueFalse: IG_TF },
  lg: { abbrev: 'eth.lg', name: 'LG bit', type: 'bool', bitmask: 0x020000, bitWidth: 24, trueFalse: LG_TF },
  ig: { abbrev: 'eth.ig', name: 'IG bit', type: 'bool', bitmask: 0x010000, bitWidth: 24, trueFalse: IG_TF },
  type: { abbrev: 'eth.type', name: 'Type', type: 'uint16', base: 'hex', valueStrings: ETHERTYPES },
  len: { abbrev: 'eth.len', name: 'Length', type: 'uint16' },
  padding: { abbrev: 'eth.padding', name: 'Padding', type: 'bytes' },
  trailer: { abbrev: 'eth.trailer', name: 'Trailer', type: 'bytes' },
  ethertype: { abbrev: 'ethertype', name: 'Ethertype', type: 'protocol' },
  vlan: { abbrev: 'vlan', name: '802.1Q Virtual LAN', type: 'protocol' },
  vlanPriority: {
    abbrev: 'vlan.priority',
    name: 'Priority',
    type: 'uint16',
    bitmask: 0xe000,
    valueStrings: {
      0: 'Best Effort (default)',
      1: 'Background',
      2: 'Excellent Effort',
      3: 'Critical Applications',
      4: 'Video, < 100ms latency and jitter',
      5: 'Voice, < 10ms latency and jitter',
      6: 'Internetwork Control',
      7: 'Network Control',
    },
  },
  vlanDei: {
    abbrev: 'vlan.dei',
    name: 'DEI',
    type: 'bool',
    bitmask: 0x1000,
    bitWidth: 16,
    trueFalse: ['Eligible', 'Ineligible'],
  },
  vlanId: { abbrev: 'vlan.id', name: 'ID', type: 'uint16', bitmask: 0x0fff },
  vlanEtype: { abbrev: 'vlan.etype', name: 'Type', type: 'uint16', base: 'hex', valueStrings: ETHERTYPES },
});
export const ethernetFields = f;

/** How many bytes the protocol behind `ethertype` says it occupies (so the rest is padding/trailer). */
function declaredLength(ethertype: number, buf: Uint8Array, offset: number, end: number): number | null {
  const avail = Math.min(end, buf.length) - offset;
  if (ethertype === 0x0800 && avail >= 4) {
    const total = u16(buf, offset + 2);
    return total >= 20 ? total : null;
  }
  if (ethertype === 0x86dd && avail >= 6) return 40 + u16(buf, offset + 4);
  if (ethertype === 0x0806 && avail >= 6) return 8 + 2 * buf[offset + 4] + 2 * buf[offset + 5];
  return null;
}

/**
 * The ethertype dispatcher (frame.protocols "ethertype"): calls the dissector registered for
 * `type` on buf[offset, end), or shows the bytes as Data. Returns where the payload ended,
 * for padding/trailer accounting.
 */
export function dispatchEthertype(
  ctx: PacketContext,
  type: number,
  buf: Uint8Array,
  offset: number,
  end: number,
  tree: ProtoNode[] | null,
): number {
  ctx.enterProtocol('ethertype');
  const declared = declaredLength(type, buf, offset, end);
  const payloadEnd = declared !== null && offset + declared < end ? offset + declared : end;
  const next = dissectorTables.ethertype.get(type);
  if (next) ctx.call(next.fn, buf, offset, payloadEnd, tree, next.name);
  else dissectData(ctx, buf, offset, payloadEnd, tree);
  return payloadEnd;
}

const OUI_RESOLVED_FIELDS = [f.dstOuiResolved, f.srcOuiResolved, f.addrOuiResolved];

/** "VMware_c0:00:08 (00:50:56:c0:00:08)" for an eth.* address value. */
function macWithName(value: FieldValue | undefined): string {
  return value instanceof Uint8Array ? etherWithName(value, 0) : '';
}

export function etherAddressNodes(
  ctx: PacketContext,
  parent: ProtoNode[] | null,
  buf: Uint8Array,
  offset: number,
  which: 'dst' | 'src',
): void {
  if (!parent) return;
  const mac = buf.slice(offset, offset + 6);
  const resolved = resolveEther(buf, offset);
  // Labels come from the fields' formatters (macWithName), when the tree is shown.
  const node = ctx.add(parent, which === 'dst' ? f.dst : f.src, offset, 6, mac);
  const c = ctx.children(node);
  const oui = u24(buf, offset);
  // The vendor's long name, when the OUI is known (packet-eth.c: get_manuf_name_if_known); not
  // looked up for a tree pruned to other fields (the packet list's passes).
  const vendor = ctx.keepsAny(OUI_RESOLVED_FIELDS) ? ouiVendor(oui)?.long : undefined;
  ctx.addHidden(c, which === 'dst' ? f.dstResolved : f.srcResolved, offset, 6, resolved);
  ctx.addHidden(c, which === 'dst' ? f.dstOui : f.srcOui, offset, 3, oui);
  if (vendor !== undefined) ctx.addHidden(c, which === 'dst' ? f.dstOuiResolved : f.srcOuiResolved, offset, 6, vendor);
  ctx.add(c, f.addr, offset, 6, mac);
  ctx.addHidden(c, f.addrResolved, offset, 6, resolved);
  ctx.addHidden(c, f.addrOui, offset, 3, oui);
  if (vendor !== undefined) ctx.addHidden(c, f.addrOuiResolved, offset, 6, vendor);
  const lg = (buf[offset] & 0x02) !== 0;
  const ig = (buf[offset] & 0x01) !== 0;
  ctx.add(c, which === 'dst' ? f.dstLg : f.srcLg, offset, 3, lg);
  ctx.addHidden(c, f.lg, offset, 3, lg);
  ctx.add(c, which === 'dst' ? f.dstIg : f.srcIg, offset, 3, ig);
  ctx.addHidden(c, f.ig, offset, 3, ig);
}

const dissectEthernet: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('eth');
  ctx.need(buf, offset, 14, end);
  const type = u16(buf, offset + 12);
  ctx.columns.source = resolveEther(buf, offset + 6);
  ctx.columns.destination = resolveEther(buf, offset);
  let c: ProtoNode[] | null = null;
  if (tree) {
    const isEthernetII = type >= 0x0600;
    const node = ctx.add(
      tree,
      f.eth,
      offset,
      14,
      undefined,
      ctx.labelled(f.eth)
        ? `${isEthernetII ? 'Ethernet II' : 'IEEE 802.3 Ethernet'}, Src: ${etherWithName(buf, offset + 6)}, Dst: ${etherWithName(buf, offset)}`
        : undefined,
    );
    c = ctx.children(node);
    etherAddressNodes(ctx, c, buf, offset, 'dst');
    etherAddressNodes(ctx, c, buf, offset + 6, 'src');
    if (isEthernetII) ctx.add(c, f.type, offset + 12, 2, type);
    else ctx.add(c, f.len, offset + 12, 2, type);
  }
  if (type < 0x0600) {
    // IEEE 802.3 length field: the LLC payload is not dissected here.
    const payloadEnd = Math.min(end, offset + 14 + type);
    dissectData(ctx, buf, offset + 14, payloadEnd, tree);
    addTrailer(ctx, c, buf, payloadEnd, end, offset);
    return;
  }
  const payloadEnd = dispatchEthertype(ctx, type, buf, offset + 14, end, tree);
  addTrailer(ctx, c, buf, payloadEnd, end, offset);
};

const ei = defineExpertInfos({
  paddingBad: {
    abbrev: 'eth.padding_bad',
    // Raised in packet-ethertype.c's call of add_ethernet_trailer: the expert tap names Ethertype.
    protocol: 'ethertype',
    group: 'protocol',
    severity: 'note',
    message: "Didn't find padding of zeros, and an undecoded trailer exists. There may be padding of non-zeros.",
  },
});

/**
 * Bytes after the payload, as packet-eth.c's add_ethernet_trailer with its default ("Assume
 * padding for short frames with trailer": zeros): in a frame of 60 bytes or more whose payload
 * ends before byte 60, the bytes up to 60 are padding if they are all zeros; the rest is a
 * trailer, noted as maybe non-zero padding when no padding was found.
 */
function addTrailer(
  ctx: PacketContext,
  c: ProtoNode[] | null,
  buf: Uint8Array,
  payloadEnd: number,
  end: number,
  frameStart: number,
): void {
  if (!c) return;
  const stop = Math.min(end, buf.length);
  if (payloadEnd >= stop) return;
  const frameLength = end - frameStart;
  const beforeTrailer = payloadEnd - frameStart;
  const maybePadded = frameLength >= 60 && beforeTrailer < 60;
  let pos = payloadEnd;
  if (maybePadded) {
    const padEnd = Math.min(frameStart + 60, stop);
    let zeros = true;
    for (let i = pos; i < padEnd && zeros; i++) zeros = buf[i] === 0;
    if (zeros) {
      const bytes = buf.slice(pos, padEnd);
      ctx.add(c, f.padding, pos, padEnd - pos, bytes, `Padding: ${formatBytesHex(bytes)}`);
      pos = padEnd;
    }
  }
  if (pos < stop) {
    const bytes = buf.slice(pos, stop);
    const trailer = ctx.add(c, f.trailer, pos, stop - pos, bytes, `Trailer: ${formatBytesHex(bytes)}`);
    if (maybePadded && pos === payloadEnd) ctx.expert(ctx.children(trailer), ei.paddingBad);
  }
}

const dissectVlan: DissectFn = (ctx, buf, offset, end, tree) => {
  ctx.enterProtocol('vlan', 'VLAN');
  ctx.need(buf, offset, 4, end);
  const tci = u16(buf, offset);
  const type = u16(buf, offset + 2);
  if (tree) {
    const node = ctx.add(
      tree,
      f.vlan,
      offset,
      4,
      undefined,
      `802.1Q Virtual LAN, PRI: ${tci >> 13}, DEI: ${(tci >> 12) & 1}, ID: ${tci & 0xfff}`,
    );
    const c = ctx.children(node);
    ctx.add(c, f.vlanPriority, offset, 2, tci >> 13);
    ctx.add(c, f.vlanDei, offset, 2, (tci & 0x1000) !== 0);
    ctx.add(c, f.vlanId, offset, 2, tci & 0xfff);
    ctx.add(c, f.vlanEtype, offset + 2, 2, type);
  }
  ctx.setInfo(`PRI: ${tci >> 13}  DEI: ${(tci >> 12) & 1}  ID: ${tci & 0xfff}`);
  dispatchEthertype(ctx, type, buf, offset + 4, end, tree);
};

/** "IPv4 (0x0800)" */
export function ethertypeText(type: number): string {
  return `${ETHERTYPES[type] ?? 'Unknown'} (${hexN(type, 4)})`;
}

/** ETH as data: what registerAllProtocols() (index.ts) registers. */
export const protocol = defineProtocol({
  name: 'eth',
  fields: [f],
  expertInfos: [ei],
  registrations: [
    { table: 'wtap_encap', key: 1, dissector: dissectEthernet, name: 'Ethernet' },
    { table: 'ethertype', key: 0x8100, dissector: dissectVlan, name: 'VLAN' },
  ],
});
