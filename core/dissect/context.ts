/**
 * The per-packet dissection context and the dissector tables (after Wireshark's
 * `dissector_table_t`): link type, ethertype, IP protocol, UDP/TCP port → dissector.
 *
 * Dissectors read from `buf` (the current data source: the frame, or reassembled data)
 * using absolute offsets, so every node they add points at real bytes for highlighting.
 * They never throw on bad input: bounds are checked with `ctx.need()`, whose error the
 * caller turns into "[Malformed Packet]" for that layer only.
 */
import type { PacketRecord } from '../pcap/types';
import { fieldIdCount, fieldProtocol, type FieldDef, type FieldValue } from './fields';
import { isProtocolLayer, treeNode, type ProtoNode } from './tree';
import {
  EXPERT_GROUPS,
  EXPERT_SEVERITIES,
  defineExpertInfos,
  type ExpertGroup,
  type ExpertInfoDef,
  type ExpertSeverity,
} from './expert';

export interface DataSource {
  /** Tab name, as Wireshark's bytes pane: "Frame (74 bytes)", "Reassembled TCP (14683 bytes)", "De-chunked entity body (…)". */
  name: string;
  data: Uint8Array;
}

export type { ExpertGroup, ExpertSeverity } from './expert';

export interface ExpertInfo {
  severity: ExpertSeverity;
  group: ExpertGroup;
  message: string;
  /** Protocol that raised it (e.g. 'tcp'). */
  protocol: string;
  /**
   * Raised inside a packet quoted by an ICMP error. The tree shows it, but Wireshark does not report
   * it to the expert tap (`-z expert`, Expert Information), so the statistics skip it.
   */
  inErrorPacket?: true;
}

export interface PacketColumns {
  source: string;
  destination: string;
  protocol: string;
  info: string;
}

/**
 * An Info text a dissector keeps as values until someone reads it (TCP's, see TcpInfo): most
 * packets of a capture are plain TCP segments, and `wirelab -r` writes their values straight
 * as bytes (main/cli/summary-line.ts) instead of building and encoding a text per packet.
 */
export interface DeferredInfo {
  text(): string;
  prepend(text: string): void;
  append(text: string): void;
}

/**
 * The columns the engine fills. Info may be held as a DeferredInfo; reading `info` turns it
 * into text. Copy columns field by field: a spread would miss `info`, which is an accessor.
 */
export class ColumnValues implements PacketColumns {
  source = '';
  destination = '';
  protocol = '';
  private infoText = '';
  private deferredInfo: DeferredInfo | null = null;

  get info(): string {
    const deferred = this.deferredInfo;
    if (deferred !== null) {
      this.infoText = deferred.text();
      this.deferredInfo = null;
    }
    return this.infoText;
  }

  set info(text: string) {
    this.infoText = text;
    this.deferredInfo = null;
  }

  /** The Info still held as values, or null once it is text. */
  get deferred(): DeferredInfo | null {
    return this.deferredInfo;
  }

  defer(info: DeferredInfo): void {
    this.deferredInfo = info;
  }
}

/** A plain copy of a packet's columns (Info as text). */
export function copyColumns(columns: PacketColumns): PacketColumns {
  return { source: columns.source, destination: columns.destination, protocol: columns.protocol, info: columns.info };
}

export interface DissectedPacket {
  /** Frame number, from 1. */
  number: number;
  record: PacketRecord;
  /** Seconds since the first packet. */
  timeRelative: number;
  /** Seconds since the previous captured packet. */
  timeDelta: number;
  columns: PacketColumns;
  /** Protocol stack, as Wireshark's frame.protocols: eth:ethertype:ip:tcp:http. */
  protocols: string[];
  /** The detail tree; null when dissected for the summary line only. */
  tree: ProtoNode[] | null;
  /** [0] is the frame; further entries are reassembled or decoded data. */
  sources: DataSource[];
  /** Expert items, as the tree shows them (none in a summary-only dissection but internal errors). */
  expert: ExpertInfo[];
  /** True when some layer was malformed or cut short. */
  malformed: boolean;
  /**
   * Where a top-level "[Packet size limited during capture: … truncated]" item stands: after
   * how many protocol layers (isProtocolLayer), or -1 without one. Protocol Hierarchy lists
   * it there as tshark's `_ws.short`; a pruned tree (the hierarchy's own pass) has no text items.
   */
  cutShortAfterLayers: number;
}

/** A packet while it is dissected: its Info may be held as values (see DeferredInfo). */
export interface PacketInDissection extends DissectedPacket {
  columns: ColumnValues;
}

/** Thrown by `ctx.need()` when a dissector would read past the data; caught per layer. */
export class BoundsError extends Error {
  constructor(
    /** 'captured': the bytes exist on the wire but were not captured (snaplen); 'reported': the packet itself is too short. */
    readonly kind: 'captured' | 'reported',
    /**
     * The protocol being dissected when the data ran out, when it is not the one its caller
     * called (a body dissector HTTP called: "[Packet size limited during capture: PNG truncated]").
     */
    readonly protocol?: string,
  ) {
    super(kind === 'captured' ? 'Packet size limited during capture' : 'Malformed Packet');
  }
}

export type DissectFn = (
  ctx: PacketContext,
  buf: Uint8Array,
  offset: number,
  end: number,
  tree: ProtoNode[] | null,
) => void;

/** Where an HTTP message's header lines are: `buf[start, end)`, read as `scanHeaders(…, desegment, truncated)` read them. */
export interface HeaderBlock {
  buf: Uint8Array;
  start: number;
  end: number;
  request: boolean;
  desegment: boolean;
  truncated: boolean;
}

/**
 * Told of each HTTP message's header lines as they are dissected (see
 * DissectionEngine.listenToHeaderBlocks); `inFrame`: `buf` is the packet's own bytes (its record's
 * data), not reassembled data that is not kept.
 */
export type HeaderBlockListener = (block: HeaderBlock, inFrame: boolean) => void;

/**
 * Told of a packet's numbers that differ from packet to packet: a TCP segment's own
 * (SEGMENT_NUMBER_FIELDS: tcp.seq, tcp.ack, tcp.nxtseq, the window, the SEQ/ACK analysis's
 * numbers, the stream's times) and an HTTP message's links to its exchange (HTTP_NUMBER_FIELDS:
 * http.time, http.request_in, …), wherever a whole tree has their items, pruned away or not, as
 * long as the tree keeps some item of the protocol's (its subtree is built; the load pass keeps
 * tcp.stream and http): see DissectionEngine.listenToPacketNumbers. The packet list's index
 * notes them per packet without the nodes they would cost its load pass.
 */
export interface PacketNumbersListener {
  packetNumber(field: FieldDef, value: number): void;
}

/** Per-capture state shared by all packets of one dissection session (conversations, reassembly). */
export class SessionState {
  private readonly slots = new Map<string, unknown>();
  /** Told of every HTTP message's header lines (null: nobody listens). */
  headerBlockListener: HeaderBlockListener | null = null;
  /** Told of every TCP segment's and HTTP message's numbers (null: nobody listens). */
  packetNumbersListener: PacketNumbersListener | null = null;
  /** False: TCP hands its payload to no dissector (EngineOptions.stopAtTcpPayload). */
  tcpPayloadDissected = true;
  /** False: TCP adds its header's own items and keeps no conversation (EngineOptions.tcpHeaderOnly). */
  tcpConversationsKept = true;
  state<T>(key: string, init: () => T): T {
    let value = this.slots.get(key) as T | undefined;
    if (value === undefined) {
      value = init();
      this.slots.set(key, value);
    }
    return value;
  }
}

export interface NetworkAddresses {
  /** 4 for IPv4, 6 for IPv6. */
  family: 4 | 6;
  src: Uint8Array;
  dst: Uint8Array;
  /** Text forms, for conversation keys and columns. */
  srcText: string;
  dstText: string;
}

/** PacketContext.addNode: what kind of node to make. */
const PLAIN_NODE = 0;
const GENERATED_NODE = 1;
const HIDDEN_NODE = 2;

/** TreePruning.decide: the item is not built, nor anything under it. */
export const PRUNE_DROP = 0;
/** TreePruning.decide: the item is not built, but what goes under it lands in its parent. */
export const PRUNE_STAND_IN = 1;
/** TreePruning.decide: the item is built. */
export const PRUNE_KEEP = 2;
const UNDECIDED = -1;

/**
 * A detail tree pruned to a few fields, as tshark builds it for a filter or `-T fields`:
 * nodes of other fields are not built, and the subtree of an item none of the fields can be
 * found in is skipped whole. One per engine.
 */
export class TreePruning {
  readonly fields: ReadonlySet<string>;
  /** Expert items and [Malformed Packet] can be under any item (columns are not in the tree). */
  private readonly anywhere: boolean;
  private readonly subtrees = new Map<FieldDef, boolean>();
  /** Per field, what `add` does with it (PRUNE_*): one lookup per item of every packet. */
  private readonly decisions = new Map<FieldDef, number>();
  /** The same by field id (FieldDef.id), UNDECIDED until asked: cheaper than the map's lookup. */
  private readonly decisionById = new Int8Array(fieldIdCount()).fill(UNDECIDED);
  private readonly anyKept = new Map<readonly FieldDef[], boolean>();

  constructor(fields: Iterable<string>) {
    this.fields = new Set(fields);
    this.anywhere = [...this.fields].some((k) => k.startsWith('_ws.') && !k.startsWith('_ws.col.'));
  }

  /**
   * What an item of `field` becomes: PRUNE_KEEP (a node), PRUNE_STAND_IN (no node, but what
   * goes under it is still looked at, in its parent) or PRUNE_DROP (nothing, nor its subtree).
   */
  decide(field: FieldDef): number {
    const id = field.id;
    const byId = this.decisionById;
    if (id !== undefined && id < byId.length) {
      const known = byId[id];
      if (known !== UNDECIDED) return known;
    }
    let decision = this.decisions.get(field);
    if (decision === undefined) {
      // With expert items kept (which go anywhere), each protocol's item is kept too: an item a
      // layer adds after the layers above it (Ethernet's trailer note) then stays before theirs,
      // in tree order, as in the whole tree and in tshark's pruned one.
      const kept = this.fields.has(field.abbrev) || (this.anywhere && field.type === 'protocol');
      decision = kept ? PRUNE_KEEP : this.needsSubtree(field) ? PRUNE_STAND_IN : PRUNE_DROP;
      this.decisions.set(field, decision);
    }
    if (id !== undefined && id < byId.length) byId[id] = decision;
    return decision;
  }

  /** Whether any of `fields` is kept (see PacketContext.keepsAny). */
  keepsAny(fields: readonly FieldDef[]): boolean {
    let kept = this.anyKept.get(fields);
    if (kept === undefined) {
      kept = fields.some((field) => this.fields.has(field.abbrev));
      this.anyKept.set(fields, kept);
    }
    return kept;
  }

  /**
   * Whether what goes under an item of `field` must be built: its own items (ownItemsPrefix)
   * and the names it declares in `subtreeHolds`. Of a field that declares nothing, nothing is known.
   */
  needsSubtree(field: FieldDef): boolean {
    let needed = this.subtrees.get(field);
    if (needed === undefined) {
      const holds = field.subtreeHolds;
      if (field.type !== 'protocol' && holds === undefined) needed = true;
      else {
        const under = (prefix: string) => [...this.fields].some((k) => k.startsWith(prefix + '.'));
        needed =
          this.anywhere ||
          under(ownItemsPrefix(field)) ||
          (holds === 'any'
            ? this.fields.size > 0
            : holds !== undefined && holds.some((h) => this.fields.has(h) || under(h)));
      }
      this.subtrees.set(field, needed);
    }
    return needed;
  }
}

/**
 * The name prefix of the items an item of `field` holds of its own: a protocol's are named
 * after it ('tcp.port' under tcp, also under tcp.options.mss), another field's after itself
 * ('tcp.flags.syn' under tcp.flags).
 */
export function ownItemsPrefix(field: FieldDef): string {
  return field.type === 'protocol' ? fieldProtocol(field.abbrev) : field.abbrev;
}

export class PacketContext {
  /** Index of the data source dissectors are reading now (0 = frame). */
  source = 0;
  /** The innermost network layer addresses seen so far. */
  net: NetworkAddresses | null = null;
  /** Messages the application protocol already put in the Info column (HTTP's column fence). */
  infoMessages = 0;
  /** How deep dissection is inside packets quoted by ICMP errors (see enterErrorPacket). */
  quotedPacketDepth = 0;
  /** The hop limit of the innermost IPv6 header (ICMPv6's echo Info shows it). */
  ipv6HopLimit: number | undefined = undefined;
  /** The last address of the innermost IPv6 header's routing header, for upper-layer checksums. */
  ipv6FinalDestination: Uint8Array | undefined = undefined;
  /** The capture's state shared by its packets (conversations, reassembly). */
  readonly state: SessionState;

  constructor(
    readonly packet: PacketInDissection,
    state: SessionState,
    /** Whether the detail tree is being built (false for summary-only output). */
    readonly buildTree: boolean,
    /** When set, the tree holds only some fields (a filter's or `-e`'s): see `add`. */
    readonly pruning: TreePruning | null = null,
    /**
     * Whether anyone reads the labels of a pruned tree's items (`-e tcp` prints the protocol's
     * label); false: dissectors skip formatting them (see `labelled`). A whole tree has them
     * unless only taps read it (EngineOptions.forTaps).
     */
    readonly labelsRead = true,
    /** Whether anyone reads the packet's expert list (see raiseExpert): by default, whoever reads labels. */
    readonly expertListRead = labelsRead,
  ) {
    this.state = state;
  }

  /**
   * True when a node of `field` will really be built. Dissectors use it to skip formatting a
   * label nobody will read; a node that may get children must still be added (see `add`).
   */
  keeps(field: FieldDef | undefined): boolean {
    const pruning = this.pruning;
    // A text-only item (no field) is never kept in a pruned tree (see `add`).
    return this.buildTree && (pruning === null || (field !== undefined && pruning.decide(field) === PRUNE_KEEP));
  }

  /**
   * True when a node of `field` will be built and its label may be read: dissectors format an
   * explicit label only then (the packet list's load pass and its filters read only values).
   */
  labelled(field: FieldDef): boolean {
    return this.labelsRead && this.keeps(field);
  }

  /** Whether the labels of the items built are read at all (see `labelled`). */
  get labels(): boolean {
    return this.labelsRead && this.buildTree;
  }

  /** keeps() of any of `fields` (a list made once, whose answer is remembered per pruning). */
  keepsAny(fields: readonly FieldDef[]): boolean {
    const pruning = this.pruning;
    return this.buildTree && (pruning === null || pruning.keepsAny(fields));
  }

  /**
   * True when adding an item of `field` (under a built parent) gives something to add under:
   * the node, or a stand-in for it (see `add`). False when the item and its subtree are pruned:
   * a dissector may then skip what it would only add there.
   */
  builds(field: FieldDef): boolean {
    return this.buildTree && (this.pruning === null || this.pruning.decide(field) !== PRUNE_DROP);
  }

  get columns(): ColumnValues {
    return this.packet.columns;
  }

  /** Marks the protocol as present (frame.protocols) and sets the Protocol column. */
  enterProtocol(abbrev: string, columnName?: string): void {
    this.packet.protocols.push(abbrev);
    if (columnName !== undefined) this.packet.columns.protocol = columnName;
  }

  setInfo(text: string): void {
    this.packet.columns.info = text;
  }

  /** Sets Info to values that become text when read; the dissector may still change them (see DeferredInfo). */
  deferInfo(info: DeferredInfo): void {
    this.packet.columns.defer(info);
  }

  appendInfo(text: string): void {
    const columns = this.packet.columns;
    const deferred = columns.deferred;
    if (deferred !== null) deferred.append(text);
    else columns.info += text;
  }

  prependInfo(text: string): void {
    const columns = this.packet.columns;
    const deferred = columns.deferred;
    if (deferred !== null) deferred.prepend(text);
    else columns.info = text + columns.info;
  }

  /** Adds a node under `parent` (a children array); returns null when no tree is built. */
  add(
    parent: ProtoNode[] | null,
    field: FieldDef | undefined,
    start: number,
    length: number,
    value?: FieldValue,
    text?: string,
  ): ProtoNode | null {
    return this.addNode(parent, field, start, length, value, text, PLAIN_NODE);
  }

  /** add, for a plain, generated or hidden node (all made by treeNode, see why there). */
  private addNode(
    parent: ProtoNode[] | null,
    field: FieldDef | undefined,
    start: number,
    length: number,
    value: FieldValue | undefined,
    text: string | undefined,
    kind: number,
  ): ProtoNode | null {
    if (!parent) return null;
    const pruning = this.pruning;
    if (pruning !== null) {
      // Wireshark's TRY_TO_FAKE_THIS_ITEM: a field nobody asked for is not built, and what a
      // dissector adds under it lands in the parent, so kept descendants are still found.
      const decision = field === undefined ? PRUNE_STAND_IN : pruning.decide(field);
      if (decision !== PRUNE_KEEP) {
        // A stand-in is never shown (its flags would say nothing): none is set. Setting `hidden`
        // on one made V8 see the nodes' `hidden` change after creation, on a filter's first
        // packets (the load pass keeps the hidden items it meets), and drop the optimized code
        // of every function that makes nodes.
        return decision === PRUNE_DROP ? null : this.standIn(parent);
      }
    }
    const node = treeNode(
      field,
      value,
      start,
      length,
      this.source,
      text,
      kind === GENERATED_NODE ? true : undefined,
      kind === HIDDEN_NODE ? true : undefined,
    );
    parent.push(node);
    return node;
  }

  // Stand-ins for pruned nodes, one per parent array (a stand-in's children are that array). A
  // packet has few kept parents: the first stand-in is kept in a field, the others in an array
  // made on the second. Two arrays per packet were a sixth of what a filter's re-dissection
  // allocated.
  private firstStandIn: ProtoNode | null = null;
  private moreStandIns: ProtoNode[] | null = null;

  private standIn(parent: ProtoNode[]): ProtoNode {
    const first = this.firstStandIn;
    if (first === null) return (this.firstStandIn = this.newStandIn(parent));
    if (first.children === parent) return first;
    const more = (this.moreStandIns ??= []);
    for (const node of more) if (node.children === parent) return node;
    const node = this.newStandIn(parent);
    more.push(node);
    return node;
  }

  /** A stand-in's children are its parent's: what goes under it lands there. */
  private newStandIn(parent: ProtoNode[]): ProtoNode {
    return treeNode(undefined, undefined, 0, 0, 0, undefined, undefined, undefined, parent);
  }

  private isStandIn(node: ProtoNode): boolean {
    return node === this.firstStandIn || this.moreStandIns?.includes(node) === true;
  }

  /** Adds a generated ([bracketed], byte-less) node. */
  addGenerated(
    parent: ProtoNode[] | null,
    field: FieldDef | undefined,
    value?: FieldValue,
    text?: string,
  ): ProtoNode | null {
    return this.addNode(parent, field, 0, 0, value, text, GENERATED_NODE);
  }

  /** Adds a hidden node (filters and -e see it, the tree does not). */
  addHidden(parent: ProtoNode[] | null, field: FieldDef, start: number, length: number, value: FieldValue): void {
    this.addNode(parent, field, start, length, value, undefined, HIDDEN_NODE);
  }

  /** The children array of a node, created on demand (null when no tree is built). */
  children(node: ProtoNode | null): ProtoNode[] | null {
    if (!node) return null;
    if (this.pruning !== null && node.field && !this.pruning.needsSubtree(node.field)) return null;
    return (node.children ??= []);
  }

  /** Removes a children array nothing was added to (a stand-in keeps its parent's). */
  dropEmptyChildren(node: ProtoNode | null): void {
    if (node && node.children?.length === 0 && !this.isStandIn(node)) node.children = undefined;
  }

  /**
   * Raises the expert item `ei` (declared with defineExpertInfos), its message made from `args`,
   * and adds the usual "[Expert Info (Sev/Group): msg]" item when a tree is built.
   */
  expert<A extends readonly unknown[]>(parent: ProtoNode[] | null, ei: ExpertInfoDef<A>, ...args: A): void {
    // Summary lines show no expert items: the message is not even made then. Nor is it when
    // nobody reads the packet's expert list (see raiseExpert) and the tree keeps no item of it.
    if (!this.buildTree || (!this.expertListRead && !(parent !== null && this.keepsExpertItem(ei.itemField)))) return;
    this.raiseExpert(parent, ei, ei.protocol, ei.message(...args));
  }

  /** Whether the tree keeps the "[Expert Info …]" item of an expert item whose own line has `itemField`. */
  private keepsExpertItem(itemField: FieldDef | undefined): boolean {
    const pruning = this.pruning;
    return (
      pruning === null ||
      (itemField !== undefined && pruning.fields.has(itemField.abbrev)) ||
      pruning.keepsAny(EXPERT_ITEM_FIELDS)
    );
  }

  /** Raises `ei` for `protocol` (the one being dissected for a malformed packet) with `message`. */
  private raiseExpert(parent: ProtoNode[] | null, ei: ExpertInfoDef<never>, protocol: string, message: string): void {
    if (!this.buildTree) return;
    const { severity, group } = ei;
    // The packet list's passes (labels not read) read values, never the expert list: only the
    // detail, the statistics and the command line do. With the messages, the list was 37 of the
    // 517 MB a filter's re-dissection of the 300,000-packet lab repeat allocated, and 50 MB of
    // the load pass's 1.79 GB.
    if (this.expertListRead) {
      this.packet.expert.push(
        this.quotedPacketDepth > 0
          ? { severity, group, message, protocol, inErrorPacket: true }
          : { severity, group, message, protocol },
      );
    }
    this.addExpertItem(parent, severity, group, message, ei.itemField);
  }

  /**
   * The "[Expert Info …]" item of an expert item under `parent`, without raising it to the
   * packet's expert list: packet comments, which the expert statistics count from the record.
   */
  addExpertItem(
    parent: ProtoNode[] | null,
    severity: ExpertSeverity,
    group: ExpertGroup,
    message: string,
    /** The field of the item's own line (ExpertInfoDef.itemField). */
    itemField: FieldDef | undefined,
  ): void {
    if (!parent || !this.buildTree || !this.keepsExpertItem(itemField)) return;
    const sev = EXPERT_SEVERITIES[severity];
    const grp = EXPERT_GROUPS[group];
    const source = this.source;
    const item = (field: FieldDef | undefined, value: FieldValue | undefined, text?: string, hidden?: true) =>
      treeNode(field, value, 0, 0, source, text, true, hidden);
    // Wireshark's subtree (tshark -T pdml): the `_ws.expert` item, under it the item's own field
    // with the message as its label, the message as a value (hidden), its severity and group.
    const children = [
      item(itemField, undefined, `[${message}]`),
      item(expertMessageField, message, undefined, true),
      item(expertSeverityField, sev.code, `[Severity level: ${sev.name}]`),
      item(expertGroupField, grp.code, `[Group: ${grp.name}]`),
    ];
    const text = `[Expert Info (${sev.name}/${grp.name}): ${message}]`;
    parent.push(treeNode(expertInfoField, undefined, 0, 0, source, text, true, undefined, children));
  }

  /** Throws BoundsError unless `length` bytes from `offset` lie within `end`. */
  need(buf: Uint8Array, offset: number, length: number, end: number): void {
    if (offset + length <= end && offset + length <= buf.length) return;
    // Past the captured bytes but within what the wire carried → snapped, not malformed.
    const snapped = this.source === 0 && buf.length < this.packet.record.originalLength;
    throw new BoundsError(snapped && offset + length > buf.length ? 'captured' : 'reported');
  }

  /**
   * Runs a sub-dissector. If it throws (bounds or a bug), the layer is marked malformed the
   * way Wireshark does it, and the packet — and the session — carry on.
   */
  call(
    fn: DissectFn,
    buf: Uint8Array,
    offset: number,
    end: number,
    tree: ProtoNode[] | null,
    protocolName: string,
  ): void {
    try {
      fn(this, buf, offset, end, tree);
    } catch (error) {
      this.markMalformed(tree, protocolName, error);
    }
  }

  markMalformed(tree: ProtoNode[] | null, protocolName: string, error: unknown): void {
    this.packet.malformed = true;
    if (error instanceof BoundsError && error.kind === 'captured') {
      const top = this.packet.tree;
      if (tree !== null && tree === top && this.packet.cutShortAfterLayers < 0)
        this.packet.cutShortAfterLayers = top.filter(isProtocolLayer).length;
      this.add(
        tree,
        shortFrameField,
        0,
        0,
        undefined,
        '[Packet size limited during capture: ' + (error.protocol ?? protocolName) + ' truncated]',
      );
      this.appendInfo('[Packet size limited during capture]');
      return;
    }
    this.enterProtocol('_ws.malformed');
    const node = this.add(tree, malformedField, 0, 0, undefined, `[Malformed Packet: ${protocolName}]`);
    const ei = contextExpert.malformed;
    // Raised for the protocol that was being dissected, not the one that declares the item.
    this.raiseExpert(this.children(node), ei, protocolName.toLowerCase(), ei.message());
    this.appendInfo('[Malformed Packet]');
    if (!(error instanceof BoundsError)) {
      // A dissector bug, not bad input: keep the message for whoever debugs it.
      this.packet.expert.push({
        severity: 'error',
        group: 'malformed',
        message: String(error),
        protocol: protocolName,
      });
    }
  }
}

// Fields the context itself uses. Registered in engine.ts along with the frame fields.
export const malformedField: FieldDef = { abbrev: '_ws.malformed', name: 'Malformed Packet', type: 'protocol' };
/**
 * tshark's "[Packet size limited during capture: … truncated]" item (`-T json` writes it as
 * `"_ws.short": "<its label>"`, the filter `_ws.short` finds it). Not one of the packet's
 * layers (isProtocolLayer; Protocol Hierarchy adds it by cutShortAfterLayers).
 */
export const shortFrameField: FieldDef = { abbrev: '_ws.short', name: 'Short Frame', type: 'protocol' };
/** The expert item itself: its own field can be any protocol's (tcp.connection.syn, http.chat). */
export const expertInfoField: FieldDef = {
  abbrev: '_ws.expert',
  name: 'Expert Info',
  type: 'protocol',
  subtreeHolds: 'any',
};
export const expertMessageField: FieldDef = { abbrev: '_ws.expert.message', name: 'Message', type: 'string' };
export const expertSeverityField: FieldDef = {
  abbrev: '_ws.expert.severity',
  name: 'Severity level',
  type: 'uint32',
  valueStrings: Object.fromEntries(Object.values(EXPERT_SEVERITIES).map((s) => [s.code, s.name])),
};
export const expertGroupField: FieldDef = {
  abbrev: '_ws.expert.group',
  name: 'Group',
  type: 'uint32',
  valueStrings: Object.fromEntries(Object.values(EXPERT_GROUPS).map((g) => [g.code, g.name])),
};
/** The fields of every expert item's subtree (raiseExpert). */
export const EXPERT_ITEM_FIELDS: readonly FieldDef[] = [
  expertInfoField,
  expertMessageField,
  expertSeverityField,
  expertGroupField,
];
const contextExpert = defineExpertInfos({
  malformed: {
    abbrev: '_ws.malformed.expert',
    group: 'malformed',
    severity: 'error',
    message: 'Malformed Packet (Exception occurred)',
  },
});
/** The malformed expert item's own field (registered with the frame's fields, protocols/index.ts). */
export const malformedExpertField = contextExpert.malformed.itemField;

/** Dissector tables. Protocol modules register themselves here at load time. */
export const dissectorTables = {
  linkType: new Map<number, { fn: DissectFn; name: string }>(),
  ethertype: new Map<number, { fn: DissectFn; name: string }>(),
  ipProto: new Map<number, { fn: DissectFn; name: string }>(),
  udpPort: new Map<number, { fn: DissectFn; name: string }>(),
};

/**
 * TCP payload consumers (HTTP and any future application protocol). TCP hands each in-order
 * segment payload to the consumer chosen for the stream; see protocols/tcp.ts.
 */
export interface TcpPayloadInfo {
  /** TCP stream index (tcp.stream). */
  stream: number;
  /** True when the segment goes from the connection's client (SYN sender, or first seen sender) to the server. */
  fromClient: boolean;
  srcPort: number;
  dstPort: number;
  /** Relative sequence number of the first payload byte. */
  relSeq: number;
  /** True for a retransmission or out-of-order segment (payload already seen or not next in order). */
  outOfOrder: boolean;
  /** False when TCP cannot desegment this payload (e.g. bytes missing from the capture); absent = can. */
  canDesegment?: boolean;
  /**
   * Where the payload ends on the wire, when the capture kept less of it (a snap length shorter
   * than the packet): the consumer is given the captured bytes only, and dissects what is there,
   * as Wireshark does with a tvb whose reported length exceeds its captured length.
   */
  reportedEnd?: number;
  /** True when this data ends at the sender's FIN: no more bytes will follow (flush of DESEGMENT_UNTIL_FIN). */
  fin?: boolean;
}

/** DesegmentRequest.needMore: at least one more segment (length unknown). */
export const DESEGMENT_ONE_MORE_SEGMENT = -1;
/**
 * DesegmentRequest.needMore: collect everything up to the FIN, then call again with `fin` set
 * (Wireshark's DESEGMENT_UNTIL_FIN, for an HTTP response without length). A TCP that does not
 * implement it treats it as DESEGMENT_ONE_MORE_SEGMENT (any negative value).
 */
export const DESEGMENT_UNTIL_FIN = -2;

/**
 * TCP desegmentation request, after Wireshark's pinfo->desegment_offset / desegment_len:
 * the consumer could not finish a PDU that starts at `offset` in the buffer it was given and
 * needs `needMore` more bytes (or -1: "at least one more segment", when the length is unknown,
 * e.g. HTTP headers not yet complete or a chunked body).
 */
export interface DesegmentRequest {
  offset: number;
  needMore: number;
}

/**
 * An application protocol carried over TCP (HTTP today). TCP picks a consumer per stream —
 * by the heuristic on the stream's first payload (as tshark's HTTP heuristic finds HTTP on
 * port 8001) — and hands it each in-order payload, or the reassembled PDU once the bytes it
 * asked for have arrived (then `ctx.source` points at a new "Reassembled TCP" data source).
 */
export interface TcpPayloadConsumer {
  /** Protocol abbreviation, e.g. 'http'. */
  name: string;
  /** Ports the protocol is registered on (tried before heuristics). */
  ports: readonly number[];
  /** True when the payload looks like this protocol. */
  heuristic(buf: Uint8Array, offset: number, end: number, info: TcpPayloadInfo): boolean;
  /**
   * Dissects PDUs in buf[offset, end). Returns a request when a PDU is incomplete; TCP then
   * keeps the bytes from `request.offset` on and calls again with them reassembled.
   */
  dissect(
    ctx: PacketContext,
    buf: Uint8Array,
    offset: number,
    end: number,
    tree: ProtoNode[] | null,
    info: TcpPayloadInfo,
  ): DesegmentRequest | void;
  /** Called when no packet can reach TCP stream `stream` any more (its 4-tuple was reused): drop its state. */
  release?(ctx: PacketContext, stream: number): void;
}

export const tcpPayloadConsumers: TcpPayloadConsumer[] = [];

/** A packet with nothing in it: what a filter sees in a packet that has none of its fields. */
export function emptyPacket(): DissectedPacket {
  return {
    number: 0,
    record: { data: new Uint8Array(0), originalLength: 0, tsSec: 0, tsNsec: 0, interfaceId: 0, linkType: 0 },
    timeRelative: 0,
    timeDelta: 0,
    columns: { source: '', destination: '', protocol: '', info: '' },
    protocols: [],
    tree: [],
    sources: [],
    expert: [],
    malformed: false,
    cutShortAfterLayers: -1,
  };
}
