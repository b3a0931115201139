/**
 * The lab panel slice: the side panel (lab guide, flow graph, time–sequence), and the lab
 * analysis of the current source, re-run (debounced) while the panel is open and packets arrive.
 */
import { runAction } from './notices';
import type { LabPanelActions, LabPanelState, Slice } from './types';

export const LAB_DEBOUNCE_MS = 400;

export const createLabPanelSlice: Slice<LabPanelState & LabPanelActions> =
  ({ worker, facts }) =>
  (set, get, store) => {
    // Re-analyse the lab (debounced) while the side panel is open and packets arrive.
    let labTimer: ReturnType<typeof setTimeout> | null = null;
    store.subscribe((state, previous) => {
      const changed =
        state.progress.dissected !== previous.progress.dissected ||
        state.progress.generation !== previous.progress.generation ||
        state.status !== previous.status;
      if (state.progress.generation !== previous.progress.generation && state.lab) set({ lab: null });
      if (!state.sidePanelOpen || !(changed || (state.sidePanelOpen && !previous.sidePanelOpen))) return;
      if (labTimer) clearTimeout(labTimer);
      labTimer = setTimeout(() => {
        labTimer = null;
        void get().refreshLab();
      }, LAB_DEBOUNCE_MS);
    });

    return {
      sidePanelOpen: false,
      sideTab: 'guide',
      lab: null,

      setSidePanelOpen(open, tab) {
        set({ sidePanelOpen: open, sideTab: tab ?? get().sideTab });
        if (open) void get().refreshLab();
      },

      setSideTab(tab) {
        set({ sideTab: tab });
      },

      labOptions() {
        return facts.options(get().status);
      },

      refreshLab() {
        const generation = get().progress.generation;
        return runAction(
          get,
          async () => {
            const lab = await worker.lab(get().labOptions());
            if (get().progress.generation !== generation) return null;
            set({ lab });
            return lab;
          },
          null,
        );
      },
    };
  };
