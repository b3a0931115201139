/**
 * Links to later frames, as Wireshark's second pass adds them: a request's tree gets
 * `[Response in frame: N]` once the response has been dissected. The single in-order pass
 * cannot know it when the request is dissected, but the response's `[Request in frame: M]`
 * says it, so the table notes those and adds the link when the request's tree is shown.
 */
import type { DissectedPacket } from '../../core/dissect/context';
import { lookupField } from '../../core/dissect/fields';
import { treeNode, type ProtoNode } from '../../core/dissect/tree';

/** The fields requestFrameOf reads (a tree pruned to these gives the same frame). */
export const LATER_LINK_FIELDS: readonly string[] = ['http', 'http.request_in'];

/** The frame a response's `http.request_in` names, or 0. */
export function requestFrameOf(packet: DissectedPacket): number {
  for (const node of packet.tree ?? []) {
    if (node.field?.abbrev !== 'http') continue;
    for (const child of node.children ?? [])
      if (child.field?.abbrev === 'http.request_in' && typeof child.value === 'number') return child.value;
  }
  return 0;
}

/** The packet with `[Response in frame: N]` under its HTTP request, if the tree lacks it (a copy; the original is kept as is). */
export function withResponseLink(packet: DissectedPacket, responseFrame: number | undefined): DissectedPacket {
  const field = lookupField('http.response_in');
  if (!responseFrame || !field || !packet.tree) return packet;
  const at = packet.tree.findIndex(
    (n) =>
      n.field?.abbrev === 'http' &&
      (n.children ?? []).some(isRequestLine) &&
      !(n.children ?? []).some((c) => c.field?.abbrev === 'http.response_in'),
  );
  if (at < 0) return packet;
  const http = packet.tree[at];
  const link = treeNode(field, responseFrame, http.start, 0, http.source, `Response in frame: ${responseFrame}`, true);
  const children = (http.children ?? []).slice();
  // Wireshark puts it right after "[HTTP request n/m]".
  const number = children.findIndex((c) => c.field?.abbrev === 'http.request_number');
  children.splice(number >= 0 ? number + 1 : children.length, 0, link);
  const tree = packet.tree.slice();
  tree[at] = { ...http, children };
  return { ...packet, tree };
}

function isRequestLine(node: ProtoNode): boolean {
  return (node.children ?? []).some((c) => c.field?.abbrev === 'http.request.method');
}
