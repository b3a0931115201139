/**
 * The filter text Wireshark builds for "Apply as Filter" / "Prepare as Filter" / "Copy → As
 * Filter" on a detail-tree item (epan/proto.c proto_construct_match_selected_string), how the
 * "…and / …or / …not Selected" variants combine it with the current filter (ui/qt
 * MainWindow), and the packet list's Conversation Filter (each dissector's
 * *_build_conversation_filter).
 */
import type { FieldDef } from '../dissect/fields';
import { isIntegerType, typeBitWidth } from '../dissect/fields';
import { formatFieldValue, nodeLabel, type ProtoNode } from '../dissect/tree';

/** `abbrev == value`, as Wireshark writes it for the item; null when the item cannot be filtered on. */
export function matchSelectedFilter(node: ProtoNode, frame?: Uint8Array): string | null {
  const field = node.field;
  if (!field || field.abbrev.startsWith('_ws.') || field.abbrev === '') return bytesFilter(node, frame);
  switch (field.type) {
    case 'protocol':
      return field.abbrev;
    case 'none':
      return node.length === 0 || node.generated ? field.abbrev : bytesFilter(node, frame);
    default:
      break;
  }
  if (node.value === undefined) return field.abbrev;
  return `${field.abbrev} == ${filterValue(field, node)}`;
}

/** The value as a display-filter literal (fvalue_to_string_repr FTREPR_DFILTER, hfinfo_numeric_value_format). */
function filterValue(field: FieldDef, node: ProtoNode): string {
  const value = node.value;
  if (isIntegerType(field.type) && (typeof value === 'number' || typeof value === 'bigint')) {
    // BASE_DEC_HEX filters in decimal, BASE_HEX_DEC in hex; hex digits cover the bitmask's width.
    if (field.base === 'hex' || field.base === 'hex_dec') {
      const bits = field.bitmask !== undefined ? maskWidth(field.bitmask) : typeBitWidth(field.type);
      return '0x' + value.toString(16).padStart(Math.ceil(bits / 4), '0');
    }
    if (field.base === 'oct') return '0' + value.toString(8);
    return value.toString();
  }
  switch (field.type) {
    case 'bool':
      return value ? '1' : '0';
    case 'string':
      return quote(String(value));
    case 'bytes':
      return value instanceof Uint8Array
        ? Array.from(value, (b) => b.toString(16).padStart(2, '0')).join(':')
        : String(value);
    case 'time_abs': {
      const label = nodeLabel(node);
      const colon = label.indexOf(': ');
      return quote(colon >= 0 ? label.slice(colon + 2) : String(value));
    }
    default:
      return formatFieldValue(field, value);
  }
}

function maskWidth(mask: number): number {
  let lo = 0;
  while (Math.floor(mask / 2 ** lo) % 2 === 0) lo++;
  let hi = lo;
  while (2 ** (hi + 1) <= mask) hi++;
  return hi - lo + 1;
}

/** A string literal: backslash and quote escaped, other non-printable bytes as \xhh. */
export function quote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** `frame[start:len] == aa:bb:…`: what Wireshark filters on for an item without a value. */
function bytesFilter(node: ProtoNode, frame?: Uint8Array): string | null {
  if (!frame || node.source !== 0 || node.generated || node.length <= 0) return null;
  const end = Math.min(frame.length, node.start + node.length);
  if (end <= node.start) return null;
  const hex: string[] = [];
  for (let i = node.start; i < end; i++) hex.push(frame[i].toString(16).padStart(2, '0'));
  return `frame[${node.start}:${end - node.start}] == ${hex.join(':')}`;
}

/** Apply/Prepare as Filter's variants (Wireshark's FilterAction::ActionType). */
export type FilterCombine = 'selected' | 'not' | 'and' | 'or' | 'and_not' | 'or_not';

export function combineFilter(current: string, selected: string, how: FilterCombine): string {
  const cur = current.trim();
  switch (how) {
    case 'selected':
      return selected;
    case 'not':
      return `!(${selected})`;
    case 'and':
      return cur ? `(${cur}) && (${selected})` : selected;
    case 'or':
      return cur ? `(${cur}) || (${selected})` : selected;
    case 'and_not':
      return cur ? `(${cur}) && !(${selected})` : `!(${selected})`;
    case 'or_not':
      return cur ? `(${cur}) || !(${selected})` : `!(${selected})`;
  }
}

/** What a conversation filter reads of a tree item (the UI's TreeItem fits). */
export interface ConversationNode {
  field?: string;
  /** The value as `-e` prints it. */
  value?: string;
  children?: readonly ConversationNode[];
}

export interface ConversationFilter {
  /** Wireshark's menu name: Ethernet, IPv4, IPv6, TCP, UDP. */
  name: string;
  filter: string;
}

/** Conversation Filter → … for a packet, innermost last, as Wireshark's packet list menu lists them. */
export function conversationFilters(tree: readonly ConversationNode[]): ConversationFilter[] {
  const first = (abbrev: string): string | undefined => {
    let found: string | undefined;
    const walk = (nodes: readonly ConversationNode[]) => {
      for (const n of nodes) {
        if (found !== undefined) return;
        if (n.field === abbrev && n.value !== undefined) found = n.value;
        else if (n.children) walk(n.children);
      }
    };
    walk(tree);
    return found;
  };
  const out: ConversationFilter[] = [];
  const pair = (name: string, proto: string, src: string, dst: string) => {
    const a = first(src);
    const b = first(dst);
    if (a !== undefined && b !== undefined)
      out.push({ name, filter: `${proto}.addr eq ${a} and ${proto}.addr eq ${b}` });
  };
  pair('Ethernet', 'eth', 'eth.src', 'eth.dst');
  pair('IPv4', 'ip', 'ip.src', 'ip.dst');
  pair('IPv6', 'ipv6', 'ipv6.src', 'ipv6.dst');
  const tcp = first('tcp.stream');
  if (tcp !== undefined) out.push({ name: 'TCP', filter: `tcp.stream eq ${tcp}` });
  const udp = first('udp.stream');
  if (udp !== undefined) out.push({ name: 'UDP', filter: `udp.stream eq ${udp}` });
  return out;
}
