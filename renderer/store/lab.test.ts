import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAppStore } from './app-store';
import { LAB_COST_FACTOR, LAB_DEBOUNCE_MS } from './lab';
import { fakeApi, fakeWorker } from '../test/fakes';
import type { LabResult } from '../worker/worker-messages';

afterEach(() => {
  vi.useRealTimers();
});

describe('the lab guide while packets keep arriving', () => {
  it('an analysis that takes long runs again only after LAB_COST_FACTOR times its duration', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'Date'] });
    const { api } = fakeApi();
    const { worker, setProgress } = fakeWorker(null, 10);
    const ANALYSIS_MS = 1000;
    const runs: number[] = [];
    Object.assign(worker, {
      lab: async () => {
        runs.push(performance.now());
        await new Promise((resolve) => setTimeout(resolve, ANALYSIS_MS));
        return {} as LabResult;
      },
    });
    const store = createAppStore({ api, worker, language: 'en' });
    await store.getState().init();
    store.setState({ sidePanelOpen: true });
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
});
