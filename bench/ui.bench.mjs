/* global window, document, performance, PerformanceObserver */
// UI performance of the browser shell (out/web/web.js + out/renderer, built by `npm run bench`):
// opens the 1,000,000-packet bench capture (bench/lib/make-capture.mjs → .bench/lab-http-1000000-v1.pcap)
// through the Open button in Debian's Chromium and prints:
//   time to first rows (target ≤ 1 s), time to fully loaded, time to apply a filter,
//   select-to-tree time, and the longest main-thread task while scrolling (target ≤ 50 ms).
// Usage: node bench/ui.bench.mjs [packets]     (default 1000000; e.g. 100000 for a quick run)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureBenchCapture, DEFAULT_PACKETS } from './lib/make-capture.mjs';

const packets = Number(process.argv[2] ?? DEFAULT_PACKETS);
const FILTER = 'http.request';

if (!existsSync('out/web/web.js') || !existsSync('out/renderer/index.html')) {
  console.error('ui.bench: build first (npm run build).');
  process.exit(1);
}
const capture = ensureBenchCapture(packets).path;

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const port = await freePort();
const token = randomBytes(16).toString('hex');
const dataDir = mkdtempSync(join(tmpdir(), 'wirelab-uibench-'));
const server = spawn(
  process.execPath,
  ['out/web/web.js', '--no-open', '--port', String(port), '--token', token, '--data-dir', dataDir],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => String(d).includes('running at') && resolve());
  server.on('exit', (code) => reject(new Error(`web server exited (${code})`)));
});

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const results = {};
const ms = (n) => `${Math.round(n)} ms`;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`http://127.0.0.1:${port}/?lang=en&token=${token}`);
  await page.getByRole('button', { name: 'Open' }).waitFor();

  const grid = page.getByRole('grid', { name: 'Packet list' });
  const firstRow = grid.locator('[role="row"][data-index="0"] [role="gridcell"]').first();
  const counts = page.getByTestId('packet-counts');

  const t0 = performance.now();
  await page.getByTestId('open-file').setInputFiles(capture);
  await firstRow.waitFor({ timeout: 300_000 });
  results.firstRows = performance.now() - t0;
  console.log(`time to first rows: ${ms(results.firstRows)} (target ≤ 1000 ms)`);

  const total = packets.toLocaleString('en-US').replace(/,/g, '');
  await page.waitForFunction(
    (n) => {
      const text = document.querySelector('[data-testid="packet-counts"]')?.textContent ?? '';
      return text.includes(`Packets: ${n} `) && !document.querySelector('[data-testid="loading"]');
    },
    total,
    { timeout: 900_000, polling: 200 },
  );
  results.loaded = performance.now() - t0;
  console.log(`time to fully loaded (${packets} packets): ${ms(results.loaded)}  [${await counts.textContent()}]`);

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
  results.longestTask = longTasks.reduce((m, t) => Math.max(m, t.duration), 0);
  console.log(
    `longest main-thread task while scrolling: ${ms(results.longestTask)} (${longTasks.length} long tasks; target ≤ 50 ms)`,
  );

  // Select → tree.
  const row = grid.locator('[role="row"][data-index="3"]');
  const t1 = performance.now();
  await row.click();
  await page.getByRole('tree', { name: 'Packet details' }).getByRole('treeitem').first().waitFor();
  results.selectToTree = performance.now() - t1;
  console.log(`select-to-tree (frame 4): ${ms(results.selectToTree)}`);
  // A packet far from the start whose tree was not kept (re-dissected up to it).
  await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
  const lastRow = grid.locator(`[role="row"][data-index="${packets - 1}"]`);
  await lastRow.waitFor();
  const t2 = performance.now();
  await lastRow.click();
  await page.waitForFunction(
    (n) =>
      document.querySelector('[role="tree"] [role="treeitem"] .tree-label')?.textContent?.startsWith(`Frame ${n}:`),
    packets,
    { timeout: 300_000 },
  );
  results.selectLastToTree = performance.now() - t2;
  console.log(`select-to-tree (last frame, re-dissected): ${ms(results.selectLastToTree)}`);

  // Filter.
  const input = page.getByRole('textbox', { name: 'Display filter' });
  await input.fill(FILTER);
  const t3 = performance.now();
  await input.press('Enter');
  // Done when the list shows a strict, non-empty subset and no "Filtering…" progress is left.
  await page.waitForFunction(
    (n) => {
      const text = document.querySelector('[data-testid="packet-counts"]')?.textContent ?? '';
      const shown = Number(/Displayed: (\d+)/.exec(text)?.[1] ?? -1);
      return shown > 0 && shown < n && !document.body.textContent?.includes('Filtering…');
    },
    packets,
    { timeout: 900_000, polling: 100 },
  );
  results.filter = performance.now() - t3;
  console.log(`apply filter "${FILTER}": ${ms(results.filter)}  [${await counts.textContent()}]`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}
const ok = results.firstRows <= 1000 && results.longestTask <= 50;
console.log(`ui.bench: first rows ${ok ? 'within' : 'OUTSIDE'} targets`);
