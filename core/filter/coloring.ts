/**
 * Coloring rules, as Wireshark's View ▸ Coloring Rules: an ordered list of (name, display
 * filter, colours); the first enabled rule whose filter matches colours the packet.
 *
 * The default list is data (default-coloring-rules.json, made from Wireshark 4.0's
 * `colorfilters` file, background first there, colours reduced from 16 to 8 bits a channel),
 * so users can edit and reorder it.
 *
 * Names no dissector registers (`hsrp.state`, `smb`, `stp.type`, `http2`…) are protocols
 * Wireshark knows but WireLab does not dissect. They are compiled as fields that are never
 * present — exactly what Wireshark sees on a packet without those protocols — so
 * `http || tcp.port == 80 || http2` still colours HTTP, `!pim && !ospf` is true, and
 * `hsrp.state != 8` is false. A rule that fails for any other reason (a syntax or type error)
 * is disabled, as Wireshark disables a colour filter that does not compile, and reported in
 * `errors`.
 */
import type { DissectedPacket } from '../dissect/context';
import { lookupField } from '../dissect/fields';
import { coloringRuleFields } from '../dissect/frame-fields';
import { registerAllProtocols } from '../dissect/protocols';
import { treeNode, type ProtoNode } from '../dissect/tree';
import { compileDisplayFilter, type FilterError, type PacketPredicate } from './index';
import { invalidateFieldIndex } from './compile';
import defaults from './default-coloring-rules.json';

export interface ColoringRule {
  name: string;
  filter: string;
  /** CSS colour, `#rrggbb`. */
  foreground: string;
  background: string;
  enabled: boolean;
}

/** Wireshark 4.0's default coloring rules, in order. */
export const defaultColoringRules: readonly ColoringRule[] = Object.freeze(
  defaults.map((r) => Object.freeze({ ...r })),
);

export interface CompiledColoringRules {
  /** The first enabled rule that matches the packet, or null. */
  match(p: DissectedPacket): ColoringRule | null;
  /** Rules that could not be compiled (they are skipped). */
  errors: { rule: string; error: FilterError }[];
  /** Per rule, the names no dissector registers (treated as never present). */
  unknownFields: { rule: string; fields: string[] }[];
  /** Every field the enabled rules read (a tree pruned to these colours the same). */
  fields: string[];
}

export function compileColoringRules(rules: readonly ColoringRule[]): CompiledColoringRules {
  const compiled: { rule: ColoringRule; filter: PacketPredicate }[] = [];
  const errors: { rule: string; error: FilterError }[] = [];
  const unknownFields: { rule: string; fields: string[] }[] = [];
  const fields = new Set<string>();
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const result = compileDisplayFilter(rule.filter, { unknownFieldsAbsent: true });
    if (!result.ok) {
      errors.push({ rule: rule.name, error: result.error });
      continue;
    }
    const unknown = unknownNames(rule.filter);
    if (unknown.length) unknownFields.push({ rule: rule.name, fields: unknown });
    compiled.push({ rule, filter: result.filter });
    for (const field of result.fields) fields.add(field);
  }
  return {
    match(p: DissectedPacket): ColoringRule | null {
      for (let i = 0; i < compiled.length; i++) if (compiled[i].filter(p)) return compiled[i].rule;
      return null;
    },
    errors,
    unknownFields,
    fields: [...fields],
  };
}

/** Dotted names in a filter that no dissector registered (a rough scan; literals are skipped). */
function unknownNames(filter: string): string[] {
  registerAllProtocols();
  const names = new Set<string>();
  const text = filter.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of text.matchAll(/(?<![\w.:-])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)(?![\w(])/g)) {
    const name = m[1];
    if (
      /^(and|or|not|in|eq|ne|gt|lt|ge|le|contains|matches|bitwise_and|any_eq|all_ne|all_eq|any_ne|True|False|TRUE|FALSE)$/.test(
        name,
      )
    )
      continue;
    if (/^[0-9a-fA-F]+$/.test(name) && name.length <= 2) continue;
    if (!lookupField(name) && /^[a-z]/.test(name) && !/^[A-Z]+$/.test(name)) names.add(name);
  }
  return [...names];
}

const coloringFields = coloringRuleFields;

/**
 * Adds `[Coloring Rule Name: …]` and `[Coloring Rule String: …]` under the packet's Frame
 * node, after `[Protocols in frame: …]`, as the Wireshark GUI shows them. Replaces nodes added
 * before; with a null rule (nothing matched) the nodes are removed and none added.
 */
export function addColoringNodes(packet: DissectedPacket, rule: ColoringRule | null): void {
  const frame = packet.tree?.find((n) => n.field?.abbrev === 'frame');
  if (!frame) return;
  invalidateFieldIndex(packet);
  const children = (frame.children ??= []);
  for (let i = children.length - 1; i >= 0; i--) {
    const abbrev = children[i].field?.abbrev;
    if (abbrev === coloringFields.name.abbrev || abbrev === coloringFields.string.abbrev) children.splice(i, 1);
  }
  if (!rule) return;
  const node = (field: typeof coloringFields.name, value: string): ProtoNode =>
    treeNode(field, value, 0, 0, 0, `${field.name}: ${value}`, true);
  const after = children.findIndex((n) => n.field?.abbrev === 'frame.protocols');
  const at = after >= 0 ? after + 1 : children.length;
  children.splice(at, 0, node(coloringFields.name, rule.name), node(coloringFields.string, rule.filter));
}
