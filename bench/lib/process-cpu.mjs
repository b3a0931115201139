/* global performance, setTimeout */
// Where a bench's CPU went: user + system time of processes and their threads, read from /proc
// (Linux only; elsewhere every snapshot is empty and nothing is printed). The live bench's two
// cores are shared by the host's capture, the lab server, the load generator and Chromium's
// threads (UI, dissection worker, lab worker): a rate that drops needs to say who took the time.
// Each thread's time spent runnable but waiting for a CPU (/proc/…/schedstat) says how much a
// task's wall time is the machine's contention rather than its own work. Its page faults (the
// first touches of fresh memory) say how much of its time went to the kernel mapping pages:
// about 10 µs each on the benches' VM.
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond = 100;
/** The key of a process's own total (its live and ended threads). */
const PROCESS_TOTAL = '(process total)';
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  /* the usual value */
}

/** /proc/PID/stat (or a task's): comm, ppid, utime + stime in ticks, minor page faults; null if it is gone. */
function readStat(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  // comm is in parentheses and may itself hold spaces or parentheses: split after the last ')'.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state): ppid is field 4, minflt 10, utime 14, stime 15.
  return { comm, ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]), faults: Number(rest[7]) };
}

/** Nanoseconds a thread has waited, runnable, for a CPU (0 where schedstat is missing). */
function readWait(path) {
  try {
    return Number(readFileSync(path, 'utf8').split(' ')[1]) || 0;
  } catch {
    return 0;
  }
}

/** A process's name: its comm, and Chromium's process type (renderer, gpu-process, utility…). */
function processName(pid, comm) {
  try {
    const type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
    return type ? `${comm} ${type[1]}` : comm;
  } catch {
    return comm;
  }
}

function allProcesses() {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * The CPU ticks so far of every thread of `roots` (label → pid) and of their descendants, and
 * how long each waited for a CPU, its page faults: key "label/process/thread#tid" → { ticks, waitNs, faults }.
 */
export function cpuSnapshot(roots) {
  const stats = new Map();
  for (const pid of allProcesses()) {
    const stat = readStat(`/proc/${pid}/stat`);
    if (stat) stats.set(pid, stat);
  }
  const labelOf = (pid) => {
    for (let p = pid, depth = 0; p > 1 && depth < 32; p = stats.get(p)?.ppid ?? 0, depth++) {
      for (const [label, root] of Object.entries(roots)) if (root === p) return label;
    }
    return null;
  };
  const ticks = new Map();
  for (const [pid, process] of stats) {
    const label = labelOf(pid);
    if (label === null) continue;
    const name = processName(pid, process.comm);
    let tids;
    try {
      tids = readdirSync(`/proc/${pid}/task`).map(Number);
    } catch {
      continue;
    }
    for (const tid of tids) {
      const thread = readStat(`/proc/${pid}/task/${tid}/stat`);
      if (thread)
        ticks.set(`${label}/${name}#${pid}/${thread.comm}#${tid}`, {
          ticks: thread.ticks,
          waitNs: readWait(`/proc/${pid}/task/${tid}/schedstat`),
          faults: thread.faults,
        });
    }
    // The process's own total also counts threads that have ended (short-lived workers).
    ticks.set(`${label}/${name}#${pid}/${PROCESS_TOTAL}`, { ticks: process.ticks, waitNs: 0, faults: process.faults });
  }
  return ticks;
}

/**
 * The CPU seconds between two snapshots, by label and thread name (threads of one name summed,
 * with their count), largest first; those under `minSeconds` left out.
 */
export function cpuBetween(before, after, minSeconds = 0.2) {
  // Per thread: ticks used and time waited; per process, its total less its live threads' ticks
  // is its ended threads'.
  const used = new Map();
  const ended = new Map();
  for (const [key, now] of after) {
    const then = before.get(key);
    const delta = now.ticks - (then?.ticks ?? 0);
    const waited = now.waitNs - (then?.waitNs ?? 0);
    const faults = now.faults - (then?.faults ?? 0);
    const process = key.slice(0, key.lastIndexOf('/'));
    const total = key.endsWith(`/${PROCESS_TOTAL}`);
    const sign = total ? 1 : -1;
    const gone = ended.get(process) ?? { delta: 0, faults: 0 };
    ended.set(process, { delta: gone.delta + sign * delta, faults: gone.faults + sign * faults });
    if (!total) used.set(key, { delta, waited, faults });
  }
  for (const [process, gone] of ended) used.set(`${process}/threads that ended`, { ...gone, waited: 0 });
  const byName = new Map();
  for (const [key, { delta, waited, faults }] of used) {
    if (delta <= 0) continue;
    const seconds = delta / ticksPerSecond;
    const [label, process, thread] = key.split('/');
    const name = `${label}: ${process.replace(/#\d+$/, '')}: ${thread.replace(/#\d+$/, '')}`;
    const entry = byName.get(name) ?? { name, seconds: 0, waited: 0, faults: 0, threads: [] };
    entry.seconds += seconds;
    entry.waited += waited / 1e9;
    entry.faults += Math.max(0, faults);
    entry.threads.push(seconds);
    byName.set(name, entry);
  }
  return [...byName.values()].filter((e) => e.seconds >= minSeconds).sort((a, b) => b.seconds - a.seconds);
}

/**
 * One line per entry: "chromium: chromium renderer: DedicatedWorker ×2  9.1 s (6.7 + 2.4), waited
 * 1.2 s for a CPU, 42k page faults".
 */
export function formatCpu(entries) {
  return entries.map((e) => {
    const parts = e.threads.filter((s) => s >= 0.05).sort((a, b) => b - a);
    const split = parts.length > 1 ? ` (${parts.map((s) => s.toFixed(1)).join(' + ')})` : '';
    const waited = e.waited >= 0.05 ? `, waited ${e.waited.toFixed(1)} s for a CPU` : '';
    const faults = e.faults >= 1000 ? `, ${Math.round(e.faults / 1000)}k page faults` : '';
    return `${e.name}${e.threads.length > 1 ? ` ×${e.threads.length}` : ''}  ${e.seconds.toFixed(1)} s${split}${waited}${faults}`;
  });
}

/**
 * Waits until the processes of `roots` (and their descendants) are quiet: under `maxShare` of
 * one core over a `windowMs` window, at most `timeoutMs` in all. A freshly launched Chromium
 * keeps working for seconds after its first page has loaded (its own WebUI renderer for the
 * omnibox popup, started in the background, took 0.4 s of CPU in the middle of a measured
 * load): a bench that times the app waits for that to end first, as tshark's runs start on a
 * quiet machine. Returns how long it waited and whether it saw a quiet window (false on Linux
 * only when the timeout passed; elsewhere there is nothing to read and it returns at once).
 */
export async function waitForQuiet(roots, { windowMs = 500, maxShare = 0.1, timeoutMs = 20_000 } = {}) {
  const started = performance.now();
  const total = (snapshot) => {
    let ticks = 0;
    // Processes' totals, not their live threads': a thread that ended in the window would
    // take its ticks out of the sum and make the window look quieter than it was.
    for (const [key, value] of snapshot) if (key.endsWith(`/${PROCESS_TOTAL}`)) ticks += value.ticks;
    return ticks;
  };
  let before = total(cpuSnapshot(roots));
  if (before === 0) return { waitedMs: 0, quiet: true };
  while (performance.now() - started < timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = total(cpuSnapshot(roots));
    const share = (now - before) / ticksPerSecond / (windowMs / 1000);
    before = now;
    if (share < maxShare) return { waitedMs: performance.now() - started, quiet: true };
  }
  return { waitedMs: performance.now() - started, quiet: false };
}
