/**
 * The field registry, after Wireshark's epan `hf_register_info`: every dissector registers
 * its fields here with Wireshark's abbreviation and display name, and the detail tree,
 * display filters, `-T fields -e`, and byte highlighting all read the same definitions.
 */

export type FieldType =
  | 'protocol'
  | 'none' // text-only item, no value (FT_NONE)
  | 'bool'
  | 'uint8'
  | 'uint16'
  | 'uint24'
  | 'uint32'
  | 'uint64'
  | 'int32'
  | 'double'
  | 'string'
  | 'bytes'
  | 'ipv4'
  | 'ipv6'
  | 'ether'
  | 'framenum'
  | 'time_abs' // seconds since the epoch (number)
  | 'time_rel'; // seconds (number)

export type FieldBase = 'dec' | 'hex' | 'dec_hex' | 'hex_dec' | 'oct';

export interface FieldDef {
  /** Wireshark's filter name, e.g. `tcp.srcport`. */
  abbrev: string;
  /** Display name, e.g. `Source Port`. */
  name: string;
  type: FieldType;
  base?: FieldBase;
  /** For bit fields: the mask within the parent integer (drives `.... ..1. = ` labels). */
  bitmask?: number;
  /** Width in bits of the integer the bitmask applies to (defaults to the type's width). */
  bitWidth?: number;
  /** Value → text, as Wireshark's value_string. */
  valueStrings?: Readonly<Record<number, string>>;
  /** For bool fields: the words for true/false (Wireshark's true_false_string). */
  trueFalse?: readonly [string, string];
  /** Unit suffix appended in labels, e.g. ' bytes'. */
  unit?: string;
  /**
   * The tree label of a node without explicit text, from its value: defined once per field, so
   * dissectors need not format a string per packet that nobody may read (see nodeLabel()).
   */
  label?: (value: FieldValue | undefined) => string;
  description?: string;
  /**
   * Names (or name prefixes) of items under this one other than its own: a protocol's own are
   * `proto.*`, another field's `abbrev.*`. 'any' when it quotes whole packets (ICMP). A tree
   * pruned to a few fields (see TreePruning) skips a subtree none of them can be found in —
   * for a protocol, or for a field that declares this (even as []).
   */
  subtreeHolds?: 'any' | readonly string[];
  /**
   * Set for an item tshark adds as text (proto_tree_add_subtree: "Timestamps", DNS's "Queries"),
   * which has no field there. WireLab names it to prune trees and to find it; `-T json` writes
   * it as tshark does, keyed by its label.
   */
  textOnly?: boolean;
  /**
   * Set for a hidden item that only gives a filter an old name (DHCP's `bootp`), which tshark
   * resolves in the filter, not in the tree: `-T json` does not write it.
   */
  filterAlias?: boolean;
  /**
   * Set when the field is registered: its number among the registered fields, for tables read
   * per tree item (TreePruning's decisions). A field nobody registered has none.
   */
  id?: number;
}

/** A field value as stored on a tree node. Addresses are kept as bytes. */
export type FieldValue = number | bigint | string | boolean | Uint8Array;

const registry = new Map<string, FieldDef>();
let nextId = 0;

/** How many ids registered fields have taken (each id is below this). */
export function fieldIdCount(): number {
  return nextId;
}

/**
 * Registers field definitions; a second registration of the same abbreviation must be identical
 * in type, else this throws. With `keepOthers`, a field someone registered before with another
 * type (a test's own definitions) is kept as it is instead.
 */
export function registerFields(defs: readonly FieldDef[], keepOthers = false): void {
  for (const def of defs) {
    const existing = registry.get(def.abbrev);
    if (existing && existing.type !== def.type && !keepOthers) {
      throw new Error(`Field ${def.abbrev} registered twice with different types`);
    }
    if (!existing) {
      def.id ??= nextId++;
      registry.set(def.abbrev, def);
    }
  }
}

/**
 * A dissector's fields as a typed record (Wireshark's hf_register_info array). Declaring does not
 * register: the protocol lists the record in its descriptor (protocol.ts), and
 * registerAllProtocols() (protocols/index.ts) registers it.
 */
export function defineFields<K extends string>(defs: Record<K, FieldDef>): Record<K, FieldDef> {
  return defs;
}

/** The protocol a field belongs to: its name up to the first dot (`http` of `http.request.uri`). */
export function fieldProtocol(field: string): string {
  const dot = field.indexOf('.');
  return dot < 0 ? field : field.slice(0, dot);
}

export function lookupField(abbrev: string): FieldDef | undefined {
  return registry.get(abbrev);
}

export function allFields(): FieldDef[] {
  return [...registry.values()];
}

export function isIntegerType(type: FieldType): boolean {
  return (
    type === 'uint8' ||
    type === 'uint16' ||
    type === 'uint24' ||
    type === 'uint32' ||
    type === 'uint64' ||
    type === 'int32' ||
    type === 'framenum'
  );
}

export function typeBitWidth(type: FieldType): number {
  switch (type) {
    case 'uint8':
      return 8;
    case 'uint16':
      return 16;
    case 'uint24':
      return 24;
    case 'uint64':
      return 64;
    default:
      return 32;
  }
}
