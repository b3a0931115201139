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
 *
 * The load pass also gives what the index noted of the packet (NotedKeys: its set of present
 * fields, its value sets). A tested rule that reads only noted fields gives the same answer on
 * every packet with the same sets, so its answer is kept per set (RuleCache) and the rule is
 * run only on a set's first packet: colouring was a quarter of the load pass's time, and most
 * of it was indexing each tree's fields for the rules.
 */
import { emptyPacket, type DissectedPacket } from '../../core/dissect/context';
import {
  addColoringNodes,
  compileColoringRules,
  defaultColoringRules,
  type ColoringRule,
} from '../../core/filter/coloring';
import { compileDisplayFilter, type PacketPredicate } from '../../core/filter';
import { lookupField } from '../../core/dissect/fields';
import { presenceFields, protocolsMayHold, type NotedKeys } from './packet-index';
import { valueGroupOf } from './value-sets';

export interface RowColor {
  name: string;
  background: string;
  foreground: string;
}

export interface Colorizer {
  /** `keys`: what the index noted of this packet (the load pass), for answers kept per set. */
  (packet: DissectedPacket, keys?: NotedKeys): RowColor | undefined;
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
  /** The fields whose values it reads (the others only for presence). */
  valueFields: readonly string[];
}

/**
 * A tested rule's answers kept by what the index noted: per set of present fields (if the
 * rule reads one), by the value set of the one group it reads (if any).
 */
class RuleCache {
  /** Per presence set (0 if the rule reads none), by value set: 0 not known yet, 1 no, 2 yes. */
  private readonly answers = new Map<number, Uint8Array>();

  constructor(
    private readonly readsPresence: boolean,
    /** The value group the rule reads (value-sets.ts), or -1. */
    private readonly group: number,
  ) {}

  /** The rule's answer on packets with `keys`, if a packet with them was tested. */
  known(keys: NotedKeys): boolean | undefined {
    const answers = this.answers.get(this.presenceOf(keys));
    const set = this.setOf(keys);
    const known = answers !== undefined && set < answers.length ? answers[set] : 0;
    return known === 0 ? undefined : known === 2;
  }

  remember(keys: NotedKeys, matches: boolean): void {
    const presence = this.presenceOf(keys);
    const set = this.setOf(keys);
    let answers = this.answers.get(presence) ?? new Uint8Array(0);
    if (set >= answers.length) {
      const grown = new Uint8Array(Math.max(set + 1, answers.length * 2, 64));
      grown.set(answers);
      answers = grown;
    }
    this.answers.set(presence, answers);
    answers[set] = matches ? 2 : 1;
  }

  private presenceOf(keys: NotedKeys): number {
    return this.readsPresence ? keys.presenceSet() : 0;
  }

  private setOf(keys: NotedKeys): number {
    return this.group >= 0 ? keys.valueSet(this.group) : 0;
  }
}

/** A rule's answer on every packet of a shape without its fields: it fails on them (no colour at all). */
const FAILS = 'fails';

/** The rules as one protocol stack sees them. */
interface Plan {
  protocols: readonly string[];
  /** Rules that can see one of their fields, in order, up to the first one answered for the whole shape. */
  tested: CompiledRule[];
  /** Per tested rule: its answers kept by noted sets, or null (it reads something not noted). */
  caches: (RuleCache | null)[];
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
    if (result.ok) ruleList.push({ rule, test: result.filter, fields: result.fields, valueFields: result.valueFields });
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
    return { protocols: protocols.slice(), tested, caches: tested.map((r) => ruleCache(r, present)), otherwise };
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
  const match = (packet: DissectedPacket, keys: NotedKeys | undefined): ColoringRule | null => {
    const plan = planOf(packet.protocols);
    const tested = plan.tested;
    for (let i = 0; i < tested.length; i++) {
      const cache = keys ? plan.caches[i] : null;
      let matches = cache ? cache.known(keys as NotedKeys) : undefined;
      if (matches === undefined) {
        matches = tested[i].test(packet);
        cache?.remember(keys as NotedKeys, matches);
      }
      if (matches) return tested[i].rule;
    }
    const otherwise = plan.otherwise;
    if (otherwise === FAILS) throw new Error('coloring rule failed');
    return otherwise;
  };
  const colors = new Map<ColoringRule, RowColor>();
  // Answers kept by noted sets belong to the index that numbered the sets: a table reset for
  // another capture notes with a new index, whose set 1 is another set. (Kept across, they
  // coloured the second capture opened with the first one's answers.)
  let notedBy: NotedKeys | undefined;
  const colorize = (packet: DissectedPacket, keys?: NotedKeys): RowColor | undefined => {
    if (keys !== undefined && keys !== notedBy) {
      notedBy = keys;
      plans.clear();
      recent.length = 0;
    }
    let rule: ColoringRule | null;
    try {
      rule = match(packet, keys);
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

/**
 * How `rule`'s answers can be kept on packets with these protocols: each field it reads that
 * such a packet can have must be noted, its presence (a presence field or a value) or, if the
 * rule reads its value, its value (in a value group), and all the values it reads in one group.
 * null: it cannot (it reads a field's bytes, or an ICMP type, which the index does not note).
 */
function ruleCache(rule: CompiledRule, present: ReadonlySet<string>): RuleCache | null {
  const presence = new Set(presenceFields());
  let readsPresence = false;
  let group = -1;
  for (const field of rule.fields) {
    // A name no dissector registers is never in a tree; one the protocols cannot hold is absent.
    if (!lookupField(field) || !protocolsMayHold(present, field)) continue;
    const fieldGroup = valueGroupOf(field);
    if (fieldGroup < 0) {
      if (rule.valueFields.includes(field) || !presence.has(field)) return null;
      readsPresence = true;
      continue;
    }
    if (group >= 0 && group !== fieldGroup) return null;
    group = fieldGroup;
  }
  return new RuleCache(readsPresence, group);
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
