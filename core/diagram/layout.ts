/**
 * Packet diagrams (Wireshark's View → Packet Diagram): one RFC-style grid per header, 32 bits a
 * row, each field drawn in its real bit width. The layout is derived from the dissection tree
 * (field, byte offset, length, and the bitmask the field registry declares) — not parsed again —
 * so whatever the tree shows, the diagram shows in the same place.
 *
 * Pure: no DOM. The UI (renderer/components/PacketDiagram.tsx) and exports draw it with
 * diagramSvg() (./svg.ts).
 */
import { nodeLabel, formatFieldValue, type ProtoNode } from '../dissect/tree';
import type { FieldType } from '../dissect/fields';

/** What the layout reads of a tree item (the UI's TreeItem and a ProtoNode adapted by diagramNodes()). */
export interface DiagramNode {
  /** Pre-order id of the tree item (what selecting it in the tree uses). */
  id?: number;
  /** Field abbreviation, e.g. `tcp.srcport`. */
  field?: string;
  /** Field display name, e.g. `Source Port`. */
  name?: string;
  /** The value as `tshark -T fields -e` prints it. */
  value?: string;
  label?: string;
  type?: FieldType;
  bitmask?: number;
  bitWidth?: number;
  start: number;
  length: number;
  source: number;
  generated?: boolean;
  hidden?: boolean;
  children?: readonly DiagramNode[];
}

/** One field's piece in one row of the grid. */
export interface DiagramSegment {
  row: number;
  /** First bit column (0–31). */
  col: number;
  /** Columns covered. */
  width: number;
}

export interface DiagramField {
  /** Field abbreviation; undefined for bits no tree item covers. */
  field?: string;
  name: string;
  value?: string;
  /** Tree item id to select when the field is clicked. */
  id?: number;
  /** Bit offset from the start of the header, and width in bits (as in the packet). */
  bitOffset: number;
  bitWidth: number;
  /** Bits drawn (less than bitWidth when a long field is cut short, see DiagramOptions.maxFieldBits). */
  drawnBits: number;
  segments: DiagramSegment[];
}

export interface DiagramLayer {
  /** Protocol abbreviation (`tcp`). */
  protocol: string;
  /** Its tree label's protocol name ("Transmission Control Protocol"). */
  name: string;
  id?: number;
  /** Byte offset of the header in the frame and its length in bits. */
  start: number;
  bits: number;
  rows: number;
  fields: DiagramField[];
}

export interface DiagramOptions {
  /** Bits per row (32, as RFCs draw). */
  rowBits?: number;
  /** Longer fields (payload data) are drawn this wide at most (128: an IPv6 address in full), with the rest of the header after them. */
  maxFieldBits?: number;
}

/** Headers drawn, by protocol abbreviation (link, network and transport layers). */
export const DIAGRAM_PROTOCOLS: ReadonlySet<string> = new Set([
  'eth',
  'null',
  'sll',
  'ip',
  'ipv6',
  'tcp',
  'udp',
  'icmp',
  'icmpv6',
  'arp',
]);

const CONTAINER_TYPES = new Set<FieldType | undefined>(['protocol', 'none', 'bytes', undefined]);

/** The diagram of every header of a packet that DIAGRAM_PROTOCOLS names, outermost first. */
export function layoutDiagram(tree: readonly DiagramNode[], options: DiagramOptions = {}): DiagramLayer[] {
  const layers: DiagramLayer[] = [];
  for (const node of tree) {
    if (node.field && DIAGRAM_PROTOCOLS.has(node.field) && node.length > 0 && !node.hidden) {
      layers.push(layoutLayer(node, options));
    }
  }
  return layers;
}

/** The grid of one header (a protocol node). */
export function layoutLayer(layer: DiagramNode, options: DiagramOptions = {}): DiagramLayer {
  const rowBits = options.rowBits ?? 32;
  const maxFieldBits = options.maxFieldBits ?? 128;
  const protocol = layer.field ?? '';
  const base = layer.start * 8;
  const end = base + layer.length * 8;

  // Candidate cells, in tree order: the finest items the tree splits the header into.
  const candidates: { node: DiagramNode; offset: number; width: number }[] = [];
  const visit = (node: DiagramNode, ancestors: readonly DiagramNode[]) => {
    const kids = visibleChildren(node, layer);
    const foreign = node !== layer && node.type === 'protocol' && !isOwn(node.field, protocol);
    const descend =
      kids.length > 0 &&
      !foreign &&
      (CONTAINER_TYPES.has(node.type) ||
        node === layer ||
        kids.every((k) => k.bitmask !== undefined && k.bitmask !== 0));
    if (descend) {
      for (const kid of kids) visit(kid, [...ancestors, node]);
      return;
    }
    const range = bitRange(node, ancestors);
    const offset = Math.max(range.offset, base);
    const stop = Math.min(range.offset + range.width, end);
    if (stop > offset) candidates.push({ node, offset: offset - base, width: stop - offset });
  };
  visit(layer, []);

  // The first item wins where two cover the same bits (Sequence Number before its raw value).
  const kept: typeof candidates = [];
  for (const c of candidates) {
    if (!kept.some((k) => c.offset < k.offset + k.width && k.offset < c.offset + c.width)) kept.push(c);
  }
  kept.sort((a, b) => a.offset - b.offset);

  const total = layer.length * 8;
  const fields: DiagramField[] = [];
  let at = 0;
  let drawAt = 0;
  const place = (field: Omit<DiagramField, 'segments' | 'drawnBits'>) => {
    const drawnBits = field.bitWidth > maxFieldBits ? maxFieldBits : field.bitWidth;
    fields.push({ ...field, drawnBits, segments: segments(drawAt, drawnBits, rowBits) });
    drawAt += drawnBits;
  };
  for (const c of kept) {
    if (c.offset > at) place({ name: '', bitOffset: at, bitWidth: c.offset - at });
    place({
      field: c.node.field,
      name: c.node.name ?? c.node.label ?? c.node.field ?? '',
      value: c.node.value,
      id: c.node.id,
      bitOffset: c.offset,
      bitWidth: c.width,
    });
    at = c.offset + c.width;
  }
  if (at < total) place({ name: '', bitOffset: at, bitWidth: total - at });

  return {
    protocol,
    name: protocolName(layer),
    id: layer.id,
    start: layer.start,
    bits: total,
    rows: Math.ceil(drawAt / rowBits),
    fields,
  };
}

function isOwn(field: string | undefined, protocol: string): boolean {
  return field !== undefined && (field === protocol || field.startsWith(protocol + '.'));
}

function protocolName(layer: DiagramNode): string {
  const label = layer.label ?? layer.name ?? layer.field ?? '';
  const comma = label.indexOf(',');
  return comma > 0 ? label.slice(0, comma) : label;
}

/** Children with bytes in the header's data source (generated and hidden items have none to draw). */
function visibleChildren(node: DiagramNode, layer: DiagramNode): DiagramNode[] {
  return (node.children ?? []).filter((k) => !k.hidden && !k.generated && k.length > 0 && k.source === layer.source);
}

/**
 * Where a field's bits are, from the start of the frame: its bytes, narrowed by its bitmask.
 * A bitmask applies to an integer `bitWidth` bits wide (rounded up to bytes); when the item's
 * own bytes are fewer (TCP's flags are 12 bits in the 2-byte flags word), the integer is the
 * ancestor item of that size.
 */
export function bitRange(node: DiagramNode, ancestors: readonly DiagramNode[] = []): { offset: number; width: number } {
  const mask = node.bitmask;
  if (mask === undefined || mask <= 0) return { offset: node.start * 8, width: node.length * 8 };
  const hi = highestBit(mask);
  const lo = lowestBit(mask);
  let containerBytes = node.bitWidth !== undefined ? Math.ceil(node.bitWidth / 8) : node.length;
  if (hi >= containerBytes * 8) containerBytes = Math.ceil((hi + 1) / 8);
  let start = node.start;
  if (node.length !== containerBytes) {
    const holder = [...ancestors]
      .reverse()
      .find(
        (a) => a.length === containerBytes && a.start <= node.start && a.start + a.length >= node.start + node.length,
      );
    start = holder ? holder.start : node.start + node.length - containerBytes;
  }
  return { offset: start * 8 + (containerBytes * 8 - 1 - hi), width: hi - lo + 1 };
}

function highestBit(mask: number): number {
  let bit = 0;
  while (2 ** (bit + 1) <= mask) bit++;
  return bit;
}

function lowestBit(mask: number): number {
  let bit = 0;
  while (Math.floor(mask / 2 ** bit) % 2 === 0) bit++;
  return bit;
}

function segments(offset: number, width: number, rowBits: number): DiagramSegment[] {
  const out: DiagramSegment[] = [];
  let at = offset;
  const stop = offset + width;
  while (at < stop) {
    const row = Math.floor(at / rowBits);
    const col = at % rowBits;
    const take = Math.min(rowBits - col, stop - at);
    out.push({ row, col, width: take });
    at += take;
  }
  return out;
}

/**
 * Dissection nodes as diagram input, with the same pre-order ids the UI's tree items carry
 * (hidden nodes take no id), so a report or test can draw what the UI draws.
 */
export function diagramNodes(nodes: readonly ProtoNode[]): DiagramNode[] {
  let next = 0;
  const convert = (list: readonly ProtoNode[]): DiagramNode[] => {
    const out: DiagramNode[] = [];
    for (const node of list) {
      if (node.hidden) continue;
      const field = node.field;
      const item: DiagramNode = {
        id: next++,
        field: field?.abbrev,
        name: field?.name,
        value:
          field && field.type !== 'protocol' && field.type !== 'none' ? formatFieldValue(field, node.value) : undefined,
        label: nodeLabel(node),
        type: field?.type,
        bitmask: field?.bitmask,
        bitWidth: field?.bitWidth,
        start: node.start,
        length: node.generated ? 0 : node.length,
        source: node.source,
        generated: node.generated === true,
      };
      if (node.children && node.children.some((c) => !c.hidden)) item.children = convert(node.children);
      out.push(item);
    }
    return out;
  };
  return convert(nodes);
}
