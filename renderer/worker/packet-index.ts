/**
 * What the worker learns about each packet while dissecting the source in order, so that a
 * packet can later be re-dissected without replaying the whole capture:
 *
 * - Dependencies. A TCP packet's tree depends on the packets of its own TCP stream (sequence
 *   analysis, reassembly, HTTP request/response links) and on how many streams were opened
 *   before it (its stream index); its frame number and times depend only on the timestamps
 *   before it. `replayed()` says which earlier packets must be fed to a fresh engine for a
 *   packet of stream S: the packets of S and of the streams that used S's addresses and ports
 *   before (port reuse), and every packet that is not "plain TCP" (UDP, DNS, ICMP, IP
 *   fragments… share state across streams; the streams such a packet touches are replayed in
 *   full). The others are skipped: before each packet it is fed, the engine is told where that
 *   packet stands (DissectionEngine.seek: its frame number, the times before it, and
 *   `streamsOpenedBefore()` for the next stream index), so nothing before it is dissected in
 *   vain. The caller checks the result against the list (columns and stream index) and asks
 *   again with `portReuse` set, which replays every stream with reused ports in full, before
 *   replaying everything. packet-index.test.ts checks the result against a full in-order
 *   dissection for every frame of every fixture.
 * - Shapes. Per protocol stack ("eth:ethertype:ip:tcp:http"), the fields its packets' trees
 *   have had. A display filter can only see its fields in packets of a shape that has them;
 *   every other packet gets the answer the filter gives on an empty tree (filter re-dissection
 *   then builds trees only for the packets that need one).
 * - Presence and values. Per packet, which of presenceFields() (the protocols, HTTP's requests
 *   and responses) its tree has, and the values of the fields of value-sets.ts (addresses,
 *   ports, streams, TCP flags, request and status lines), and its own TCP sequence, next
 *   sequence and acknowledgment numbers, ACK RTT, bytes in flight, window and its stream's times
 *   (packet-numbers.ts). A filter that reads only those (`http.request`, `dns || arp`,
 *   `tcp.stream eq 5`, `tcp.port == 8001 && http`, `tcp.seq > 1000`, `tcp.analysis.ack_rtt > 0.2`,
 *   `tcp.window_size < 65536`, `tcp.time_delta > 0.2`) is answered from them alone, with nothing
 *   dissected again (recordedMatches).
 */
import { emptyPacket, type DissectedPacket, type PacketNumbersListener } from '../../core/dissect/context';
import { allFields, fieldIdCount, fieldProtocol, lookupField, type FieldDef } from '../../core/dissect/fields';
import { registerAllProtocols } from '../../core/dissect/protocols';
import { treeNode, type ProtoNode } from '../../core/dissect/tree';
import { GrowableInt32 } from './growable';
import { VALUE_FIELD_GROUPS, ValueSets, groupOfSlot, placeOfSlot, valueGroupOf, valueSlotOf } from './value-sets';
import { PacketNumbers, numberSlotOf } from './packet-numbers';

/**
 * The fields note() reads: a tree pruned to these (see DissectionEngine.setKeptFields) gives
 * the same streams, tuples and fragments as the whole tree.
 */
export const INDEX_FIELDS: readonly string[] = [
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.stream',
  'ip.flags.mf',
  'ip.frag_offset',
  'ip.fragments',
  'ip.fragment',
  'ipv6.fragments',
  'ipv6.fragment',
  'ipv6.fraghdr',
];

/** Presence is kept as a bit set in one double: 32 low bits and 20 high ones, the last of them INCOMPLETE. */
const PRESENCE_BITS = 51;
/**
 * Not a field: the packet was cut short (snap length) or malformed, so its dissection may have
 * stopped half-way, after a request's method but before `http.request` (tshark shows the same).
 */
const INCOMPLETE = 51;

/**
 * HTTP's message kinds, whose presence is noted: a field of one's own (`http.request.method`) is
 * only in its packets (relevantPackets).
 */
const MESSAGE_KINDS = ['http.request', 'http.response'] as const;

let presenceBits: Map<string, number> | null = null;

/**
 * The fields whose presence note() records per packet, each with its bit: every protocol
 * (`http`, `dns`, `arp`, `image-jfif`…; not the `_ws.` ones, which would keep whole trees in
 * the load pass, nor a protocol's own parts such as `tcp.options.mss`, nor `frame`) and
 * HTTP's message kinds. These are what students filter on most. The load pass keeps their
 * nodes in its pruned trees: a few per packet, which cost it about 5–10 % (issue 17's note).
 */
function presenceBitsOf(): Map<string, number> {
  if (presenceBits === null) {
    registerAllProtocols();
    const names = allFields()
      .filter((f) => f.type === 'protocol' && !f.abbrev.includes('.') && !f.abbrev.startsWith('_'))
      // Every packet has a Frame item, and the colorizer adds its rule under it when it is kept.
      .filter((f) => f.abbrev !== 'frame')
      .map((f) => f.abbrev);
    names.push(...MESSAGE_KINDS);
    presenceBits = new Map(names.slice(0, PRESENCE_BITS).map((name, bit) => [name, bit]));
  }
  return presenceBits;
}

/**
 * Fields only a packet with another, noted field has (that field is their witness): TCP's RTO and
 * the frame it is timed from come only under a retransmission's flag (analysis-tree.ts). A filter
 * on them re-dissects only the streams with a retransmission: none, in most captures.
 */
export const WITNESSED_FIELDS: Readonly<Record<string, string>> = {
  'tcp.analysis.rto': 'tcp.analysis.retransmission',
  'tcp.analysis.rto_frame': 'tcp.analysis.retransmission',
};

/** Whether a set of present fields (its bits as one number, see note()) has `bit`. */
function hasPresenceBit(key: number, bit: number): boolean {
  const word = bit < 32 ? key % 2 ** 32 : Math.floor(key / 2 ** 32);
  return ((word >>> (bit % 32)) & 1) === 1;
}

/** A node of each of `wanted` in a set of present fields (its bits as one number). */
function nodesOfPresenceSet(key: number, wanted: ReadonlySet<string>): ProtoNode[] {
  const nodes: ProtoNode[] = [];
  for (const [name, bit] of presenceBitsOf())
    if (wanted.has(name) && hasPresenceBit(key, bit)) nodes.push(treeNode(lookupField(name), undefined, 0, 0, 0));
  return nodes;
}

/** The fields whose presence the index records per packet (see presenceBitsOf). */
export function presenceFields(): readonly string[] {
  return [...presenceBitsOf().keys()];
}

/**
 * Field prefixes any packet may have whatever its protocols: the frame's own items, its
 * comments ("Packet comments"), and the expert and malformed items a dissector can put under
 * any protocol.
 */
const ANY_PACKET_PREFIXES = new Set(['frame', 'pkt_comment', '_ws']);

/**
 * Items another protocol's dissector adds, as Wireshark does: DHCP's are `bootp.*`, IPv6 adds
 * the hidden `ip.version`, MPTCP options are items of TCP's header, mDNS's are `dns.*`.
 */
const HELD_BY: Record<string, readonly string[]> = { bootp: ['dhcp'], dns: ['mdns'], ip: ['ipv6'], mptcp: ['tcp'] };

/** Whether a packet with these protocols can have `field` in its tree. */
export function protocolsMayHold(protocols: ReadonlySet<string>, field: string): boolean {
  const prefix = fieldProtocol(field);
  return (
    ANY_PACKET_PREFIXES.has(prefix) ||
    protocols.has(prefix) ||
    (HELD_BY[prefix]?.some((p) => protocols.has(p)) ?? false)
  );
}

/** streamOf value of a packet that is not plain TCP: always replayed. */
const NOT_PLAIN = -1;

/**
 * Protocols whose dissection keeps no state, or only state keyed by the TCP stream (tcp,
 * http). A packet made only of these, with one TCP header and no IP fragmentation, affects
 * no other stream. Anything else (udp, dns, icmp, a protocol added later…) is replayed always.
 */
const PLAIN_PROTOCOLS = new Set([
  'frame',
  'eth',
  'ethertype',
  'vlan',
  'sll',
  'null',
  'raw',
  'ip',
  'ipv6',
  'ipv6.hopopts',
  'ipv6.dstopts',
  'ipv6.routing',
  'gre',
  'tcp',
  'http',
  'data',
  'data-text-lines',
  'media',
  'png',
  'image-jfif',
  'json',
  'urlencoded-form',
]);

/** What note() reads in one packet's tree (one object per index, refilled for each packet). */
interface Walk {
  /** The shape's fields (shapeFields), and the same by field number (fieldNumbers). */
  fields: Set<string>;
  seen: boolean[];
  /**
   * A number per field name met, and per number that field's presence bit (-1: none): one
   * lookup per node answers both what the shape has seen and what the packet has.
   */
  fieldNumbers: Map<string, number>;
  /** fieldNumbers by registered field id (FieldDef.id), -1 until met: cheaper than the map per node. */
  numberById: Int32Array;
  presenceBitOf: number[];
  /** Per field number: what the walk notes of it besides presence and values (ROLE_*). */
  roleOf: number[];
  streams: number[];
  fragment: boolean;
  src: unknown;
  dst: unknown;
  srcPort: number;
  dstPort: number;
  /**
   * Addresses and ports at the (first) TCP header: its tuple, made into a key (tupleKey) only
   * for a stream's first plain packet.
   */
  hasTuple: boolean;
  tupleSrc: unknown;
  tupleDst: unknown;
  tupleSrcPort: number;
  tupleDstPort: number;
  /** Which presenceFields() the tree has: bits 0–31 and 32–51 (see presenceBitsOf). */
  presentLow: number;
  presentHigh: number;
  /** Per field number: its value group (-1: none) and its place in it (see value-sets.ts). */
  valueGroupOf: number[];
  valuePlaceOf: number[];
  valueSets: readonly ValueSets[];
}

/** What the index noted of the packet noted last: the colorizer keeps its rules' answers by it. */
export interface NotedKeys {
  /** Its set of present fields (the same number, the same fields). */
  presenceSet(): number;
  /** Its value set of group `group` (value-sets.ts; the same number, the same values). */
  valueSet(group: number): number;
}

export class PacketIndex {
  /** Per packet: its TCP stream when it is plain TCP, else NOT_PLAIN. */
  private readonly streamOf = new GrowableInt32();
  /** Per packet: its shape (protocol stack). */
  private readonly shapeOf = new GrowableInt32();
  private readonly shapeIds = new Map<string, number>();
  /**
   * Per shape: the fields seen in a packet of that shape (only those its tree had: the load
   * pass prunes trees after its first packets, see relevantShapes).
   */
  readonly shapeFields: Set<string>[] = [];
  /** Per shape: its protocols. */
  private readonly shapeProtocols: Set<string>[] = [];
  /** Per TCP stream: the first packet that has it (which opened it). */
  private readonly firstPacket: number[] = [];
  /** Per TCP stream: replayed in full whatever the target (a non-plain packet touched it). */
  private readonly always: boolean[] = [];
  /** Per TCP stream: its address/port pair (an index into tupleStreams' order), -1 until known. */
  private readonly tupleOf: number[] = [];
  private readonly tupleIds = new Map<string, number>();
  /** Per address/port pair: how many streams used it. */
  private readonly tupleStreams: number[] = [];

  get size(): number {
    return this.streamOf.length;
  }

  /** Makes room for `packets` packets in all (see growable.ts). */
  reserve(packets: number): void {
    this.streamOf.reserve(packets);
    this.shapeOf.reserve(packets);
    this.presenceOf.reserve(packets);
    for (const sets of this.valueSets) sets.reserve(packets);
    this.numbers.reserve(packets);
  }

  /** Per shape: its protocols are all plain (see PLAIN_PROTOCOLS). */
  private readonly shapePlain: boolean[] = [];
  /** Per shape: its protocols, for shapeOfProtocols to compare without making the key. */
  private readonly shapeList: (readonly string[])[] = [];
  /** Per group of VALUE_FIELD_GROUPS: the values of its fields, as a set per packet. */
  private readonly valueSets = VALUE_FIELD_GROUPS.map((group) => new ValueSets(group));
  /**
   * Per packet: its TCP per-segment numbers and HTTP's exchange numbers (packet-numbers.ts: seq,
   * next seq, ack, the SEQ/ACK analysis's numbers, window, the stream's times; http.time, …).
   */
  private readonly numbers = new PacketNumbers();
  /**
   * What the load pass's engine tells of the packet being dissected (DissectionEngine.
   * listenToPacketNumbers): note() then ends that packet's numbers.
   */
  readonly packetNumbers: PacketNumbersListener = this.numbers;
  /** The packet noted last, as NotedKeys. */
  readonly lastNoted: NotedKeys = {
    presenceSet: () => this.presenceOf.data[this.presenceOf.length - 1],
    valueSet: (group) => {
      const setOf = this.valueSets[group].setOf;
      return setOf.data[setOf.length - 1];
    },
  };
  private readonly walk: Walk = {
    fields: new Set(),
    seen: [],
    fieldNumbers: new Map(),
    numberById: new Int32Array(0),
    presenceBitOf: [],
    roleOf: [],
    streams: [],
    fragment: false,
    src: undefined,
    dst: undefined,
    srcPort: -1,
    dstPort: -1,
    hasTuple: false,
    tupleSrc: undefined,
    tupleDst: undefined,
    tupleSrcPort: -1,
    tupleDstPort: -1,
    presentLow: 0,
    presentHigh: 0,
    valueGroupOf: [],
    valuePlaceOf: [],
    valueSets: this.valueSets,
  };
  /** Per shape: walk.seen. */
  private readonly shapeSeen: boolean[][] = [];
  /** Per packet: which presenceFields() it has, as an index into presenceSets. */
  private readonly presenceOf = new GrowableInt32();
  /** Each distinct set of present fields (the bit set as one number), in order of first sight. */
  private readonly presenceSets: number[] = [];
  private readonly presenceIds = new Map<number, number>();

  /** The shape of a packet with these protocols, made on first sight. */
  private shapeOfProtocols(protocols: readonly string[]): number {
    // A capture has a handful of shapes, and most packets have the shape of a recent one.
    const known = this.shapeList;
    for (let s = known.length - 1, tried = 0; s >= 0 && tried < 8; s--, tried++) {
      if (sameStrings(known[s], protocols)) return s;
    }
    const protocolsKey = protocols.join(':');
    let shape = this.shapeIds.get(protocolsKey);
    if (shape === undefined) {
      shape = this.shapeFields.length;
      this.shapeIds.set(protocolsKey, shape);
      this.shapeFields.push(new Set());
      this.shapeSeen.push([]);
      this.shapeProtocols.push(new Set(protocols));
      this.shapeList.push(protocols.slice());
      this.shapePlain.push(protocols.every((p) => PLAIN_PROTOCOLS.has(p) || p.startsWith('_ws.')));
    }
    return shape;
  }

  /** Notes the next packet of the source (in order), dissected with its tree. */
  note(packet: DissectedPacket): void {
    const shape = this.shapeOfProtocols(packet.protocols);
    const walk = this.walk;
    walk.fields = this.shapeFields[shape];
    walk.seen = this.shapeSeen[shape];
    walk.streams.length = 0;
    walk.fragment = false;
    walk.src = undefined;
    walk.dst = undefined;
    walk.srcPort = -1;
    walk.dstPort = -1;
    walk.hasTuple = false;
    walk.tupleSrc = undefined;
    walk.tupleDst = undefined;
    walk.presentLow = 0;
    walk.presentHigh = 0;
    if (packet.tree) visit(packet.tree, walk);
    for (const sets of this.valueSets) sets.endPacket();
    this.numbers.endPacket();
    const plain = walk.streams.length === 1 && !walk.fragment && this.shapePlain[shape];
    const index = this.streamOf.length;
    for (const stream of walk.streams) {
      if (this.firstPacket[stream] === undefined) {
        // Streams are numbered in order, so these arrays stay dense.
        for (let s = this.firstPacket.length; s <= stream; s++) {
          this.firstPacket[s] = -1;
          this.always[s] = false;
          this.tupleOf[s] = -1;
        }
        this.firstPacket[stream] = index;
      }
      if (!plain) this.always[stream] = true;
    }
    this.streamOf.push(plain ? walk.streams[0] : NOT_PLAIN);
    this.shapeOf.push(shape);
    const record = packet.record;
    if (packet.malformed || record.data.length < record.originalLength) walk.presentHigh |= 1 << (INCOMPLETE - 32);
    this.presenceOf.push(this.presenceSetOf(walk.presentHigh * 2 ** 32 + (walk.presentLow >>> 0)));
    if (plain && walk.hasTuple && this.tupleOf[walk.streams[0]] === -1) this.noteTuple(walk.streams[0], tupleKey(walk));
    walk.src = walk.dst = walk.tupleSrc = walk.tupleDst = undefined;
  }

  private presenceSetOf(key: number): number {
    const sets = this.presenceSets;
    // Most packets have the fields of the one before.
    if (this.presenceOf.length > 0) {
      const previous = this.presenceOf.get(this.presenceOf.length - 1);
      if (sets[previous] === key) return previous;
    }
    let id = this.presenceIds.get(key);
    if (id === undefined) {
      id = sets.length;
      sets.push(key);
      this.presenceIds.set(key, id);
    }
    return id;
  }

  /**
   * Whether recordedMatches can answer a filter that reads `fields`, the values of
   * `valueFields` of them: each value it reads is one the load pass noted (value-sets.ts),
   * and each other field is one whose presence it noted (presenceFields or a value field).
   */
  answersFromRecord(fields: readonly string[], valueFields: readonly string[]): boolean {
    const bits = presenceBitsOf();
    return fields.every(
      (field) =>
        this.numbers.answers(field) ||
        (valueFields.includes(field) ? valueGroupOf(field) >= 0 : bits.has(field) || valueGroupOf(field) >= 0),
    );
  }

  /**
   * The packets of [0, total) that a filter answersFromRecord matches, with nothing dissected
   * again: `test` runs once per combination of what the filter reads (the set of present
   * fields, the value sets of its fields' groups), on a packet holding just those nodes; on
   * each packet if it reads a TCP or HTTP number (they differ from packet to packet).
   */
  recordedMatches(test: (packet: DissectedPacket) => boolean, fields: readonly string[], total: number): GrowableInt32 {
    const bits = presenceBitsOf();
    const wanted = new Set(fields);
    const readsPresence = fields.some((field) => bits.has(field));
    const groups = [...new Set(fields.map(valueGroupOf).filter((group) => group >= 0))];
    const numberSlots = [...new Set(fields.map(numberSlotOf).filter((slot) => slot >= 0))];
    const perPacket = groups.map((group) => this.valueSets[group].setOf.data);
    const presenceNodes: (ProtoNode[] | undefined)[] = [];
    const packet = emptyPacket();
    const evaluate = (index: number): boolean => {
      // A new tree for each (the filter indexes a packet's fields by its tree), of the filter's fields only.
      const tree: ProtoNode[] = [];
      if (readsPresence) {
        const set = this.presenceOf.data[index];
        presenceNodes[set] ??= nodesOfPresenceSet(this.presenceSets[set], wanted);
        tree.push(...presenceNodes[set]);
      }
      for (let g = 0; g < groups.length; g++) this.valueSets[groups[g]].addNodes(perPacket[g][index], wanted, tree);
      if (numberSlots.length > 0) this.numbers.addNodes(index, numberSlots, tree);
      packet.tree = tree;
      return test(packet);
    };
    const view = new GrowableInt32();
    const end = Math.min(total, this.presenceOf.length);
    if (numberSlots.length > 0) {
      for (let i = 0; i < end; i++) if (evaluate(i)) view.push(i);
      return view;
    }
    const sizes = groups.map((group) => this.valueSets[group].size);
    // A packet's combination as one number while they fit (in a table while it is small), else as text.
    const combinations = sizes.reduce((n, size) => n * size, readsPresence ? this.presenceSets.length : 1);
    const numeric = combinations < Number.MAX_SAFE_INTEGER;
    const table = combinations <= 1 << 24 ? new Uint8Array(combinations) : null;
    const verdicts = new Map<number | string, boolean>();
    for (let i = 0; i < end; i++) {
      let key: number | string = readsPresence ? this.presenceOf.data[i] : 0;
      if (numeric) for (let g = 0; g < groups.length; g++) key = (key as number) * sizes[g] + perPacket[g][i];
      else for (let g = 0; g < groups.length; g++) key = `${key},${perPacket[g][i]}`;
      let verdict: boolean;
      if (table) {
        // 0: not evaluated yet, 1: no, 2: yes.
        const known = table[key as number];
        verdict = known === 0 ? evaluate(i) : known === 2;
        if (known === 0) table[key as number] = verdict ? 2 : 1;
      } else {
        const known = verdicts.get(key);
        verdict = known ?? evaluate(i);
        if (known === undefined) verdicts.set(key, verdict);
      }
      if (verdict) view.push(i);
    }
    return view;
  }

  private noteTuple(stream: number, tuple: string): void {
    let id = this.tupleIds.get(tuple);
    if (id === undefined) {
      id = this.tupleStreams.length;
      this.tupleIds.set(tuple, id);
      this.tupleStreams.push(0);
    }
    this.tupleOf[stream] = id;
    this.tupleStreams[id]++;
  }

  /** The TCP stream of a plain TCP packet, else -1. */
  streamOfPacket(index: number): number {
    return this.streamOf.get(index);
  }

  /** Whether a packet of `targetStream` depends on the packets of `stream`. */
  private needsStream(stream: number, targetStream: number, portReuse: boolean): boolean {
    if (stream === targetStream || this.always[stream]) return true;
    const tuple = this.tupleOf[stream];
    if (tuple === -1) return true;
    return (targetStream >= 0 && tuple === this.tupleOf[targetStream]) || (portReuse && this.tupleStreams[tuple] > 1);
  }

  /**
   * The packets in [from, to) that must be dissected for real, in order, before a packet of
   * `targetStream` (-1 for a packet that is not plain TCP, whose streams are replayed in full
   * anyway). The others are skipped: the engine is told where each packet it is fed stands
   * (DissectionEngine.seek, streamsOpenedBefore).
   */
  replayed(from: number, to: number, targetStream: number, portReuse: boolean): Int32Array {
    const needs = new Uint8Array(this.firstPacket.length);
    for (let s = 0; s < needs.length; s++) needs[s] = this.needsStream(s, targetStream, portReuse) ? 1 : 0;
    const streamOf = this.streamOf.data;
    const out = new GrowableInt32();
    const end = Math.min(to, this.streamOf.length);
    for (let i = Math.max(0, from); i < end; i++) {
      const stream = streamOf[i];
      if (stream === NOT_PLAIN || needs[stream] === 1) out.push(i);
    }
    return out.data.subarray(0, out.length);
  }

  /**
   * How many TCP streams the packets before packet `index` opened: the stream index the next
   * new conversation gets when packet `index` is dissected (streams are numbered in order).
   */
  streamsOpenedBefore(index: number): number {
    const first = this.firstPacket;
    let lo = 0;
    let hi = first.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (openedAt(first, mid) < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Per packet: whether it can have one of `fields`. Its shape must be able to (relevantShapes),
   * and a field of an HTTP request's or response's own (`http.request.method`,
   * `http.response.code`) is only in a packet that has that message (its presence is noted),
   * a field of WITNESSED_FIELDS only in one that has its witness (a value the load pass noted),
   * unless the packet is incomplete (INCOMPLETE):
   * a filter on a request's method re-dissects each stream up to its last request, not up to
   * its last response, and one on TCP's RTO only the streams with a retransmission (checked
   * over every fixture in packet-index.test.ts). Packets noted after this was asked (a live
   * capture) are taken as able to.
   */
  relevantPackets(fields: readonly string[]): (index: number) => boolean {
    const shapes = this.relevantShapes(fields);
    const bits = presenceBitsOf();
    // Per field, what a packet must have to have it: a message kind's presence bit or a witness.
    const needsBits: number[] = [];
    const witnesses: { sets: GrowableInt32; has: Uint8Array }[] = [];
    let unwitnessed = false;
    for (const field of fields) {
      const kind = MESSAGE_KINDS.find((name) => field.startsWith(`${name}.`));
      const bit = kind === undefined ? undefined : bits.get(kind);
      const witness = WITNESSED_FIELDS[field];
      const slot = witness === undefined ? -1 : valueSlotOf(witness);
      if (bit !== undefined) needsBits.push(bit);
      else if (slot >= 0) {
        const sets = this.valueSets[groupOfSlot(slot)];
        witnesses.push({ sets: sets.setOf, has: sets.setsWith(placeOfSlot(slot)) });
      } else unwitnessed = true;
    }
    // The lists are read at each call: a live capture's grow, and are replaced as they do.
    if (unwitnessed) return (index) => shapes[this.shapeOf.data[index]] ?? true;
    // Per set of present fields, whether it has one of the message kinds (or the packet is
    // incomplete, and may have the fields without the kind).
    const allowed = this.presenceSets.map(
      (key) => hasPresenceBit(key, INCOMPLETE) || needsBits.some((bit) => hasPresenceBit(key, bit)),
    );
    return (index) => {
      if (!(shapes[this.shapeOf.data[index]] ?? true)) return false;
      if (allowed[this.presenceOf.data[index]] ?? true) return true;
      for (const { sets, has } of witnesses) if ((has[sets.data[index]] ?? 1) === 1) return true;
      return false;
    };
  }

  /**
   * Which of packets [0, total) must be dissected, in order, so that every `wanted` one
   * dissects as in the full pass: 1 to dissect, 0 to skip (nothing wanted depends on it). That
   * is every wanted packet; every packet that is not plain TCP, the streams they touched and
   * those without a known address/port pair, in full; and of the plain streams sharing an
   * address/port pair (port reuse), every packet up to the last wanted one, if they have one.
   * The caller seeks the engine over the gaps (DissectionEngine.seek).
   */
  replayPlan(wanted: (index: number) => boolean, total: number): Uint8Array {
    const count = Math.min(total, this.streamOf.length);
    const streamOf = this.streamOf.data;
    const tupleOf = this.tupleOf;
    // Per address/port pair: the last packet its streams must be dissected up to (-1: none).
    const until = new Int32Array(this.tupleStreams.length).fill(-1);
    // Per stream: dissected in full (it has no pair, or a packet that is not plain touched it).
    const whole = new Uint8Array(this.firstPacket.length);
    for (let s = 0; s < whole.length; s++) {
      const tuple = tupleOf[s];
      if (tuple === -1) whole[s] = 1;
      else if (this.always[s]) until[tuple] = count;
    }
    for (let i = 0; i < count; i++) {
      const stream = streamOf[i];
      if (stream === NOT_PLAIN || whole[stream] === 1 || !wanted(i)) continue;
      const tuple = tupleOf[stream];
      if (until[tuple] < i) until[tuple] = i;
    }
    const plan = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const stream = streamOf[i];
      if (stream === NOT_PLAIN || whole[stream] === 1 || until[tupleOf[stream]] >= i) plan[i] = 1;
    }
    return plan;
  }

  shapeOfPacket(index: number): number {
    return this.shapeOf.get(index);
  }

  /**
   * Per shape: whether its packets can have one of `fields`. A field is an item of its
   * protocol (`http.request` of `http`), which is in the packet's protocols whenever the tree
   * has one of its items (checked over every fixture in packet-index.test.ts), so a shape
   * without the protocol cannot have the field, whether or not its trees were pruned.
   */
  relevantShapes(fields: readonly string[]): boolean[] {
    return this.shapeFields.map((seen, shape) => {
      const protocols = this.shapeProtocols[shape];
      return fields.some((field) => seen.has(field) || protocolsMayHold(protocols, field));
    });
  }
}

/**
 * The packet that opened stream `stream`. A stream no noted packet showed (none is known) is
 * taken as opened with the next one that is known, so the order stays sorted.
 */
function openedAt(firstPacket: readonly number[], stream: number): number {
  for (let s = stream; s < firstPacket.length; s++) if (firstPacket[s] >= 0) return firstPacket[s];
  return Number.MAX_SAFE_INTEGER;
}

// What visit() notes of a field besides its presence and values.
const ROLE_NONE = 0;
const ROLE_SRC = 1;
const ROLE_DST = 2;
const ROLE_SRC_PORT = 3;
const ROLE_DST_PORT = 4;
const ROLE_STREAM = 5;
/** A set flag or offset means the packet is an IP fragment. */
const ROLE_FRAGMENT_IF_SET = 6;
/** The packet took part in IP reassembly (state shared across streams). */
const ROLE_FRAGMENT = 7;

function roleOf(abbrev: string): number {
  switch (abbrev) {
    case 'ip.src':
    case 'ipv6.src':
      return ROLE_SRC;
    case 'ip.dst':
    case 'ipv6.dst':
      return ROLE_DST;
    case 'tcp.srcport':
      return ROLE_SRC_PORT;
    case 'tcp.dstport':
      return ROLE_DST_PORT;
    case 'tcp.stream':
      return ROLE_STREAM;
    case 'ip.flags.mf':
    case 'ip.frag_offset':
      return ROLE_FRAGMENT_IF_SET;
    case 'ip.fragments':
    case 'ip.fragment':
    case 'ipv6.fragments':
    case 'ipv6.fragment':
    case 'ipv6.fraghdr':
      return ROLE_FRAGMENT;
    default:
      return ROLE_NONE;
  }
}

/** The walk's number for `field`, given on first sight with what it notes of the field. */
function fieldNumberOf(field: FieldDef, walk: Walk): number {
  const id = field.id;
  if (id !== undefined && id < walk.numberById.length) {
    const known = walk.numberById[id];
    if (known >= 0) return known;
  }
  const abbrev = field.abbrev;
  let number = walk.fieldNumbers.get(abbrev);
  if (number === undefined) {
    number = walk.fieldNumbers.size;
    walk.fieldNumbers.set(abbrev, number);
    walk.presenceBitOf.push(presenceBitsOf().get(abbrev) ?? -1);
    const slot = valueSlotOf(abbrev);
    walk.valueGroupOf.push(slot < 0 ? -1 : groupOfSlot(slot));
    walk.valuePlaceOf.push(slot < 0 ? -1 : placeOfSlot(slot));
    walk.roleOf.push(roleOf(abbrev));
  }
  if (id !== undefined) {
    if (id >= walk.numberById.length) {
      // Made (again) when fields were registered since: ids are dense and few thousand.
      const grown = new Int32Array(Math.max(fieldIdCount(), id + 1)).fill(-1);
      grown.set(walk.numberById);
      walk.numberById = grown;
    }
    walk.numberById[id] = number;
  }
  return number;
}

function visit(nodes: readonly ProtoNode[], walk: Walk): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const field = node.field;
    if (field !== undefined) {
      const number = fieldNumberOf(field, walk);
      if (walk.seen[number] !== true) {
        walk.seen[number] = true;
        walk.fields.add(field.abbrev);
      }
      const bit = walk.presenceBitOf[number];
      if (bit >= 0) {
        if (bit < 32) walk.presentLow |= 1 << bit;
        else walk.presentHigh |= 1 << (bit - 32);
      }
      const group = walk.valueGroupOf[number];
      if (group >= 0) walk.valueSets[group].add(walk.valuePlaceOf[number], node.value);
      switch (walk.roleOf[number]) {
        case ROLE_NONE:
          break;
        case ROLE_SRC:
          walk.src = node.value;
          break;
        case ROLE_DST:
          walk.dst = node.value;
          break;
        case ROLE_SRC_PORT:
          walk.srcPort = node.value as number;
          break;
        case ROLE_DST_PORT:
          walk.dstPort = node.value as number;
          break;
        case ROLE_STREAM:
          walk.streams.push(node.value as number);
          if (!walk.hasTuple) {
            walk.hasTuple = true;
            walk.tupleSrc = walk.src;
            walk.tupleDst = walk.dst;
            walk.tupleSrcPort = walk.srcPort;
            walk.tupleDstPort = walk.dstPort;
          }
          break;
        case ROLE_FRAGMENT_IF_SET:
          if (node.value) walk.fragment = true;
          break;
        case ROLE_FRAGMENT:
          walk.fragment = true;
      }
    }
    const children = node.children;
    if (children !== undefined) visit(children, walk);
  }
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function tupleKey(walk: Walk): string {
  const a = `${addressText(walk.tupleSrc)}/${walk.tupleSrcPort}`;
  const b = `${addressText(walk.tupleDst)}/${walk.tupleDstPort}`;
  return a < b ? `${a} ${b}` : `${b} ${a}`;
}

function addressText(value: unknown): string {
  return value instanceof Uint8Array ? value.join('.') : String(value);
}
