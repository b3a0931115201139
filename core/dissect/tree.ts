/**
 * Detail-tree nodes. A node is a field + value + the bytes it came from; its label is
 * derived from the field definition unless the dissector gave explicit text, so building a
 * tree costs little and labels are only formatted when someone reads them.
 */
import { type FieldDef, type FieldValue, isIntegerType, typeBitWidth } from './fields';
import { formatIpv4, formatIpv6, formatEther, formatBytesHex, formatDouble } from './format';

export interface ProtoNode {
  field?: FieldDef;
  value?: FieldValue;
  /** Explicit label; when absent the label is formatted from field + value. */
  text?: string;
  /** Byte offset within the data source. */
  start: number;
  length: number;
  /** 0 = the frame's bytes, n = DissectedPacket.sources[n] (reassembled or decoded data). */
  source: number;
  /** A value Wireshark computes rather than reads (shown in [brackets], no bytes). */
  generated?: boolean;
  /** Present for filters and -e, not shown in the tree (e.g. ip.addr, tcp.port). */
  hidden?: boolean;
  children?: ProtoNode[];
}

/**
 * A node with all of ProtoNode's properties, those it lacks undefined. Every node is made here
 * so that all share one hidden class in V8: the walks over trees (the packet index, filters,
 * the colours) then read nodes through monomorphic property loads. With a class per kind of
 * node (plain, generated, hidden, with text, stand-in, with children added), those loads were
 * megamorphic: the index's walk takes 30–40 % less time with one.
 */
export function treeNode(
  field: FieldDef | undefined,
  value: FieldValue | undefined,
  start: number,
  length: number,
  source: number,
  text?: string,
  generated?: boolean,
  hidden?: boolean,
  children?: ProtoNode[],
): ProtoNode {
  return { field, value, start, length, source, text, generated, hidden, children };
}

/**
 * Whether a top-level node is one of the packet's protocol layers (frame and the packet
 * comments excluded): what Statistics › Protocol Hierarchy counts. A hidden protocol item is
 * an alias for filters (DHCP's "bootp"), not a layer.
 */
export function isProtocolLayer(node: ProtoNode): boolean {
  const field = node.field;
  return (
    field !== undefined &&
    field.type === 'protocol' &&
    field.abbrev !== 'frame' &&
    // tshark's "Packet comments" item: the capture's notes, not a protocol of the packet.
    field.abbrev !== 'pkt_comment' &&
    // The "[Packet size limited during capture …]" item, not a layer (frame.protocols lacks it).
    field.abbrev !== '_ws.short' &&
    node.hidden !== true
  );
}

/** The label as Wireshark shows it in the detail tree (generated items in brackets). */
export function nodeLabel(node: ProtoNode): string {
  const text = node.text ?? defaultLabel(node);
  return node.generated && !text.startsWith('[') ? `[${text}]` : text;
}

function defaultLabel(node: ProtoNode): string {
  const field = node.field;
  if (!field) return '';
  if (field.label !== undefined) return field.label(node.value);
  if (field.type === 'protocol' || field.type === 'none') return field.name;
  const valueText = formatFieldValueForLabel(field, node.value);
  if (field.bitmask !== undefined && field.type !== 'bool') {
    const width = field.bitWidth ?? typeBitWidth(field.type);
    const raw = typeof node.value === 'number' ? node.value : 0;
    return `${bitPattern(field.bitmask, width, raw)} = ${field.name}: ${valueText}`;
  }
  if (field.bitmask !== undefined && field.type === 'bool') {
    const width = field.bitWidth ?? 8;
    const set = node.value === true;
    const words = field.trueFalse ?? ['Set', 'Not set'];
    return `${bitPattern(field.bitmask, width, set ? 1 : 0)} = ${field.name}: ${set ? words[0] : words[1]}`;
  }
  return `${field.name}: ${valueText}`;
}

// Patterns of the small bit fields (≤ 16 bits): a capture's headers show the same few over
// and over (IP's fragment offset and flags, TCP's flags), and each costs a loop over its bits.
const smallBitPatterns = new Map<number, string>();

/** `.... ..1.` style rendering of a bitmask over a `width`-bit integer, grouped by 4. */
export function bitPattern(mask: number, width: number, value: number): string {
  if ((width | 0) === width && width >= 0 && width <= 16 && (mask & 0xffff) === mask && (value & 0xffff) === value) {
    const key = (width * 65536 + mask) * 65536 + value;
    let pattern = smallBitPatterns.get(key);
    if (pattern === undefined) {
      if (smallBitPatterns.size >= 4096) smallBitPatterns.clear();
      pattern = formatBitPattern(mask, width, value);
      smallBitPatterns.set(key, pattern);
    }
    return pattern;
  }
  return formatBitPattern(mask, width, value);
}

function formatBitPattern(mask: number, width: number, value: number): string {
  const shift = lowestBit(mask);
  const shifted = shift >= 0 ? value * 2 ** shift : value;
  const fieldBits = mask;
  let out = '';
  for (let bit = width - 1; bit >= 0; bit--) {
    const m = bit >= 31 ? 2 ** bit : 1 << bit;
    if (Math.floor(fieldBits / m) % 2 === 1) out += Math.floor(shifted / m) % 2 === 1 ? '1' : '0';
    else out += '.';
    if (bit % 4 === 0 && bit !== 0) out += ' ';
  }
  return out;
}

/** The lowest set bit of a mask (up to 2^53), -1 for none. */
function lowestBit(mask: number): number {
  if (mask === 0) return -1;
  // A 32-bit mask (almost every field's) by the count of leading zeros of its lowest bit.
  if (mask <= 0xffffffff) return 31 - Math.clz32(mask & -mask);
  let shift = 0;
  while (Math.floor(mask / 2 ** shift) % 2 === 0) shift++;
  return shift;
}

/**
 * Whether a value is an empty byte array, which tshark shows as "<MISSING>" in a label and
 * prints so in `-T fields` (an EDNS option without data).
 */
export function isMissingBytes(field: FieldDef, value: FieldValue | undefined): boolean {
  return field.type === 'bytes' && value instanceof Uint8Array && value.length === 0;
}

/** A value as it appears after "Name: " in a label. */
export function formatFieldValueForLabel(field: FieldDef, value: FieldValue | undefined): string {
  if (value === undefined) return '';
  if (isMissingBytes(field, value)) return '<MISSING>';
  if (field.type === 'bool') {
    const words = field.trueFalse ?? ['True', 'False'];
    return value ? words[0] : words[1];
  }
  if (isIntegerType(field.type) && (typeof value === 'number' || typeof value === 'bigint')) {
    const num = typeof value === 'bigint' ? value : value;
    const vs = field.valueStrings?.[Number(num)];
    const digits = Math.ceil((field.bitmask !== undefined ? maskSpan(field.bitmask) : typeBitWidth(field.type)) / 4);
    const hex = '0x' + num.toString(16).padStart(digits, '0');
    let text: string;
    switch (field.base) {
      case 'hex':
        text = hex;
        break;
      case 'dec_hex':
        text = `${num} (${hex})`;
        break;
      case 'hex_dec':
        text = `${hex} (${num})`;
        break;
      default:
        text = String(num);
    }
    if (vs !== undefined) return `${vs} (${text})`;
    // A value_string field whose value is not listed: Wireshark prints "Unknown (value)".
    if (field.valueStrings) return `Unknown (${text})`;
    return field.unit ? text + field.unit : text;
  }
  return formatFieldValue(field, value) + (field.unit ?? '');
}

/**
 * The bits a mask spans, from its lowest set bit to its highest (0 for none): the hex digits a
 * masked value is shown with. Asked for every masked field of every label (-V over 60,000 lab
 * packets spent a seventh of its time testing 53 bits each time).
 */
function maskSpan(mask: number): number {
  if (mask === 0) return 0;
  let highest: number;
  if (mask <= 0xffffffff) highest = 31 - Math.clz32(mask);
  else {
    highest = 0;
    while (2 ** (highest + 1) <= mask) highest++;
  }
  return highest - lowestBit(mask) + 1;
}

/**
 * A value as `tshark -T fields -e` prints it: integers in their base (hex fields as
 * `0x0012`, padded to the type's width), addresses in their usual notation, booleans as 1/0.
 */
export function formatFieldValue(field: FieldDef, value: FieldValue | undefined): string {
  if (value === undefined) return '';
  switch (field.type) {
    case 'ipv4':
      return value instanceof Uint8Array ? formatIpv4(value) : String(value);
    case 'ipv6':
      return value instanceof Uint8Array ? formatIpv6(value) : String(value);
    case 'ether':
      return value instanceof Uint8Array ? formatEther(value) : String(value);
    case 'bytes':
      return value instanceof Uint8Array ? formatBytesHex(value) : String(value);
    case 'bool':
      return value ? '1' : '0';
    case 'double':
      return typeof value === 'number' ? formatDouble(value) : String(value);
    case 'time_rel':
    case 'time_abs':
      return typeof value === 'number' ? value.toFixed(9) : String(value);
    default:
      break;
  }
  if (isIntegerType(field.type) && (typeof value === 'number' || typeof value === 'bigint')) {
    if (field.base === 'hex' || field.base === 'hex_dec') {
      const digits = Math.ceil(typeBitWidth(field.type) / 4);
      return '0x' + value.toString(16).padStart(digits, '0');
    }
    return value.toString();
  }
  if (value instanceof Uint8Array) return formatBytesHex(value);
  return String(value);
}

/** Depth-first walk over a tree (including hidden nodes). Return false from visit to skip children. */
export function walkTree(
  nodes: readonly ProtoNode[],
  visit: (node: ProtoNode, depth: number) => boolean | void,
  depth = 0,
): void {
  for (const node of nodes) {
    if (visit(node, depth) === false) continue;
    if (node.children) walkTree(node.children, visit, depth + 1);
  }
}

/**
 * The first node carrying each of `abbrevs`, in tree order (findFieldNodes(nodes, a)[0] for each
 * `a`), found in one walk: a tap that reads several fields of a layer walked it once per field.
 */
export function firstFieldNodes(nodes: readonly ProtoNode[], abbrevs: readonly string[]): (ProtoNode | undefined)[] {
  const found: (ProtoNode | undefined)[] = abbrevs.map(() => undefined);
  let missing = new Set(abbrevs).size;
  const walk = (list: readonly ProtoNode[]): void => {
    for (const node of list) {
      const abbrev = node.field?.abbrev;
      if (abbrev !== undefined) {
        const i = abbrevs.indexOf(abbrev);
        if (i >= 0 && found[i] === undefined) {
          found[i] = node;
          if (--missing === 0) return;
        }
      }
      if (node.children) walk(node.children);
      if (missing === 0) return;
    }
  };
  if (missing > 0) walk(nodes);
  // A field asked for twice: its first place was filled.
  for (let i = 0; i < abbrevs.length; i++) found[i] ??= found[abbrevs.indexOf(abbrevs[i])];
  return found;
}

/** Every node carrying `abbrev`, in tree order (what `-e abbrev` and filters see). */
export function findFieldNodes(nodes: readonly ProtoNode[], abbrev: string): ProtoNode[] {
  const found: ProtoNode[] = [];
  walkTree(nodes, (node) => {
    if (node.field?.abbrev === abbrev) found.push(node);
  });
  return found;
}
