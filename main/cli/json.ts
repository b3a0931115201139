/**
 * `-T json` in tshark 4.0's layout: an array of
 * `{"_index": "packets-YYYY-MM-DD", "_type": "doc", "_score": null, "_source": {"layers": {…}}}`.
 * Each tree node becomes `"abbrev": "value"`; a node with children adds `"abbrev_tree": {…}`
 * (or `"abbrev": {…}` when it has no value, as protocols); text-only items are keyed by their
 * label; expert items become `"_ws.expert": {…}`. Repeated keys are written repeatedly, as
 * tshark does by default; --no-duplicate-keys merges them into arrays.
 */
import { expertInfoField, type DissectedPacket } from '../../core/dissect/context';
import { fieldNodeText, nodeRepresentation } from '../../core/dissect/extract';
import { formatBytesHex } from '../../core/dissect/format';
import type { ProtoNode } from '../../core/dissect/tree';
import type { PacketRecord } from '../../core/pcap/types';

/** A JSON object as its ordered members (keys may repeat, as in tshark's output). */
export class JsonObject {
  constructor(readonly members: Array<[string, JsonValue]> = []) {}
  push(member: [string, JsonValue]): void {
    this.members.push(member);
  }
}
export type JsonValue = string | null | JsonObject | JsonValue[];

/**
 * An expert item as tshark writes it: `"_ws.expert": {"<its field>": "", "_ws.expert.message":
 * …, "_ws.expert.severity": …, "_ws.expert.group": …}` (the tree holds them so, raiseExpert).
 */
function expertEntry(node: ProtoNode): [string, JsonValue] | null {
  if (node.field !== expertInfoField) return null;
  const members = new JsonObject();
  for (const child of node.children ?? []) {
    const field = child.field;
    if (!field) continue;
    const value = child.value;
    members.push([field.abbrev, value === undefined ? '' : String(value)]);
  }
  return ['_ws.expert', members];
}

function valueText(node: ProtoNode, record: PacketRecord): string | null {
  const field = node.field;
  if (!field || field.textOnly || field.type === 'protocol' || field.type === 'none') return null;
  if (field.type === 'bytes' && node.value instanceof Uint8Array) return formatBytesHex(node.value, ':');
  return fieldNodeText(node, record);
}

function nodeEntries(node: ProtoNode, record: PacketRecord, out: JsonObject): void {
  const expert = expertEntry(node);
  if (expert) {
    out.push(expert);
    return;
  }
  const field = node.field;
  if (field?.filterAlias) return;
  // A text item (no field in tshark) is keyed by its label, with an empty value.
  const key = field && !field.textOnly ? field.abbrev : nodeRepresentation(node);
  const value = valueText(node, record);
  const children = node.children && node.children.length > 0 ? node.children : null;
  if (value !== null) out.push([key, value]);
  if (children) out.push([value !== null ? `${key}_tree` : key, objectOf(children, record)]);
  // A protocol item without value or children (`_ws.short`) is written with its label.
  if (value === null && !children) out.push([key, field?.type === 'protocol' ? nodeRepresentation(node) : '']);
}

function objectOf(nodes: readonly ProtoNode[], record: PacketRecord): JsonObject {
  const out = new JsonObject();
  for (const node of nodes) nodeEntries(node, record, out);
  return out;
}

/** Merges repeated keys into arrays (tshark --no-duplicate-keys), recursively. */
function mergeDuplicates(obj: JsonObject): JsonObject {
  const order: string[] = [];
  const groups = new Map<string, JsonValue[]>();
  for (const [key, value] of obj.members) {
    const v = value instanceof JsonObject ? mergeDuplicates(value) : value;
    const list = groups.get(key);
    if (list) list.push(v);
    else {
      groups.set(key, [v]);
      order.push(key);
    }
  }
  return new JsonObject(
    order.map((key) => {
      const list = groups.get(key) as JsonValue[];
      return [key, list.length === 1 ? list[0] : list];
    }),
  );
}

/** What JSON.stringify would escape (or might: any surrogate), or a "</" that tshark escapes. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]|<\//;

/**
 * JSON string as tshark's json_dumper writes it (also escapes "</"). Most texts (names, numbers,
 * hex bytes) have nothing to escape: quoted as they are, without a JSON.stringify and a replace
 * each (the two were a fifth of `-T json`).
 */
export function quote(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return '"' + text + '"';
  return JSON.stringify(text).replace(/<\//g, '<\\/');
}

function write(value: JsonValue, indent: string, parts: string[]): void {
  if (value === null) {
    parts.push('null');
    return;
  }
  if (typeof value === 'string') {
    parts.push(quote(value));
    return;
  }
  const inner = indent + '  ';
  if (value instanceof JsonObject) {
    const members = value.members;
    if (members.length === 0) {
      parts.push('{}');
      return;
    }
    parts.push('{\n');
    members.forEach(([key, v], i) => {
      parts.push(inner, quote(key), ': ');
      write(v, inner, parts);
      parts.push(i === members.length - 1 ? '\n' : ',\n');
    });
    parts.push(indent, '}');
    return;
  }
  parts.push('[\n');
  value.forEach((v, i) => {
    parts.push(inner);
    write(v, inner, parts);
    parts.push(i === value.length - 1 ? '\n' : ',\n');
  });
  parts.push(indent, ']');
}

function indexDate(record: PacketRecord): string {
  const d = new Date(record.tsSec * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `packets-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The layers object of one packet (for tests and other writers). */
export function packetLayers(packet: DissectedPacket, noDuplicateKeys = false): JsonObject {
  const layers = objectOf(packet.tree ?? [], packet.record);
  return noDuplicateKeys ? mergeDuplicates(layers) : layers;
}

/** One packet's JSON object, indented as an element of the top-level array (no trailing newline). */
export function formatJsonPacket(packet: DissectedPacket, noDuplicateKeys = false): string {
  const doc = new JsonObject([
    ['_index', indexDate(packet.record)],
    ['_type', 'doc'],
    ['_score', null],
    ['_source', new JsonObject([['layers', packetLayers(packet, noDuplicateKeys)]])],
  ]);
  const parts: string[] = ['  '];
  write(doc, '  ', parts);
  return parts.join('');
}

/**
 * Streams the array: call `open()` once, `packet()` per packet and `close()` at the end.
 * The framing is tshark's: `[` then `\n  {…}` separated by `,`, then `\n]` (or `[]` when empty).
 */
export class JsonArrayWriter {
  private count = 0;
  constructor(private readonly noDuplicateKeys = false) {}
  open(): string {
    return '[';
  }
  packet(packet: DissectedPacket): string {
    const sep = this.count++ === 0 ? '\n' : ',\n';
    return sep + formatJsonPacket(packet, this.noDuplicateKeys);
  }
  close(): string {
    return this.count === 0 ? ']\n' : '\n]\n';
  }
}
