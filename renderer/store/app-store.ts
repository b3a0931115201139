/**
 * The UI state (zustand): host status, the packet view (counts and a cache of visible rows),
 * the selected packet and tree item, the display filter, and user preferences. The store
 * talks to the host only through LabClient and to the dissection worker only through
 * DissectionClient, so tests run it with fakes.
 */
import type { LabScenario } from '../../core/analysis/lab/scenarios/names';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LabError, LabStatus, Profile, ProfileUpdate, ServedRequest } from '../../bridge/lab-api';
import type { HostFacts } from '../../core/analysis/lab/types';
import type { LabReport } from '../../core/report';
import type { LabClient } from '../api/types';
import type { DissectionClient } from '../worker/worker-client';
import type {
  FilterOutcome,
  FollowResult,
  LabRequestOptions,
  LabResult,
  PacketDetail,
  RowData,
  SortSpec,
  TableProgress,
} from '../worker/worker-messages';
import { bytesToBase64 } from '../lib/base64';
import { uploadCaptureFile, type UploadFile } from '../lib/upload';
import { missingProfileFields } from '../lib/profile';
import { PacketFeed } from './feed';
import { allExpandKeys, ancestors, deepestItemAt, expandKey, findItem } from '../lib/tree-model';
import type { Language } from '../i18n';
import { installToolsSubscriptions, toolsSlice, type ToolsActions, type ToolsState } from './tools';
import { createCaptureOptionsActions, type CaptureOptionsActions, type CaptureOptionsState } from './capture-options';
import type { StatisticsResult } from '../worker/statistics-types';
import type { IoGraphResult } from '../worker/io-graph';

export type FilterState =
  | { kind: 'empty' }
  | { kind: 'checking' }
  | { kind: 'valid' }
  | { kind: 'invalid'; message: string; start: number; end: number };

export interface Notice {
  id: number;
  /** info goes away by itself; warning and error stay until dismissed. */
  level: 'info' | 'warning' | 'error';
  message: string;
  remedy?: string;
}

export type SideTab = 'guide' | 'flow' | 'tcptrace';
/** The Statistics dialogs and File › Export Objects › HTTP. */
export type StatsDialogKind =
  'properties' | 'hierarchy' | 'conversations' | 'endpoints' | 'expert' | 'io' | 'http-objects';
export type ExportScope = 'all' | 'displayed' | 'selected' | 'marked';

/** A screenshot taken in this session (kept for the lab report). */
export interface Screenshot {
  /** File name, e.g. "wirelab-packet-list-1.png". */
  name: string;
  caption: string;
  bytes: Uint8Array;
}

export interface AppState extends ToolsState, CaptureOptionsState {
  connected: boolean;
  status: LabStatus | null;
  profile: Profile | null;
  progress: TableProgress;
  rows: Map<number, RowData>;
  sort: SortSpec | null;
  filterDraft: string;
  filterApplied: string;
  filterState: FilterState;
  filterHistory: string[];
  selectedPosition: number | null;
  selectedIndex: number | null;
  detail: PacketDetail | null;
  selectedItem: number | null;
  expanded: Set<string>;
  /** Which data source tab the bytes pane shows. */
  bytesSource: number;
  /** Bumped to ask the packet list to scroll the selection into view. */
  scrollRequest: number;
  language: Language;
  theme: 'light' | 'dark';
  notices: Notice[];
  busy: string | null;
  /** The side panel (lab guide, flow graph, time–sequence) and its tab. */
  guideOpen: boolean;
  sideTab: SideTab;
  /** The latest lab analysis of the current source (null before the first one). */
  lab: LabResult | null;
  /** The Follow Stream dialog. */
  follow: { kind: 'tcp' | 'http' } | null;
  screenshots: Screenshot[];
  /** The profile form (major, student ID, name, logo): opened by itself on a first run, later by Profile. */
  profileFormOpen: boolean;
  /** The open Statistics / Export Objects dialog. */
  statsDialog: StatsDialogKind | null;
}

export interface AppActions extends ToolsActions, CaptureOptionsActions {
  init(): Promise<void>;
  /** Starts the lab (with `scenario`, switches the server to it: a fresh capture, then the page). */
  startLab(options?: { scenario?: LabScenario }): Promise<void>;
  stopLab(): Promise<void>;
  /** Opens a capture file chosen in the UI (sent to the host in parts). */
  openFile(file: UploadFile): Promise<void>;
  saveCapture(): Promise<{ name: string; bytes: Uint8Array } | null>;
  exportText(): Promise<{ name: string; text: string } | null>;
  setFilterDraft(text: string): void;
  applyFilter(text?: string): Promise<FilterOutcome>;
  setSort(column: SortSpec['column']): Promise<void>;
  ensureRows(from: number, to: number): void;
  selectPosition(position: number | null): Promise<void>;
  goToPacket(number: number): Promise<boolean>;
  selectItem(id: number | null): void;
  toggleItem(id: number): void;
  setExpanded(key: string, open: boolean): void;
  expandAll(): void;
  collapseAll(): void;
  selectByte(source: number, offset: number): void;
  setBytesSource(source: number): void;
  updateProfile(update: ProfileUpdate, logo?: Uint8Array): Promise<void>;
  setProfileFormOpen(open: boolean): void;
  /** The logo the profile page serves now (for the form's preview). */
  currentLogo(): Promise<{ mimeType: string; bytes: Uint8Array }>;
  setLanguage(language: Language): void;
  setTheme(theme: 'light' | 'dark'): void;
  notify(level: Notice['level'], message: string, remedy?: string): void;
  dismiss(id: number): void;
  setGuideOpen(open: boolean, tab?: SideTab): void;
  setSideTab(tab: SideTab): void;
  /** Re-runs the lab analysis now (it also runs, debounced, as packets arrive while the panel is open). */
  refreshLab(): Promise<LabResult | null>;
  /** What the host knows about the lab run of the current source (for analyzeLab). */
  labOptions(): LabRequestOptions;
  /** Selects frame `number` in the packet list (clearing the display filter when it hides it). */
  goToFrame(number: number): Promise<boolean>;
  openFollow(kind: 'tcp' | 'http'): void;
  followStream(index: number): Promise<FollowResult | null>;
  /** Opens a capture by path on the host (Electron's File → Open). */
  openPath(path: string, name: string): Promise<void>;
  closeFollow(): void;
  exportCapture(scope: ExportScope): Promise<{ name: string; bytes: Uint8Array; packets: number } | null>;
  exportDissections(scope: ExportScope, bytes?: boolean): Promise<{ name: string; text: string } | null>;
  addScreenshot(shot: Screenshot): void;
  buildReport(): Promise<{ base: string; report: LabReport; screenshots: Screenshot[] } | null>;
  /** Base of exported file names: the source's name without extension, or "wirelab". */
  fileBase(): string;
  openStats(kind: StatsDialogKind): void;
  closeStats(): void;
  /** The statistics pass over the current source in the worker (null after an error, which is shown). */
  statistics(onProgress?: (done: number, total: number) => void): Promise<StatisticsResult | null>;
  /** The I/O graph's counts from the worker; rejects with the filter's message when it is wrong. */
  ioGraph(interval: number, filter: string, onProgress?: (done: number, total: number) => void): Promise<IoGraphResult>;
}

export type AppStore = StoreApi<AppState & AppActions>;

export interface StoreDeps {
  api: LabClient;
  worker: DissectionClient;
  /** Opens the profile page after Start Lab (browser shell); receives a function to call after the lab started. */
  openPage?: () => { navigate(url: string): void; close(): void } | null;
  language?: Language;
  theme?: 'light' | 'dark';
  /** Text for messages (i18n t function); identity in tests. */
  t?: (key: string, values?: Record<string, unknown>) => string;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
}

const HISTORY_KEY = 'wirelab.filterHistory';
const ROW_CACHE_LIMIT = 3000;

const emptyProgress: TableProgress = { generation: -1, received: 0, dissected: 0, displayed: 0, viewVersion: 0 };

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createAppStore(deps: StoreDeps): AppStore {
  const { api, worker } = deps;
  const t = deps.t ?? ((key: string) => key);
  const storage = deps.storage;
  let noticeId = 0;
  let rowsInFlight = new Set<number>();
  let checkSeq = 0;
  let selectSeq = 0;
  const nav = { navigating: false };

  const loadHistory = (): string[] => {
    try {
      const raw = storage?.getItem(HISTORY_KEY);
      const list: unknown = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string').slice(0, 20) : [];
    } catch {
      return [];
    }
  };

  const store = createStore<AppState & AppActions>()((set, get) => {
    const feed = new PacketFeed(
      worker,
      (from, count) => api.getPackets(from, count),
      (error) => get().notify('error', errorText(error)),
    );

    const reportLabErrors = (previous: LabStatus | null, status: LabStatus) => {
      const errors: [LabError | undefined, LabError | undefined][] = [
        [previous?.server.error, status.server.error],
        [previous?.capture.error, status.capture.error],
        [previous?.source.error, status.source.error],
      ];
      for (const [before, now] of errors) {
        if (now && (!before || before.message !== now.message)) get().notify('error', now.message, now.remedy);
      }
    };

    // Host facts for the lab analysis, remembered per source generation ("was the server up").
    let facts = { generation: -1, live: false, server: false, capture: false, page: false, logo: false };
    const noteFacts = (status: LabStatus) => {
      if (facts.generation !== status.source.generation)
        facts = {
          generation: status.source.generation,
          live: false,
          server: false,
          capture: false,
          page: false,
          logo: false,
        };
      if (status.source.kind === 'live') facts.live = true;
      if (status.server.state === 'running') facts.server = true;
      if (status.capture.state === 'running') facts.capture = true;
    };
    const noteRequest = (request: ServedRequest) => {
      if (request.status !== 200) return;
      if (request.path === '/' || request.path === '/index.html') facts.page = true;
      else if (/^\/logo\./.test(request.path)) facts.logo = true;
    };

    const onStatus = (status: LabStatus) => {
      const previous = get().status;
      noteFacts(status);
      set({ status });
      reportLabErrors(previous, status);
      feed.status(status);
    };

    const onProgress = (progress: TableProgress) => {
      const state = get();
      const viewChanged =
        progress.viewVersion !== state.progress.viewVersion || progress.generation !== state.progress.generation;
      const patch: Partial<AppState> = { progress };
      if (viewChanged) {
        rowsInFlight = new Set();
        patch.rows = new Map();
      }
      if (progress.generation !== state.progress.generation) {
        patch.selectedPosition = null;
        patch.selectedIndex = null;
        patch.detail = null;
        patch.selectedItem = null;
      } else if (viewChanged && state.selectedIndex !== null) {
        // Keep the selected packet selected in the new view, if it is still shown.
        const index = state.selectedIndex;
        void worker.find(index + 1).then((position) => {
          if (get().selectedIndex !== index) return;
          set({ selectedPosition: position >= 0 ? position : null, scrollRequest: get().scrollRequest + 1 });
        });
      }
      set(patch);
    };

    return {
      connected: false,
      status: null,
      profile: null,
      progress: emptyProgress,
      rows: new Map(),
      sort: null,
      filterDraft: '',
      filterApplied: '',
      filterState: { kind: 'empty' },
      filterHistory: loadHistory(),
      selectedPosition: null,
      selectedIndex: null,
      detail: null,
      selectedItem: null,
      expanded: new Set(),
      bytesSource: 0,
      scrollRequest: 0,
      language: deps.language ?? 'en',
      theme: deps.theme ?? 'light',
      notices: [],
      busy: null,
      guideOpen: false,
      sideTab: 'guide',
      lab: null,
      follow: null,
      screenshots: [],
      profileFormOpen: false,
      ...toolsSlice(set, get, { worker, storage, t }, nav),
      captureOptionsOpen: false,
      ...createCaptureOptionsActions({ api, onStatus, notify: (m) => get().notify('error', m), set }),
      statsDialog: null,

      async init() {
        worker.onProgress(onProgress);
        // The Time Display Format and custom columns remembered from the last session.
        void worker.view({
          timeFormat: get().timeFormat,
          refs: [],
          marked: [],
          columns: get().customColumns.map((c) => c.field),
        });
        api.on('status', onStatus);
        api.on('packets', (event) => feed.packets(event));
        api.on('request', noteRequest);
        api.on('log', (entry) => {
          if (entry.level === 'error') get().notify('error', entry.message);
        });
        const [status, profile] = await Promise.all([api.getStatus(), api.getProfile()]);
        // A first run (or a profile still missing a field): ask for it before the first Start Lab.
        set({ connected: true, profile, profileFormOpen: missingProfileFields(profile).length > 0 });
        onStatus(status);
      },

      async startLab(options) {
        const missing = missingProfileFields(get().profile);
        if (missing.length > 0) {
          // Still possible (the page shows "not set"), but the lab requires the fields on the page.
          const fields = missing.map((field) => t(`profile.${field}`)).join(t('profile.listSeparator'));
          get().notify('warning', t('profile.incompleteAtStart', { fields }), t('profile.incompleteRemedy'));
        }
        const tab = deps.openPage?.() ?? null;
        try {
          const status = await (options?.scenario ? api.startLab({ scenario: options.scenario }) : api.startLab());
          onStatus(status);
          const url = status.server.url;
          if (status.server.state === 'running' && status.capture.state === 'running') {
            set({ guideOpen: true, sideTab: 'guide' });
            const filter = `tcp.port == ${status.server.port}`;
            set({ filterDraft: filter });
            await get().applyFilter(filter);
            if (url && tab) tab.navigate(url);
          } else {
            tab?.close();
          }
        } catch (error) {
          tab?.close();
          get().notify('error', errorText(error));
        }
      },

      async stopLab() {
        try {
          onStatus(await api.stopLab());
        } catch (error) {
          get().notify('error', errorText(error));
        }
      },

      async openFile(file) {
        set({ busy: 'open' });
        try {
          const result = await uploadCaptureFile(api, file);
          if (result.error) get().notify('error', result.error.message, result.error.remedy);
          else get().notify('info', t('messages.opened', { name: result.name, count: result.packets }));
        } catch (error) {
          get().notify('error', errorText(error));
        } finally {
          set({ busy: null });
        }
      },

      async saveCapture() {
        try {
          const result = await api.saveCapture({});
          if (!result.bytes) return null;
          const base = (get().status?.source.name ?? 'wirelab').replace(/\.(pcapng|pcap)$/i, '');
          get().notify('info', t('messages.saved', { count: result.packets }));
          return { name: `${base}.pcapng`, bytes: result.bytes };
        } catch (error) {
          get().notify('error', errorText(error));
          return null;
        }
      },

      async exportText() {
        try {
          const text = await worker.exportText();
          const base = (get().status?.source.name ?? 'wirelab').replace(/\.(pcapng|pcap)$/i, '');
          get().notify('info', t('messages.exported', { count: get().progress.displayed }));
          return { name: `${base}.txt`, text };
        } catch (error) {
          get().notify('error', errorText(error));
          return null;
        }
      },

      setFilterDraft(text) {
        set({ filterDraft: text });
        if (text.trim() === '') {
          set({ filterState: { kind: 'empty' } });
          return;
        }
        const seq = ++checkSeq;
        set({ filterState: { kind: 'checking' } });
        void worker.check(text).then((outcome) => {
          if (seq !== checkSeq) return;
          set({ filterState: outcome.ok ? { kind: 'valid' } : { kind: 'invalid', ...outcome } });
        });
      },

      async applyFilter(text) {
        const filter = (text ?? get().filterDraft).trim();
        const seq = ++checkSeq;
        const outcome = await worker.filter(filter);
        if (!outcome.ok) {
          if (seq === checkSeq) set({ filterState: { kind: 'invalid', ...outcome } });
          return outcome;
        }
        const history = filter
          ? [filter, ...get().filterHistory.filter((h) => h !== filter)].slice(0, 20)
          : get().filterHistory;
        try {
          storage?.setItem(HISTORY_KEY, JSON.stringify(history));
        } catch {
          // storage full or disabled
        }
        set({
          filterApplied: filter,
          filterDraft: filter,
          filterState: filter ? { kind: 'valid' } : { kind: 'empty' },
          filterHistory: history,
        });
        return outcome;
      },

      async setSort(column) {
        const current = get().sort;
        let sort: SortSpec | null;
        if (!current || current.column !== column) sort = { column, descending: false };
        else if (!current.descending) sort = { column, descending: true };
        else sort = null;
        set({ sort });
        await worker.sort(sort);
      },

      ensureRows(from, to) {
        const { rows, progress } = get();
        const end = Math.min(to, progress.displayed);
        let start = -1;
        let stop = -1;
        for (let p = Math.max(0, from); p < end; p++) {
          if (rows.has(p) || rowsInFlight.has(p)) continue;
          if (start < 0) start = p;
          stop = p + 1;
        }
        if (start < 0) return;
        const version = progress.viewVersion;
        const generation = progress.generation;
        const requested = rowsInFlight;
        for (let p = start; p < stop; p++) requested.add(p);
        void worker.rows(start, stop - start).then((fetched) => {
          const state = get();
          if (state.progress.viewVersion !== version || state.progress.generation !== generation) return;
          for (let p = start; p < stop; p++) requested.delete(p);
          let next = state.rows;
          if (next.size > ROW_CACHE_LIMIT)
            next = new Map([...next].filter(([p]) => p >= start - 200 && p < stop + 200));
          else next = new Map(next);
          for (const row of fetched) next.set(row.position, row);
          set({ rows: next });
        });
      },

      async selectPosition(position) {
        const seq = ++selectSeq;
        if (position === null || position < 0 || position >= get().progress.displayed) {
          set({ selectedPosition: null, selectedIndex: null, detail: null, selectedItem: null });
          return;
        }
        set({ selectedPosition: position, scrollRequest: get().scrollRequest + 1 });
        let row = get().rows.get(position);
        if (!row) [row] = await worker.rows(position, 1);
        if (!row || seq !== selectSeq) return;
        set({ selectedIndex: row.index });
        const detail = await worker.detail(row.index);
        if (seq !== selectSeq) return;
        // Keep the same field selected when moving between packets, as Wireshark does.
        const previous =
          get().detail && get().selectedItem !== null
            ? findItem(get().detail?.tree ?? [], get().selectedItem ?? -1)
            : null;
        let selectedItem: number | null = null;
        if (previous?.field && detail) {
          const match = findByField(detail.tree, previous.field);
          selectedItem = match?.id ?? null;
        }
        const selected = selectedItem !== null && detail ? findItem(detail.tree, selectedItem) : null;
        set({ detail, selectedItem, bytesSource: selected && selected.length > 0 ? selected.source : 0 });
      },

      async goToPacket(number) {
        const position = await worker.find(number);
        if (position < 0) {
          get().notify('error', t('list.notFound', { number }));
          return false;
        }
        await get().selectPosition(position);
        return true;
      },

      selectItem(id) {
        const detail = get().detail;
        if (id === null || !detail) {
          set({ selectedItem: null });
          return;
        }
        const item = findItem(detail.tree, id);
        if (!item) return;
        const patch: Partial<AppState> = { selectedItem: id };
        if (item.length > 0 && item.source < detail.sources.length) patch.bytesSource = item.source;
        set(patch);
      },

      toggleItem(id) {
        const item = findItem(get().detail?.tree ?? [], id);
        if (!item?.children) return;
        const key = expandKey(item);
        get().setExpanded(key, !get().expanded.has(key));
      },

      setExpanded(key, open) {
        const expanded = new Set(get().expanded);
        if (open) expanded.add(key);
        else expanded.delete(key);
        set({ expanded });
      },

      expandAll() {
        const detail = get().detail;
        if (detail) set({ expanded: new Set([...get().expanded, ...allExpandKeys(detail.tree)]) });
      },

      collapseAll() {
        set({ expanded: new Set() });
      },

      selectByte(source, offset) {
        const detail = get().detail;
        if (!detail) return;
        const item = deepestItemAt(detail.tree, source, offset);
        if (!item) return;
        const expanded = new Set(get().expanded);
        for (const a of ancestors(detail.tree, item.id)) expanded.add(expandKey(a));
        set({ expanded, selectedItem: item.id, bytesSource: source });
      },

      setBytesSource(source) {
        set({ bytesSource: source });
      },

      async updateProfile(update, logo) {
        try {
          let profile = await api.updateProfile(update);
          if (logo) profile = await api.setLogo(logo);
          set({ profile });
          get().notify('info', t('profile.saved'));
        } catch (error) {
          // The form shows the reason next to the fields and stays open.
          throw new Error(errorText(error), { cause: error });
        }
      },

      setProfileFormOpen(open) {
        set({ profileFormOpen: open });
      },

      currentLogo() {
        return api.getLogo();
      },

      setLanguage(language) {
        set({ language });
      },

      setTheme(theme) {
        set({ theme });
      },

      notify(level, message, remedy) {
        const notice: Notice = { id: ++noticeId, level, message, remedy };
        set({ notices: [...get().notices.slice(-4), notice] });
      },

      dismiss(id) {
        set({ notices: get().notices.filter((n) => n.id !== id) });
      },

      setGuideOpen(open, tab) {
        set({ guideOpen: open, sideTab: tab ?? get().sideTab });
        if (open) void get().refreshLab();
      },

      setSideTab(tab) {
        set({ sideTab: tab });
      },

      labOptions() {
        const status = get().status;
        if (!facts.live || !status) return {};
        const host: HostFacts = { serverUp: facts.server, captureRunning: facts.capture };
        if (facts.page && facts.logo) host.pageLoaded = true;
        return { serverPort: status.server.port, host };
      },

      async refreshLab() {
        const generation = get().progress.generation;
        try {
          const lab = await worker.lab(get().labOptions());
          if (get().progress.generation !== generation) return null;
          set({ lab });
          return lab;
        } catch (error) {
          get().notify('error', errorText(error));
          return null;
        }
      },

      async goToFrame(number) {
        let position = await worker.find(number);
        if (position < 0 && get().filterApplied !== '' && number <= get().progress.dissected) {
          // The display filter hides it: show everything, as Wireshark's "Go to packet" would ask to.
          await get().applyFilter('');
          position = await worker.find(number);
        }
        if (position < 0) {
          get().notify('error', t('list.notFound', { number }));
          return false;
        }
        await get().selectPosition(position);
        return true;
      },

      openFollow(kind) {
        if (get().selectedIndex === null) {
          get().notify('error', t('follow.noPacket'));
          return;
        }
        set({ follow: { kind } });
      },

      async followStream(index) {
        try {
          return await worker.follow(index);
        } catch (error) {
          get().notify('error', errorText(error));
          return null;
        }
      },

      async openPath(path, name) {
        set({ busy: 'open' });
        try {
          const result = await api.openCapture({ path, name });
          if (result.error) get().notify('error', result.error.message, result.error.remedy);
          else get().notify('info', t('messages.opened', { name: result.name, count: result.packets }));
        } catch (error) {
          get().notify('error', errorText(error));
        } finally {
          set({ busy: null });
        }
      },

      closeFollow() {
        set({ follow: null });
      },

      fileBase() {
        return (get().status?.source.name ?? 'wirelab').replace(/\.(pcapng|pcap|cap)$/i, '');
      },

      async exportCapture(scope) {
        try {
          let indices: number[] | undefined;
          if (scope === 'displayed') indices = await worker.displayedIndices();
          else if (scope === 'marked') {
            indices = get().markedIndices();
            if (indices.length === 0) {
              get().notify('error', t('mark.none'));
              return null;
            }
          } else if (scope === 'selected') {
            const selected = get().selectedIndex;
            if (selected === null) {
              get().notify('error', t('follow.noPacket'));
              return null;
            }
            indices = [selected];
          }
          const result = await api.saveCapture(indices ? { indices } : {});
          if (!result.bytes) return null;
          get().notify('info', t('messages.saved', { count: result.packets }));
          const suffix = scope === 'all' ? '' : `-${scope}`;
          return { name: `${get().fileBase()}${suffix}.pcapng`, bytes: result.bytes, packets: result.packets };
        } catch (error) {
          get().notify('error', errorText(error));
          return null;
        }
      },

      async exportDissections(scope, bytes = true) {
        try {
          const selected = get().selectedIndex;
          if (scope === 'selected' && selected === null) {
            get().notify('error', t('follow.noPacket'));
            return null;
          }
          const marked = get().markedIndices();
          if (scope === 'marked' && marked.length === 0) {
            get().notify('error', t('mark.none'));
            return null;
          }
          const text = await worker.exportText({
            scope: scope === 'marked' ? 'selected' : scope,
            indices: scope === 'marked' ? marked : scope === 'selected' && selected !== null ? [selected] : undefined,
            bytes,
          });
          const count = (text.match(/^No\. {5}Time/gm) ?? []).length;
          get().notify('info', t('messages.exported', { count }));
          const suffix = scope === 'displayed' ? '' : `-${scope}`;
          return { name: `${get().fileBase()}${suffix}.txt`, text };
        } catch (error) {
          get().notify('error', errorText(error));
          return null;
        }
      },

      openStats(kind) {
        set({ statsDialog: kind });
      },

      closeStats() {
        set({ statsDialog: null });
      },

      async statistics(onProgress) {
        try {
          return await worker.statistics(onProgress);
        } catch (error) {
          get().notify('error', errorText(error));
          return null;
        }
      },

      ioGraph(interval, filter, onProgress) {
        return worker.ioGraph(interval, filter, onProgress);
      },

      addScreenshot(shot) {
        set({ screenshots: [...get().screenshots, shot] });
      },

      async buildReport() {
        try {
          const state = get();
          const screenshots = state.screenshots;
          const profile = state.profile ?? (await api.getProfile());
          const report = await worker.report({
            ...state.labOptions(),
            lang: state.language,
            profile: { major: profile.major, studentId: profile.studentId, name: profile.name },
            flowGraphFile: 'flow-graph.svg',
            screenshots: screenshots.map((s) => ({
              name: s.name,
              path: `screenshots/${s.name}`,
              caption: s.caption,
              dataUrl: `data:image/png;base64,${bytesToBase64(s.bytes)}`,
            })),
          });
          return { base: `${get().fileBase()}-report`, report, screenshots };
        } catch (error) {
          get().notify('error', errorText(error));
          return null;
        }
      },
    };
  });

  installToolsSubscriptions(store, nav);
  // Re-analyse the lab (debounced) while the side panel is open and packets arrive.
  let labTimer: ReturnType<typeof setTimeout> | null = null;
  store.subscribe((state, previous) => {
    const changed =
      state.progress.dissected !== previous.progress.dissected ||
      state.progress.generation !== previous.progress.generation ||
      state.status !== previous.status;
    if (state.progress.generation !== previous.progress.generation && state.lab) store.setState({ lab: null });
    if (!state.guideOpen || !(changed || (state.guideOpen && !previous.guideOpen))) return;
    if (labTimer) clearTimeout(labTimer);
    labTimer = setTimeout(() => {
      labTimer = null;
      void store.getState().refreshLab();
    }, LAB_DEBOUNCE_MS);
  });
  return store;
}

export const LAB_DEBOUNCE_MS = 400;

function findByField(tree: PacketDetail['tree'], field: string): PacketDetail['tree'][number] | null {
  for (const item of tree) {
    if (item.field === field) return item;
    if (item.children) {
      const found = findByField(item.children, field);
      if (found) return found;
    }
  }
  return null;
}
