/**
 * The lab panel slice: the side panel (lab guide, flow graph, time–sequence), and the lab
 * analysis of the current source, re-run (throttled) while the panel is open and packets arrive.
 */
import { runAction } from './notices';
import type { LabViews } from '../worker/worker-messages';
import type { LabPanelActions, LabPanelState, SideTab, Slice } from './types';

export const LAB_DEBOUNCE_MS = 400;
/**
 * While packets keep arriving, the analysis runs again no sooner than this many times its last
 * duration after it ended: it grows with the capture (up to LAB_PACKET_LIMIT packets with full
 * trees), and re-run at every update it took the worker from the packet list, which then fell
 * further and further behind a fast live capture.
 */
export const LAB_COST_FACTOR = 4;

/** What a side panel tab reads of a lab result (see LabViews), with the guide's "Show all" or not. */
export function labViewsOf(tab: SideTab, allConnections: boolean): LabViews {
  return { flowGraph: tab === 'flow', timeSequence: tab === 'tcptrace', allConnections };
}

/**
 * Whether a result carrying `has` answers `wanted`: every list it reads, and the guide's
 * explanation for as many connections (all of them, or the first GUIDE_CONNECTIONS).
 */
export function carriesViews(has: LabViews, wanted: LabViews): boolean {
  return (
    (has.flowGraph || !wanted.flowGraph) &&
    (has.timeSequence || !wanted.timeSequence) &&
    has.allConnections === wanted.allConnections
  );
}

export const createLabPanelSlice: Slice<LabPanelState & LabPanelActions> =
  ({ worker, facts }) =>
  (set, get, store) => {
    // Re-analyse the lab while the side panel is open and packets arrive: LAB_DEBOUNCE_MS after
    // the first new packets, one run at a time, spaced by its cost (LAB_COST_FACTOR).
    let labTimer: ReturnType<typeof setTimeout> | null = null;
    let running = false;
    let again = false;
    let lastCost = 0;
    let lastEnded = 0;
    const run = () => {
      labTimer = null;
      running = true;
      const started = performance.now();
      void get()
        .refreshLab()
        .finally(() => {
          running = false;
          lastEnded = performance.now();
          lastCost = lastEnded - started;
          if (again && get().sidePanelOpen) schedule();
          again = false;
        });
    };
    const schedule = () => {
      // Packets that came during a run: one more run after it.
      if (running) {
        again = true;
        return;
      }
      // A run already due covers the packets that came since. (Not put off again: a capture's
      // progress comes every 100–400 ms, and a debounce reset by each update never ran while
      // packets kept arriving; the guide stayed at the capture's first packets.)
      if (labTimer) return;
      const wait = Math.max(LAB_DEBOUNCE_MS, lastEnded + lastCost * LAB_COST_FACTOR - performance.now());
      labTimer = setTimeout(run, wait);
    };
    // What the analysis reads of the host (facts.options): a status update that changes none of it
    // (the capture's counters) does not change the analysis. Re-run at each status update, the
    // truncated guide of a live load was rebuilt, sent and drawn again every few seconds.
    let hostFactsRead = '';
    store.subscribe((state, previous) => {
      // A truncated analysis already covers its LAB_PACKET_LIMIT first packets: more packets do
      // not change it, and the guide shows the growing total from the progress. Re-running it
      // there sent the same result (tens of MB for a load of thousands of connections) again.
      const complete = state.lab?.truncated === true;
      const hostFacts = JSON.stringify(facts.options(state.status));
      const changed =
        (state.progress.dissected !== previous.progress.dissected && !complete) ||
        state.progress.generation !== previous.progress.generation ||
        hostFacts !== hostFactsRead;
      hostFactsRead = hostFacts;
      if (state.progress.generation !== previous.progress.generation && (state.lab || state.guideShowsAll))
        set({ lab: null, guideShowsAll: false });
      if (!state.sidePanelOpen || !(changed || (state.sidePanelOpen && !previous.sidePanelOpen))) return;
      schedule();
    });

    return {
      sidePanelOpen: false,
      sideTab: 'guide',
      lab: null,
      guideShowsAll: false,

      setSidePanelOpen(open, tab) {
        set({ sidePanelOpen: open, sideTab: tab ?? get().sideTab });
        if (open) void get().refreshLab();
      },

      setSideTab(tab) {
        set({ sideTab: tab });
        // The result shown may lack the lists the new tab reads: ask for them.
        const lab = get().lab;
        if (get().sidePanelOpen && lab && !carriesViews(lab.views, get().labViews())) void get().refreshLab();
      },

      showAllConnections() {
        set({ guideShowsAll: true });
        void get().refreshLab();
      },

      labViews(tab) {
        return labViewsOf(tab ?? get().sideTab, get().guideShowsAll);
      },

      labOptions() {
        return facts.options(get().status);
      },

      refreshLab(extra) {
        const generation = get().progress.generation;
        const shown = get().labViews();
        const views = extra
          ? {
              flowGraph: shown.flowGraph || extra.flowGraph,
              timeSequence: shown.timeSequence || extra.timeSequence,
              allConnections: shown.allConnections,
            }
          : shown;
        return runAction(
          get,
          async () => {
            const lab = await worker.lab({ ...get().labOptions(), views });
            if (get().progress.generation !== generation) return null;
            set({ lab });
            // An earlier ask's answer, from before the tab changed, may lack what the tab now shows.
            if (get().sidePanelOpen && !carriesViews(lab.views, get().labViews())) void get().refreshLab();
            return lab;
          },
          null,
        );
      },

      async labWithViews(views) {
        const lab = get().lab;
        if (lab && carriesViews(lab.views, views)) return lab;
        return get().refreshLab(views);
      },
    };
  };
