/**
 * Open in the browser shell: the dissection worker reads the chosen file itself and the host
 * gets a copy on disk. A file of several MB shows every packet; Save writes packets tshark reads
 * as the original's; a file cut short keeps the packets before the cut and says so; a file that
 * is not a capture is refused and what was shown stays; a second file opened while the first
 * loads replaces it.
 */
import { test, expect, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_TOKEN } from '../../playwright.config';
import { readCaptureFile, writePcapng } from '../../core/pcap';

const DIR = path.join('test-results', 'open-file');
const counts = (page: Page) => page.getByTestId('packet-counts');
const open = (page: Page, file: string) => page.getByTestId('open-file').setInputFiles(file);

/** tshark's one-line summary of each frame, for comparing two files' packets. */
function tsharkLines(file: string): string {
  const r = spawnSync(
    'tshark',
    ['-r', file, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.time_epoch', '-e', 'frame.protocols'],
    {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

test.describe.configure({ mode: 'serial' });

test('a big file: every packet shown, Save gives tshark the same packets; damage and non-captures are explained', async ({
  page,
}) => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  // ~12 MB: the lab capture repeated (several worker parts and upload parts).
  const one = readCaptureFile(new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-linux-ipv4.pcap')));
  const records = Array.from({ length: 600 }, () => one.packets).flat();
  const big = path.join(DIR, 'repeated.pcapng');
  writeFileSync(big, writePcapng({ interfaces: one.info.interfaces }, records));

  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  await open(page, big);
  await expect(counts(page)).toContainText(`Packets: ${records.length} `, { timeout: 60_000 });
  await expect(
    page.getByRole('status').filter({ hasText: `Opened repeated.pcapng: ${records.length} packets.` }),
  ).toBeVisible({
    timeout: 30_000,
  });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Save', exact: true }).click(),
  ]);
  const saved = path.join(DIR, 'saved.pcapng');
  await download.saveAs(saved);
  expect(tsharkLines(saved)).toBe(tsharkLines(big));

  // The big file cut short in the middle of a record: the reader worker parsed that part.
  const cutBytes = readFileSync(big).subarray(0, 6_000_001);
  const cut = path.join(DIR, 'repeated-cut.pcapng');
  writeFileSync(cut, cutBytes);
  const kept = readCaptureFile(new Uint8Array(cutBytes));
  expect(kept.error?.message).toMatch(/cut short/);
  await open(page, cut);
  await expect(counts(page)).toContainText(`Packets: ${kept.packets.length} `, { timeout: 60_000 });
  await expect(
    page
      .getByRole('alert')
      .filter({ hasText: `The ${kept.packets.length} packets before that point are shown.` })
      .filter({ hasText: /repeated-cut\.pcapng is damaged: .*cut short/ }),
  ).toBeVisible();

  // Cut short: the packets before the cut, and where it broke.
  await open(page, 'test/fixtures/captures/public/zeek-http-get.cut-short.pcap');
  await expect(counts(page)).toContainText('Packets: 8 ');
  await expect(
    page.getByRole('alert').filter({ hasText: /zeek-http-get\.cut-short\.pcap is damaged: .*cut short/ }),
  ).toBeVisible();

  // Not a capture: refused, the 8 packets stay.
  const text = path.join(DIR, 'notes.pcap');
  writeFileSync(text, 'These are my lab notes, not a capture.\n'.repeat(100));
  await open(page, text);
  await expect(
    page.getByRole('alert').filter({ hasText: 'notes.pcap is not a capture file WireLab can read' }),
  ).toBeVisible();
  await expect(counts(page)).toContainText('Packets: 8 ');
});

test('a second file opened while the first loads replaces it', async ({ page }) => {
  const one = readCaptureFile(new Uint8Array(readFileSync('test/fixtures/captures/lab/lab-linux-ipv4.pcap')));
  const records = Array.from({ length: 4000 }, () => one.packets).flat();
  const big = path.join(DIR, 'large.pcapng');
  writeFileSync(big, writePcapng({ interfaces: one.info.interfaces }, records));
  const small = 'test/fixtures/captures/lab/lab-dumpcap-lo-any.pcapng';
  const smallCount = readCaptureFile(new Uint8Array(readFileSync(small))).packets.length;

  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  await open(page, big);
  // The first rows of the large file, then (the Open button is busy: the input itself) the small one.
  await expect(page.getByRole('grid', { name: 'Packet list' }).locator('[role="row"][data-index="0"]')).toBeVisible();
  await open(page, small);
  await expect(counts(page)).toContainText(`Packets: ${smallCount} `, { timeout: 60_000 });
  await expect(page.getByTestId('loading')).toHaveCount(0);
  // And it stays the small one (nothing of the large file arrives later).
  await page.waitForTimeout(1500);
  await expect(counts(page)).toContainText(`Packets: ${smallCount} `);
  // Nothing said about the replaced file (the host refused the rest of its copy: no error shown).
  await expect(page.getByRole('alert').filter({ hasText: /large\.pcapng|no longer open/ })).toHaveCount(0);
});

test('a capture dropped on the window opens as Open does', async ({ page }) => {
  const file = 'test/fixtures/captures/lab/lab-dumpcap-lo-any.pcapng';
  const bytes = readFileSync(file);
  const count = readCaptureFile(new Uint8Array(bytes)).packets.length;
  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  await expect(page.getByRole('button', { name: 'Open' })).toBeEnabled();
  const dataTransfer = await page.evaluateHandle((base64) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], 'dropped.pcapng'));
    return transfer;
  }, bytes.toString('base64'));
  await page.getByRole('grid', { name: 'Packet list' }).dispatchEvent('drop', { dataTransfer });
  await expect(counts(page)).toContainText(`Packets: ${count} `);
  await expect(page.getByRole('status').filter({ hasText: `Opened dropped.pcapng: ${count} packets.` })).toBeVisible();
});
