/**
 * Statistics and Export Objects in the browser shell, on a fixture capture opened through Open
 * (no live capture): the numbers must be tshark 4.0's for the same file (test/fixtures/stats,
 * recorded with `tshark -r F -q -z conv,tcp` and `tshark -r F -q --export-objects http,DIR`).
 * Screenshots go to test-results/screenshots/.
 */
import { test, expect, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_TOKEN } from '../../playwright.config';

const FIXTURE = 'lab-linux-ipv4.pcap';
const shots = path.join('test-results', 'screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`) });
const packetList = (page: Page) => page.getByRole('grid', { name: 'Packet list' });
const selectedRow = (page: Page) => packetList(page).locator('[role="row"][aria-selected="true"]');
const counts = (page: Page) => page.getByTestId('packet-counts');
const reference = (suffix: string) =>
  readFileSync(path.join('test', 'fixtures', 'stats', `${FIXTURE}.${suffix}.txt`), 'utf8');

/** tshark's TCP conversations: A port, B port, total frames (from the `-z conv,tcp` reference). */
function tsharkTcpConversations(): { portA: number; portB: number; frames: number }[] {
  const rows: { portA: number; portB: number; frames: number }[] = [];
  for (const line of reference('conv-tcp').split('\n')) {
    const m = /^\S+:(\d+)\s+<-> \S+:(\d+)\s+\d+ \S+ \S+\s+\d+ \S+ \S+\s+(\d+) /.exec(line);
    if (m) rows.push({ portA: Number(m[1]), portB: Number(m[2]), frames: Number(m[3]) });
  }
  return rows;
}

async function openStatistics(page: Page, item: string): Promise<void> {
  await page.getByRole('button', { name: 'Statistics' }).click();
  await page.getByRole('menu', { name: 'Statistics' }).getByRole('menuitem', { name: item }).click();
}

test.describe.configure({ mode: 'serial' });

test('Statistics and Export Objects on a fixture capture agree with tshark', async ({ page }) => {
  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  await expect(page.getByRole('button', { name: 'Open' })).toBeEnabled();
  await page.getByTestId('open-file').setInputFiles(path.join('test', 'fixtures', 'captures', 'lab', FIXTURE));
  await expect(counts(page)).toContainText('Packets: 30 · Displayed: 30');

  // Conversations: the TCP tab lists tshark's streams with tshark's frame counts.
  await openStatistics(page, 'Conversations');
  const dialog = page.getByRole('dialog', { name: 'Conversations' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('tab', { name: /^TCP/ })).toHaveAttribute('aria-selected', 'true');
  const table = dialog.getByRole('table', { name: 'TCP conversations' });
  await expect(table.getByRole('columnheader', { name: 'Packets A → B' })).toBeVisible();
  const expected = tsharkTcpConversations();
  expect(expected.length).toBe(3);
  const bodyRows = table.locator('tbody tr');
  await expect(bodyRows).toHaveCount(expected.length);
  for (const [i, conv] of expected.entries()) {
    const cells = bodyRows.nth(i).getByRole('cell');
    await expect(cells.nth(1)).toHaveText(String(conv.portA));
    await expect(cells.nth(3)).toHaveText(String(conv.portB));
    await expect(cells.nth(4)).toHaveText(String(conv.frames));
  }
  await shot(page, 'stats-01-conversations');

  // Apply as Filter on the second conversation: tcp.stream eq N, and the list shrinks to its packets.
  const second = bodyRows.nth(1);
  const stream = await second.getAttribute('data-stream');
  await second.getByRole('button', { name: 'Apply as Filter' }).click();
  await expect(page.getByRole('textbox', { name: 'Display filter' })).toHaveValue(`tcp.stream eq ${stream}`);
  await expect(counts(page)).toContainText(`Displayed: ${expected[1].frames} `);
  await shot(page, 'stats-02-applied-filter');

  // Follow Stream from the first conversation opens the Follow dialog on its stream.
  const firstStream = await bodyRows.nth(0).getAttribute('data-stream');
  await bodyRows.nth(0).getByRole('button', { name: 'Follow Stream' }).click();
  const follow = page.getByRole('dialog', { name: `Follow TCP Stream (tcp.stream eq ${firstStream})` });
  await expect(follow).toBeVisible();
  await expect(follow.getByRole('document', { name: 'Stream content' })).toContainText('GET / HTTP/1.1');
  await shot(page, 'stats-03-follow');
  await follow.getByRole('button', { name: 'Close' }).click();

  // Protocol Hierarchy: Frame 100 %, then tshark's tree (eth > ip > tcp > http …).
  await openStatistics(page, 'Protocol Hierarchy');
  const phs = page.getByRole('dialog', { name: 'Protocol Hierarchy' });
  const phsTable = phs.getByRole('table', { name: 'Protocol hierarchy' });
  await expect(phsTable.locator('tr[data-protocol="frame"] td').nth(2)).toHaveText('30');
  const tsharkTcp = /^\s+tcp\s+frames:(\d+) bytes:(\d+)/m.exec(reference('io-phs'));
  expect(tsharkTcp).not.toBeNull();
  const tcpCells = phsTable.locator('tr[data-protocol="tcp"] td');
  await expect(tcpCells.nth(0)).toHaveText('Transmission Control Protocol');
  await expect(tcpCells.nth(2)).toHaveText(tsharkTcp?.[1] ?? '');
  await expect(tcpCells.nth(4)).toHaveText(tsharkTcp?.[2] ?? '');
  await shot(page, 'stats-04-protocol-hierarchy');
  await phs.getByRole('button', { name: 'Close' }).click();

  // Expert Information: grouped by severity; a SYN entry's packet is selected in the list.
  await openStatistics(page, 'Expert Information');
  const expert = page.getByRole('dialog', { name: 'Expert Information' });
  await expect(expert.getByRole('rowheader', { name: /^Chat \(\d+\)$/ })).toBeVisible();
  await expect(expert.getByRole('rowheader', { name: 'Note (6)' })).toBeVisible();
  await expert.getByRole('button', { name: /Connection establish request \(SYN\)/ }).click();
  const frames = expert.getByRole('group', { name: /Packets with “Connection establish request/ }).getByRole('button');
  await expect(frames).toHaveCount(3);
  const target = (await frames.nth(2).textContent())?.trim() ?? '';
  await frames.nth(2).click();
  await expect(selectedRow(page)).toHaveAttribute('data-number', target);
  await expect(selectedRow(page)).toContainText('[SYN]');
  await shot(page, 'stats-05-expert');
  await expert.getByRole('button', { name: 'Close' }).click();

  // Export Objects › HTTP: the list, the logo's preview, and Save gives tshark's bytes.
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'HTTP…' }).click();
  const objects = page.getByRole('dialog', { name: 'Export Objects › HTTP' });
  const list = objects.getByRole('grid', { name: 'HTTP objects' });
  const exported = reference('export-http')
    .trim()
    .split('\n')
    .map((l) => ({ sha256: l.slice(0, 64), name: l.slice(66) }));
  await expect(list.locator('tbody tr')).toHaveCount(exported.length);
  const logoRow = list.locator('tbody tr', { hasText: 'logo.jpg' });
  await expect(logoRow).toContainText('image/jpeg');
  await logoRow.click();
  await expect(objects.getByRole('region', { name: 'Preview of logo.jpg' }).locator('img')).toBeVisible();
  await shot(page, 'stats-06-export-objects');
  const downloadPromise = page.waitForEvent('download');
  await logoRow.getByRole('button', { name: 'Save logo.jpg' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('logo.jpg');
  const bytes = readFileSync(await download.path());
  const logo = exported.find((e) => e.name === 'logo.jpg');
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(logo?.sha256);

  // Endpoints and Capture File Properties open on the same pass.
  await objects.getByRole('button', { name: 'Close' }).click();
  await openStatistics(page, 'Endpoints');
  const endpoints = page.getByRole('dialog', { name: 'Endpoints' });
  await expect(endpoints.getByRole('table', { name: 'TCP endpoints' }).locator('tbody tr')).toHaveCount(
    reference('endpoints-tcp')
      .split('\n')
      .filter((l) => /^\d/.test(l)).length,
  );
  await shot(page, 'stats-07-endpoints');
  await endpoints.getByRole('button', { name: 'Close' }).click();
  await openStatistics(page, 'Capture File Properties');
  const props = page.getByRole('dialog', { name: 'Capture File Properties' });
  await expect(props.getByRole('row', { name: /Encapsulation/ })).toContainText('Ethernet');
  await expect(props.getByRole('row', { name: /^Format/ })).toContainText('Wireshark/tcpdump/... - pcap');
  await expect(props.getByRole('row', { name: /^Packets/ })).toContainText('30');
  await shot(page, 'stats-08-properties');
  await props.getByRole('button', { name: 'Close' }).click();

  // I/O graph: one point per second as tshark -z io,stat,1, then only HTTP, then saved as PNG.
  await openStatistics(page, 'I/O Graph');
  const io = page.getByRole('dialog', { name: 'I/O Graph' });
  const ioRows = [
    ...reference('io-stat-1').matchAll(/^\|\s*[\d.]+ <>\s*(?:[\d.]+|Dur)\s*\|\s*(\d+) \|\s*(\d+) \|$/gm),
  ].map((m) => m[1]);
  const points = io.locator('svg circle');
  await expect(points).toHaveCount(ioRows.length);
  for (const [i, frames] of ioRows.entries()) await expect(points.nth(i)).toHaveAttribute('data-value', frames);
  await io.getByRole('textbox', { name: 'Display filter (optional)' }).fill('http');
  await io.getByRole('button', { name: 'Apply' }).click();
  const httpFrames = /^\s+http\s+frames:(\d+)/m.exec(reference('io-phs'))?.[1];
  await expect(io).toContainText(`${httpFrames} packets counted.`);
  await shot(page, 'stats-09-io-graph');
  const pngDownload = page.waitForEvent('download');
  await io.getByRole('button', { name: 'Save as PNG' }).click();
  const png = readFileSync(await (await pngDownload).path());
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
});

test('zh-CN: the Statistics menu and dialogs are in Chinese', async ({ page }) => {
  await page.goto(`/?lang=zh-CN&token=${E2E_TOKEN}`);
  await page.getByTestId('open-file').setInputFiles(path.join('test', 'fixtures', 'captures', 'lab', FIXTURE));
  await expect(counts(page)).toContainText('分组：30 · 已显示：30');
  await page.getByRole('button', { name: '统计' }).click();
  await page.getByRole('menu', { name: '统计' }).getByRole('menuitem', { name: '协议分级' }).click();
  const phs = page.getByRole('dialog', { name: '协议分级' });
  await expect(phs.getByRole('columnheader', { name: '按分组百分比' })).toBeVisible();
  await expect(phs.locator('tr[data-protocol="frame"] td').first()).toHaveText('帧');
  await shot(page, 'stats-10-zh-CN-hierarchy');
  await phs.getByRole('button', { name: '关闭' }).click();
  await page.getByRole('button', { name: '统计' }).click();
  await page.getByRole('menu', { name: '统计' }).getByRole('menuitem', { name: '专家信息' }).click();
  await expect(
    page.getByRole('dialog', { name: '专家信息' }).getByRole('rowheader', { name: '注意（6）' }),
  ).toBeVisible();
  await shot(page, 'stats-11-zh-CN-expert');
});
