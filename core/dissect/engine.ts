/**
 * DissectionEngine: one per capture (file or live session). Feed it packet records in
 * order; it keeps the per-capture state (TCP streams, HTTP reassembly) and returns the
 * summary columns and, when asked, the full detail tree of each packet.
 */
import { PCAPNG_BLOCK_LINK_TYPE, type PacketRecord, type CaptureInterface } from '../pcap/types';
import { dissectPcapngBlock } from './pcapng-block';
import {
  PacketContext,
  SessionState,
  TreePruning,
  ColumnValues,
  dissectorTables,
  type DissectedPacket,
  type HeaderBlockListener,
  type PacketNumbersListener,
  type PacketInDissection,
} from './context';
import { treeNode, type ProtoNode } from './tree';
import type { TimeStamp } from './time-format';
import { formatArrivalTime } from './arrival-time';
import { frameFields } from './frame-fields';
import { fieldProtocol } from './fields';
import { registerAllProtocols } from './protocols';
import { TCP_HEADER_FIELDS, seekTcpStreams } from './protocols/tcp';

export { frameFields } from './frame-fields';

export interface EngineOptions {
  /** Build the detail tree (needed for -V, -T fields/json, filters). Summary lines alone do not need it. */
  tree: boolean;
  /** Interfaces of the capture, for "on interface lo, id 0". */
  interfaces?: readonly CaptureInterface[];
  /** The file format: pcapng frames show "Section number: N" as Wireshark does. */
  format?: 'pcap' | 'pcapng';
  /**
   * Build only the nodes of these fields (a display filter's or `-T fields -e`'s), as tshark
   * does when no one reads the whole tree. Absent: the whole tree.
   */
  keptFields?: Iterable<string>;
  /**
   * Whether the labels of a pruned tree's items are read (default true: `-e tcp` prints the
   * protocol's label). The packet list's load pass and its filters read only values: false
   * spares them formatting labels nobody reads, and the packet's expert list (packet.expert
   * stays empty; an expert item the tree keeps is still added). A whole tree always has its labels.
   */
  labels?: boolean;
  /**
   * Dissect no further than the frame's own items (frame.len, frame.time_relative, the frame's
   * bytes): a filter that reads nothing else (see FRAME_ITEM_FIELDS) needs no other layer, and
   * no layer's state. frame.protocols stays empty.
   */
  frameOnly?: boolean;
  /**
   * TCP hands its payload to no dissector (no reassembly, no HTTP or TLS above it): a filter
   * that reads only fields below TCP's payload (readsOnlyBelowTcpPayload) gets the same
   * answers, and its re-dissection of every TCP stream skips the application layer.
   */
  stopAtTcpPayload?: boolean;
  /**
   * Stops at TCP's payload, and TCP adds only the items of TCP_HEADER_FIELDS, with no
   * conversation: a filter reading no other TCP item (readsOnlyTcpHeader: `tcp.flags.syn == 1`,
   * `tcp.hdr_len > 32`, `tcp.len > 0`) gets the same answers without finding, creating and
   * analysing a conversation for every segment (two fifths of such a filter's time). The layers
   * below TCP keep their state (IP reassembly).
   */
  tcpHeaderOnly?: boolean;
  /**
   * The tree's only readers are taps (the statistics dialogs, `-z`, display filters): they read
   * its items' values and the packet's expert list, never a label. Whole or pruned, no label is
   * formatted then; the expert list is still filled. A fifth of a statistics pass over the
   * bench capture went on labels nobody read.
   */
  forTaps?: boolean;
  /**
   * A display filter hides some packets, and the caller says which it shows (markDisplayed):
   * frame.time_delta_displayed is then measured from the last packet shown, 0 before any, as in
   * tshark's single pass with -Y. Absent: every packet is shown, and it equals frame.time_delta.
   */
  displayedByCaller?: boolean;
}

/**
 * The protocols whose fields a dissection that stops at TCP's payload gives as a full one does:
 * none of them is ever dissected from TCP's payload (the links, IP, GRE, ICMP with the packets
 * it quotes, TCP and UDP). UDP's payload is still dissected: a tunnel over UDP could carry any.
 */
const BELOW_TCP_PAYLOAD: ReadonlySet<string> = new Set([
  'frame',
  'null',
  'eth',
  'ethertype',
  'vlan',
  'sll',
  'raw',
  'ip',
  'gre',
  'ipv6',
  'arp',
  'icmp',
  'icmpv6',
  'igmp',
  'tcp',
  'udp',
]);

/** Their fields made from what is above TCP: reassembly, PDUs, and the frame's protocol chain and colour. */
const MADE_FROM_TCP_PAYLOAD = /^(tcp\.(reassembled|segment|pdu)|frame\.(protocols|coloring_rule))/;

/** Whether a filter reading `fields` can be run on a dissection with `stopAtTcpPayload`. */
export function readsOnlyBelowTcpPayload(fields: readonly string[]): boolean {
  return (
    fields.length > 0 &&
    fields.every((field) => BELOW_TCP_PAYLOAD.has(fieldProtocol(field)) && !MADE_FROM_TCP_PAYLOAD.test(field))
  );
}

/** Whether a filter reading `fields` can be run on a dissection with `tcpHeaderOnly`. */
export function readsOnlyTcpHeader(fields: readonly string[]): boolean {
  return (
    readsOnlyBelowTcpPayload(fields) &&
    fields.every((field) => fieldProtocol(field) !== 'tcp' || TCP_HEADER_FIELDS.has(field))
  );
}

/**
 * Where the next packet fed to an engine stands in the capture (see DissectionEngine.seek):
 * what a full in-order dissection would have counted by then.
 */
export interface CapturePosition {
  /** The next packet's frame number (1: the first, which is then its own time reference). */
  number: number;
  /** The capture's first frame's timestamp (the time reference). */
  firstSec: number;
  firstNsec: number;
  /** The timestamp of the last packet before the next one that is not a pcapng block (the delta's base). */
  prevSec: number;
  prevNsec: number;
  /** The stream index the next new TCP conversation gets (conversations opened before it). */
  tcpStreams: number;
}

const f = frameFields;

/** LINKTYPE_ → Wireshark's WTAP_ENCAP number and name ("Encapsulation type: Ethernet (1)"). */
const ENCAPSULATIONS: Record<number, [number, string]> = {
  0: [15, 'NULL/Loopback'],
  1: [1, 'Ethernet'],
  101: [7, 'Raw IP'],
  108: [15, 'OpenBSD loopback'],
  113: [25, 'Linux cooked-mode capture v1'],
  228: [129, 'Raw IPv4'],
  229: [130, 'Raw IPv6'],
  276: [210, 'Linux cooked-mode capture v2'],
};

export class DissectionEngine {
  private readonly state = new SessionState();
  private count = 0;
  private firstSec = 0;
  private firstNsec = 0;
  private prevSec = 0;
  private prevNsec = 0;
  /** The last packet shown's timestamp (displayedByCaller), when one was. */
  private displayedSec = 0;
  private displayedNsec = 0;
  private anyDisplayed = false;

  private pruning: TreePruning | null;
  /** Exact label values of this packet's relative time and delta, when a double cannot show them. */
  private relativeText: string | null = null;
  private deltaText: string | null = null;
  private displayedDelta = 0;
  private displayedDeltaText: string | null = null;

  readonly options: Readonly<EngineOptions>;

  constructor(options: EngineOptions) {
    // Every engine's options in one shape, whatever literal it was made with: the hot paths read
    // them, and the packet list's engines ({ tree, labels } for the load pass, more for a filter)
    // would otherwise make those reads polymorphic, and a filter's first packets deoptimize code
    // the load pass optimized (node --trace-deopt). Typed so that a new option must be listed.
    const all: { [K in keyof Required<EngineOptions>]: EngineOptions[K] } = {
      tree: options.tree,
      interfaces: options.interfaces,
      format: options.format,
      keptFields: options.keptFields,
      labels: options.labels,
      frameOnly: options.frameOnly,
      stopAtTcpPayload: options.stopAtTcpPayload,
      tcpHeaderOnly: options.tcpHeaderOnly,
      forTaps: options.forTaps,
      displayedByCaller: options.displayedByCaller,
    };
    this.options = all;
    registerAllProtocols();
    this.pruning = options.tree && options.keptFields ? new TreePruning(options.keptFields) : null;
    this.state.tcpPayloadDissected = options.stopAtTcpPayload !== true && options.tcpHeaderOnly !== true;
    this.state.tcpConversationsKept = options.tcpHeaderOnly !== true;
  }

  /**
   * From the next packet on, builds only the nodes of these fields (as `keptFields` does), or
   * the whole tree again (undefined). The packet list's load pass keeps full trees for its first
   * packets and then only what its colours and index read.
   */
  setKeptFields(fields: Iterable<string> | undefined): void {
    this.pruning = fields ? new TreePruning(fields) : null;
  }

  /**
   * From the next packet on, tells `listener` where each HTTP message's header lines are, in the
   * bytes they were read from (the frame's, or reassembled data). The packet list's load pass
   * notes them, to answer a filter on header items without dissecting again (header-blocks.ts).
   */
  listenToHeaderBlocks(listener: HeaderBlockListener | null): void {
    this.state.headerBlockListener = listener;
  }

  /**
   * From the next packet on, tells `listener` each TCP segment's and HTTP message's numbers,
   * where the whole tree has their items, pruned away or not, in the packets whose TCP (HTTP)
   * subtree is built (PacketNumbersListener). An engine with tcpHeaderOnly keeps no
   * conversation, hence no relative numbers: it has none to tell.
   */
  listenToPacketNumbers(listener: PacketNumbersListener | null): void {
    if (listener && !this.state.tcpConversationsKept) throw new Error('packet numbers need TCP conversations');
    this.state.packetNumbersListener = listener;
  }

  /**
   * Makes the next packet dissect as packet `position.number` of the capture, as if the packets
   * before it had been fed: its frame number, times and the next TCP stream index. Only what
   * those counters say is set; the state the skipped packets would have left (conversations,
   * reassembly) is not, so the caller feeds every packet the next one depends on (the worker's
   * packet index says which) and checks the result against the in-order pass.
   */
  seek(position: CapturePosition): void {
    this.count = position.number - 1;
    this.firstSec = position.firstSec;
    this.firstNsec = position.firstNsec;
    this.prevSec = position.prevSec;
    this.prevNsec = position.prevNsec;
    seekTcpStreams(this.state, position.tcpStreams);
  }

  /**
   * The packet just dissected is shown (with displayedByCaller): the next packets' displayed
   * delta is measured from it.
   */
  markDisplayed(packet: DissectedPacket): void {
    if (packet.record.linkType === PCAPNG_BLOCK_LINK_TYPE) return;
    this.displayedSec = packet.record.tsSec;
    this.displayedNsec = packet.record.tsNsec;
    this.anyDisplayed = true;
  }

  /**
   * Dissects the next packet of the capture. Never throws on bad packet bytes. `tree`: whether
   * this packet's tree is built (options.tree unless told: a re-dissection builds trees only for
   * the packets it wants, and dissects the others for their state).
   */
  dissect(record: PacketRecord, tree: boolean = this.options.tree): DissectedPacket {
    this.count++;
    if (this.count === 1) {
      this.firstSec = this.prevSec = record.tsSec;
      this.firstNsec = this.prevNsec = record.tsNsec;
    }
    const block = record.linkType === PCAPNG_BLOCK_LINK_TYPE ? record.pcapngBlock : undefined;
    const timeRelative = record.tsSec - this.firstSec + (record.tsNsec - this.firstNsec) / 1e9;
    const timeDelta = record.tsSec - this.prevSec + (record.tsNsec - this.prevNsec) / 1e9;
    // Beyond ~48 days a double no longer holds nanoseconds (e.g. after a first frame with no time):
    // those rare labels are written from the exact seconds and nanoseconds, as Wireshark does.
    this.relativeText =
      tree && Math.abs(timeRelative) >= EXACT_FROM
        ? exactSeconds(record.tsSec - this.firstSec, record.tsNsec - this.firstNsec)
        : null;
    this.deltaText =
      tree && Math.abs(timeDelta) >= EXACT_FROM
        ? exactSeconds(record.tsSec - this.prevSec, record.tsNsec - this.prevNsec)
        : null;
    if (this.options.displayedByCaller !== true) {
      this.displayedDelta = timeDelta;
      this.displayedDeltaText = this.deltaText;
    } else if (!this.anyDisplayed) {
      this.displayedDelta = 0;
      this.displayedDeltaText = null;
    } else {
      this.displayedDelta = secondsSince(record, this.displayedSec, this.displayedNsec);
      this.displayedDeltaText = tree ? exactSecondsSince(record, this.displayedSec, this.displayedNsec) : null;
    }
    // A pcapng block shown as a frame has no time: tshark 4.0 measures the next packet's delta
    // from the packet before it (though the first frame, block or not, is the time reference).
    if (block === undefined) {
      this.prevSec = record.tsSec;
      this.prevNsec = record.tsNsec;
    }

    const nodes: ProtoNode[] | null = tree ? [] : null;
    const packet: PacketInDissection = {
      number: this.count,
      record,
      timeRelative,
      timeDelta,
      columns: new ColumnValues(),
      protocols: [],
      tree: nodes,
      sources: [{ name: frameSourceName(record.data.length), data: record.data }],
      expert: [],
      malformed: false,
      cutShortAfterLayers: -1,
    };
    const labelsRead = this.options.forTaps !== true && (this.pruning === null || this.options.labels !== false);
    const ctx = new PacketContext(
      packet,
      this.state,
      tree,
      this.pruning,
      labelsRead,
      labelsRead || this.options.forTaps === true,
    );
    if (block !== undefined) dissectPcapngBlock(ctx, block, record.data, nodes, f);
    else this.dissectFrame(ctx, record, nodes);
    return packet;
  }

  private dissectFrame(ctx: PacketContext, record: PacketRecord, tree: ProtoNode[] | null): void {
    const packet = ctx.packet;
    ctx.enterProtocol('frame');
    const linkDissector = dissectorTables.linkType.get(record.linkType);
    let frameChildren: ProtoNode[] | null = null;
    let protocolsNode: ProtoNode | null = null;
    if (tree && record.comments?.length) {
      // As tshark 4.0: a "Packet comments" item before the Frame, each comment an item with its
      // Comment expert item (which the expert statistics count from the record itself).
      const comments = ctx.children(ctx.add(tree, f.comments, 0, 0, undefined));
      for (const comment of record.comments) {
        const item = ctx.add(comments, f.comment, 0, 0, comment, comment);
        ctx.addExpertItem(ctx.children(item), 'comment', 'comment', comment, f.commentTree);
      }
    }
    if (tree) {
      const wireLen = record.originalLength;
      const capLen = record.data.length;
      const iface = this.options.interfaces?.[record.interfaceId];
      const onInterface = iface?.name ? ` on interface ${iface.name}, id ${record.interfaceId}` : '';
      // A pruned tree (filters, -e) skips the labels of the fields it does not keep, and the
      // packet list's load pass and filters every label (see EngineOptions.labels).
      const frameNode = ctx.add(
        tree,
        f.frame,
        0,
        capLen,
        undefined,
        ctx.labelled(f.frame)
          ? `Frame ${packet.number}: ${wireLen} bytes on wire (${wireLen * 8} bits), ${capLen} bytes captured (${capLen * 8} bits)${onInterface}`
          : undefined,
      );
      const c = ctx.children(frameNode);
      frameChildren = c;
      if (this.options.format === 'pcapng') {
        const section = (iface?.section ?? 0) + 1;
        ctx.add(c, f.sectionNumber, 0, 0, section, `Section number: ${section}`);
      }
      if (iface?.name) {
        const idNode = ctx.add(
          c,
          f.interfaceId,
          0,
          0,
          record.interfaceId,
          `Interface id: ${record.interfaceId} (${iface.name})`,
        );
        ctx.add(ctx.children(idNode), f.interfaceName, 0, 0, iface.name);
        if (iface.description) ctx.add(ctx.children(idNode), f.interfaceDescription, 0, 0, iface.description);
      } else if (this.options.format === 'pcapng') {
        ctx.add(c, f.interfaceId, 0, 0, record.interfaceId, `Interface id: ${record.interfaceId} (unknown)`);
      }
      const [encap, encapName] = ENCAPSULATIONS[record.linkType] ?? [-1, `Unknown (LINKTYPE ${record.linkType})`];
      // Labels only where they are read: a whole tree for taps (statistics) reads none, and the
      // arrival time's was a tenth of a second per 100,000 packets of the statistics pass.
      if (ctx.keeps(f.encapType)) {
        const label = ctx.labelled(f.encapType) ? `Encapsulation type: ${encapName} (${encap})` : undefined;
        ctx.add(c, f.encapType, 0, 0, encap, label);
      }
      const epoch = record.tsSec + record.tsNsec / 1e9;
      if (ctx.keeps(f.time)) {
        const label = ctx.labelled(f.time)
          ? `Arrival Time: ${formatArrivalTime(record.tsSec, record.tsNsec)}`
          : undefined;
        ctx.add(c, f.time, 0, 0, epoch, label);
      }
      ctx.addGenerated(c, f.timeShift, 0, `Time shift for this packet: 0.000000000 seconds`);
      if (ctx.keeps(f.timeEpoch)) {
        const text = ctx.labelled(f.timeEpoch)
          ? `Epoch Time: ${record.tsSec}.${String(record.tsNsec).padStart(9, '0')} seconds`
          : undefined;
        ctx.add(c, f.timeEpoch, 0, 0, epoch, text);
      }
      const delta = this.deltaText;
      const relative = this.relativeText;
      if (delta === null) ctx.addGenerated(c, f.timeDelta, packet.timeDelta);
      else ctx.addGenerated(c, f.timeDelta, packet.timeDelta, `${f.timeDelta.name}: ${delta} seconds`);
      const displayedDelta = this.displayedDeltaText;
      if (displayedDelta === null) ctx.addGenerated(c, f.timeDeltaDisplayed, this.displayedDelta);
      else
        ctx.addGenerated(
          c,
          f.timeDeltaDisplayed,
          this.displayedDelta,
          `${f.timeDeltaDisplayed.name}: ${displayedDelta} seconds`,
        );
      if (relative === null) ctx.addGenerated(c, f.timeRelative, packet.timeRelative);
      else ctx.addGenerated(c, f.timeRelative, packet.timeRelative, `${f.timeRelative.name}: ${relative} seconds`);
      ctx.add(c, f.number, 0, 0, packet.number);
      ctx.add(c, f.len, 0, 0, wireLen);
      ctx.add(c, f.capLen, 0, 0, capLen);
      ctx.addGenerated(c, f.marked, false);
      ctx.addGenerated(c, f.ignored, false);
      protocolsNode = ctx.addGenerated(c, f.protocols, '');
    }
    if (this.options.frameOnly) return;
    if (!linkDissector) {
      ctx.enterProtocol('data', 'DATA');
      ctx.setInfo(`WTAP_ENCAP = ${record.linkType}`);
    } else {
      ctx.call(linkDissector.fn, record.data, 0, record.data.length, tree, linkDissector.name);
    }
    if (protocolsNode && ctx.keeps(f.protocols)) {
      const chain = packet.protocols.filter((p) => p !== 'frame' && !p.startsWith('_ws.')).join(':');
      protocolsNode.value = chain;
      protocolsNode.text = `Protocols in frame: ${chain}`;
    }
    void frameChildren;
  }
}

/** 2^22 s: from here on a double's step exceeds a nanosecond. */
const EXACT_FROM = 4194304;

/** "1340954905.298858000" from whole seconds and nanoseconds (either may be negative). */
function exactSeconds(sec: number, nsec: number): string {
  let ns = BigInt(sec) * 1_000_000_000n + BigInt(nsec);
  const sign = ns < 0n ? '-' : '';
  if (ns < 0n) ns = -ns;
  return `${sign}${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`;
}

/** Seconds from `sec`.`nsec` to the record's timestamp. */
function secondsSince(record: PacketRecord, sec: number, nsec: number): number {
  return record.tsSec - sec + (record.tsNsec - nsec) / 1e9;
}

/** The same, exactly, when a double cannot hold it to the nanosecond (else null: the value says it). */
function exactSecondsSince(record: PacketRecord, sec: number, nsec: number): string | null {
  return Math.abs(secondsSince(record, sec, nsec)) >= EXACT_FROM
    ? exactSeconds(record.tsSec - sec, record.tsNsec - nsec)
    : null;
}

/**
 * `packet` with its frame.time_delta_displayed measured from `previous`, the timestamp of the
 * packet shown before it under a display filter (null: none is, 0 s), as Wireshark's detail
 * shows it (the lab report's first SYN under `tcp.port == 8001`: "0.000000000 seconds"). The
 * packet is not changed (a kept tree is shared): the frame item is copied when the value differs.
 */
export function withDisplayedDelta(packet: DissectedPacket, previous: TimeStamp | null): DissectedPacket {
  const tree = packet.tree;
  if (!tree || packet.record.linkType === PCAPNG_BLOCK_LINK_TYPE) return packet;
  const { record } = packet;
  const seconds = previous ? secondsSince(record, previous.sec, previous.nsec) : 0;
  const exact = previous ? exactSecondsSince(record, previous.sec, previous.nsec) : null;
  const text = exact === null ? undefined : `${f.timeDeltaDisplayed.name}: ${exact} seconds`;
  // The item is under the Frame item, or at the top of a tree pruned to a filter's fields.
  const replaced = (items: ProtoNode[]): ProtoNode[] | null => {
    const at = items.findIndex((node) => node.field === f.timeDeltaDisplayed);
    if (at < 0) return null;
    const old = items[at];
    if (old.value === seconds && old.text === text) return items;
    const copy = items.slice();
    copy[at] = treeNode(f.timeDeltaDisplayed, seconds, 0, 0, old.source, text, true);
    return copy;
  };
  const top = replaced(tree);
  if (top) return top === tree ? packet : { ...packet, tree: top };
  const at = tree.findIndex((node) => node.field === f.frame);
  const frame = at >= 0 ? tree[at] : undefined;
  const children = frame?.children && replaced(frame.children);
  if (!frame || !children || children === frame.children) return packet;
  const copy = tree.slice();
  copy[at] = { ...frame, children };
  return { ...packet, tree: copy };
}

// "Frame (74 bytes)": a few lengths repeat all through a capture. Sized up front: an array
// written at scattered indexes would fall back to a slow dictionary.
const frameSourceNames = new Array<string | undefined>(65536);

function frameSourceName(length: number): string {
  if (length >= 65536) return `Frame (${length} bytes)`;
  return (frameSourceNames[length] ??= `Frame (${length} bytes)`);
}
