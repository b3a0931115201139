/**
 * Packet-list colouring for the worker: the engine's coloring rules (Wireshark 4.0's
 * defaults), behind one small function so the rest of the worker does not depend on them.
 *
 * The first enabled rule that matches colours the packet. Most rules name protocols a packet
 * does not have (`arp`, `icmp`, `hsrp.state != 8`…): on a packet without any of a rule's
 * fields, the rule gives the answer it gives on an empty tree, whatever else the packet holds.
 * So, per protocol stack (as PacketIndex's shapes), the rules are planned once: those that can
 * see one of their fields are tested on each packet, in order; the others are answered once.
 * A field is in a tree only with its protocol among the packet's protocols (protocolsMayHold,
 * checked over every fixture in packet-index.test.ts).
 */
import { emptyPacket, type DissectedPacket } from '../../core/dissect/context';
import {
  addColoringNodes,
  compileColoringRules,
  defaultColoringRules,
  type ColoringRule,
} from '../../core/filter/coloring';
import { compileDisplayFilter, type PacketPredicate } from '../../core/filter';
import { protocolsMayHold } from './packet-index';

export interface RowColor {
  name: string;
  background: string;
  foreground: string;
}

export interface Colorizer {
  (packet: DissectedPacket): RowColor | undefined;
  /**
   * The fields the rules read: a tree pruned to these (and the packet's protocols) colours the
   * same as the full tree. Absent: the rules need the whole tree.
   */
  readonly fields?: readonly string[];
}

interface CompiledRule {
  rule: ColoringRule;
  test: PacketPredicate;
  fields: readonly string[];
}

/** A rule's answer on every packet of a shape without its fields: it fails on them (no colour at all). */
const FAILS = 'fails';

/** The rules as one protocol stack sees them. */
interface Plan {
  protocols: readonly string[];
  /** Rules that can see one of their fields, in order, up to the first one answered for the whole shape. */
  tested: CompiledRule[];
  /** What follows them: the first rule that matches every packet of the shape, none, or a failure. */
  otherwise: ColoringRule | null | typeof FAILS;
}

export function createColorizer(rules: readonly ColoringRule[] = defaultColoringRules): Colorizer {
  const compiled = compileColoringRules(rules);
  // Each enabled rule that compiles, as compileColoringRules keeps them (in order), with its fields.
  const ruleList: CompiledRule[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const result = compileDisplayFilter(rule.filter, { unknownFieldsAbsent: true });
    if (result.ok) ruleList.push({ rule, test: result.filter, fields: result.fields });
  }
  const empty = emptyPacket();
  const planFor = (protocols: readonly string[]): Plan => {
    const present = new Set(protocols);
    const tested: CompiledRule[] = [];
    let otherwise: Plan['otherwise'] = null;
    for (const r of ruleList) {
      if (r.fields.some((field) => protocolsMayHold(present, field))) {
        tested.push(r);
        continue;
      }
      let matches: boolean;
      try {
        matches = r.test(empty);
      } catch {
        otherwise = FAILS;
        break;
      }
      if (matches) {
        otherwise = r.rule;
        break;
      }
    }
    return { protocols: protocols.slice(), tested, otherwise };
  };
  const plans = new Map<string, Plan>();
  // Most packets have the stack of one of the last few.
  const recent: Plan[] = [];
  const planOf = (protocols: readonly string[]): Plan => {
    for (let i = recent.length - 1; i >= 0; i--) if (sameStrings(recent[i].protocols, protocols)) return recent[i];
    const key = protocols.join(':');
    let plan = plans.get(key);
    if (plan === undefined) {
      if (plans.size >= 4096) plans.clear();
      plan = planFor(protocols);
      plans.set(key, plan);
    }
    if (recent.length >= 8) recent.shift();
    recent.push(plan);
    return plan;
  };
  const match = (packet: DissectedPacket): ColoringRule | null => {
    const plan = planOf(packet.protocols);
    const tested = plan.tested;
    for (let i = 0; i < tested.length; i++) if (tested[i].test(packet)) return tested[i].rule;
    const otherwise = plan.otherwise;
    if (otherwise === FAILS) throw new Error('coloring rule failed');
    return otherwise;
  };
  const colors = new Map<ColoringRule, RowColor>();
  const colorize = (packet: DissectedPacket): RowColor | undefined => {
    let rule: ColoringRule | null;
    try {
      rule = match(packet);
    } catch {
      rule = null; // a rule failing on one packet just does not colour it
    }
    // "[Coloring Rule Name: …]" under Frame, as Wireshark's GUI shows.
    if (packet.tree) addColoringNodes(packet, rule);
    if (!rule) return undefined;
    let color = colors.get(rule);
    if (!color)
      colors.set(rule, (color = { name: rule.name, background: rule.background, foreground: rule.foreground }));
    return color;
  };
  return Object.assign(colorize, { fields: compiled.fields });
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
