/**
 * The values of the fields students filter on most, noted per packet by the load pass
 * (PacketIndex.note), so that a filter reading only these and which protocols are present is
 * answered without dissecting anything again: `tcp.stream eq 5` (Follow TCP Stream),
 * `tcp.port == 8001`, `ip.addr == 127.0.0.1`, `tcp.flags.syn == 1 && tcp.flags.ack == 0`,
 * `http.request.method == "GET"`, `http.response.code == 304`, `tcp.analysis.retransmission`.
 *
 * The fields come in groups. Per group, a packet's occurrences (every node of the group's
 * fields in its tree, in tree order, with its value) make one set; each distinct set is stored
 * once (a conversation's direction, a combination of TCP flags and length, a request or status
 * line) and each packet holds its set's number. Evaluating a filter on a packet made of those
 * nodes gives what it gives on the whole tree: the filter reads only those fields' values.
 * Some fields are not recorded but made from a recorded one, as the dissectors make them
 * (DERIVED_FIELDS: `ip.addr` from `ip.src` and `ip.dst`, the flags from `tcp.flags`).
 */
import { lookupField, type FieldDef } from '../../core/dissect/fields';
import { registerAllProtocols } from '../../core/dissect/protocols';
import { treeNode, type ProtoNode } from '../../core/dissect/tree';
import { GrowableInt32 } from './growable';

export const VALUE_FIELD_GROUPS: readonly (readonly string[])[] = [
  // One set per conversation and direction. With what the default coloring rules read of the
  // IP and transport headers (the TTL, the checksum statuses), the same in a direction's packets:
  // those rules' answers are kept per set (coloring.ts). Their nodes are in the load pass's trees
  // for the colours anyway.
  [
    'ip.src',
    'ip.dst',
    'ipv6.src',
    'ipv6.dst',
    'tcp.srcport',
    'tcp.dstport',
    'tcp.stream',
    'udp.srcport',
    'udp.dstport',
    'udp.stream',
    'ip.ttl',
    'ip.checksum.status',
    'tcp.checksum.status',
    'udp.checksum.status',
  ],
  // A few sets per capture: the handshake's, the teardown's, the data segments' sizes.
  ['tcp.flags', 'tcp.len'],
  // One set per distinct request or status line. (Not the headers, `http.host`: keeping any of
  // them makes the load pass dissect every header line, 15 % more time on the bench capture.)
  ['http.request.method', 'http.request.uri', 'http.request.version', 'http.response.code', 'http.response.phrase'],
  // TCP's analysis flags (`tcp.analysis.retransmission`, the course's "find the lost segment"):
  // none in most packets. Not the per-segment numbers (ack_rtt, bytes_in_flight): a set each
  // (packet-numbers.ts notes those).
  // The colours already keep tcp.analysis's items in the load pass's trees: no node more.
  [
    'tcp.analysis.flags',
    'tcp.analysis.retransmission',
    'tcp.analysis.fast_retransmission',
    'tcp.analysis.spurious_retransmission',
    'tcp.analysis.out_of_order',
    'tcp.analysis.reused_ports',
    'tcp.analysis.lost_segment',
    'tcp.analysis.ack_lost_segment',
    'tcp.analysis.window_update',
    'tcp.analysis.window_full',
    'tcp.analysis.keep_alive',
    'tcp.analysis.keep_alive_ack',
    'tcp.analysis.zero_window',
    'tcp.analysis.zero_window_probe',
    'tcp.analysis.zero_window_probe_ack',
    'tcp.analysis.duplicate_ack',
    'tcp.analysis.duplicate_ack_num',
    'tcp.analysis.duplicate_ack_frame',
    'tcp.analysis.tfo_syn',
    'tcp.analysis.tfo_ack',
  ],
];

/**
 * Fields the dissectors always add beside a recorded one, with its value or, for a flag, its
 * bit of it: the hidden `ip.addr` after each `ip.src` and `ip.dst` (ipv4.ts, ipv6.ts), the
 * hidden `tcp.port` after each TCP port (tcp/dissector.ts, udp.ts), each flag under
 * `tcp.flags`. They are made from the recorded values rather than kept in the load pass's
 * trees (12 more nodes per TCP packet). packet-index.test.ts checks this over every fixture.
 */
export const DERIVED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'ip.src': ['ip.addr'],
  'ip.dst': ['ip.addr'],
  'ipv6.src': ['ipv6.addr'],
  'ipv6.dst': ['ipv6.addr'],
  'tcp.srcport': ['tcp.port'],
  'tcp.dstport': ['tcp.port'],
  'udp.srcport': ['udp.port'],
  'udp.dstport': ['udp.port'],
  'tcp.flags': [
    'tcp.flags.res',
    'tcp.flags.ae',
    'tcp.flags.cwr',
    'tcp.flags.ece',
    'tcp.flags.urg',
    'tcp.flags.ack',
    'tcp.flags.push',
    'tcp.flags.reset',
    'tcp.flags.syn',
    'tcp.flags.fin',
  ],
};

/** Every field of VALUE_FIELD_GROUPS, for the load pass to keep in its pruned trees. */
export function valueFields(): readonly string[] {
  return VALUE_FIELD_GROUPS.flat();
}

/** A group's places are below this: a field's group and place are one number, group * GROUP_SLOTS + place. */
const GROUP_SLOTS = 256;
/** Per recorded field name, its group and place (see valueSlotOf). */
let slots: Map<string, number> | null = null;

/** The group and place of a recorded field as one number (-1: not recorded). */
export function valueSlotOf(abbrev: string): number {
  if (slots === null) {
    slots = new Map();
    VALUE_FIELD_GROUPS.forEach((group, g) => group.forEach((field, f) => slots?.set(field, g * GROUP_SLOTS + f)));
  }
  return slots.get(abbrev) ?? -1;
}

let derivedGroups: Map<string, number> | null = null;

/** The group whose sets have a field's values, recorded or derived (-1: none). */
export function valueGroupOf(abbrev: string): number {
  if (derivedGroups === null) {
    derivedGroups = new Map();
    for (const [from, fields] of Object.entries(DERIVED_FIELDS))
      for (const field of fields) derivedGroups.set(field, groupOfSlot(valueSlotOf(from)));
  }
  const slot = valueSlotOf(abbrev);
  return slot >= 0 ? groupOfSlot(slot) : (derivedGroups.get(abbrev) ?? -1);
}

export function groupOfSlot(slot: number): number {
  return Math.floor(slot / GROUP_SLOTS);
}

export function placeOfSlot(slot: number): number {
  return slot % GROUP_SLOTS;
}

/** The value sets of one group of fields. */
export class ValueSets {
  /** Per packet: its set (0: the packet has none of the group's fields). */
  readonly setOf = new GrowableInt32();
  /** Per set: the place in the group of each occurrence's field, as a layout shared by sets. */
  private readonly layoutOf: number[] = [0];
  private readonly values: (readonly unknown[])[] = [[]];
  private readonly layouts: Uint8Array[] = [new Uint8Array(0)];
  private readonly layoutIds = new Map<string, number>([['', 0]]);
  /** Sets by the hash of their content: a set id, or several with the same hash. */
  private readonly byHash = new Map<number, number | number[]>();
  /** Address values, one copy of each (sets hold copies, never views of a packet's bytes). */
  private readonly bytesByHash = new Map<number, Uint8Array[]>();
  private readonly defs: FieldDef[];
  /** Per place in the group: whether it is an IPv4 address (stored as a number, see add). */
  private readonly ipv4: boolean[];
  /** Per place in the group: the fields derived from it (DERIVED_FIELDS). */
  private readonly derived: FieldDef[][];
  // The packet being noted.
  private places: number[] = [];
  private pending: unknown[] = [];
  private count = 0;
  /** The sets of the last packets that did not have one of these (0: none yet). */
  private readonly recent = new Int32Array(4);
  private nextRecent = 0;

  constructor(group: readonly string[]) {
    registerAllProtocols();
    this.defs = group.map(fieldDef);
    this.derived = group.map((abbrev) => (DERIVED_FIELDS[abbrev] ?? []).map(fieldDef));
    this.ipv4 = this.defs.map((def) => def.type === 'ipv4');
  }

  get size(): number {
    return this.values.length;
  }

  /** Makes room for `packets` packets in all (their sets; see growable.ts). */
  reserve(packets: number): void {
    this.setOf.reserve(packets);
  }

  /** One occurrence in the packet being noted, in tree order. */
  add(place: number, value: unknown): void {
    this.places[this.count] = place;
    // An IPv4 address as a number: compared with === from packet to packet, no bytes kept.
    this.pending[this.count] = this.ipv4[place] && value instanceof Uint8Array ? ipv4Number(value) : value;
    this.count++;
  }

  /** Ends the packet being noted: its set is the one of what was added since the last. */
  endPacket(): void {
    const count = this.count;
    if (count === 0) {
      this.setOf.push(0);
      return;
    }
    this.count = 0;
    // Most packets have the set of one of the last few (a conversation's two directions).
    const recent = this.recent;
    for (let r = 0; r < recent.length; r++) {
      if (recent[r] !== 0 && this.matches(recent[r], count)) {
        this.setOf.push(recent[r]);
        return;
      }
    }
    let hash = count;
    for (let i = 0; i < count; i++) hash = hashValue(mix(hash, this.places[i]), this.pending[i]);
    // A small integer: a Map keyed by larger numbers boxes each key it is asked for.
    hash &= 0x3fffffff;
    const known = this.byHash.get(hash);
    let id = -1;
    if (typeof known === 'number') id = this.matches(known, count) ? known : -1;
    else if (known !== undefined) id = known.find((candidate) => this.matches(candidate, count)) ?? -1;
    if (id < 0) id = this.newSet(hash, count);
    recent[this.nextRecent] = id;
    this.nextRecent = (this.nextRecent + 1) % recent.length;
    this.setOf.push(id);
  }

  /** Per set so far: 1 if it has an occurrence of the field at `place` (its packets have that field). */
  setsWith(place: number): Uint8Array {
    const layoutHas = this.layouts.map((layout) => layout.includes(place));
    const has = new Uint8Array(this.layoutOf.length);
    for (let id = 0; id < has.length; id++) if (layoutHas[this.layoutOf[id]]) has[id] = 1;
    return has;
  }

  /**
   * Adds to `out` the nodes of set `id` of the `wanted` fields: one per occurrence, with its
   * field and value, and those derived from it. (Not in tree order across fields; no filter
   * depends on that.)
   */
  addNodes(id: number, wanted: ReadonlySet<string>, out: ProtoNode[]): void {
    const layout = this.layouts[this.layoutOf[id]];
    const values = this.values[id];
    for (let i = 0; i < layout.length; i++) {
      const place = layout[i];
      const stored = values[i];
      const value = (typeof stored === 'number' && this.ipv4[place] ? ipv4Bytes(stored) : stored) as ProtoNode['value'];
      const field = this.defs[place];
      if (wanted.has(field.abbrev)) out.push(treeNode(field, value, 0, 0, 0));
      for (const derived of this.derived[place]) {
        if (!wanted.has(derived.abbrev)) continue;
        const bit = derived.bitmask;
        out.push(treeNode(derived, bit === undefined ? value : ((value as number) & bit) !== 0, 0, 0, 0));
      }
    }
  }

  private matches(id: number, count: number): boolean {
    const layout = this.layouts[this.layoutOf[id]];
    if (layout.length !== count) return false;
    const values = this.values[id];
    for (let i = 0; i < count; i++) {
      if (layout[i] !== this.places[i] || !sameValue(values[i], this.pending[i])) return false;
    }
    return true;
  }

  private newSet(hash: number, count: number): number {
    const places = this.places.slice(0, count);
    // Most new sets have the layout of the last one (a new conversation's first packet).
    let layout = this.layoutOf[this.layoutOf.length - 1];
    if (!sameNumbers(this.layouts[layout], places)) {
      const layoutKey = places.join(',');
      layout = this.layoutIds.get(layoutKey) ?? this.layouts.length;
      if (layout === this.layouts.length) {
        this.layouts.push(Uint8Array.from(places));
        this.layoutIds.set(layoutKey, layout);
      }
    }
    const id = this.values.length;
    this.layoutOf.push(layout);
    this.values.push(this.pending.slice(0, count).map((value) => this.stored(value)));
    const known = this.byHash.get(hash);
    if (known === undefined) this.byHash.set(hash, id);
    else if (typeof known === 'number') this.byHash.set(hash, [known, id]);
    else known.push(id);
    return id;
  }

  private stored(value: unknown): unknown {
    if (!(value instanceof Uint8Array)) return value;
    const hash = hashValue(0, value);
    let copies = this.bytesByHash.get(hash);
    if (copies === undefined) this.bytesByHash.set(hash, (copies = []));
    const known = copies.find((copy) => sameValue(copy, value));
    if (known) return known;
    const copy = value.slice();
    copies.push(copy);
    return copy;
  }
}

function sameNumbers(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function fieldDef(abbrev: string): FieldDef {
  const def = lookupField(abbrev);
  if (!def) throw new Error(`value sets: unknown field ${abbrev}`);
  return def;
}

function ipv4Number(bytes: Uint8Array): unknown {
  return bytes.length === 4 ? (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3] : bytes;
}

function ipv4Bytes(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

function mix(hash: number, value: number): number {
  const h = Math.imul(hash ^ value, 0x9e3779b1);
  return h ^ (h >>> 15);
}

function hashValue(hash: number, value: unknown): number {
  switch (typeof value) {
    case 'number':
      return (value | 0) === value ? mix(hash, value) : hashText(mix(hash, 1), String(value));
    case 'string':
      return hashText(mix(hash, 2), value);
    case 'boolean':
      return mix(hash, value ? 3 : 4);
    case 'bigint':
      return hashText(mix(hash, 5), value.toString());
    case 'undefined':
      return mix(hash, 6);
  }
  if (value instanceof Uint8Array) {
    let h = mix(hash, 7 + value.length);
    for (let i = 0; i < value.length; i++) h = mix(h, value[i]);
    return h;
  }
  return hashText(mix(hash, 8), String(value));
}

function hashText(hash: number, text: string): number {
  let h = mix(hash, text.length);
  for (let i = 0; i < text.length; i++) h = mix(h, text.charCodeAt(i));
  return h;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (a instanceof Uint8Array && b instanceof Uint8Array && sameNumbers(a, b));
}
