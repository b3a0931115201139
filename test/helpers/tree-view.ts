/**
 * What the tests compare of two dissections. A tap or a filter reads each tree item's field,
 * value, bytes and place, in tree order, and the text of an item that has no field. It never
 * reads a label.
 */
import type { DissectedPacket } from '../../core/dissect/context';
import { formatFieldValue, type ProtoNode } from '../../core/dissect/tree';

/** Each item's field and value (or a text-only item's text), its bytes and place, and its children. */
export function valuesView(nodes: readonly ProtoNode[] | null): unknown[] {
  return (nodes ?? []).map((node) => [
    node.field ? `${node.field.abbrev}=${formatFieldValue(node.field, node.value)}` : node.text,
    `${node.source}:${node.start}+${node.length}${node.hidden ? ' hidden' : ''}${node.generated ? ' generated' : ''}`,
    valuesView(node.children ?? null),
  ]);
}

/** The protocols a dissection put after TCP's last header: none when it stopped at TCP's payload. */
export function protocolsAboveTcp(packet: DissectedPacket): string[] {
  const protocols = packet.protocols;
  return protocols.includes('tcp')
    ? protocols.slice(protocols.lastIndexOf('tcp') + 1).filter((p) => !p.startsWith('_ws.'))
    : [];
}
