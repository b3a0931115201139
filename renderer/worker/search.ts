/**
 * Edit → Find Packet, for one packet: by display filter, by string in the packet list's
 * columns / the detail tree's labels / the bytes, or by hex bytes (as Wireshark's search bar).
 */
import type { DissectedPacket } from '../../core/dissect/context';
import { nodeLabel, type ProtoNode } from '../../core/dissect/tree';
import type { PacketPredicate } from '../../core/filter';

export type SearchTarget =
  | { kind: 'filter'; predicate: PacketPredicate }
  | { kind: 'string' | 'hex'; text: string; where: 'list' | 'details' | 'bytes'; caseSensitive: boolean };

export interface SearchAccess {
  columns(): string[];
  data: Uint8Array;
  packet(): DissectedPacket | null;
}

export interface PacketMatch {
  item?: number;
  bytes?: { start: number; length: number };
}

/** `de:ad be-ef` / `deadbeef` → bytes; null if it is not an even run of hex digits. */
export function parseHexBytes(text: string): Uint8Array | null {
  const digits = text.replace(/[\s:.-]/g, '');
  if (digits.length === 0 || digits.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(digits)) return null;
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function indexOfBytes(data: Uint8Array, needle: Uint8Array, foldCase: boolean): number {
  const fold = (b: number) => (foldCase && b >= 0x41 && b <= 0x5a ? b + 32 : b);
  outer: for (let i = 0; i + needle.length <= data.length; i++) {
    for (let j = 0; j < needle.length; j++) if (fold(data[i + j]) !== fold(needle[j])) continue outer;
    return i;
  }
  return -1;
}

export function searchPacket(target: SearchTarget, access: SearchAccess): PacketMatch | null {
  if (target.kind === 'filter') {
    const packet = access.packet();
    try {
      return packet && target.predicate(packet) ? {} : null;
    } catch {
      return null;
    }
  }
  if (target.kind === 'hex') {
    const needle = parseHexBytes(target.text);
    if (!needle) throw new Error(`"${target.text}" is not a valid hex byte sequence.`);
    const at = indexOfBytes(access.data, needle, false);
    return at >= 0 ? { bytes: { start: at, length: needle.length } } : null;
  }
  if (target.text === '') return null;
  const norm = (s: string) => (target.caseSensitive ? s : s.toLowerCase());
  const text = norm(target.text);
  switch (target.where) {
    case 'list':
      return access.columns().some((c) => norm(c).includes(text)) ? {} : null;
    case 'bytes': {
      const needle = new TextEncoder().encode(target.caseSensitive ? target.text : target.text.toLowerCase());
      const at = indexOfBytes(access.data, needle, !target.caseSensitive);
      return at >= 0 ? { bytes: { start: at, length: needle.length } } : null;
    }
    case 'details': {
      const packet = access.packet();
      const item = packet ? findLabel(packet.tree ?? [], (label) => norm(label).includes(text)) : -1;
      return item >= 0 ? { item } : null;
    }
  }
}

/** Pre-order id (hidden nodes skipped, as toTreeItems numbers them) of the first label that matches. */
function findLabel(nodes: readonly ProtoNode[], test: (label: string) => boolean): number {
  let next = 0;
  let found = -1;
  const walk = (list: readonly ProtoNode[]): void => {
    for (const node of list) {
      if (found >= 0) return;
      if (node.hidden) continue;
      const id = next++;
      if (test(nodeLabel(node))) {
        found = id;
        return;
      }
      if (node.children && node.children.some((c) => !c.hidden)) walk(node.children);
    }
  };
  walk(nodes);
  return found;
}
