/**
 * The lab views and exports, end to end in the browser shell with a REAL loopback capture:
 * Start Lab, wait for the server's keep-alive teardown, check the guide's checklist and its
 * frame links against the packet list, the flow graph (one arrow per packet, click selects),
 * Follow TCP/HTTP Stream, and every export saved into test-results/exports/ and checked:
 * PNGs decode and are not one colour, the pcapng reads back in tshark with the same count,
 * the dissection text, the report HTML (embedded images) and the Markdown .zip (linked images).
 */
import { test, expect, type Page, type Download } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { E2E_TOKEN } from '../../playwright.config';
import { decodePng } from './png';

const exportsDir = path.join('test-results', 'exports');
const shots = path.join('test-results', 'screenshots');

const packetList = (page: Page) => page.getByRole('grid', { name: 'Packet list' });
const selectedRow = (page: Page) => packetList(page).locator('[role="row"][aria-selected="true"]');
const guide = (page: Page) => page.getByRole('region', { name: 'Lab guide' });
const step = (page: Page, id: string) => guide(page).locator(`li[data-step="${id}"]`);

async function framesOf(page: Page, id: string): Promise<number[]> {
  const values = await step(page, id)
    .locator('button.frame-link')
    .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))));
  return values;
}

/** Clicks the guide's link to `frame` and returns the Info of the row the list then selects. */
async function followLink(page: Page, id: string, frame: number): Promise<string> {
  await step(page, id)
    .getByRole('button', { name: `Frame ${frame}`, exact: true })
    .click();
  await expect(selectedRow(page)).toHaveAttribute('data-number', String(frame));
  await expect(page.getByRole('tree', { name: 'Packet details' }).getByRole('treeitem').first()).toContainText(
    `Frame ${frame}:`,
  );
  return (await selectedRow(page).locator('[role="gridcell"]').nth(6).textContent()) ?? '';
}

async function saveDownload(page: Page, click: () => Promise<void>): Promise<string> {
  const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = path.join(exportsDir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

async function exportItem(page: Page, name: string): Promise<string> {
  return saveDownload(page, async () => {
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    await page.getByRole('menuitem', { name }).click();
  });
}

function checkPng(file: string, minWidth: number) {
  const png = decodePng(readFileSync(file));
  console.log(`${path.basename(file)}: ${png.width}×${png.height}, ${png.colours} colours sampled`);
  expect(png.width).toBeGreaterThanOrEqual(minWidth);
  expect(png.height).toBeGreaterThan(50);
  expect(png.colours).toBeGreaterThan(8); // not blank, not one colour
  return png;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

test.describe.configure({ mode: 'serial' });

test('lab guide, flow graph, follow stream and every export', async ({ page, context }) => {
  test.setTimeout(240_000);
  rmSync(exportsDir, { recursive: true, force: true });
  mkdirSync(exportsDir, { recursive: true });
  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  await expect(page.getByRole('button', { name: 'Start Lab' })).toBeEnabled();

  const popupPromise = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Start Lab' }).click();
  const popup = await popupPromise;
  await popup.waitForURL(/127\.0\.0\.1:8001/, { timeout: 20_000 });
  await popup.waitForLoadState('load');

  // The guide opens with Start Lab and fills in live; Node closes the idle keep-alive
  // connection after 5 s, so the teardown shows up a few seconds later.
  await expect(guide(page)).toBeVisible();
  for (const id of ['server-up', 'capture-running', 'handshake', 'page-request', 'page-response'])
    await expect(step(page, id)).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  await expect(step(page, 'logo-request')).toHaveAttribute('data-status', 'done', { timeout: 20_000 });
  await expect(step(page, 'logo-response')).toHaveAttribute('data-status', 'done');
  await expect(step(page, 'teardown')).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await page.screenshot({ path: path.join(shots, '10-guide-done.png') });

  // The links go to the right packets (compare with the packet list's Info column).
  const hs = await framesOf(page, 'handshake');
  expect(hs).toHaveLength(3);
  expect(await followLink(page, 'handshake', hs[0])).toMatch(/→ 8001 \[SYN\] Seq=0 /);
  expect(await followLink(page, 'handshake', hs[1])).toMatch(/^8001 → \d+ \[SYN, ACK\] Seq=0 Ack=1 /);
  expect(await followLink(page, 'handshake', hs[2])).toMatch(/→ 8001 \[ACK\] Seq=1 Ack=1 /);
  const [pageReq] = await framesOf(page, 'page-request');
  expect(await followLink(page, 'page-request', pageReq)).toMatch(/^GET \/ HTTP\/1\.1/);
  const [pageRes] = await framesOf(page, 'page-response');
  expect(await followLink(page, 'page-response', pageRes)).toMatch(/^HTTP\/1\.1 200 OK +\(text\/html\)/);
  const [logoReq] = await framesOf(page, 'logo-request');
  expect(await followLink(page, 'logo-request', logoReq)).toMatch(/^GET \/logo\.\w+ HTTP\/1\.1/);
  const [logoRes] = await framesOf(page, 'logo-response');
  expect(await followLink(page, 'logo-response', logoRes)).toMatch(/^HTTP\/1\.1 200 OK +\((PNG|JPEG|JFIF|GIF|image\/)/);
  const td = await framesOf(page, 'teardown');
  expect(td.length).toBeGreaterThanOrEqual(3);
  const tdInfo: string[] = [];
  for (const f of td) tdInfo.push(await followLink(page, 'teardown', f));
  expect(tdInfo[0]).toMatch(/\[FIN, ACK\]/);
  // The server closed first (keep-alive timeout), as in the seed report.
  expect(tdInfo[0]).toMatch(/^8001 → /);
  await expect(guide(page).locator('.guide-closer').first()).toContainText('Closed first by the server');
  // Handshake table: steps 1/2/3 with MSS and the states.
  const mainConn = guide(page).locator('section.guide-conn[data-role="page"]').first();
  await expect(mainConn.locator('table[aria-label^="Handshake"] tr[data-step="1"]')).toContainText('SYN_SENT');
  await expect(mainConn.locator('table[aria-label^="Handshake"] tr[data-step="1"]')).toContainText(/MSS=\d+/);
  await expect(mainConn.locator('table[aria-label^="Handshake"] tr[data-step="3"]')).toContainText('ESTABLISHED');

  // Language switch: the explanation follows.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('region', { name: '实验向导' })).toContainText('三次握手');
  await page.screenshot({ path: path.join(shots, '11-guide-zh.png') });
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');

  // Flow graph: one arrow per packet of the lab port, in order; a click selects.
  await page.getByRole('tab', { name: 'Flow graph' }).click();
  const flow = page.getByRole('region', { name: 'Flow graph' });
  const arrows = flow.locator('g.arrow');
  const listed = Number(await packetList(page).getAttribute('aria-rowcount')) - 1;
  await expect(arrows).toHaveCount(listed);
  const order = await arrows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  await arrows.nth(1).click();
  await expect(selectedRow(page)).toHaveAttribute('data-number', String(order[1]));
  await page.screenshot({ path: path.join(shots, '12-flow-graph.png') });

  // Time–sequence / RTT.
  await page.getByRole('tab', { name: 'Time–sequence / RTT' }).click();
  await expect(page.getByRole('region', { name: 'Time–sequence graph' }).locator('svg.chart').first()).toBeVisible();
  await page.screenshot({ path: path.join(shots, '13-tcptrace.png') });

  // Follow TCP Stream from the page request.
  await page.getByRole('tab', { name: 'Lab guide' }).click();
  await followLink(page, 'page-request', pageReq);
  await page.getByRole('button', { name: 'Follow TCP' }).click();
  await expect(page.getByRole('dialog', { name: /^Follow TCP Stream \(tcp\.stream eq \d+\)$/ })).toBeVisible();
  const dialog = page.getByRole('dialog');
  await expect(dialog.locator('pre.follow-client').first()).toContainText('GET / HTTP/1.1');
  await expect(dialog.locator('pre.follow-server').first()).toContainText('HTTP/1.1 200 OK');
  await page.screenshot({ path: path.join(shots, '14-follow-tcp.png') });
  await dialog.getByRole('combobox', { name: 'Conversation' }).selectOption('client');
  await expect(dialog.locator('pre.follow-server')).toHaveCount(0);
  await expect(dialog.locator('pre.follow-client').first()).toContainText('GET / HTTP/1.1');
  await dialog.getByRole('combobox', { name: 'Conversation' }).selectOption('server');
  await expect(dialog.locator('pre.follow-client')).toHaveCount(0);
  await dialog.getByRole('combobox', { name: 'Show data as' }).selectOption('hex');
  await expect(dialog.locator('pre.follow-server').first()).toContainText('00000000  48 54 54 50 2f 31 2e 31');
  await dialog.getByRole('combobox', { name: 'Conversation' }).selectOption('both');
  await dialog.getByRole('combobox', { name: 'Follow' }).selectOption('http');
  await expect(dialog.getByRole('heading')).toHaveText(/^Follow HTTP Stream/);
  await expect(dialog.locator('pre.follow-server').first()).toContainText(/Content-Type: text\/html/i);
  const streamFile = await saveDownload(page, () => dialog.getByRole('button', { name: 'Save as…' }).click());
  const streamText = readFileSync(streamFile, 'utf8');
  expect(streamText).toContain('GET / HTTP/1.1');
  // The shell's session token is scoped to its own path: it never reaches the profile page.
  expect(streamText).not.toContain('wirelab_token');
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Stop the lab (the capture is complete), keep the lab filter.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Start Lab' })).toBeEnabled({ timeout: 15_000 });
  await followLink(page, 'handshake', hs[0]);

  // Screenshots: the window and each pane.
  const dpr = await page.evaluate(() => window.devicePixelRatio);
  const vw = page.viewportSize()?.width ?? 1280;
  const shotFiles: Record<string, string> = {};
  for (const [target, label, min] of [
    ['window', 'Screenshot: whole window', vw * dpr],
    ['list', 'Screenshot: packet list', 300],
    ['details', 'Screenshot: packet details', 300],
    ['bytes', 'Screenshot: packet bytes', 300],
    ['flow', 'Screenshot: flow graph', 300],
    ['guide', 'Screenshot: lab guide', 300],
  ] as const) {
    shotFiles[target] = await exportItem(page, label);
    checkPng(shotFiles[target], Math.floor(min));
  }
  // The flow graph as SVG and PNG.
  const flowSvg = await exportItem(page, 'Flow graph (SVG)');
  expect(readFileSync(flowSvg, 'utf8')).toMatch(/^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  checkPng(await exportItem(page, 'Flow graph (PNG)'), 600);

  // Capture: all / displayed / selected, read back by tshark.
  const all = await exportItem(page, 'Capture: all packets');
  const shown = await exportItem(page, 'Capture: displayed packets');
  const one = await exportItem(page, 'Capture: selected packet');
  const totalText = (await page.getByTestId('packet-counts').textContent()) ?? '';
  const total = Number(/Packets: (\d+)/.exec(totalText)?.[1]);
  const tshark = ['/usr/bin/tshark', '/usr/local/bin/tshark'].find((p) => existsSync(p));
  if (tshark) {
    const count = (file: string) =>
      execFileSync(tshark, ['-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean).length;
    expect(count(all)).toBe(total);
    expect(count(shown)).toBe(listed);
    expect(count(one)).toBe(1);
    const first = execFileSync(tshark, ['-r', one, '-T', 'fields', '-e', 'tcp.flags.str'], { encoding: 'utf8' });
    expect(first).toMatch(/S/);
  } else {
    console.log('tshark is not installed: the pcapng files were not read back (only their magic was checked)');
  }
  for (const f of [all, shown, one]) expect(readFileSync(f).readUInt32LE(0)).toBe(0x0a0d0d0a);

  // Dissections as text.
  const textSel = await exportItem(page, 'Dissections: selected packet');
  const textShown = await exportItem(page, 'Dissections: displayed packets');
  const sel = readFileSync(textSel, 'utf8');
  expect(sel).toContain('Transmission Control Protocol, Src Port');
  expect(sel).toMatch(new RegExp(`^No\\. +Time.*\\n +${hs[0]} `));
  expect(sel).toMatch(/^0000 {2}[0-9a-f]{2} /m);
  expect((readFileSync(textShown, 'utf8').match(/^No\. {5}Time/gm) ?? []).length).toBe(listed);

  // The report: real frame numbers and seq/ack values from the list, images embedded / linked.
  const html = readFileSync(await exportItem(page, 'Lab report: HTML (self-contained)'), 'utf8');
  expect(html).not.toContain('wirelab_token');
  for (const f of [...hs, pageReq, pageRes, logoReq, logoRes, ...td]) expect(html).toMatch(new RegExp(`\\b${f}\\b`));
  for (const info of tdInfo) {
    const [, seq, ack] = /Seq=(\d+) Ack=(\d+)/.exec(info) ?? [];
    expect(html).toContain(`Seq=${seq} Ack=${ack}`);
  }
  expect(html).toContain(escapeHtml(tdInfo[0]));
  const embedded = html.match(/src="data:image\/png;base64,/g) ?? [];
  expect(embedded.length).toBeGreaterThanOrEqual(6);
  expect(html).toContain('<svg');
  const zipFile = await exportItem(page, 'Lab report: Markdown + images (.zip)');
  const zip = unzipSync(new Uint8Array(readFileSync(zipFile)));
  const mdName = Object.keys(zip).find((n) => n.endsWith('.md'));
  expect(mdName).toBeTruthy();
  const md = strFromU8(zip[mdName as string]);
  expect(md).toContain(`Seq=${/Seq=(\d+)/.exec(tdInfo[0])?.[1]}`);
  for (const target of Object.keys(shotFiles)) {
    const name = path.basename(shotFiles[target]);
    expect(md).toContain(`screenshots/${name}`);
    expect(zip[`screenshots/${name}`]?.length).toBe(readFileSync(shotFiles[target]).length);
  }
  expect(md).toContain('flow-graph.svg');
  expect(strFromU8(zip['flow-graph.svg'])).toContain('<svg');
  await popup.close();
});

test('a capture of many connections: the guide draws the first 20, and all of them with "Show all"', async ({
  page,
}) => {
  // 45 lab-like connections of the bench's generator (handshake, GET / and the logo, teardown).
  const dir = path.join('test-results', 'many-connections');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'many.pcap');
  const connections = 45;
  // In a Node of its own: Playwright loads this spec as CommonJS, and the generator is an ES module.
  const generator =
    "import { PACKETS_PER_CONNECTION, writeBenchCapture } from './bench/lib/make-capture.mjs';" +
    'const [file, connections] = process.argv.slice(1);' +
    'process.stdout.write(String(writeBenchCapture(file, Number(connections) * PACKETS_PER_CONNECTION).packets));';
  const packets = Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', generator, file, String(connections)], {
      encoding: 'utf8',
    }),
  );
  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  await page.getByTestId('open-file').setInputFiles(file);
  await expect(page.getByTestId('packet-counts')).toContainText(`Packets: ${packets} `);
  await page.getByRole('button', { name: 'Lab guide' }).click();
  const cards = guide(page).locator('section.guide-conn');
  await expect(guide(page)).toContainText(`The first 20 of ${connections} connections are shown.`);
  await expect(cards).toHaveCount(20);
  const explanation = guide(page).getByRole('region', { name: 'Explanation' });
  await expect(explanation).toContainText(`The browser and the server used ${connections} TCP connections`);
  await expect(explanation).toContainText(`${connections - 20} more connections are not described`);
  // The page's connection and 19 others described, each with its HTTP.
  await expect(explanation.locator('section[data-section^="connection-"]')).toHaveCount(19);
  await expect(explanation.locator('section[data-section^="http-"]')).toHaveCount(20);
  // Each card's exchanges: the page and the logo.
  await expect(cards.nth(19).locator('.guide-http li')).toHaveCount(2);
  await guide(page)
    .getByRole('button', { name: `Show all ${connections}` })
    .click();
  await expect(cards).toHaveCount(connections);
  await expect(explanation.locator('section[data-section^="http-"]')).toHaveCount(connections);
  await expect(explanation.locator('section[data-section^="connection-"]')).toHaveCount(connections - 1);
  await expect(explanation).not.toContainText('more connections are not described');
  await expect(cards.last().locator('.guide-http li')).toHaveCount(2);
  // In Chinese too, from the same result.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('region', { name: '实验向导' })).toContainText(`共有 ${connections} 条 TCP 连接`);
  await expect(page.getByRole('region', { name: '实验向导' }).locator('section.guide-conn')).toHaveCount(connections);
});
