/**
 * Protocol hierarchy (Statistics › Protocol Hierarchy, tshark's `-z io,phs`), after
 * ui/cli/tap-protohierstat.c: each packet's chain of top-level protocol items, counted as a tree.
 */
import type { DissectedPacket } from '../dissect/context';
import { childNumber, packetLayers, type Layer } from './layers';

export interface ProtocolHierarchyNode {
  /** Protocol filter name, e.g. 'tcp', 'data-text-lines'. */
  protocol: string;
  frames: number;
  bytes: number;
  children: ProtocolHierarchyNode[];
}

export class ProtocolHierarchy {
  private readonly roots: ProtocolHierarchyNode[] = [];

  /** Needs the packet's whole detail tree; `layers` are its packetLayers. */
  add(packet: DissectedPacket, layers: readonly Layer[] = packetLayers(packet)): void {
    let level = this.roots;
    const bytes = packet.record.originalLength;
    // tshark's tree holds packet comments in a top-level "pkt_comment" item before the link
    // layer, and its PHS lists a "[N Reassembled TCP Segments]" item after the last layer.
    // Data reassembled up to a FIN keeps the item after TCP, where the tree shows it.
    const chain = layers.map((l) => l.protocol);
    // "[Packet size limited during capture: … truncated]" is tshark's top-level _ws.short item.
    if (packet.cutShortAfterLayers >= 0) chain.splice(packet.cutShortAfterLayers, 0, '_ws.short');
    if (packet.record.comments?.length) chain.unshift('pkt_comment');
    const tcpAt = chain.indexOf('tcp');
    const atFin =
      tcpAt >= 0 && ((childNumber(layers[tcpAt - (chain.length - layers.length)].node, 'tcp.flags') ?? 0) & 1) !== 0;
    if (packet.tree?.some((n) => n.field?.abbrev === 'tcp.segments')) {
      if (atFin) chain.splice(tcpAt + 1, 0, 'tcp.segments');
      else chain.push('tcp.segments');
    }
    for (const protocol of chain) {
      let node = level.find((n) => n.protocol === protocol);
      if (!node) {
        node = { protocol, frames: 0, bytes: 0, children: [] };
        level.push(node);
      }
      node.frames++;
      node.bytes += bytes;
      level = node.children;
    }
  }

  result(): ProtocolHierarchyNode[] {
    const copy = (n: ProtocolHierarchyNode): ProtocolHierarchyNode => ({ ...n, children: n.children.map(copy) });
    return this.roots.map(copy);
  }
}
