/**
 * The shape of the UI store, slice by slice (see README.md). Each slice's state and actions are
 * declared here and implemented in the file of the same name; `AppState & AppActions` is what
 * components read with `useApp` and what every slice's `get()` returns. The interfaces live in
 * this one file so that the slices can call each other's actions without importing each other.
 */
import type { StateCreator } from 'zustand/vanilla';
import type { LabScenario } from '../../core/analysis/lab/scenarios/names';
import type { TimeFormat } from '../../core/dissect/time-format';
import type { FilterCombine } from '../../core/filter/match-selected';
import type { LabReport } from '../../core/report';
import type {
  CaptureFilterCheck,
  CaptureOptions,
  InterfaceSummary,
  LabStatus,
  Profile,
  ProfileUpdate,
} from '../../bridge/lab-api';
import type { LabClient } from '../api/types';
import type { Language } from '../i18n';
import type { HostCopy, UploadFile } from '../lib/upload';
import type { DissectionClient } from '../worker/worker-client';
import type { IoGraphResult } from '../worker/io-graph';
import type {
  FilterOutcome,
  FollowResult,
  LabRequestOptions,
  LabResult,
  LabViews,
  PacketDetail,
  RowData,
  SearchQuery,
  SortSpec,
  TableProgress,
} from '../worker/worker-messages';
import type { StatisticsResult, StatisticsScope } from '../worker/statistics-types';
import type { CustomColumn, Layout, PreferenceStore } from './preferences';
import type { PacketFeed } from './feed';
import type { LabFacts } from './lab-facts';

export type { CustomColumn, Layout } from './preferences';

// ---- notices.ts: messages to the user, and the one error path ----

export interface Notice {
  id: number;
  /** info goes away by itself; warning and error stay until dismissed. */
  level: 'info' | 'warning' | 'error';
  message: string;
  remedy?: string;
}

export interface NoticesState {
  notices: Notice[];
}

export interface NoticesActions {
  notify(level: Notice['level'], message: string, remedy?: string): void;
  /** Shows an error notice: an Error's message, a host error's message and remedy, or the value as text. */
  reportError(error: unknown): void;
  dismiss(id: number): void;
}

// ---- appearance.ts: language, theme, pane sizes (saved in preferences) ----

export type Theme = 'light' | 'dark';

export interface AppearanceState {
  language: Language;
  theme: Theme;
  layout: Layout;
}

export interface AppearanceActions {
  setLanguage(language: Language): void;
  setTheme(theme: Theme): void;
  /** Remembers the pane sizes (after a splitter drag). */
  setLayout(layout: Layout): void;
}

// ---- host.ts: the connection to the host, its status, the lab run, opening captures, the profile ----

/** Where a capture to open comes from: a file chosen in the page (sent in parts), or a path on the host. */
export type CaptureSource = { file: UploadFile } | { path: string; name: string };

export interface HostState {
  connected: boolean;
  status: LabStatus | null;
  profile: Profile | null;
  /** A long host call under way ('open'), for the toolbar's busy state. */
  busy: string | null;
  /** The profile form (major, student ID, name, logo): opened by itself on a first run, later by Profile. */
  profileFormOpen: boolean;
}

export interface HostActions {
  /** Reads the host's status and profile and starts listening to the host and the worker. */
  init(): Promise<void>;
  /** The host's status changed (an event, or the answer of a call that changes it). */
  receiveStatus(status: LabStatus): void;
  /** Starts the lab (with `scenario`, switches the server to it: a fresh capture, then the page). */
  startLab(options?: { scenario?: LabScenario }): Promise<void>;
  stopLab(): Promise<void>;
  /** Opens a capture: a file chosen in the page (sent to the host in parts) or a path on the host (Electron's File → Open). */
  openCapture(source: CaptureSource): Promise<void>;
  updateProfile(update: ProfileUpdate, logo?: Uint8Array): Promise<void>;
  setProfileFormOpen(open: boolean): void;
  /** The logo the profile page serves now (for the form's preview). */
  currentLogo(): Promise<{ mimeType: string; bytes: Uint8Array }>;
}

// ---- view.ts: the packet list (counts, a cache of visible rows, sort) and the display filter ----

export type FilterState =
  | { kind: 'empty' }
  | { kind: 'checking' }
  | { kind: 'valid' }
  | { kind: 'invalid'; message: string; start: number; end: number };

export interface ViewState {
  progress: TableProgress;
  rows: Map<number, RowData>;
  sort: SortSpec | null;
  filterDraft: string;
  filterApplied: string;
  filterState: FilterState;
  /** Applied filters, newest first (saved in preferences). */
  filterHistory: string[];
}

export interface ViewActions {
  /** The worker's table changed (new packets, another filter or sort, a new source). */
  /** The list's progress, and its last rows when the worker sent them (they join the row cache). */
  receiveProgress(progress: TableProgress, tail?: readonly RowData[]): void;
  setFilterDraft(text: string): void;
  applyFilter(text?: string): Promise<FilterOutcome>;
  setSort(column: SortSpec['column']): Promise<void>;
  ensureRows(from: number, to: number): void;
}

// ---- selection.ts: the selected packet, tree item and bytes ----

export interface SelectionState {
  selectedPosition: number | null;
  selectedIndex: number | null;
  detail: PacketDetail | null;
  selectedItem: number | null;
  expanded: Set<string>;
  /** Which data source tab the bytes pane shows. */
  bytesSource: number;
  /** Bumped to ask the packet list to scroll the selection into view. */
  scrollRequest: number;
}

/** What Go to packet does when the display filter hides the packet. */
export type WhenHidden = 'show-all' | 'report';

export interface SelectionActions {
  selectPosition(position: number | null): Promise<void>;
  /**
   * Selects packet (frame) `number`. When the display filter hides it: 'show-all' (the default,
   * for links to a frame) clears the filter first; 'report' (Go to Packet, Ctrl+G) says it is
   * not displayed. Resolves false when it was not selected (and says why).
   */
  goToPacket(number: number, whenHidden?: WhenHidden): Promise<boolean>;
  selectItem(id: number | null): void;
  /** Selects tree item `id` with its ancestors expanded, so the tree shows it (find, diagram, answers). */
  revealItem(id: number): void;
  toggleItem(id: number): void;
  setExpanded(key: string, open: boolean): void;
  expandAll(): void;
  collapseAll(): void;
  selectByte(source: number, offset: number): void;
  setBytesSource(source: number): void;
}

// ---- lab.ts: the side panel (lab guide, flow graph, time–sequence) and the lab analysis ----

export type SideTab = 'guide' | 'flow' | 'tcptrace';

export interface LabPanelState {
  /** The side panel and its tab. */
  sidePanelOpen: boolean;
  sideTab: SideTab;
  /** The latest lab analysis of the current source (null before the first one). */
  lab: LabResult | null;
  /** The guide draws every connection of the current source ("Show all"), not the first GUIDE_CONNECTIONS. */
  guideShowsAll: boolean;
}

export interface LabPanelActions {
  setSidePanelOpen(open: boolean, tab?: SideTab): void;
  setSideTab(tab: SideTab): void;
  /** The guide's "Show all" connections: asks for a result that carries and describes them all. */
  showAllConnections(): void;
  /** What `tab` (default: the shown one) reads of a lab result, with the guide's "Show all" or not. */
  labViews(tab?: SideTab): LabViews;
  /**
   * Re-runs the lab analysis now (it also runs, debounced, as packets arrive while the panel is
   * open), with the lists the shown tab reads and, with `views`, those too (an export's).
   */
  refreshLab(views?: LabViews): Promise<LabResult | null>;
  /** The lab result, with the lists `views` read: the current one when it has them, else a new run. */
  labWithViews(views: LabViews): Promise<LabResult | null>;
  /** What the host knows about the lab run of the current source (for analyzeLab). */
  labOptions(): LabRequestOptions;
}

// ---- dialogs.ts: Follow Stream and the Statistics / Export Objects dialogs ----

/** The Statistics dialogs and File › Export Objects › HTTP. */
export type StatsDialogKind =
  'properties' | 'hierarchy' | 'conversations' | 'endpoints' | 'expert' | 'io' | 'http-objects';

export interface DialogsState {
  /** The Follow Stream dialog. */
  follow: { kind: 'tcp' | 'http' } | null;
  /** The open Statistics / Export Objects dialog. */
  statsDialog: StatsDialogKind | null;
}

export interface DialogsActions {
  openFollow(kind: 'tcp' | 'http'): void;
  closeFollow(): void;
  followStream(index: number): Promise<FollowResult | null>;
  openStats(kind: StatsDialogKind): void;
  closeStats(): void;
  /** The statistics pass over the current source in the worker (null after an error, which is shown). */
  statistics(
    scope: StatisticsScope,
    onProgress?: (done: number, total: number) => void,
  ): Promise<StatisticsResult | null>;
  /** The I/O graph's counts from the worker; rejects with the filter's message when it is wrong. */
  ioGraph(interval: number, filter: string, onProgress?: (done: number, total: number) => void): Promise<IoGraphResult>;
}

// ---- report.ts: exports (capture, dissections), screenshots and the lab report ----

export type ExportScope = 'all' | 'displayed' | 'selected' | 'marked';

/** A screenshot taken in this session (kept for the lab report). */
export interface Screenshot {
  /** File name, e.g. "wirelab-packet-list-1.png". */
  name: string;
  caption: string;
  bytes: Uint8Array;
}

export interface ReportState {
  screenshots: Screenshot[];
}

export interface ReportActions {
  exportCapture(scope: ExportScope): Promise<{ name: string; bytes: Uint8Array; packets: number } | null>;
  exportDissections(scope: ExportScope, bytes?: boolean): Promise<{ name: string; text: string } | null>;
  addScreenshot(shot: Screenshot): void;
  buildReport(): Promise<{ base: string; report: LabReport; screenshots: Screenshot[] } | null>;
  /** Base of exported file names: the source's name without extension, or "wirelab". */
  fileBase(): string;
}

// ---- tools.ts: Wireshark's tools (diagram, time format and references, marks, columns, history, find) ----

export interface FindState {
  kind: SearchQuery['kind'];
  where: SearchQuery['where'];
  caseSensitive: boolean;
  text: string;
}

export interface ToolsState {
  diagramOpen: boolean;
  timeFormat: TimeFormat;
  /** Packet indices set as time references. */
  timeRefs: Set<number>;
  /** Marked packet indices. */
  marked: Set<number>;
  customColumns: CustomColumn[];
  /** Frame numbers selected, for Back / Forward, and where we are in it. */
  history: number[];
  historyAt: number;
  /** Edit → Find Packet bar (null when closed). */
  find: FindState | null;
}

export interface ToolsActions {
  setDiagramOpen(open: boolean): void;
  setTimeFormat(format: TimeFormat): void;
  /** Set / Unset Time Reference on the selected packet (Ctrl+T). */
  toggleTimeReference(): void;
  /** Mark / Unmark the selected packet (Ctrl+M). */
  toggleMark(): void;
  unmarkAll(): void;
  addColumn(field: string, title: string): void;
  removeColumn(index: number): void;
  moveColumn(index: number, delta: number): void;
  resizeColumn(index: number, width: number): void;
  /** Apply as Filter (apply = true) or Prepare as Filter with one of Wireshark's variants. */
  useAsFilter(filter: string, how: FilterCombine, apply: boolean): Promise<void>;
  goBack(): Promise<void>;
  goForward(): Promise<void>;
  openFind(): void;
  closeFind(): void;
  setFind(patch: Partial<FindState>): void;
  /** Finds the next (or previous) matching packet and selects it (and the matching item or bytes). */
  findNext(backward?: boolean): Promise<boolean>;
  /** Indices of marked packets, in capture order. */
  markedIndices(): number[];
}

// ---- capture-options.ts: Capture → Options ----

export interface CaptureOptionsState {
  /** The Capture Options dialog (toolbar "Capture Options…", Electron's Capture → Options…). */
  captureOptionsOpen: boolean;
}

export interface CaptureOptionsActions {
  setCaptureOptionsOpen(open: boolean): void;
  listInterfaces(): Promise<InterfaceSummary[]>;
  checkCaptureFilter(filter: string, device: string): Promise<CaptureFilterCheck>;
  /** Starts the capture; resolves with the host's status (its capture.error says why it did not start), null when the call failed. */
  startCapture(options: CaptureOptions): Promise<LabStatus | null>;
}

// ---- the whole store ----

export interface AppState
  extends
    NoticesState,
    AppearanceState,
    HostState,
    ViewState,
    SelectionState,
    LabPanelState,
    DialogsState,
    ReportState,
    ToolsState,
    CaptureOptionsState {}

export interface AppActions
  extends
    NoticesActions,
    AppearanceActions,
    HostActions,
    ViewActions,
    SelectionActions,
    LabPanelActions,
    DialogsActions,
    ReportActions,
    ToolsActions,
    CaptureOptionsActions {}

export type StoreState = AppState & AppActions;

/** What a slice gets besides zustand's set / get: the host, the worker, messages, saved preferences. */
export interface SliceContext {
  api: LabClient;
  worker: DissectionClient;
  /** Text for messages (i18n t function); identity in tests. */
  t: (key: string, values?: Record<string, unknown>) => string;
  preferences: PreferenceStore;
  /** Opens the profile page after Start Lab (browser shell). */
  openPage?: () => { navigate(url: string): void; close(): void } | null;
  /** Fetches live packets for the worker (host slice feeds it, the view reports its errors). */
  feed: PacketFeed;
  /** Host facts for the lab analysis ("was the server up"), noted by the host slice, read by the lab slice. */
  facts: LabFacts;
  /** When the host gets its copy of a file the worker reads (sent after the list; Save asks for it at once). */
  hostCopy: HostCopy;
}

/** A slice: zustand's StateCreator over the whole store, given the store's context. */
export type Slice<T> = (context: SliceContext) => StateCreator<StoreState, [], [], T>;
