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

/**
 * Where each thread of a Chromium trace spent its CPU (BENCH_TRACE of ui.bench): per thread name
 * (numbers dropped, so the thread pool's workers make one line), the events with the most CPU
 * of their own (the thread clock `tdur`, less their children's), as
 * [{ thread, cpuMs, top: [{ name, ms }] }], the busiest thread first. On the bench machine this
 * showed V8's background compiler, not the GC, as the thread pool's main work during a load.
 */
export function threadTimesOfTrace(path, topN = 5) {
  const parsed = JSON.parse(readFileSync(path, 'utf8'));
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const threadName = new Map();
  for (const e of events)
    if (e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, String(e.args?.name ?? '?').replace(/\d+/g, ''));
  const byThread = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || e.dur === undefined || e.tdur === undefined) continue;
    const key = `${e.pid}:${e.tid}`;
    if (!byThread.has(key)) byThread.set(key, []);
    byThread.get(key).push(e);
  }
  const groups = new Map();
  for (const [key, list] of byThread) {
    const name = threadName.get(key) ?? key;
    const group = groups.get(name) ?? { thread: name, cpuUs: 0, self: new Map() };
    groups.set(name, group);
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    // Each event's own CPU: its thread time less that of the events nested in it.
    const frames = [];
    const stack = [];
    for (const e of list) {
      while (stack.length > 0 && stack.at(-1).end <= e.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent) parent.childUs += e.tdur;
      else group.cpuUs += e.tdur;
      const frame = { name: e.name, end: e.ts + e.dur, cpuUs: e.tdur, childUs: 0 };
      stack.push(frame);
      frames.push(frame);
    }
    for (const f of frames) group.self.set(f.name, (group.self.get(f.name) ?? 0) + Math.max(0, f.cpuUs - f.childUs));
  }
  return [...groups.values()]
    .sort((a, b) => b.cpuUs - a.cpuUs)
    .map((g) => ({
      thread: g.thread,
      cpuMs: g.cpuUs / 1000,
      top: [...g.self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, topN)
        .map(([name, us]) => ({ name, ms: us / 1000 })),
    }));
}
