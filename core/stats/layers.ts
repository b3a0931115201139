/**
 * What the statistics read from a dissected packet: its protocol layers, as the top-level
 * items of the detail tree (Wireshark's taps are called once per dissected header, and a
 * header quoted inside an ICMP error is not a layer of its own here either).
 */
import type { DissectedPacket } from '../dissect/context';
import type { FieldValue } from '../dissect/fields';
import { formatFieldValue, type ProtoNode } from '../dissect/tree';

/** The fields the statistics of this folder read (a pruned tree with these is enough for all but io,phs and expert). */
export const LAYER_FIELDS = [
  'eth',
  'eth.src',
  'eth.dst',
  'ip',
  'ip.src',
  'ip.dst',
  'ipv6',
  'ipv6.src',
  'ipv6.dst',
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
] as const;

/** One protocol layer of a packet: the item and its direct fields. */
export interface Layer {
  protocol: string;
  node: ProtoNode;
}

/** The packet's protocol layers in order (frame excluded). */
export function packetLayers(packet: DissectedPacket): Layer[] {
  const layers: Layer[] = [];
  for (const node of packet.tree ?? []) {
    const field = node.field;
    if (!field || field.type !== 'protocol' || field.abbrev === 'frame') continue;
    layers.push({ protocol: field.abbrev, node });
  }
  return layers;
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
