import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from './app-store';
import { LAB_COST_FACTOR, LAB_DEBOUNCE_MS, labViewsOf } from './lab';
import { fakeApi, fakeWorker, labStatus } from '../test/fakes';
import { ALL_LAB_VIEWS, LAB_PACKET_LIMIT, type LabRequestOptions, type LabResult } from '../worker/worker-messages';

afterEach(() => {
  vi.useRealTimers();
});

/**
 * A store with the side panel open, on fake timers, whose worker answers lab asks with `lab`
 * (carrying the views asked for, as the worker's do).
 */
async function guideOpen(lab: (options: LabRequestOptions) => Promise<LabResult>) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
  const { api } = fakeApi();
  const { worker, setProgress } = fakeWorker(null, 10);
  Object.assign(worker, {
    lab: async (options: LabRequestOptions) => ({ ...(await lab(options)), views: options.views ?? ALL_LAB_VIEWS }),
  });
  const store = createAppStore({ api, worker, language: 'en' });
  await store.getState().init();
  store.setState({ sidePanelOpen: true });
  return { store, setProgress };
}

describe('the lab guide while packets keep arriving', () => {
  it('an analysis that takes long runs again only after LAB_COST_FACTOR times its duration', async () => {
    const ANALYSIS_MS = 1000;
    const runs: number[] = [];
    const { setProgress } = await guideOpen(async () => {
      runs.push(performance.now());
      await new Promise((resolve) => setTimeout(resolve, ANALYSIS_MS));
      return {} as LabResult;
    });
    // A live capture: more packets every 500 ms (more than the debounce) for 12 s.
    for (let t = 0, n = 10; t < 12_000; t += 500, n += 1000) {
      setProgress({ received: n, dissected: n, displayed: n });
      await vi.advanceTimersByTimeAsync(500);
    }
    // Each run waits the debounce after the packets that started it, and then at least
    // LAB_COST_FACTOR × ANALYSIS_MS after the run before ended.
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < runs.length; i++)
      expect(runs[i] - (runs[i - 1] + ANALYSIS_MS)).toBeGreaterThanOrEqual(LAB_COST_FACTOR * ANALYSIS_MS);
    // Without the spacing it ran after every update (LAB_DEBOUNCE_MS < 500 ms between them).
    expect(LAB_DEBOUNCE_MS).toBeLessThan(500);
    expect(runs.length).toBeLessThanOrEqual(Math.ceil(12_000 / (ANALYSIS_MS * (LAB_COST_FACTOR + 1))) + 1);
  });

  it('runs while packets keep arriving more often than the debounce, not only once they stop', async () => {
    const ANALYSIS_MS = 50;
    const analysed: number[] = [];
    let dissected = 10;
    const { store, setProgress } = await guideOpen(async () => {
      analysed.push(dissected);
      await new Promise((resolve) => setTimeout(resolve, ANALYSIS_MS));
      return { analysed: dissected, total: dissected, truncated: false } as LabResult;
    });
    // A fast live capture: the worker's progress every 100 ms (its interval) for 5 s.
    for (let t = 0; t < 5_000; t += 100) {
      dissected += 500;
      setProgress({ received: dissected, dissected, displayed: dissected });
      await vi.advanceTimersByTimeAsync(100);
    }
    const during = analysed.filter((n) => n > 10);
    // The first run LAB_DEBOUNCE_MS after the first new packets, then one every
    // max(LAB_DEBOUNCE_MS, LAB_COST_FACTOR × its cost) or so.
    expect(during.length).toBeGreaterThanOrEqual(
      Math.floor(5_000 / (LAB_DEBOUNCE_MS + ANALYSIS_MS * LAB_COST_FACTOR)) - 2,
    );
    expect(during[0]).toBeLessThanOrEqual(10 + 500 * (LAB_DEBOUNCE_MS / 100 + 1));
    // The guide shows the capture of at most a second or so ago (12 updates of 500 packets).
    await vi.advanceTimersByTimeAsync(ANALYSIS_MS);
    expect(store.getState().lab?.analysed).toBeGreaterThan(dissected - 500 * 12);
  });

  it('past LAB_PACKET_LIMIT packets it is not run again for more packets, only for a new source', async () => {
    let runs = 0;
    let dissected = 0;
    const { store, setProgress } = await guideOpen(async () => {
      runs++;
      const analysed = Math.min(dissected, LAB_PACKET_LIMIT);
      return { analysed, total: dissected, truncated: dissected > analysed } as LabResult;
    });
    const grow = async (n: number, generation = 0) => {
      dissected = n;
      setProgress({ received: n, dissected: n, displayed: n, generation });
      await vi.advanceTimersByTimeAsync(1000);
    };
    await grow(5_000);
    await grow(LAB_PACKET_LIMIT + 1_000);
    const whenComplete = runs;
    expect(store.getState().lab?.truncated).toBe(true);
    for (let n = LAB_PACKET_LIMIT + 2_000; n < LAB_PACKET_LIMIT + 20_000; n += 2_000) await grow(n);
    expect(runs).toBe(whenComplete);
    // A new capture starts over.
    await grow(100, 1);
    expect(runs).toBe(whenComplete + 1);
    expect(store.getState().lab?.truncated).toBe(false);
  });

  it('a status update runs it again only when it changes what the analysis reads of the host', async () => {
    let runs = 0;
    const dissected = LAB_PACKET_LIMIT + 5_000;
    const { store, setProgress } = await guideOpen(async () => {
      runs++;
      return { analysed: LAB_PACKET_LIMIT, total: dissected, truncated: true } as LabResult;
    });
    const live = (received: number, server: 'running' | 'stopped' = 'stopped') =>
      labStatus({
        server: { state: server, host: '127.0.0.1', port: 8001 },
        capture: { state: 'running', backend: 'cap', device: 'lo', received, dropped: 0 },
        source: { kind: 'live', packets: received, generation: 0 },
      });
    store.getState().receiveStatus(live(1_000));
    setProgress({ received: dissected, dissected, displayed: dissected, generation: 0 });
    await vi.advanceTimersByTimeAsync(1000);
    const settled = runs;
    expect(store.getState().lab?.truncated).toBe(true);
    // The capture's counters, every second of a live load: the analysis is the same.
    for (let i = 2; i <= 6; i++) {
      store.getState().receiveStatus(live(i * 1_000));
      await vi.advanceTimersByTimeAsync(1000);
    }
    expect(runs).toBe(settled);
    // The lab server came up: a fact the analysis reads (its checklist says so).
    store.getState().receiveStatus(live(7_000, 'running'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(settled + 1);
  });

  it('asks for the lists the shown tab reads: again when a tab needs lists the result lacks, not when it lacks none', async () => {
    const asked: LabRequestOptions[] = [];
    const { store } = await guideOpen(async (options) => {
      asked.push(options);
      return { analysed: 10, total: 10, truncated: false } as LabResult;
    });
    await store.getState().refreshLab();
    expect(asked.at(-1)?.views).toEqual({ flowGraph: false, timeSequence: false, allConnections: false });
    expect(store.getState().lab?.views).toEqual(labViewsOf('guide', false));
    // The flow graph needs the arrows the guide's result lacks: asked for at once.
    store.getState().setSideTab('flow');
    await vi.advanceTimersByTimeAsync(0);
    expect(asked.at(-1)?.views).toEqual({ flowGraph: true, timeSequence: false, allConnections: false });
    expect(store.getState().lab?.views.flowGraph).toBe(true);
    // Back to the guide: the result has all it reads, nothing is asked.
    const before = asked.length;
    store.getState().setSideTab('guide');
    await vi.advanceTimersByTimeAsync(0);
    expect(asked.length).toBe(before);
    // An export of the time–sequence graph's data from the guide: the points are asked for, the guide's needs kept.
    const lab = await store.getState().labWithViews(store.getState().labViews('tcptrace'));
    expect(asked.length).toBe(before + 1);
    expect(lab?.views.timeSequence).toBe(true);
    // …and a second ask for what the result carries is answered from it.
    await store.getState().labWithViews(store.getState().labViews('tcptrace'));
    expect(asked.length).toBe(before + 1);
  });

  it('"Show all" asks for every connection, and holds until the next capture', async () => {
    const asked: LabRequestOptions[] = [];
    const { store, setProgress } = await guideOpen(async (options) => {
      asked.push(options);
      return { analysed: 10, total: 10, truncated: false } as LabResult;
    });
    await store.getState().refreshLab();
    expect(asked.at(-1)?.views?.allConnections).toBe(false);
    store.getState().showAllConnections();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().guideShowsAll).toBe(true);
    expect(asked.at(-1)?.views).toEqual({ flowGraph: false, timeSequence: false, allConnections: true });
    expect(store.getState().lab?.views.allConnections).toBe(true);
    // Another tab keeps it: its asks carry every connection too.
    store.getState().setSideTab('flow');
    await vi.advanceTimersByTimeAsync(0);
    expect(asked.at(-1)?.views).toEqual({ flowGraph: true, timeSequence: false, allConnections: true });
    // A new capture: the guide draws its first connections again, and asks for those.
    store.getState().setSideTab('guide');
    setProgress({ generation: store.getState().progress.generation + 1, dissected: 5 });
    expect(store.getState().guideShowsAll).toBe(false);
    await vi.advanceTimersByTimeAsync(LAB_DEBOUNCE_MS + 10);
    expect(asked.at(-1)?.views).toEqual({ flowGraph: false, timeSequence: false, allConnections: false });
  });

  it('an answer asked for before the tab changed, lacking what the new tab reads, is followed by a new ask', async () => {
    const asked: LabRequestOptions[] = [];
    let answer: (() => void) | null = null;
    const { store } = await guideOpen(async (options) => {
      asked.push(options);
      if (asked.length === 1) await new Promise<void>((resolve) => (answer = resolve));
      return { analysed: 10, total: 10, truncated: false } as LabResult;
    });
    const first = store.getState().refreshLab();
    await vi.advanceTimersByTimeAsync(0);
    // The tab changes while the guide's ask runs; the store has no result yet, so nothing new is asked.
    store.getState().setSideTab('tcptrace');
    expect(asked.length).toBe(1);
    answer!();
    await first;
    await vi.advanceTimersByTimeAsync(0);
    expect(asked.length).toBe(2);
    expect(asked[1].views).toEqual({ flowGraph: false, timeSequence: true, allConnections: false });
    expect(store.getState().lab?.views.timeSequence).toBe(true);
  });
});
