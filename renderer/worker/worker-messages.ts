/** Messages between the UI thread and the dissection worker. */
import type { ScenarioResult } from '../../core/analysis/lab/scenarios';
import type { RecordBatch } from '../../bridge/lab-api';
import type { FlowGraph } from '../../core/analysis/lab/flow-graph';
import type { HostFacts, LabAnalysis } from '../../core/analysis/lab/types';
import type { LabExplanation, LabLang } from '../../core/analysis/lab/explain';
import type { HttpMessage, StreamChunk, StreamEndpoints } from '../../core/analysis/lab/stream';
import type { LabReport, ReportProfile, ReportScreenshot } from '../../core/report';
import type { FieldType } from '../../core/dissect/fields';
import type { TimeFormat } from '../../core/dissect/time-format';
import type { StatisticsResult, StatisticsScope } from './statistics-types';
import type { IoGraphResult } from './io-graph';
import type { FileLoadResult } from './file-reader';

export type SortColumn = 'number' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';
export interface SortSpec {
  column: SortColumn;
  descending: boolean;
}

/** One packet-list row, ready to paint. */
export interface RowData {
  /** Position in the displayed list (from 0). */
  position: number;
  /** Index of the packet in the source (from 0); frame number = index + 1. */
  index: number;
  number: number;
  time: number;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  /** Colours of the coloring rule that matched, if any. */
  background?: string;
  foreground?: string;
  /** Name of that rule (shown as a tooltip, as Wireshark's status bar does). */
  rule?: string;
  /** The Time column in the chosen Time Display Format (`*REF*` for a time reference). */
  timeText?: string;
  marked?: boolean;
  ref?: boolean;
  /** Values of the custom columns (ViewOptions.columns), in their order. */
  custom?: string[];
}

/** A detail-tree item as the UI shows it (hidden nodes removed, labels formatted). */
export interface TreeItem {
  /** Pre-order number within the packet's tree, from 0. */
  id: number;
  label: string;
  /** Field abbreviation (`tcp.seq`), for the status bar. */
  field?: string;
  start: number;
  length: number;
  /** Index into the packet's data sources. */
  source: number;
  generated: boolean;
  children?: TreeItem[];
  /** The field's display name (`Source Port`), type, and bitmask (packet diagram). */
  name?: string;
  type?: FieldType;
  bitmask?: number;
  bitWidth?: number;
  /** The value as `tshark -T fields -e` prints it. */
  value?: string;
  /** Apply as Filter's text (Wireshark's), or absent when the item cannot be filtered on. */
  filter?: string;
  /** A frame this item refers to (`[Response in frame: 12]`): double-click jumps there. */
  frameRef?: number;
}

export interface PacketDetail {
  index: number;
  number: number;
  tree: TreeItem[];
  sources: { name: string; data: Uint8Array }[];
}

export interface TableProgress {
  generation: number;
  /** Packets received from the host. */
  received: number;
  /** Packets dissected so far. */
  dissected: number;
  /** Rows in the displayed list. */
  displayed: number;
  /** While a filter is being applied to packets already dissected. */
  filtering?: { done: number; total: number };
  /** Bumped whenever rows already shown may have changed (filter, sort, reset). */
  viewVersion: number;
}

export type FilterOutcome =
  { ok: true; displayed: number } | { ok: false; message: string; start: number; end: number };

export type WorkerRequest =
  | { type: 'reset'; generation: number }
  | { type: 'append'; generation: number; firstIndex: number; batch: RecordBatch }
  | { type: 'rows'; id: number; from: number; count: number }
  | { type: 'detail'; id: number; index: number }
  | { type: 'filter'; id: number; text: string }
  | { type: 'check'; id: number; text: string }
  | { type: 'sort'; id: number; sort: SortSpec | null }
  | { type: 'find'; id: number; number: number }
  | { type: 'displayedIndices'; id: number }
  | { type: 'export'; id: number; options?: ExportTextOptions }
  | { type: 'lab'; id: number; options: LabRequestOptions }
  | { type: 'follow'; id: number; index: number }
  | { type: 'report'; id: number; options: ReportRequestOptions }
  | { type: 'view'; id: number; options: ViewOptions }
  | { type: 'search'; id: number; query: SearchQuery }
  | { type: 'statistics'; id: number; scope: StatisticsScope }
  | { type: 'ioGraph'; id: number; interval: number; filter: string }
  /**
   * Reads a capture file (a File the user opened) into the table of `generation` (the source the
   * host started for it): replies with the packets read and the damage found, if any.
   */
  | { type: 'loadFile'; id: number; file: Blob; name: string; generation: number; key?: string }
  /** Starts reading the file's first part before the host has answered (loadFile with the same key uses it). */
  | { type: 'prefetchFile'; file: Blob; key: string };

export type WorkerReply =
  /**
   * `tail`: the list's last rows when it grew, so a list that follows its end (a live capture)
   * draws them at once instead of asking for them after each update (a second round trip and render).
   */
  | { type: 'progress'; progress: TableProgress; tail?: RowData[] }
  | { type: 'reply'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string }
  /** A long request's progress (the statistics pass): packets done of total. */
  | { type: 'jobProgress'; id: number; done: number; total: number }
  /** The lab worker's answers (replies and errors) come through this port (lab-link.ts). */
  | { type: 'labReplies'; port: MessagePort }
  /** A part of lab ask `id`'s result, before its reply (splitLabResult: the reply is the head). */
  | { type: 'labPart'; id: number; part: LabResultPart };

/** The text a failed request's reply carries. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The reply to request `id` that failed with `error`. */
export function errorReply(id: number, error: unknown): WorkerReply {
  return { type: 'error', id, message: errorMessage(error) };
}

export interface WorkerReplies {
  rows: RowData[];
  detail: PacketDetail | null;
  filter: FilterOutcome;
  check: FilterOutcome;
  sort: number;
  /** Position of the packet in the displayed list, or -1. */
  find: number;
  displayedIndices: number[];
  export: string;
  lab: LabResult;
  follow: FollowResult | null;
  report: LabReport;
  view: number;
  search: SearchResult | null;
  statistics: StatisticsResult;
  ioGraph: IoGraphResult;
  loadFile: FileLoadResult;
}

/** How rows are shown: Time Display Format, time references, marks, custom columns. */
export interface ViewOptions {
  timeFormat: TimeFormat;
  /** Packet indices (from 0) set as time references. */
  refs: number[];
  /** Marked packet indices (from 0). */
  marked: number[];
  /** Custom columns: field abbreviations. */
  columns: string[];
}

/** Edit → Find Packet. */
export interface SearchQuery {
  kind: 'filter' | 'string' | 'hex';
  text: string;
  /** For strings: where to look (Wireshark's Packet list / Packet details / Packet bytes). */
  where: 'list' | 'details' | 'bytes';
  caseSensitive: boolean;
  /** Search starts after this position (or before it, backwards); -1 = from the start. */
  from: number;
  backward: boolean;
}

export interface SearchResult {
  position: number;
  index: number;
  /** For details: the matching tree item; for bytes/hex: the matching bytes in the frame. */
  item?: number;
  bytes?: { start: number; length: number };
}

/** Which packets "Export Packet Dissections" writes, and whether the hex dump follows each tree. */
export interface ExportTextOptions {
  scope: 'all' | 'displayed' | 'selected';
  /** For 'selected': packet indices (from 0). */
  indices?: number[];
  /** Include the packet bytes (hex dump); default true. */
  bytes?: boolean;
}

/** Lab captures are small; the guide analyses at most this many packets (and says so beyond). */
export const LAB_PACKET_LIMIT = 20_000;

/**
 * What a lab result carries, by the views that read it. The flow graph reads its arrows, the
 * time–sequence graph each connection's points (about 40 % of a 20,000-packet result); the guide
 * reads neither. The guide draws GUIDE_CONNECTIONS connection cards until the student asks for
 * all of them (`allConnections`), and the time–sequence graph chooses among all connections.
 */
export interface LabViews {
  flowGraph: boolean;
  timeSequence: boolean;
  /** The guide's "Show all": every connection carried, and each described in the explanation. */
  allConnections: boolean;
}

export const ALL_LAB_VIEWS: LabViews = { flowGraph: true, timeSequence: true, allConnections: true };

/**
 * Connection cards the guide draws before "Show all" (the page's first): a lab has a handful, a
 * reloaded page or a load test thousands, and a card for each made every update of the guide a
 * long task on the UI thread. A result carries only those connections unless a view reads all.
 */
export const GUIDE_CONNECTIONS = 20;

export interface LabRequestOptions {
  serverPort?: number;
  host?: HostFacts;
  /** What to carry (default: everything, ALL_LAB_VIEWS). */
  views?: LabViews;
}

/**
 * The lab analysis as a result carries it to the UI: its connections are the guide's first
 * GUIDE_CONNECTIONS (the page's, then in stream order) unless the views read all of them, and
 * the transactions are each connection's own (the analysis's flat list of them is the report's).
 * At 20,000 packets of a load test, all 1,429 connections and the flat list were 9.4 MB, which
 * the UI thread took in (structured clone, 60–80 ms tasks) at every re-run of a live guide.
 */
export type LabAnalysisCarried = Omit<LabAnalysis, 'transactions'>;

export interface LabResult {
  analysis: LabAnalysisCarried;
  /** Connections in the analysis, carried or not (the guide's "first 20 of N"). */
  connectionCount: number;
  /**
   * explainLab of the whole analysis in each language, describing the connections the guide
   * draws (all of them with views.allConnections): made where every connection is at hand.
   */
  explanation: Record<LabLang, LabExplanation>;
  graph: FlowGraph;
  /** Packets analysed (≤ LAB_PACKET_LIMIT) and packets in the source when it was run. */
  analysed: number;
  total: number;
  truncated: boolean;
  /** The lab scenario the capture shows: its checklist, explanation and questions. */
  scenario?: ScenarioResult;
  /** What it carries: without flowGraph its arrows, without timeSequence its connections' points are empty. */
  views: LabViews;
}

/** A lab result's long lists, sent in parts (splitLabResult in lab-parts.ts). */
export type LabResultPart =
  { list: 'connections'; items: LabAnalysis['connections'] } | { list: 'arrows'; items: FlowGraph['arrows'] };

/** Follow TCP/HTTP Stream for the stream of one packet. */
export interface FollowResult {
  stream: number;
  endpoints: StreamEndpoints;
  chunks: StreamChunk[];
  messages: HttpMessage[];
}

export interface ReportRequestOptions extends LabRequestOptions {
  lang: 'zh-CN' | 'en';
  profile?: ReportProfile;
  screenshots?: ReportScreenshot[];
  flowGraphFile?: string;
}
