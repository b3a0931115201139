/* global window, document, PerformanceObserver, performance, setTimeout */
// Live capture under load, in the browser shell (out/web/web.js + out/renderer, built by
// `npm run bench`) in Debian's headless Chromium: Start Lab on a free lab port, then a load
// generator (bench/lib/http-load.mjs, a child process; 127.0.0.1 only) drives the lab server at
// ≥ 20,000 packets/s for 30 s. Every 500 ms the bench counts the packets in the capture's temp
// file (the host's on-disk copy of everything captured) and reads the packet list's count from
// the status bar. Printed, each with its target and met/MISSED:
//   - the rate the capture file saw (target ≥ 20,000 packets/s over the 30 s),
//   - the list's lag behind the capture file, in seconds (target ≤ 1 s) and whether it grows,
//   - the UI thread's longest task (PerformanceObserver 'longtask'; target ≤ 50 ms),
//   - after Stop: the packets in the capture file against the packets in the list (must be equal),
// with the time `tshark -r FILE -q` needs for the same file as a reference.
// Needs root (or capture permission) for the capture on lo: skipped with the reason otherwise.
// Env: BENCH_LIVE_SECONDS (default 30), BENCH_LIVE_PPS (default 20000), BENCH_LIVE_SOCKETS (64),
//      BENCH_LIVE_CLOSE_EVERY (10: every 10th request of a connection asks Connection: close),
//      BENCH_LIVE_HOST_PROFILE=DIR (a CPU profile of the host process), BENCH_LIVE_PAGE_PROFILE=DIR
//      (CPU profiles of the page's main thread and its workers during the load),
//      BENCH_LIVE_KEEP=PATH (a copy of the capture file), BENCH_LIVE_TRACE=FILE (a Chromium trace
//      of the page's first 8 s of the load, BENCH_LIVE_TRACE_SECONDS to change that: style,
//      layout, paint and script per task, for the UI thread's long tasks, and their own CPU time),
//      BENCH_LIVE_TRACE_CATEGORIES (its categories, comma-separated; add toplevel,mojom to see
//      which IPC or WebSocket messages the UI thread's tasks handle), BENCH_LIVE_DEVTOOLS_NETWORK=1
//      (DevTools' Network domain on for the page, as Playwright has it: then Chromium copies every
//      WebSocket frame to DevTools, and the list falls behind for that reason alone).
// The page is driven over a bare DevTools pipe (bench/lib/bare-chromium.mjs), not Playwright, so
// that it runs as it does for a user, with no DevTools copying its traffic.
import { fork, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuBetween, cpuSnapshot, formatCpu, waitForQuiet } from './lib/process-cpu.mjs';
import { longTasksOfTrace } from './lib/trace-tasks.mjs';

const SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 30);
const TARGET_PPS = Number(process.env.BENCH_LIVE_PPS ?? 20_000);
const SOCKETS = Number(process.env.BENCH_LIVE_SOCKETS ?? 64);
const CLOSE_EVERY = Number(process.env.BENCH_LIVE_CLOSE_EVERY ?? 10);
const SAMPLE_MS = 500;
const MAX_LAG_S = 1;
const MAX_TASK_MS = 50;

const skip = (reason) => {
  console.log(`live.bench: skipped — ${reason}`);
  process.exit(0);
};
const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();

if (process.getuid?.() !== 0) skip('a live capture on lo needs root (or capture permission); run as root');
if (!onPath('dumpcap') && !onPath('tcpdump') && !existsSync('node_modules/cap/build/Release/cap.node'))
  skip('no capture backend (dumpcap, tcpdump or the cap module)');
for (const built of ['out/web/web.js', 'out/renderer/index.html', 'out/capture/capture-worker.js']) {
  if (!existsSync(built)) {
    console.error(`live.bench: ${built} is missing; build first (npm run build; npm run bench does).`);
    process.exit(1);
  }
}
const { CHROMIUM_PATH, launchBareChromium } = await import('./lib/bare-chromium.mjs');
if (!existsSync(CHROMIUM_PATH)) skip(`no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`);

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const verdict = (ok) => (ok ? 'met' : 'MISSED');
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * Counts the packets of a capture file another process appends to (pcapng: EPB/SPB/PB blocks;
 * pcap: records), reading only what was added since the last call. It reads into one buffer,
 * reused from call to call: the bench shares the two cores with what it measures, and fresh
 * memory costs a page fault per 4 KB (10 µs each on this VM).
 */
class FileCounter {
  constructor(path) {
    this.path = path;
    this.fd = openSync(path, 'r');
    this.offset = 0;
    this.packets = 0;
    this.format = null;
    this.littleEndian = true;
    this.buffer = Buffer.alloc(4 << 20);
    /** The bytes read and not yet counted (an unfinished block): this.buffer's start. */
    this.pending = this.buffer.subarray(0, 0);
  }

  count() {
    const size = fstatSync(this.fd).size;
    if (size > this.offset) {
      const kept = this.pending.length;
      const wanted = kept + (size - this.offset);
      if (wanted > this.buffer.length) {
        const larger = Buffer.alloc(Math.max(wanted, this.buffer.length * 2));
        this.pending.copy(larger, 0);
        this.buffer = larger;
      } else this.pending.copy(this.buffer, 0); // to the start (copy handles the overlap)
      const read = readSync(this.fd, this.buffer, kept, size - this.offset, this.offset);
      this.offset += read;
      this.pending = this.buffer.subarray(0, kept + read);
      this.parse();
    }
    return this.packets;
  }

  parse() {
    let at = 0;
    const b = this.pending;
    if (this.format === null) {
      if (b.length < 24) return;
      const magic = b.readUInt32LE(0);
      if (magic === 0x0a0d0d0a) {
        this.format = 'pcapng';
        this.littleEndian = b.readUInt32LE(8) === 0x1a2b3c4d;
      } else {
        this.format = 'pcap';
        this.littleEndian = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
        at = 24;
      }
    }
    const u32 = (o) => (this.littleEndian ? b.readUInt32LE(o) : b.readUInt32BE(o));
    if (this.format === 'pcapng') {
      while (at + 12 <= b.length) {
        const type = u32(at);
        if (type === 0x0a0d0d0a) this.littleEndian = b.readUInt32LE(at + 8) === 0x1a2b3c4d;
        const length = u32(at + 4);
        if (length < 12 || at + length > b.length) break;
        if (type === 6 || type === 3 || type === 2) this.packets++;
        at += length;
      }
    } else {
      while (at + 16 <= b.length) {
        const length = 16 + u32(at + 8);
        if (at + length > b.length) break;
        this.packets++;
        at += length;
      }
    }
    this.pending = b.subarray(at);
  }

  close() {
    closeSync(this.fd);
  }
}

/** The capture file the host writes (in the TMPDIR the shell was started with). */
function findCaptureFile(tempRoot) {
  for (const dir of readdirSync(tempRoot)) {
    if (!dir.startsWith('wirelab-capture-')) continue;
    for (const name of readdirSync(join(tempRoot, dir))) {
      if (/\.pcapng?$/.test(name)) return join(tempRoot, dir, name);
    }
  }
  return null;
}

const work = mkdtempSync(join(tmpdir(), 'wirelab-livebench-'));
const dataDir = join(work, 'data');
const tempRoot = join(work, 'tmp');
mkdirSync(dataDir);
mkdirSync(tempRoot);
// A filled-in profile, as on any run after the first (test/e2e/seed-profile.mjs writes the same).
writeFileSync(
  join(dataDir, 'profile.json'),
  JSON.stringify({
    version: 1,
    major: '计算机科学 Computer Science',
    studentId: '2026000001',
    name: 'Bench',
    logo: null,
  }),
);
const port = await freePort();
const labPort = await freePort();
const token = randomBytes(16).toString('hex');
console.log(
  `live capture under load: ${SECONDS} s at ≥ ${TARGET_PPS.toLocaleString('en-US')} packets/s to 127.0.0.1:${labPort} ` +
    `(${SOCKETS} connections, Connection: close every ${CLOSE_EVERY || '∞'} requests); load average ${load()}`,
);
const server = spawn(
  process.execPath,
  [
    // BENCH_LIVE_HOST_PROFILE=DIR: a CPU profile of the host process (written when it exits).
    ...(process.env.BENCH_LIVE_HOST_PROFILE
      ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_LIVE_HOST_PROFILE]
      : []),
    'out/web/web.js',
    '--no-open',
    '--port',
    String(port),
    '--lab-port',
    String(labPort),
    '--token',
    token,
    '--data-dir',
    dataDir,
  ],
  { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tempRoot } },
);
let serverLog = '';
server.stderr.on('data', (d) => (serverLog += d));
await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => String(d).includes('running at') && resolve());
  server.on('exit', (code) => reject(new Error(`web server exited (${code}): ${serverLog}`)));
});

const browser = await launchBareChromium({ width: 1280, height: 800 });
let generator = null;
let counter = null;
let failed = false;
try {
  // A bare DevTools pipe, not Playwright: see bench/lib/bare-chromium.mjs (Playwright's Network
  // domain copies every WebSocket frame the page receives, a cost of its own on the UI thread).
  const page = await browser.newPage();
  // BENCH_LIVE_DEVTOOLS_NETWORK=1: DevTools' Network domain on, as Playwright has it (the cost it adds).
  if (process.env.BENCH_LIVE_DEVTOOLS_NETWORK === '1') await page.send('Network.enable');
  // What the page and its worker report as errors goes to the bench's output (a stalled list says why).
  const pageErrors = [];
  const noteError = (text) => {
    if (pageErrors.length < 20) pageErrors.push(text);
  };
  page.onError(noteError);
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Where a long frame's time went (script by function, style and layout, rendering).
    window.__longFrames = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__longFrames.push({
          start: e.startTime,
          duration: e.duration,
          layout: e.renderStart && e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: e.scripts.map((x) => ({
            invoker: x.invoker,
            name: x.sourceFunctionName,
            at: `${x.sourceURL.split('/').pop()}:${x.sourceCharPosition}`,
            duration: Math.round(x.duration),
            layout: Math.round(x.forcedStyleAndLayoutDuration),
          })),
        });
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  await page.goto(`http://127.0.0.1:${port}/?lang=en&token=${token}`);

  // Start Lab: the capture starts, then the profile page opens in a new tab (closed once it has
  // loaded: only the load counts).
  await page.clickButton('Start Lab');
  await page.waitForButton('Stop');
  await page
    .waitForFunction(
      () => document.querySelector('[data-testid="packet-counts"]')?.textContent?.match(/Packets:\s*[1-9]/) != null,
    )
    .catch(() => undefined);
  await sleep(500);
  await browser.closeOtherPages(page);
  let file = null;
  for (let i = 0; i < 100 && file === null; i++) {
    file = findCaptureFile(tempRoot);
    if (file === null) await sleep(100);
  }
  if (file === null) throw new Error(`no capture file appeared in ${tempRoot}`);
  counter = new FileCounter(file);

  /** The status bar's counts: "Packets: N · Displayed: M (p%)". */
  const uiCounts = () =>
    page.evaluate(() => {
      const text = document.querySelector('[data-testid="packet-counts"]')?.textContent ?? '';
      const m = /Packets:\s*([\d,]+)\D+Displayed:\s*([\d,]+)/.exec(text);
      const grid = document.querySelector('[role="grid"]');
      return {
        captured: m ? Number(m[1].replace(/,/g, '')) : -1,
        displayed: m ? Number(m[2].replace(/,/g, '')) : -1,
        rows: grid ? Number(grid.getAttribute('aria-rowcount') ?? 0) - 1 : -1,
      };
    });
  // Let the page's own traffic settle, then start counting from a quiet list, once Chromium's
  // own background start-up work is done too (see waitForQuiet).
  await sleep(1000);
  const cpuRoots = { host: server.pid, chromium: browser.pid, bench: process.pid };
  const settle = await waitForQuiet(cpuRoots);
  console.log(
    `the load starts once the host and Chromium are quiet: after ${Math.round(settle.waitedMs)} ms${settle.quiet ? '' : ' (they never were: started anyway)'}`,
  );
  await page.evaluate(() => {
    window.__longTasks = [];
    window.__longFrames = [];
  });

  // BENCH_LIVE_PAGE_PROFILE=DIR: CPU profiles of the page's main thread and of its workers
  // (the dissection worker) during the load.
  const profileDir = process.env.BENCH_LIVE_PAGE_PROFILE;
  const profiled = profileDir ? [['page', page], ...page.workers().map((w, i) => [`worker${i}`, w])] : [];
  for (const [, target] of profiled) {
    await target.send('Profiler.enable');
    await target.send('Profiler.start');
  }
  const traceFile = process.env.BENCH_LIVE_TRACE;
  let traceDone = Promise.resolve();
  if (traceFile) {
    await browser.startTracing(
      (process.env.BENCH_LIVE_TRACE_CATEGORIES ?? 'devtools.timeline,disabled-by-default-devtools.timeline').split(','),
    );
    traceDone = sleep(Number(process.env.BENCH_LIVE_TRACE_SECONDS ?? 8) * 1000).then(() =>
      browser.stopTracing(traceFile),
    );
  }
  const t0 = performance.now();
  const now = () => (performance.now() - t0) / 1000;
  const fileSamples = [{ t: 0, n: counter.count() }];
  const uiSamples = [];
  let rate = Math.round(TARGET_PPS / 3.5); // requests/s; adjusted from the packets the file sees
  const cpuAtStart = cpuSnapshot(cpuRoots);
  generator = fork('bench/lib/http-load.mjs', [String(labPort), String(SOCKETS), String(rate), String(CLOSE_EVERY)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let loadStats = { requests: 0, responses: 0, errors: 0 };
  generator.on('message', (m) => (loadStats = m));

  /** The time the capture file first held n packets (linear between samples), or null. */
  const fileTimeOf = (n) => {
    for (let i = 0; i < fileSamples.length; i++) {
      const s = fileSamples[i];
      if (s.n >= n) {
        if (i === 0) return s.t;
        const p = fileSamples[i - 1];
        return p.t + ((n - p.n) / (s.n - p.n)) * (s.t - p.t);
      }
    }
    return null;
  };
  const sampleUi = async () => {
    const counts = await uiCounts();
    const t = now(); // when the count was back: a UI thread that is late answering counts as lag
    const at = fileTimeOf(counts.captured);
    const file = fileSamples[fileSamples.length - 1].n;
    const lag = at === null ? 0 : Math.max(0, t - at);
    uiSamples.push({ t, ...counts, file, lag });
    return counts;
  };

  const ADJUST_EVERY = 4; // samples (2 s)
  for (let k = 1; now() < SECONDS; k++) {
    await sleep(Math.max(0, k * SAMPLE_MS - (performance.now() - t0)));
    fileSamples.push({ t: now(), n: counter.count() });
    await sampleUi();
    if (k % ADJUST_EVERY === 0 && fileSamples.length > ADJUST_EVERY) {
      const a = fileSamples[fileSamples.length - 1 - ADJUST_EVERY];
      const b = fileSamples[fileSamples.length - 1];
      const pps = (b.n - a.n) / (b.t - a.t);
      // Aim 5% above the target; at most ×2 or ÷2 per step.
      const factor = pps > 0 ? Math.min(2, Math.max(0.5, (TARGET_PPS * 1.05) / pps)) : 2;
      // Never past what TARGET_PPS could need at one packet a request: a machine that cannot
      // keep up is reported as such, not driven ever harder.
      rate = Math.min(TARGET_PPS, Math.max(100, Math.round(rate * factor)));
      generator.send({ rate });
      const last = uiSamples[uiSamples.length - 1];
      console.log(
        `  ${b.t.toFixed(1).padStart(5)} s  file ${b.n.toLocaleString('en-US').padStart(9)} (${Math.round(pps).toLocaleString('en-US').padStart(6)}/s)` +
          `  list ${last.captured.toLocaleString('en-US').padStart(9)}  lag ${last.lag.toFixed(2)} s  → ${rate} req/s  load ${loadavg()[0].toFixed(2)}`,
      );
    }
  }
  const loadEnd = now();
  const cpuDuringLoad = cpuBetween(cpuAtStart, cpuSnapshot({ ...cpuRoots, 'load generator': generator.pid }));
  generator.send({ stop: true });
  await new Promise((r) => generator.once('exit', r));
  generator = null;
  // The DOM each layout walks: a side panel of thousands of elements made every frame costly.
  const domSize = await page.evaluate(() => ({
    all: document.getElementsByTagName('*').length,
    side: document.querySelector('.side-panel')?.getElementsByTagName('*').length ?? 0,
  }));
  const longTasks = await page.evaluate(() => window.__longTasks);
  const longFrames = await page.evaluate(() => window.__longFrames);
  await traceDone;
  for (const [name, target] of profiled) {
    const { profile } = await target.send('Profiler.stop');
    mkdirSync(profileDir, { recursive: true });
    writeFileSync(join(profileDir, `${name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
  }
  const endFile = counter.count();
  fileSamples.push({ t: now(), n: endFile });

  // Drain: how long the list needs to show what the file holds once the load stops.
  let drained = null;
  while (now() - loadEnd < 30) {
    const counts = await sampleUi();
    fileSamples.push({ t: now(), n: counter.count() });
    if (counts.captured >= fileSamples[fileSamples.length - 1].n) {
      drained = now() - loadEnd;
      break;
    }
    await sleep(100);
  }

  // Stop, then the final counts: the capture file against the list.
  await page.clickButton('Stop');
  await page.waitForButton('Start Lab');
  // The list is done when it has every packet of the file, or when it has stopped growing for
  // 5 s with nothing left to dissect (packets still on their way from the host are not lost).
  let stillLoading = true;
  for (let last = -1, since = performance.now(), started = performance.now(); performance.now() - started < 120_000;) {
    const counts = await uiCounts();
    const loading = await page.evaluate(() => document.querySelector('[data-testid="loading"]') !== null);
    if (counts.captured >= counter.count()) {
      stillLoading = false;
      break;
    }
    if (counts.captured !== last || loading) {
      last = counts.captured;
      since = performance.now();
    } else if (performance.now() - since > 5000) {
      stillLoading = false;
      break;
    }
    await sleep(250);
  }
  const finalFile = counter.count();
  // BENCH_LIVE_KEEP=PATH: a copy of the capture file, to replay what the list was shown.
  if (process.env.BENCH_LIVE_KEEP) copyFileSync(file, process.env.BENCH_LIVE_KEEP);
  const finalUi = await uiCounts();

  // Figures.
  const during = uiSamples.filter((s) => s.t <= loadEnd);
  const loadPackets = fileSamples.find((s) => s.t >= loadEnd)?.n - fileSamples[0].n;
  const pps = loadPackets / loadEnd;
  const maxLag = Math.max(0, ...during.map((s) => s.lag));
  const third = Math.max(1, Math.floor(during.length / 3));
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const early = mean(during.slice(0, third).map((s) => s.lag));
  const late = mean(during.slice(-third).map((s) => s.lag));
  const growing = late > early + 0.25;
  const maxBacklog = Math.max(0, ...during.map((s) => s.file - s.captured));
  const longest = longTasks.reduce((m, t) => Math.max(m, t.duration), 0);
  const tshark = onPath('tshark');
  let tsharkSeconds = null;
  if (tshark) {
    const started = performance.now();
    const r = spawnSync(tshark, ['-r', file, '-q'], { stdio: 'ignore' });
    if (r.status === 0) tsharkSeconds = (performance.now() - started) / 1000;
  }
  const capinfos = onPath('capinfos');
  let capinfosCount = null;
  if (capinfos) {
    const r = spawnSync(capinfos, ['-c', '-M', file], { encoding: 'utf8' });
    const m = /Number of packets:\s*(\d+)/.exec(r.stdout);
    if (m) capinfosCount = Number(m[1]);
  }

  console.log('\nresults:');
  console.log(
    `  load: ${loadStats.requests.toLocaleString('en-US')} requests, ${loadStats.responses.toLocaleString('en-US')} responses, ${loadStats.errors} errors`,
  );
  console.log(
    `  capture rate: ${Math.round(pps).toLocaleString('en-US')} packets/s over ${loadEnd.toFixed(1)} s (${loadPackets.toLocaleString('en-US')} packets in the capture file)` +
      `  (target ≥ ${TARGET_PPS.toLocaleString('en-US')}/s for ${SECONDS} s: ${verdict(pps >= TARGET_PPS && loadEnd >= SECONDS)})`,
  );
  console.log(
    `  list lag behind the capture file: max ${maxLag.toFixed(2)} s (target ≤ ${MAX_LAG_S} s: ${verdict(maxLag <= MAX_LAG_S)}); ` +
      `mean ${early.toFixed(2)} s in the first third, ${late.toFixed(2)} s in the last (${growing ? 'GROWING backlog' : 'not growing'}: ${verdict(!growing)}); ` +
      `max backlog ${maxBacklog.toLocaleString('en-US')} packets`,
  );
  console.log(
    `  after the load stopped, the list caught up in ${drained === null ? 'more than 30 s' : `${drained.toFixed(2)} s`}`,
  );
  console.log(
    `  UI thread: longest task ${Math.round(longest)} ms, ${longTasks.length} long tasks (> 50 ms) during the load (target ≤ ${MAX_TASK_MS} ms: ${verdict(longest <= MAX_TASK_MS)})`,
  ); // The three longest animation frames: the scripts that ran in them and the style, layout and paint after.
  for (const f of [...longFrames].sort((a, b) => b.duration - a.duration).slice(0, 3)) {
    const scripts = f.scripts
      .filter((x) => x.duration >= 5)
      .map(
        (x) =>
          `${x.invoker}${x.name ? ` ${x.name}` : ''} (${x.at}) ${x.duration} ms${x.layout ? `, forced layout ${x.layout} ms` : ''}`,
      );
    console.log(
      `    frame at ${(f.start / 1000).toFixed(1)} s: ${Math.round(f.duration)} ms; style+layout+paint ${Math.round(f.layout)} ms${scripts.length ? `; ${scripts.join('; ')}` : ''}`,
    );
  }

  if (traceFile) {
    // What the long tasks' own code took: the rest of their wall time the UI thread waited for a core.
    const traced = longTasksOfTrace(traceFile, MAX_TASK_MS);
    const cpu = traced.map((t) => t.cpuMs).sort((a, b) => a - b);
    const wall = traced.map((t) => t.wallMs);
    console.log(
      traced.length === 0
        ? `  in the trace: no task over ${MAX_TASK_MS} ms`
        : `  in the trace: ${traced.length} tasks over ${MAX_TASK_MS} ms (longest ${Math.round(Math.max(...wall))} ms); ` +
            `the UI thread's CPU time in them: median ${Math.round(cpu[cpu.length >> 1])} ms, max ${Math.round(cpu[cpu.length - 1])} ms`,
    );
  }
  console.log(
    `  DOM at the end of the load: ${domSize.all.toLocaleString('en-US')} elements, ${domSize.side.toLocaleString('en-US')} of them in the side panel`,
  );
  const equal = finalUi.captured === finalFile && finalUi.displayed === finalFile && finalUi.rows === finalFile;
  console.log(
    `  packets after Stop: capture file ${finalFile.toLocaleString('en-US')}${capinfosCount !== null ? ` (capinfos ${capinfosCount.toLocaleString('en-US')})` : ''}, ` +
      `list ${finalUi.captured.toLocaleString('en-US')} captured / ${finalUi.displayed.toLocaleString('en-US')} displayed / ${finalUi.rows.toLocaleString('en-US')} rows ` +
      `(target: equal, none lost: ${verdict(equal && (capinfosCount === null || capinfosCount === finalFile))})`,
  );
  if (stillLoading)
    console.log('  (the list was still growing 120 s after Stop: the counts above are what it had then)');
  if (tsharkSeconds !== null)
    console.log(`  reference: tshark -r FILE -q reads the capture file in ${tsharkSeconds.toFixed(2)} s`);
  console.log(`  load average at the end: ${load()}`);
  if (cpuDuringLoad.length > 0)
    console.log(
      `  CPU during the load (${loadEnd.toFixed(0)} s on ${cpus().length} cores), by process and thread:\n    ${formatCpu(cpuDuringLoad).join('\n    ')}`,
    );
  if (pageErrors.length > 0) console.log(`  errors the page reported:\n    ${pageErrors.join('\n    ')}`);
} catch (error) {
  failed = true;
  console.error('live.bench failed:', error);
  if (serverLog) console.error(serverLog.slice(-2000));
} finally {
  generator?.kill();
  counter?.close();
  await browser.close();
  server.kill('SIGTERM');
  await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  rmSync(work, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
