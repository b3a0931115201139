// The UI thread's long tasks in a Chromium trace (BENCH_LIVE_TRACE): each task's wall time and
// the CPU time its thread had during it (the trace's thread clock, `tdur`). On a busy 2-core
// machine the two differ: a task whose code needs 15 ms can take 100 ms while the thread waits
// for a core. The page's own PerformanceObserver sees only the wall time.
import { readFileSync } from 'node:fs';

/**
 * The long tasks (≥ `minMs` of wall time) of the renderer's main thread with the most script
 * calls (the app's page), as { at (s from the first event), wallMs, cpuMs }.
 */
export function longTasksOfTrace(path, minMs = 50) {
  const parsed = JSON.parse(readFileSync(path, 'utf8'));
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const mainThreads = new Set();
  for (const e of events)
    if (e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mainThreads.add(`${e.pid}:${e.tid}`);
  const calls = new Map();
  for (const e of events) {
    const key = `${e.pid}:${e.tid}`;
    if (e.name === 'FunctionCall' && mainThreads.has(key)) calls.set(key, (calls.get(key) ?? 0) + 1);
  }
  const main = [...calls].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (main === undefined) return [];
  const own = events.filter((e) => `${e.pid}:${e.tid}` === main && e.ph === 'X');
  const start = Math.min(...own.map((e) => e.ts));
  return own
    .filter((e) => e.name === 'RunTask' && e.dur >= minMs * 1000)
    .map((e) => ({ at: (e.ts - start) / 1e6, wallMs: e.dur / 1000, cpuMs: (e.tdur ?? NaN) / 1000 }));
}
