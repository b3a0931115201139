/**
 * What the statistics read from a dissected packet: its protocol layers, as the top-level
 * items of the detail tree (Wireshark's taps are called once per dissected header, and a
 * header quoted inside an ICMP error is not a layer of its own here either).
 */
import type { DissectedPacket } from '../dissect/context';
import { allFields, type FieldDef, type FieldValue } from '../dissect/fields';
import { registerAllProtocols } from '../dissect/protocols';
import { formatFieldValue, isProtocolLayer, type ProtoNode } from '../dissect/tree';

/** The fields the statistics of this folder read (a pruned tree with these is enough for all but io,phs and expert). */
export const LAYER_FIELDS = [
  'eth',
  'eth.src',
  'eth.dst',
  'eth.src_resolved',
  'eth.dst_resolved',
  'ip',
  'ip.src',
  'ip.dst',
  'ipv6',
  'ipv6.src',
  'ipv6.dst',
  'ipv6.routing',
  'ipv6.routing.type',
  'ipv6.routing.segleft',
  'ipv6.routing.src.addr',
  'ipv6.routing.mipv6.home_address',
  'tcp',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.stream',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.flags',
  'tcp.hdr_len',
  'tcp.len',
  'udp',
  'udp.srcport',
  'udp.dstport',
  // Kept so that the headers an ICMP error quotes stay inside it in the pruned tree, not layers of their own.
  'icmp',
  'icmpv6',
] as const;

/** One protocol layer of a packet: the item and its direct fields. */
export interface Layer {
  protocol: string;
  node: ProtoNode;
}

/**
 * What Protocol Hierarchy reads of a tree (ProtocolHierarchy.add): each protocol's item
 * (`_ws.malformed` and `_ws.expert` among them), TCP's flags (a FIN's reassembled data) and the
 * top-level "[N Reassembled TCP Segments]" item. A tree pruned to these gives the hierarchy of
 * the whole tree; the "[Packet size limited …]" item is a text a pruned tree lacks, and the
 * packet says where it stood (cutShortAfterLayers).
 */
export function hierarchyFields(): string[] {
  registerAllProtocols();
  const protocols = allFields()
    .filter((field) => field.type === 'protocol')
    .map((field) => field.abbrev);
  return [...protocols, 'tcp.flags', 'tcp.segments'];
}

/** The packet's protocol layers in order (frame excluded; see isProtocolLayer). */
export function packetLayers(packet: DissectedPacket): Layer[] {
  const layers: Layer[] = [];
  for (const node of packet.tree ?? []) {
    if (isProtocolLayer(node)) layers.push({ protocol: (node.field as FieldDef).abbrev, node });
  }
  return layers;
}

/** The innermost network layer (IPv4, IPv6) before layer `i`: whose addresses a transport layer at `i` uses. */
export function networkLayerBefore(layers: readonly Layer[], i: number): Layer | undefined {
  for (let j = i - 1; j >= 0; j--) if (layers[j].protocol === 'ip' || layers[j].protocol === 'ipv6') return layers[j];
  return undefined;
}

/** The first direct child of `node` with field `abbrev`. */
export function child(node: ProtoNode, abbrev: string): ProtoNode | undefined {
  for (const c of node.children ?? []) {
    if (c.field?.abbrev === abbrev) return c;
  }
  return undefined;
}

/** The value of a direct child field, or undefined. */
export function childValue(node: ProtoNode, abbrev: string): FieldValue | undefined {
  return child(node, abbrev)?.value;
}

/** A direct child field's value as `-T fields` prints it ('' when absent). */
export function childText(node: ProtoNode, abbrev: string): string {
  const c = child(node, abbrev);
  return c?.field ? formatFieldValue(c.field, c.value) : '';
}

/** A direct child field's numeric value, or null. */
export function childNumber(node: ProtoNode, abbrev: string): number | null {
  const v = childValue(node, abbrev);
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : null;
}

/**
 * The source and destination fields of an address layer, and of a transport layer's ports:
 * named once, not built (`${p}.src`) for every packet the statistics count.
 */
export const ADDRESS_FIELDS: Readonly<Record<string, readonly [src: string, dst: string]>> = {
  eth: ['eth.src', 'eth.dst'],
  ip: ['ip.src', 'ip.dst'],
  ipv6: ['ipv6.src', 'ipv6.dst'],
};
export const PORT_FIELDS: Readonly<Record<string, readonly [src: string, dst: string]>> = {
  tcp: ['tcp.srcport', 'tcp.dstport'],
  udp: ['udp.srcport', 'udp.dstport'],
};
const ETHERNET_FIELDS = {
  src: { address: 'eth.src', resolved: 'eth.src_resolved' },
  dst: { address: 'eth.dst', resolved: 'eth.dst_resolved' },
} as const;

/**
 * Source and destination of a network layer as the transport above it sees them (Wireshark's
 * pinfo->src/dst): an IPv6 routing header with segments left makes its last address the destination.
 */
export function transportAddresses(net: Layer): { src: string; dst: string } {
  const p = net.protocol;
  const [srcField, dstField] = ADDRESS_FIELDS[p] ?? [`${p}.src`, `${p}.dst`];
  const src = childText(net.node, srcField);
  let dst = childText(net.node, dstField);
  const routing = p === 'ipv6' ? child(net.node, 'ipv6.routing') : undefined;
  if (routing && (childNumber(routing, 'ipv6.routing.segleft') ?? 0) > 0) {
    const type = childNumber(routing, 'ipv6.routing.type');
    const addresses = (routing.children ?? []).filter((c) => c.field?.abbrev === 'ipv6.routing.src.addr');
    if (type === 0 && addresses.length > 0) dst = childTextOf(addresses[addresses.length - 1]);
    else if (type === 2) dst = childText(routing, 'ipv6.routing.mipv6.home_address') || dst;
  }
  return { src, dst };
}

function childTextOf(node: ProtoNode): string {
  return node.field ? formatFieldValue(node.field, node.value) : '';
}

/** An Ethernet layer's address as the statistics show it: the vendor's name ("Apple_3f:77:dd") when resolved. */
export function ethernetName(eth: ProtoNode, which: 'src' | 'dst'): string {
  const fields = ETHERNET_FIELDS[which];
  const mac = child(eth, fields.address);
  return (mac && (childText(mac, fields.resolved) || childTextOf(mac))) || '';
}
