/* global window, document, performance, PerformanceObserver, setTimeout */
// UI performance of the browser shell (out/web/web.js + out/renderer, built by `npm run bench`),
// against tshark measured in the same run (issue 17). For each traffic mix it opens the capture
// through the Open button in Debian's Chromium (headless) and prints, each with its target and
// its ratio to `tshark -r FILE > /dev/null` of the same run:
//   first rows, fully loaded (all rows, colours, counts; the filter bar usable on everything),
//   when the host has its copy of the file (for Save; sent after the list, upload.ts HostCopy),
//   apply filters, each then cleared (FILTERS: eleven answered from what the load pass noted of
//   each packet, one on a header, one on the frame's bytes, one on a TCP header field that
//   re-dissects every TCP packet's header, one on HTTP's state that re-dissects the streams
//   carrying HTTP, one on TCP's state that re-dissects every TCP packet with its stream's state),
//   select → tree and bytes for the first and the last
//   frame, the longest main-thread task while scrolling, Statistics › Conversations and then
//   Protocol Hierarchy (no target yet: the tables' pass, then the protocols' pass, which also
//   answers Expert Information), Statistics › I/O Graph and then its filter `http` (no target),
//   and the memory after loading (page JS
//   heap + worker JS heap after a GC, host process peak RSS from /proc/PID/status VmHWM), and on
//   Linux the CPU each process and thread used while loading (bench/lib/process-cpu.mjs).
// Mixes: the bench capture (bench/lib/make-capture.mjs, 1,000,000 packets by default) and a real lab
// capture repeated to 300,000 packets (bench/lib/make-lab-repeat.mjs).
// The times are taken in the page, from the event that starts them (the file input's change, the
// click on a row, the Enter key) to the frame that shows the result: Playwright's own work
// (actionability checks, CDP round trips) is not the app's.
// Each file is opened once Chromium and the host are quiet (waitForQuiet): a fresh Chromium
// works on in the background for a second or so after the page is ready, and the dissection
// worker warms its code while it is idle (renderer/worker/engine-warmup.ts, about a second).
// Exit status 0 even when a target is missed: each figure says `met` or `MISSED`.
//
// Usage: node bench/ui.bench.mjs [packets] [lab-repeat packets]   (defaults 1000000 300000;
//        0 skips a mix; e.g. `node bench/ui.bench.mjs 200000 60000` for a quick run)
// With several runs the figures are medians, and a target set against tshark is judged on the
// median of each run's own ratio (its time against the tshark read just before it).
// Env:   BENCH_RUNS=3      runs per mix, medians printed (default 1)
//        BENCH_PROFILE=DIR CPU profiles of the page, the worker (Chromium) and the host (node --cpu-prof)
//        BENCH_TRACE=PATH  a Chromium trace of each load (PATH-MIX-RUN.json, V8's GC and compiler
//                          included), and per thread the events that took its CPU (trace-tasks.mjs)
//        CHROMIUM_PATH     the browser (default /usr/bin/chromium)
//        BENCH_CHROMIUM_ARGS one more Chromium flag, e.g. '--js-flags=--trace-opt --trace-deopt'
//                          (with DEBUG=pw:browser V8's lines reach stderr: which code was thrown away, why)
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { launchChromium } from './lib/chromium.mjs';
import { threadTimesOfTrace } from './lib/trace-tasks.mjs';
import { cpuBetween, cpuSnapshot, formatCpu, waitForQuiet } from './lib/process-cpu.mjs';
import { ensureBenchCapture, DEFAULT_PACKETS } from './lib/make-capture.mjs';
import { ensureLabRepeatCapture, DEFAULT_LAB_REPEAT_PACKETS } from './lib/make-lab-repeat.mjs';

/**
 * Filters on what the load pass notes of each packet (packet-index.ts, Presence and values):
 * which fields are present, a stream, a request's method, TCP's analysis flags (none or one
 * packet in these captures: `anyCount`, done when the count changes); one on a header
 * (answered from the header lines the load pass noted, header-blocks.ts); one on the frame's
 * bytes (the frame layer alone); six on TCP's per-segment numbers, a sequence number, the
 * next one, an ACK's round-trip time, the window size, the time since the stream's previous
 * segment and the handshake's round-trip time that every later segment shows, and one on
 * HTTP's, a response's time since its request (noted per packet, packet-numbers.ts; each
 * re-dissected every TCP packet before, the last three with its stream's state); one on a TCP
 * header value the load pass does not note, the header length (re-dissects every TCP packet's
 * header, without its stream); one on a value of HTTP's state it does not note, the URI a
 * response answers (re-dissects each stream that carries HTTP, with its state); one on a value
 * of TCP's state it does not note, the conversation's completeness (re-dissects every TCP
 * packet with its stream, up to its payload); and one on the retransmission timeout, which only
 * a retransmission has (re-dissects only the streams with one, packet-index.ts WITNESSED_FIELDS:
 * none in the bench capture, one in the lab repeat, so nothing or one stream).
 */
const FILTERS = [
  { key: 'filter', text: 'http.request' },
  { key: 'streamFilter', text: 'tcp.stream eq 5' },
  { key: 'valueFilter', text: 'http.request.method == "GET"' },
  { key: 'analysisFilter', text: 'tcp.analysis.retransmission', anyCount: true },
  { key: 'headerFilter', text: 'http.user_agent contains "Mozilla"' },
  { key: 'frameFilter', text: 'frame contains "Mozilla"' },
  { key: 'seqFilter', text: 'tcp.seq > 1000' },
  { key: 'rttFilter', text: 'tcp.analysis.ack_rtt > 0.0001' },
  { key: 'windowFilter', text: 'tcp.window_size < 65536' },
  { key: 'headerLengthFilter', text: 'tcp.hdr_len > 32' },
  { key: 'nextSeqFilter', text: 'tcp.nxtseq > 1000' },
  { key: 'streamTimeFilter', text: 'tcp.time_delta > 0.001' },
  { key: 'handshakeRttFilter', text: 'tcp.analysis.initial_rtt > 0.00003' },
  { key: 'httpTimeFilter', text: 'http.time > 0.0005' },
  { key: 'httpStateFilter', text: 'http.response_for.uri contains "/"' },
  { key: 'streamStateFilter', text: 'tcp.completeness == 31' },
  { key: 'witnessedFilter', text: 'tcp.analysis.rto', anyCount: true },
];
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 1));
const PROFILE_DIR = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : null;
const TRACE_FILE = process.env.BENCH_TRACE ? resolve(process.env.BENCH_TRACE) : null;
const TRACE_CATEGORIES = ['toplevel', 'v8', 'disabled-by-default-v8.gc', 'disabled-by-default-v8.compile'];

if (!existsSync('out/web/web.js') || !existsSync('out/renderer/index.html')) {
  console.error('ui.bench: build first (npm run build).');
  process.exit(1);
}

const benchPackets = Number(process.argv[2] ?? DEFAULT_PACKETS);
const labPackets = Number(process.argv[3] ?? DEFAULT_LAB_REPEAT_PACKETS);
const mixes = [];
if (benchPackets > 0) mixes.push({ name: 'bench capture', ...ensureBenchCapture(benchPackets) });
if (labPackets > 0) mixes.push({ name: 'lab-repeat', ...ensureLabRepeatCapture(labPackets) });

const freePort = () =>
  new Promise((done) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => done(port));
    });
  });

/** Wall time of `tshark -r FILE > /dev/null`, in ms. */
function tsharkMs(path) {
  const started = performance.now();
  const r = spawnSync('tshark', ['-r', path], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.error || r.status !== 0) throw new Error(`tshark -r ${path} failed: ${r.error?.message ?? r.status}`);
  return performance.now() - started;
}

/** Peak and current resident set size of a process, in bytes (Linux). */
function rss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { peak: kb('VmHWM'), now: kb('VmRSS') };
  } catch {
    return { peak: NaN, now: NaN };
  }
}

async function startHost(profileTag) {
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const dataDir = mkdtempSync(join(tmpdir(), 'wirelab-uibench-'));
  // A profile already filled in, as on any run after the first (no first-run form over the list).
  spawnSync(process.execPath, ['test/e2e/seed-profile.mjs', dataDir], { stdio: 'inherit' });
  const nodeArgs = PROFILE_DIR
    ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=host-${profileTag}.cpuprofile`]
    : [];
  const server = spawn(
    process.execPath,
    [...nodeArgs, 'out/web/web.js', '--no-open', '--port', String(port), '--token', token, '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((done, fail) => {
    server.stdout.on('data', (d) => String(d).includes('running at') && done());
    server.on('exit', (code) => fail(new Error(`web server exited (${code})`)));
  });
  const stop = async () => {
    const exited = new Promise((done) => server.once('exit', done));
    server.kill('SIGINT');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 10_000))]);
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: `http://127.0.0.1:${port}/?lang=en&token=${token}`, pid: server.pid, stop };
}

const launchBrowser = () => launchChromium(['--enable-precise-memory-info']);

/**
 * A CDP session to the page's dedicated worker (Playwright has none for workers): the page
 * session auto-attaches to it, and commands go through Target.sendMessageToTarget.
 */
async function workerSession(pageCdp) {
  let nextId = 1;
  const pending = new Map();
  const attached = new Promise((done) => {
    pageCdp.on('Target.attachedToTarget', (event) => {
      if (event.targetInfo.type === 'worker') done(event.sessionId);
    });
  });
  pageCdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message);
    const call = pending.get(message.id);
    if (!call) return;
    pending.delete(message.id);
    if (message.error) call.fail(new Error(message.error.message));
    else call.done(message.result);
  });
  await pageCdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  const sessionId = await attached;
  return {
    send: (method, params = {}) =>
      new Promise((done, fail) => {
        const id = nextId++;
        pending.set(id, { done, fail });
        void pageCdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method, params }) });
      }),
  };
}

/**
 * Used JS heap after a full GC, through a CDP session (page or worker), and the bytes of its
 * ArrayBuffers (outside the JS heap: the file's records, the Info column's chunks).
 */
async function heapUsed(session) {
  await session.send('HeapProfiler.enable').catch(() => undefined);
  await session.send('HeapProfiler.collectGarbage').catch(() => undefined);
  const { usedSize, backingStorageSize } = await session.send('Runtime.getHeapUsage');
  return { heap: usedSize, buffers: backingStorageSize ?? NaN };
}

/** One run of one mix: every figure in ms or bytes. */
/**
 * Notes in the page when the next `type` event ('click', 'keydown') reaches the document, as
 * window.__eventAt: steps are timed in the page from that event, not from Playwright's action
 * (its actionability checks over animation frames and CDP round trips are not the app's).
 */
function markNextEvent(page, type) {
  return page.evaluate((t) => {
    window.__eventAt = null;
    document.addEventListener(t, () => (window.__eventAt = performance.now()), { capture: true, once: true });
  }, type);
}

async function runOnce(mix, run) {
  const host = await startHost(`${mix.name.replace(/\W+/g, '-')}-${run}`);
  const browser = await launchBrowser();
  const r = {};
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(host.url);
    await page.getByRole('button', { name: 'Open' }).waitFor();
    const pageCdp = await page.context().newCDPSession(page);
    const workerCdp = await workerSession(pageCdp);
    // CPU profiles of the page and the worker, one pair per phase (the load, the filter).
    const startProfiles = async () => {
      if (!PROFILE_DIR) return;
      for (const s of [pageCdp, workerCdp]) {
        await s.send('Profiler.enable');
        await s.send('Profiler.setSamplingInterval', { interval: 500 });
        await s.send('Profiler.start');
      }
    };
    const stopProfiles = async (phase) => {
      if (!PROFILE_DIR) return;
      for (const [name, s] of [
        ['page', pageCdp],
        ['worker', workerCdp],
      ]) {
        const { profile } = await s.send('Profiler.stop');
        const file = `${name}-${phase}-${mix.name.replace(/\W+/g, '-')}-${run}.cpuprofile`;
        writeFileSync(join(PROFILE_DIR, file), JSON.stringify(profile));
      }
    };
    await startProfiles();

    const grid = page.getByRole('grid', { name: 'Packet list' });
    // Timed in the page from the file input's change event (the file chosen), as selectFrame.
    await page.evaluate(() => {
      window.__openAt = null;
      document.addEventListener('change', () => (window.__openAt = performance.now()), { capture: true, once: true });
    });
    // Where the load's CPU went (Linux): the dissection worker, the file's part workers, the UI, the host.
    // Chromium is a child of this process (Playwright's Browser does not name its pid).
    const cpuRoots = { bench: process.pid, host: host.pid };
    // A fresh Chromium works on for seconds after the page loads (see waitForQuiet): open once it is done.
    r.settle = await waitForQuiet(cpuRoots);
    const cpuAtOpen = cpuSnapshot(cpuRoots);
    if (TRACE_FILE) await browser.startTracing(undefined, { categories: TRACE_CATEGORIES });
    await page.getByTestId('open-file').setInputFiles(mix.path);
    const firstShown = await page.waitForFunction(
      () =>
        window.__openAt !== null &&
        document.querySelector(
          '[role="grid"][aria-label="Packet list"] [role="row"][data-index="0"] [role="gridcell"]',
        ) !== null &&
        performance.now() - window.__openAt,
      null,
      { timeout: 300_000, polling: 'raf' },
    );
    r.firstRows = await firstShown.jsonValue();
    const loaded = await page.waitForFunction(
      (n) => {
        const text = document.querySelector('[data-testid="packet-counts"]')?.textContent ?? '';
        return (
          text.includes(`Packets: ${n} `) &&
          !document.querySelector('[data-testid="loading"]') &&
          performance.now() - window.__openAt
        );
      },
      String(mix.packets),
      { timeout: 900_000, polling: 50 },
    );
    r.loaded = await loaded.jsonValue();
    r.loadCpu = formatCpu(cpuBetween(cpuAtOpen, cpuSnapshot(cpuRoots), 0.3));
    if (TRACE_FILE) {
      const file = `${TRACE_FILE}-${mix.name.replace(/\W+/g, '-')}-${run}.json`;
      await browser.stopTracing().then((buffer) => writeFileSync(file, buffer));
      r.traceThreads = threadTimesOfTrace(file);
    }
    await stopProfiles('load');
    ({ heap: r.pageHeap, buffers: r.pageBuffers } = await heapUsed(pageCdp));
    ({ heap: r.workerHeap, buffers: r.workerBuffers } = await heapUsed(workerCdp));
    // The host gets its copy once the list is complete (renderer/lib/upload.ts HostCopy): the open
    // ends with the "Opened" notice when it has it. The next steps and the host's memory wait for that.
    const opened = `Opened ${basename(mix.path)}: ${mix.packets} packets.`;
    const hostCopied = await page.waitForFunction(
      (text) => document.body.textContent.includes(text) && performance.now() - window.__openAt,
      opened,
      { timeout: 300_000, polling: 100 },
    );
    r.hostCopy = await hostCopied.jsonValue();
    r.hostRss = rss(host.pid).peak;

    // Scrolling: wheel through the list for ~3 s, then jump around (End, Home, the middle).
    await page.evaluate(() => (window.__longTasks = []));
    await grid.hover();
    const scrollStart = performance.now();
    while (performance.now() - scrollStart < 3000) await page.mouse.wheel(0, 2000);
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    await page.waitForTimeout(300);
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForTimeout(300);
    await grid.evaluate((el) => (el.scrollTop = 0));
    await page.waitForTimeout(500);
    const longTasks = await page.evaluate(() => window.__longTasks);
    r.longestTask = longTasks.reduce((m, t) => Math.max(m, t.duration), 0);

    // Select → tree and bytes: the first frame, then the last (its tree was not kept). Timed in
    // the page, from the click event to the frame painted with both panes filled: Playwright's
    // own click (actionability checks over animation frames, CDP round trips) is not the app's.
    const selectFrame = async (rowIndex, number) => {
      const row = grid.locator(`[role="row"][data-index="${rowIndex}"]`);
      await row.waitFor();
      await markNextEvent(page, 'click');
      await row.click();
      const shown = await page.waitForFunction(
        (n) =>
          window.__eventAt !== null &&
          document
            .querySelector('[role="tree"] [role="treeitem"] .tree-label')
            ?.textContent?.startsWith(`Frame ${n}:`) &&
          (document.querySelector('[role="region"][aria-label="Packet bytes"]')?.textContent ?? '').length > 0 &&
          performance.now() - window.__eventAt,
        number,
        { timeout: 300_000, polling: 'raf' },
      );
      return shown.jsonValue();
    };
    r.selectFirst = await selectFrame(0, 1);
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    r.selectLast = await selectFrame(mix.packets - 1, mix.packets);

    // Each filter, then clear it (the full list between them, so each starts from the same view).
    const input = page.getByRole('textbox', { name: 'Display filter' });
    for (const { key, text, anyCount } of FILTERS) {
      await input.fill(text);
      await startProfiles();
      const started = performance.now();
      await input.press('Enter');
      // Done when the list shows a strict, non-empty subset (any count below the whole for a
      // filter answered at once, which may match nothing) and no "Filtering…" progress is left.
      await page.waitForFunction(
        ({ n, any }) => {
          const text = document.querySelector('[data-testid="packet-counts"]')?.textContent ?? '';
          const shown = Number(/Displayed: (\d+)/.exec(text)?.[1] ?? -1);
          const subset = shown >= (any ? 0 : 1) && shown < n;
          return subset && !document.body.textContent?.includes('Filtering…');
        },
        { n: mix.packets, any: anyCount === true },
        { timeout: 900_000, polling: 'raf' },
      );
      r[key] = performance.now() - started;
      await stopProfiles(key);
      r[`${key}Shown`] = /Displayed: (\d+)/.exec((await page.getByTestId('packet-counts').textContent()) ?? '')?.[1];
      await input.fill('');
      // Timed in the page, from the Enter key to the full list painted (as selectFrame).
      await markNextEvent(page, 'keydown');
      await input.press('Enter');
      const cleared = await page.waitForFunction(
        (n) =>
          window.__eventAt !== null &&
          (document.querySelector('[data-testid="packet-counts"]')?.textContent ?? '').includes(`Displayed: ${n} `) &&
          document.querySelector('[role="row"][data-index] [role="gridcell"]') !== null &&
          performance.now() - window.__eventAt,
        mix.packets,
        { timeout: 300_000, polling: 'raf' },
      );
      r.clear = Math.max(r.clear ?? 0, await cleared.jsonValue());
    }

    // Statistics › Conversations: a pass over every packet with trees pruned to the addresses and
    // ports (the tables' pass, renderer/worker/statistics.ts); then Protocol Hierarchy: the pass
    // with trees pruned to the protocols' items and the expert items (the protocols' pass). Each
    // timed from the menu item's click to its table's first row, the progress bar gone.
    r.statistics = await timeStatisticsDialog(page, 'Conversations', 'conversations', 'TCP conversations');
    r.hierarchy = await timeStatisticsDialog(page, 'Protocol Hierarchy', 'hierarchy', 'Protocol hierarchy');
    // Statistics › I/O Graph: every packet per second, then only those `http` matches (found as
    // the filter bar finds them); timed from the menu item's click, then from Apply, to the graph.
    Object.assign(r, await timeIoGraph(page, 'http'));
  } finally {
    await browser.close();
    await host.stop();
  }
  return r;
}

/** Opens Statistics › `item` and waits for its dialog's table: ms from the click. */
async function timeStatisticsDialog(page, item, kind, table) {
  // A dialog left open from the last one is closed first, as a user would.
  const open = page.locator('.stats-dialog');
  if ((await open.count()) > 0) await open.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Statistics' }).click();
  const entry = page.getByRole('menu', { name: 'Statistics' }).getByRole('menuitem', { name: item });
  await entry.waitFor();
  await markNextEvent(page, 'click');
  await entry.click();
  const shown = await page.waitForFunction(
    ({ kind, table }) => {
      const dialog = document.querySelector(`.stats-dialog.stats-${kind}`);
      return (
        window.__eventAt !== null &&
        dialog !== null &&
        dialog.querySelector('.stats-progress') === null &&
        dialog.querySelector(`table[aria-label="${table}"] tbody tr`) !== null &&
        performance.now() - window.__eventAt
      );
    },
    { kind, table },
    { timeout: 900_000, polling: 'raf' },
  );
  return shown.jsonValue();
}

/**
 * Opens Statistics › I/O Graph and waits for its graph; then applies `filter` in it and waits for
 * the filtered graph (its "N packets counted." changes): ms from the click on the menu item, and
 * from the click on Apply.
 */
async function timeIoGraph(page, filter) {
  const open = page.locator('.stats-dialog');
  if ((await open.count()) > 0) await open.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Statistics' }).click();
  const entry = page.getByRole('menu', { name: 'Statistics' }).getByRole('menuitem', { name: 'I/O Graph' });
  await entry.waitFor();
  const graphShown = (previous) =>
    page.waitForFunction(
      (previous) => {
        const dialog = document.querySelector('.stats-dialog.stats-io');
        const counted = [...(dialog?.querySelectorAll('p') ?? [])].find((p) => /packets counted/.test(p.textContent));
        return (
          window.__eventAt !== null &&
          dialog?.querySelector('.stats-io-chart svg') != null &&
          counted !== undefined &&
          counted.textContent !== previous && { ms: performance.now() - window.__eventAt, counted: counted.textContent }
        );
      },
      previous,
      { timeout: 900_000, polling: 'raf' },
    );
  await markNextEvent(page, 'click');
  await entry.click();
  const all = await (await graphShown(null)).jsonValue();
  const dialog = page.locator('.stats-dialog.stats-io');
  await dialog.getByRole('textbox', { name: 'Display filter (optional)' }).fill(filter);
  await markNextEvent(page, 'click');
  await dialog.getByRole('button', { name: 'Apply' }).click();
  const filtered = await (await graphShown(all.counted)).jsonValue();
  return { ioGraph: all.ms, ioGraphFiltered: filtered.ms, ioGraphFilteredCounted: filtered.counted };
}

const median = (values) => {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};
const ms = (n) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`);
const mb = (n) => `${(n / 1e6).toFixed(0)} MB`;

if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
let missed = 0;
for (const mix of mixes) {
  console.log(`\n${mix.name}: ${mix.path} (${mix.packets} packets, ${mb(mix.bytes)}), ${RUNS} run(s)`);
  const runs = [];
  const tshark = [];
  for (let run = 1; run <= RUNS; run++) {
    tshark.push(tsharkMs(mix.path));
    runs.push(await runOnce(mix, run));
    if (RUNS > 1)
      console.log(
        `  run ${run}: tshark ${ms(tshark.at(-1))}, loaded ${ms(runs.at(-1).loaded)} (${(runs.at(-1).loaded / tshark.at(-1)).toFixed(2)}×)`,
      );
    const cpu = runs.at(-1).loadCpu;
    const { settle } = runs.at(-1);
    console.log(
      `  run ${run}: opened the file once Chromium and the host were quiet, ${ms(settle.waitedMs)} after the page was ready${settle.quiet ? '' : ' (they never were: opened anyway)'}`,
    );
    if (cpu.length > 0) console.log(`  run ${run}: CPU while loading, by process and thread: ${cpu.join('; ')}`);
    for (const t of runs.at(-1).traceThreads?.slice(0, 8) ?? [])
      console.log(
        `  run ${run}: traced ${t.thread}: ${ms(t.cpuMs)} of CPU; most: ${t.top.map((e) => `${e.name} ${ms(e.ms)}`).join(', ')}`,
      );
  }
  const m = (key) => median(runs.map((r) => r[key]));
  const ts = median(tshark);
  // A target set against tshark is judged on each run's own ratio (the run against the tshark read
  // just before it), their median: a tshark read slowed by a busy spell flatters only its own run.
  const againstTshark = (key, factor) => ({ factor, ratio: median(runs.map((r, i) => r[key] / tshark[i])) });
  const rows = [
    ['tshark -r FILE > /dev/null', ts, null, ms],
    ['time to first rows', m('firstRows'), 500, ms],
    ['time to fully loaded', m('loaded'), ts, ms, againstTshark('loaded', 1)],
    ['  the host has its copy (sent after the list)', m('hostCopy'), null, ms],
    ...FILTERS.map(({ key, text }) => [
      `apply filter ${text} (${runs[0][`${key}Shown`]} shown)`,
      m(key),
      ts * 0.25,
      ms,
      againstTshark(key, 0.25),
    ]),
    ['clear the filter (the slowest of the clears)', m('clear'), 100, ms],
    ['select → tree + bytes, first frame', m('selectFirst'), 100, ms],
    ['select → tree + bytes, last frame', m('selectLast'), 100, ms],
    ['longest main-thread task while scrolling', m('longestTask'), 50, ms],
    ['Statistics › Conversations (no target yet)', m('statistics'), null, ms, againstTshark('statistics', null)],
    ["then Protocol Hierarchy (the protocols' pass)", m('hierarchy'), null, ms, againstTshark('hierarchy', null)],
    ['Statistics › I/O Graph, 1 s intervals', m('ioGraph'), null, ms, againstTshark('ioGraph', null)],
    [
      `  then its filter http (${runs[0].ioGraphFilteredCounted})`,
      m('ioGraphFiltered'),
      null,
      ms,
      againstTshark('ioGraphFiltered', null),
    ],
    ['page JS heap + worker JS heap (after GC)', m('pageHeap') + m('workerHeap'), mix.bytes * 1.5, mb],
    ['  of which page / worker', null, null, () => `${mb(m('pageHeap'))} / ${mb(m('workerHeap'))}`],
    [
      '  and their ArrayBuffers (the file, the Info column)',
      null,
      null,
      () => `${mb(m('pageBuffers'))} / ${mb(m('workerBuffers'))}`,
    ],
    ['host process peak RSS (VmHWM)', m('hostRss'), mix.bytes, mb],
  ];
  for (const [label, value, target, fmt, relative] of rows) {
    if (value === null) {
      console.log(`  ${label.padEnd(58)} ${fmt()}`);
      continue;
    }
    const ratio = relative
      ? `${relative.ratio.toFixed(2)}× tshark`
      : fmt === ms
        ? `${(value / ts).toFixed(2)}× tshark`
        : `${(value / mix.bytes).toFixed(2)}× file`;
    if (target === null) {
      // A figure with no target yet: against tshark's read when it has a ratio.
      const against = relative ? `  ${' '.repeat(17)}  ${ratio.padStart(14)}` : '';
      console.log(`  ${label.padEnd(58)} ${fmt(value).padStart(9)}${against}`);
      continue;
    }
    const ok = relative ? relative.ratio <= relative.factor : value <= target;
    if (!ok) missed++;
    const targetText = fmt === ms ? ms(target) : mb(target);
    console.log(
      `  ${label.padEnd(58)} ${fmt(value).padStart(9)}  target ≤ ${targetText.padStart(8)}  ${ratio.padStart(14)}  ${ok ? 'met' : 'MISSED'}`,
    );
  }
}
console.log(`\nui.bench: ${missed === 0 ? 'every target met' : `${missed} target(s) MISSED`}`);
