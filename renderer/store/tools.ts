/**
 * The store's Wireshark-tools slice: packet diagram pane, Time Display Format and time
 * references, marked packets, custom columns (Apply as Column), Apply/Prepare as Filter,
 * selection history (Back / Forward) and Find Packet. Rows are still computed in the worker:
 * this slice only sends it the view options (worker.view) and asks it to search.
 */
import { combineFilter } from '../../core/filter/match-selected';
import { deepestItemAt, findItem } from '../lib/tree-model';
import { clampColumnWidth, DEFAULT_COLUMN_WIDTH, type CustomColumn } from './preferences';
import { runAction } from './notices';
import type { Slice, ToolsActions, ToolsState } from './types';

/** A copy of `set` with `value` added, or removed when it was there. */
function toggled(set: ReadonlySet<number>, value: number): Set<number> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

export const createToolsSlice: Slice<ToolsState & ToolsActions> =
  ({ worker, preferences, t }) =>
  (set, get, store) => {
    /** True while Back / Forward moves the selection (so the move is not recorded as a new step). */
    let navigating = false;
    const saveColumns = (columns: CustomColumn[]) => preferences.save({ columns });
    // Record the selection history; a new source clears marks, references and the history.
    store.subscribe((state, previous) => {
      if (state.progress.generation !== previous.progress.generation && previous.progress.generation !== -1) {
        set({ timeRefs: new Set(), marked: new Set(), history: [], historyAt: -1 });
      }
      const number = state.detail?.number;
      if (number === undefined || number === previous.detail?.number || navigating) return;
      const history = state.history.slice(0, state.historyAt + 1);
      if (history[history.length - 1] !== number) history.push(number);
      set({ history: history.slice(-200), historyAt: Math.min(history.length, 200) - 1 });
    });
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
    const goTo = async (at: number) => {
      const { history } = get();
      if (at < 0 || at >= history.length) return;
      navigating = true;
      try {
        set({ historyAt: at });
        await get().goToPacket(history[at]);
      } finally {
        navigating = false;
      }
    };

    return {
      diagramOpen: preferences.current.diagramOpen,
      timeFormat: preferences.current.timeFormat,
      timeRefs: new Set(),
      marked: new Set(),
      customColumns: preferences.current.columns,
      history: [],
      historyAt: -1,
      find: null,

      setDiagramOpen(open) {
        set({ diagramOpen: open });
        preferences.save({ diagramOpen: open });
      },

      setTimeFormat(format) {
        set({ timeFormat: format });
        preferences.save({ timeFormat: format });
        sync();
      },

      toggleTimeReference() {
        const index = get().selectedIndex;
        if (index === null) return;
        set({ timeRefs: toggled(get().timeRefs, index) });
        sync();
      },

      toggleMark() {
        const index = get().selectedIndex;
        if (index === null) return;
        set({ marked: toggled(get().marked, index) });
        sync();
      },

      unmarkAll() {
        set({ marked: new Set() });
        sync();
      },

      addColumn(field, title) {
        if (get().customColumns.some((c) => c.field === field)) return;
        const columns = [...get().customColumns, { field, title, width: DEFAULT_COLUMN_WIDTH }];
        set({ customColumns: columns });
        saveColumns(columns);
        sync();
      },

      removeColumn(index) {
        const columns = get().customColumns.filter((_, i) => i !== index);
        set({ customColumns: columns });
        saveColumns(columns);
        sync();
      },

      moveColumn(index, delta) {
        const columns = get().customColumns.slice();
        const to = index + delta;
        if (index < 0 || index >= columns.length || to < 0 || to >= columns.length) return;
        const [moved] = columns.splice(index, 1);
        columns.splice(to, 0, moved);
        set({ customColumns: columns });
        saveColumns(columns);
        sync();
      },

      resizeColumn(index, width) {
        const columns = get().customColumns.map((c, i) => (i === index ? { ...c, width: clampColumnWidth(width) } : c));
        set({ customColumns: columns });
        saveColumns(columns);
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
        return runAction(
          get,
          async () => {
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
            if (item) get().revealItem(item.id);
            return true;
          },
          false,
        );
      },

      markedIndices() {
        return [...get().marked].sort((a, b) => a - b);
      },
    };
  };
