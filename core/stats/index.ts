/**
 * Statistics over a capture, computed while it is read (one pass, as tshark's taps): the
 * `-z` arguments tshark knows for them, parsed into specs, and one collector per spec.
 * Results are plain data for the UI; format-tshark.ts prints them as tshark does.
 */
import type { DissectedPacket, ExpertSeverity } from '../dissect/context';
import {
  CONVERSATION_TYPES,
  ConversationTable,
  EndpointTable,
  PacketEnds,
  type ConversationType,
} from './conversations';
import { ExpertSummary, EXPERT_SEVERITIES } from './expert-summary';
import { FollowTcpStream } from './follow-stream';
import {
  formatConversations,
  formatEndpoints,
  formatExpertSummary,
  formatFollow,
  formatProtocolHierarchy,
  type FollowMode,
} from './format-tshark';
import { LAYER_FIELDS, hierarchyFields, packetLayers, type Layer } from './layers';
import { ProtocolHierarchy } from './protocol-hierarchy';
import { IoStat, ioStatPieces, parseInterval } from './io-stat';

export * from './conversations';
export * from './expert-summary';
export * from './follow-stream';
export * from './protocol-hierarchy';
export * from './format-tshark';
export * from './io-stat';
export { LAYER_FIELDS } from './layers';

export type StatSpec =
  | { kind: 'conv'; type: ConversationType; filter: string | null }
  | { kind: 'endpoints'; type: ConversationType; filter: string | null }
  | { kind: 'phs'; filter: string | null }
  | { kind: 'expert'; filter: string | null; lowest: ExpertSeverity }
  | { kind: 'follow'; mode: FollowMode; stream: number }
  | { kind: 'iostat'; intervalUs: number; decimals: number };

/** The `-z` statistics of this module, for usage texts. */
export const STAT_SYNTAX = [
  'conv,eth|ip|ipv6|tcp|udp[,filter]',
  'endpoints,eth|ip|ipv6|tcp|udp[,filter]',
  'io,phs[,filter]',
  'expert[,error|warn|note|chat|comment][,filter]',
  'follow,tcp,ascii|hex|raw,N',
  'io,stat,INTERVAL',
] as const;

/** Parses one `-z` argument; null when it is not one of these statistics. Throws Error with a message for bad arguments. */
export function parseStatSpec(text: string): StatSpec | null {
  const restAfter = (prefix: string): string | null | undefined => {
    if (text === prefix) return null;
    if (text.startsWith(prefix + ',')) return text.slice(prefix.length + 1);
    return undefined;
  };
  for (const kind of ['conv', 'endpoints'] as const) {
    for (const type of CONVERSATION_TYPES) {
      const filter = restAfter(`${kind},${type}`);
      if (filter !== undefined) return { kind, type, filter };
    }
  }
  const phs = restAfter('io,phs');
  if (phs !== undefined) return { kind: 'phs', filter: phs };
  if (text === 'expert' || text.startsWith('expert,')) {
    let args = text.slice('expert'.length);
    let lowest: ExpertSeverity = 'comment';
    const levels: [string, ExpertSeverity][] = [
      [',error', 'error'],
      [',warn', 'warning'],
      [',note', 'note'],
      [',chat', 'chat'],
      [',comment', 'comment'],
    ];
    for (const [word, severity] of levels) {
      if (args.toLowerCase().startsWith(word)) {
        lowest = severity;
        args = args.slice(word.length);
        break;
      }
    }
    return { kind: 'expert', filter: args.startsWith(',') ? args.slice(1) : null, lowest };
  }
  const iostat = /^io,stat,([^,]*)(,.*)?$/.exec(text);
  if (iostat) {
    const interval = parseInterval(iostat[1]);
    if (interval === null) throw new Error(`io,stat - invalid interval "${iostat[1]}"`);
    if (iostat[2] !== undefined)
      throw new Error('io,stat - wirelab counts frames and bytes only (no column filters yet)');
    return { kind: 'iostat', intervalUs: interval.us, decimals: interval.decimals };
  }
  const follow = /^follow,tcp,([^,]*)(?:,(.*))?$/.exec(text);
  if (follow) {
    const mode = follow[1];
    if (mode !== 'ascii' && mode !== 'hex' && mode !== 'raw') throw new Error('follow - Invalid display mode.');
    if (follow[2] === undefined || !/^\d+$/.test(follow[2])) {
      throw new Error('follow - Invalid stream: wirelab follows a TCP stream by its index (tcp.stream)');
    }
    return { kind: 'follow', mode, stream: Number(follow[2]) };
  }
  return null;
}

/** What the dissection must build for a set of statistics. */
export function statsTreeNeeds(specs: readonly StatSpec[]): { tree: 'none' | 'pruned'; fields: string[] } {
  if (specs.length === 0) return { tree: 'none', fields: [] };
  // The protocols' own items, '_ws.expert' among them, raise every expert item as a whole tree
  // does (as the window's Expert Information pass, statistics.ts): a whole tree also made each
  // body's text (http.file_data), a fifth of -z expert's time over the lab repeat.
  if (specs.some((s) => s.kind === 'expert' || s.kind === 'phs'))
    return { tree: 'pruned', fields: [...LAYER_FIELDS, ...hierarchyFields()] };
  return { tree: 'pruned', fields: [...LAYER_FIELDS] };
}

/** A packet predicate for a statistic's own filter (tshark's tap filter). */
export type StatFilter = (packet: DissectedPacket) => boolean;

/** A packet as every statistic of a run reads it: its layers and ends are found once for all. */
interface CountedPacket {
  packet: DissectedPacket;
  layers: readonly Layer[];
  ends: PacketEnds;
}

interface Collector {
  add(counted: CountedPacket): void;
  /** The statistic as tshark prints it, in one piece or more (see ioStatPieces). */
  pieces(): Iterable<string>;
}

export interface StatsRunOptions {
  /** The expert summary also counts items Wireshark raises only with a detail tree (see ExpertSummary). */
  withTreeOnlyExpertItems?: boolean;
}

function collector(spec: StatSpec, options: StatsRunOptions): Collector {
  switch (spec.kind) {
    case 'conv': {
      const table = new ConversationTable(spec.type);
      return {
        add: (c) => table.add(c.packet, c.ends.of(spec.type, c.layers)),
        pieces: () => [formatConversations(spec.type, table.result(), spec.filter)],
      };
    }
    case 'endpoints': {
      const table = new EndpointTable(spec.type);
      return {
        add: (c) => table.add(c.packet, c.ends.of(spec.type, c.layers)),
        pieces: () => [formatEndpoints(spec.type, table.result(), spec.filter)],
      };
    }
    case 'phs': {
      const phs = new ProtocolHierarchy();
      return {
        add: (c) => phs.add(c.packet, c.layers),
        pieces: () => [formatProtocolHierarchy(phs.result(), spec.filter)],
      };
    }
    case 'expert': {
      const summary = new ExpertSummary({ withTreeOnlyItems: options.withTreeOnlyExpertItems });
      const shown = EXPERT_SEVERITIES.slice(0, EXPERT_SEVERITIES.indexOf(spec.lowest) + 1);
      return {
        add: (c) => summary.add(c.packet),
        pieces: () => [formatExpertSummary(summary.result().filter((r) => shown.includes(r.severity)))],
      };
    }
    case 'iostat': {
      const io = new IoStat(spec.intervalUs, spec.decimals);
      return { add: (c) => io.add(c.packet), pieces: () => ioStatPieces(io.result()) };
    }
    case 'follow': {
      const follow = new FollowTcpStream(spec.stream);
      return {
        add: (c) => follow.add(c.packet, c.layers),
        pieces: () => [formatFollow(follow.result(), spec.mode)],
      };
    }
  }
}

/** The statistics of one run: feed every packet read, then print. */
export class StatsRun {
  private readonly collectors: { collector: Collector; filter: StatFilter | null }[];
  private readonly ends = new PacketEnds();

  constructor(
    readonly specs: readonly StatSpec[],
    /** Compiles a statistic's filter (tshark: the tap's filter). */
    filterFor: (text: string) => StatFilter | null = () => null,
    options: StatsRunOptions = {},
  ) {
    this.collectors = specs.map((spec) => ({
      collector: collector(spec, options),
      filter: 'filter' in spec && spec.filter !== null && spec.filter !== '' ? filterFor(spec.filter) : null,
    }));
  }

  /** Every packet read, whatever the display filter (tshark's taps see them all). */
  add(packet: DissectedPacket): void {
    const counted: CountedPacket = { packet, layers: packetLayers(packet), ends: this.ends };
    for (const { collector: c, filter } of this.collectors) {
      if (filter === null || filter(packet)) c.add(counted);
    }
  }

  /** The statistics as tshark prints them after the packets: the last given first. */
  text(): string {
    return [...this.pieces()].join('');
  }

  /** text() in pieces, for a writer to take one at a time (an I/O table can be gigabytes). */
  *pieces(): Generator<string> {
    for (let i = this.collectors.length - 1; i >= 0; i--) yield* this.collectors[i].collector.pieces();
  }
}
