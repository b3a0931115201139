/** What the worker's statistics pass sends to the UI (plain data: structured-clone friendly). */
import type { ConversationRow, ConversationType, EndpointRow } from '../../core/stats/conversations';
import type { ExpertSummaryRow } from '../../core/stats/expert-summary';
import type { ProtocolHierarchyNode } from '../../core/stats/protocol-hierarchy';

export interface ConversationEntry extends ConversationRow {
  /** The addresses as a display filter takes them (Ethernet: the MAC, not the vendor name). */
  filterAddressA: string;
  filterAddressB: string;
  /** First frame of the TCP stream (Follow Stream selects it), else null. */
  firstFrame: number | null;
}

export interface EndpointEntry extends EndpointRow {
  filterAddress: string;
}

export interface ExpertEntry extends ExpertSummaryRow {
  /** Frame numbers of each occurrence, in capture order (count = frames.length). */
  frames: number[];
}

export interface HttpObjectEntry {
  frame: number;
  hostname: string;
  contentType: string;
  /** Name from the request URI (null: none was seen). */
  filename: string | null;
  /** The name tshark's --export-objects gives the file (massaged, duplicates numbered). */
  saveName: string;
  size: number;
  data: Uint8Array;
}

export interface CaptureProperties {
  packets: number;
  /** Sum of the packets' original lengths. */
  bytes: number;
  /** Seconds since the epoch of the first and last packet (null without packets). */
  first: number | null;
  last: number | null;
  /** Seconds from the first packet to the last (exact to the nanosecond, unlike last - first). */
  duration: number;
  /** LINKTYPE_ values of the packets. */
  linkTypes: number[];
}

/**
 * What a statistics pass computes, each scope more than the one before (STATISTICS_SCOPES):
 * 'tables': Conversations, Endpoints and Capture File Properties, from trees pruned to the
 * packets' addresses and ports (two fifths of the whole pass's time on the 1M bench capture);
 * 'protocols': those, Protocol Hierarchy and Expert Information, from trees pruned to the
 * protocols' own items and the expert items (three fifths); 'all': Export Objects too (the HTTP
 * bodies), from whole trees.
 */
export const STATISTICS_SCOPES = ['tables', 'protocols', 'all'] as const;
export type StatisticsScope = (typeof STATISTICS_SCOPES)[number];

/** Whether a result (or pass) of scope `has` answers a request for `wanted`. */
export function scopeAnswers(has: StatisticsScope, wanted: StatisticsScope): boolean {
  return STATISTICS_SCOPES.indexOf(has) >= STATISTICS_SCOPES.indexOf(wanted);
}

/** The scope that answers both `a` and `b`. */
export function widerScope(a: StatisticsScope, b: StatisticsScope): StatisticsScope {
  return scopeAnswers(a, b) ? a : b;
}

export interface StatisticsResult {
  generation: number;
  /** 'tables': hierarchy, protocolNames, expert and httpObjects are left empty; 'protocols': httpObjects. */
  scope: StatisticsScope;
  /** Packets the pass saw. */
  packets: number;
  properties: CaptureProperties;
  conversations: Record<ConversationType, ConversationEntry[]>;
  endpoints: Record<ConversationType, EndpointEntry[]>;
  hierarchy: ProtocolHierarchyNode[];
  /** Display names of the hierarchy's protocols ("Transmission Control Protocol"), by filter name. */
  protocolNames: Record<string, string>;
  expert: ExpertEntry[];
  httpObjects: HttpObjectEntry[];
}
