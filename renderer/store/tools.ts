/**
 * The store's Wireshark-tools slice: packet diagram pane, Time Display Format and time
 * references, marked packets, custom columns (Apply as Column), Apply/Prepare as Filter,
 * selection history (Back / Forward) and Find Packet. Rows are still computed in the worker:
 * this slice only sends it the view options (worker.view) and asks it to search.
 */
import type { StoreApi } from 'zustand/vanilla';
import { TIME_FORMATS, type TimeFormat } from '../../core/dissect/time-format';
import { combineFilter, type FilterCombine } from '../../core/filter/match-selected';
import type { DissectionClient } from '../worker/worker-client';
import type { SearchQuery } from '../worker/worker-messages';
import { ancestors, expandKey, deepestItemAt, findItem } from '../lib/tree-model';
import type { AppActions, AppState } from './app-store';

export interface CustomColumn {
  /** Field abbreviation (`http.request.uri`). */
  field: string;
  /** Header text (the field's display name when added). */
  title: string;
  /** Width in px. */
  width: number;
}

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

type Full = AppState & AppActions;
type Set_ = StoreApi<Full>['setState'];
type Get = StoreApi<Full>['getState'];

const COLUMNS_KEY = 'wirelab.columns';
const TIME_FORMAT_KEY = 'wirelab.timeFormat';
const DIAGRAM_KEY = 'wirelab.diagram';
export const DEFAULT_COLUMN_WIDTH = 120;

interface ToolsDeps {
  worker: DissectionClient;
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
  t: (key: string, values?: Record<string, unknown>) => string;
}

function loadColumns(storage: ToolsDeps['storage']): CustomColumn[] {
  try {
    const raw = storage?.getItem(COLUMNS_KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    if (!Array.isArray(list)) return [];
    return list
      .filter(
        (c): c is CustomColumn =>
          typeof c === 'object' &&
          c !== null &&
          typeof (c as CustomColumn).field === 'string' &&
          /^[A-Za-z0-9_.-]+$/.test((c as CustomColumn).field) &&
          typeof (c as CustomColumn).title === 'string',
      )
      .map((c) => ({
        field: c.field,
        title: c.title,
        width: Number.isFinite(c.width) ? Math.max(40, Math.min(800, c.width)) : DEFAULT_COLUMN_WIDTH,
      }))
      .slice(0, 20);
  } catch {
    return [];
  }
}

function readFlag(storage: ToolsDeps['storage'], key: string): boolean {
  try {
    return storage?.getItem(key) === '1';
  } catch {
    return false;
  }
}

function loadTimeFormat(storage: ToolsDeps['storage']): TimeFormat {
  try {
    const raw = storage?.getItem(TIME_FORMAT_KEY);
    return raw && (TIME_FORMATS as string[]).includes(raw) ? (raw as TimeFormat) : 'relative';
  } catch {
    return 'relative';
  }
}

/** Shared by the slice and its subscription: true while Back / Forward moves the selection. */
export interface HistoryNavigation {
  navigating: boolean;
}

export function toolsSlice(set: Set_, get: Get, deps: ToolsDeps, nav: HistoryNavigation): ToolsState & ToolsActions {
  const { worker, storage, t } = deps;
  const save = (key: string, value: string) => {
    try {
      storage?.setItem(key, value);
    } catch {
      // storage full or disabled
    }
  };
  /** Sends the view options to the worker; it bumps the view version and the rows are fetched again. */
  const sync = () => {
    const s = get();
    void worker.view({
      timeFormat: s.timeFormat,
      refs: [...s.timeRefs],
      marked: [...s.marked],
      columns: s.customColumns.map((c) => c.field),
    });
  };
  const saveColumns = () => save(COLUMNS_KEY, JSON.stringify(get().customColumns));
  const goTo = async (at: number) => {
    const { history } = get();
    if (at < 0 || at >= history.length) return;
    nav.navigating = true;
    try {
      set({ historyAt: at });
      await get().goToFrame(history[at]);
    } finally {
      nav.navigating = false;
    }
  };

  return {
    diagramOpen: readFlag(storage, DIAGRAM_KEY),
    timeFormat: loadTimeFormat(storage),
    timeRefs: new Set(),
    marked: new Set(),
    customColumns: loadColumns(storage),
    history: [],
    historyAt: -1,
    find: null,

    setDiagramOpen(open) {
      set({ diagramOpen: open });
      save(DIAGRAM_KEY, open ? '1' : '0');
    },

    setTimeFormat(format) {
      set({ timeFormat: format });
      save(TIME_FORMAT_KEY, format);
      sync();
    },

    toggleTimeReference() {
      const index = get().selectedIndex;
      if (index === null) return;
      const refs = new Set(get().timeRefs);
      if (refs.has(index)) refs.delete(index);
      else refs.add(index);
      set({ timeRefs: refs });
      sync();
    },

    toggleMark() {
      const index = get().selectedIndex;
      if (index === null) return;
      const marked = new Set(get().marked);
      if (marked.has(index)) marked.delete(index);
      else marked.add(index);
      set({ marked });
      sync();
    },

    unmarkAll() {
      set({ marked: new Set() });
      sync();
    },

    addColumn(field, title) {
      if (get().customColumns.some((c) => c.field === field)) return;
      set({ customColumns: [...get().customColumns, { field, title, width: DEFAULT_COLUMN_WIDTH }] });
      saveColumns();
      sync();
    },

    removeColumn(index) {
      const columns = get().customColumns.filter((_, i) => i !== index);
      set({ customColumns: columns });
      saveColumns();
      sync();
    },

    moveColumn(index, delta) {
      const columns = get().customColumns.slice();
      const to = index + delta;
      if (index < 0 || index >= columns.length || to < 0 || to >= columns.length) return;
      const [moved] = columns.splice(index, 1);
      columns.splice(to, 0, moved);
      set({ customColumns: columns });
      saveColumns();
      sync();
    },

    resizeColumn(index, width) {
      const columns = get().customColumns.map((c, i) =>
        i === index ? { ...c, width: Math.max(40, Math.min(800, Math.round(width))) } : c,
      );
      set({ customColumns: columns });
      saveColumns();
    },

    async useAsFilter(filter, how, apply) {
      const text = combineFilter(get().filterApplied, filter, how);
      get().setFilterDraft(text);
      if (apply) await get().applyFilter(text);
    },

    async goBack() {
      await goTo(get().historyAt - 1);
    },

    async goForward() {
      await goTo(get().historyAt + 1);
    },

    openFind() {
      set({ find: get().find ?? { kind: 'string', where: 'list', caseSensitive: false, text: '' } });
    },

    closeFind() {
      set({ find: null });
    },

    setFind(patch) {
      const find = get().find;
      if (find) set({ find: { ...find, ...patch } });
    },

    async findNext(backward = false) {
      const find = get().find;
      if (!find || find.text.trim() === '') return false;
      try {
        const result = await worker.search({
          kind: find.kind,
          where: find.where,
          caseSensitive: find.caseSensitive,
          text: find.text,
          from: get().selectedPosition ?? -1,
          backward,
        });
        if (!result) {
          get().notify('info', t('find.notFound', { text: find.text }));
          return false;
        }
        await get().selectPosition(result.position);
        const detail = get().detail;
        if (!detail) return true;
        let item = result.item !== undefined ? findItem(detail.tree, result.item) : null;
        if (!item && result.bytes) item = deepestItemAt(detail.tree, 0, result.bytes.start);
        if (item) {
          const expanded = new Set(get().expanded);
          for (const a of ancestors(detail.tree, item.id)) expanded.add(expandKey(a));
          set({ expanded });
          get().selectItem(item.id);
        }
        return true;
      } catch (error) {
        get().notify('error', error instanceof Error ? error.message : String(error));
        return false;
      }
    },

    markedIndices() {
      return [...get().marked].sort((a, b) => a - b);
    },
  };
}

/** Records the selection history and clears marks and references when a new source starts. */
export function installToolsSubscriptions(store: StoreApi<Full>, nav: HistoryNavigation): void {
  store.subscribe((state, previous) => {
    if (state.progress.generation !== previous.progress.generation && previous.progress.generation !== -1) {
      store.setState({ timeRefs: new Set(), marked: new Set(), history: [], historyAt: -1 });
    }
    const number = state.detail?.number;
    if (number === undefined || number === previous.detail?.number || nav.navigating) return;
    const history = state.history.slice(0, state.historyAt + 1);
    if (history[history.length - 1] !== number) history.push(number);
    store.setState({ history: history.slice(-200), historyAt: Math.min(history.length, 200) - 1 });
  });
}
