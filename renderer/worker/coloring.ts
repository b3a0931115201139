/**
 * Packet-list colouring for the worker: the engine's coloring rules (Wireshark 4.0's
 * defaults), behind one small function so the rest of the worker does not depend on them.
 */
import type { DissectedPacket } from '../../core/dissect/context';
import {
  addColoringNodes,
  compileColoringRules,
  defaultColoringRules,
  type ColoringRule,
} from '../../core/filter/coloring';

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

export function createColorizer(rules: readonly ColoringRule[] = defaultColoringRules): Colorizer {
  const compiled = compileColoringRules(rules);
  const colors = new Map<ColoringRule, RowColor>();
  const colorize = (packet: DissectedPacket): RowColor | undefined => {
    let rule: ColoringRule | null;
    try {
      rule = compiled.match(packet);
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
