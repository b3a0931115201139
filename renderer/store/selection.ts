/**
 * The selection slice: the selected packet (position in the list, index in the capture, its
 * dissection), the selected tree item, the expanded tree nodes and the bytes pane's tab.
 */
import { allExpandKeys, ancestors, deepestItemAt, expandKey, findFirst, findItem } from '../lib/tree-model';
import type { AppState, SelectionActions, SelectionState, Slice } from './types';

export const createSelectionSlice: Slice<SelectionState & SelectionActions> =
  ({ worker, t }) =>
  (set, get) => {
    /** Bumped by each selection: the answers for an older one are dropped. */
    let selectSeq = 0;

    return {
      selectedPosition: null,
      selectedIndex: null,
      detail: null,
      selectedItem: null,
      expanded: new Set(),
      bytesSource: 0,
      scrollRequest: 0,

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
          const match = findFirst(detail.tree, (item) => item.field === previous.field);
          selectedItem = match?.id ?? null;
        }
        const selected = selectedItem !== null && detail ? findItem(detail.tree, selectedItem) : null;
        set({ detail, selectedItem, bytesSource: selected && selected.length > 0 ? selected.source : 0 });
      },

      async goToPacket(number, whenHidden = 'show-all') {
        let position = await worker.find(number);
        if (
          position < 0 &&
          whenHidden === 'show-all' &&
          get().filterApplied !== '' &&
          number <= get().progress.dissected
        ) {
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

      revealItem(id) {
        const detail = get().detail;
        if (!detail || !findItem(detail.tree, id)) return;
        const expanded = new Set(get().expanded);
        for (const a of ancestors(detail.tree, id)) expanded.add(expandKey(a));
        set({ expanded });
        get().selectItem(id);
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
        get().revealItem(item.id);
        set({ bytesSource: source });
      },

      setBytesSource(source) {
        set({ bytesSource: source });
      },
    };
  };
