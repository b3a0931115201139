/**
 * A custom column's text for a packet (Wireshark's "Apply as Column"): every occurrence of the
 * field in the tree, hidden ones included, comma-separated, each value as the tree shows it
 * (value strings resolved: `TCP`, booleans as `Set` / `Not set`).
 */
import type { FieldDef } from './fields';
import { formatFieldValueForLabel, walkTree, type ProtoNode } from './tree';

export function customColumnText(tree: readonly ProtoNode[], abbrev: string): string {
  const values: string[] = [];
  walkTree(tree, (node) => {
    if (node.field?.abbrev === abbrev) values.push(columnValue(node.field, node));
  });
  return values.join(',');
}

function columnValue(field: FieldDef, node: ProtoNode): string {
  if (field.type === 'protocol' || field.type === 'none') return field.name;
  const value = node.value;
  if (field.valueStrings && typeof value === 'number' && field.valueStrings[value] !== undefined)
    return field.valueStrings[value];
  if (field.type === 'bool' && field.bitmask !== undefined) {
    const words = field.trueFalse ?? ['Set', 'Not set'];
    return value ? words[0] : words[1];
  }
  return formatFieldValueForLabel(field, value);
}
