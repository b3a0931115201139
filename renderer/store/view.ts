/**
 * The view slice: the worker's packet table as the list shows it (counts, a cache of the rows
 * on screen, the sort) and the display filter (draft, check as you type, apply, history).
 */
import type { RowData, SortSpec, TableProgress } from '../worker/worker-messages';
import type { AppState, Slice, ViewActions, ViewState } from './types';

const ROW_CACHE_LIMIT = 3000;

/** The row cache with `fetched` (rows from position `start` on) added; past the limit, only rows near them stay. */
function withRows(
  rows: ReadonlyMap<number, RowData>,
  fetched: readonly RowData[],
  start: number,
): Map<number, RowData> {
  const stop = start + fetched.length;
  const next =
    rows.size > ROW_CACHE_LIMIT
      ? new Map([...rows].filter(([p]) => p >= start - 200 && p < stop + 200))
      : new Map(rows);
  for (const row of fetched) next.set(row.position, row);
  return next;
}
const MAX_HISTORY = 20;

export const emptyProgress: TableProgress = { generation: -1, received: 0, dissected: 0, displayed: 0, viewVersion: 0 };

export const createViewSlice: Slice<ViewState & ViewActions> =
  ({ worker, preferences }) =>
  (set, get) => {
    let rowsInFlight = new Set<number>();
    /** Bumped by each check or apply: an older answer is dropped. */
    let checkSeq = 0;

    return {
      progress: emptyProgress,
      rows: new Map(),
      sort: null,
      filterDraft: '',
      filterApplied: '',
      filterState: { kind: 'empty' },
      filterHistory: preferences.current.filterHistory,

      receiveProgress(progress, tail) {
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
        if (tail && tail.length > 0) patch.rows = withRows(patch.rows ?? state.rows, tail, tail[0].position);
        set(patch);
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
          ? [filter, ...get().filterHistory.filter((h) => h !== filter)].slice(0, MAX_HISTORY)
          : get().filterHistory;
        preferences.save({ filterHistory: history });
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
          set({ rows: withRows(state.rows, fetched, start) });
        });
      },
    };
  };
