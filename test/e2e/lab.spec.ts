/**
 * End to end, against the real browser shell (`node out/web/web.js`, i.e. `npm run web`) with
 * a REAL loopback capture (needs root or capture permission, and port 8001 free).
 * Screenshots of every step go to test-results/screenshots/.
 */
import { test, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { E2E_TOKEN } from '../../playwright.config';

const shots = path.join('test-results', 'screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`) });

const packetList = (page: Page) => page.getByRole('grid', { name: 'Packet list' });
const bodyRows = (page: Page) => packetList(page).locator('[role="row"][data-index]');
const details = (page: Page) => page.getByRole('tree', { name: 'Packet details' });
const bytes = (page: Page) => page.getByRole('region', { name: 'Packet bytes' });
const filterInput = (page: Page) => page.getByRole('textbox', { name: 'Display filter' });

test.describe.configure({ mode: 'serial' });

test('live lab: Start Lab, profile page, handshake rows, tree, bytes, filters, language', async ({ page, context }) => {
  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  await expect(page.getByRole('button', { name: 'Start Lab' })).toBeEnabled();
  await shot(page, '01-start');

  // Start Lab: the capture starts first, then the profile page opens in a new tab.
  const popupPromise = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Start Lab' }).click();
  const popup = await popupPromise;
  await popup.waitForURL(/127\.0\.0\.1:8001/, { timeout: 20_000 });
  await popup.waitForLoadState('load');
  await expect(popup.locator('body')).toContainText(/./);
  await shot(popup, '02-profile-page');

  // The default lab filter is shown and rows arrive live.
  await expect(filterInput(page)).toHaveValue('tcp.port == 8001');
  const synRow = bodyRows(page)
    .filter({ hasText: /→ 8001 \[SYN\] Seq=0 / })
    .first();
  await expect(synRow).toBeVisible({ timeout: 20_000 });
  await expect(bodyRows(page).filter({ hasText: 'HTTP/1.1 200 OK' }).first()).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled();
  await shot(page, '03-live-rows');

  // The SYN's info reads like Wireshark's.
  await expect(synRow.locator('[role="gridcell"]').nth(6)).toHaveText(
    /^\d+ → 8001 \[SYN\] Seq=0 Win=\d+ Len=0 MSS=\d+/,
  );

  // Selecting it shows the TCP tree.
  await synRow.click();
  const tcp = details(page).getByRole('treeitem', {
    name: /^Transmission Control Protocol, Src Port: \d+, Dst Port: 8001/,
  });
  await expect(tcp).toBeVisible();
  await tcp.click();
  await page.keyboard.press('ArrowRight');
  await expect(tcp).toHaveAttribute('aria-expanded', 'true');
  const seq = details(page).getByRole('treeitem', { name: /^Sequence Number: 0 +\(relative sequence number\)$/ });
  await seq.click();
  await expect(seq).toHaveAttribute('aria-selected', 'true');
  await expect(bytes(page).locator('[data-highlight="true"]')).toHaveCount(4);
  await shot(page, '04-syn-seq-selected');

  // Clicking a byte selects the deepest item covering it (the destination port at 36).
  await bytes(page).locator('[data-offset="36"]').click();
  await expect(details(page).getByRole('treeitem', { name: 'Destination Port: 8001' })).toHaveAttribute(
    'aria-selected',
    'true',
  );

  // Keyboard: ← moves to the parent, ← again collapses.
  await details(page).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tcp).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(tcp).toHaveAttribute('aria-expanded', 'false');

  // Filter `http`: only HTTP rows.
  await filterInput(page).fill('http');
  await filterInput(page).press('Enter');
  await expect(bodyRows(page).first()).toBeVisible();
  await expect
    .poll(async () => {
      const protos = await bodyRows(page).locator('[role="gridcell"]:nth-child(5)').allTextContents();
      return protos.length > 0 && protos.every((p) => p === 'HTTP');
    })
    .toBe(true);
  await shot(page, '05-filter-http');

  // A bad filter: red, aria-invalid, with the parser's message.
  await filterInput(page).fill('tcp.prot == 1');
  await expect(filterInput(page)).toHaveAttribute('aria-invalid', 'true');
  // The parser's own message (its wording is core/filter's), naming the bad field.
  await expect(page.locator('#filter-error')).toHaveText(/tcp\.prot/);
  await expect(page.locator('#filter-error')).toHaveAttribute('role', 'alert');
  await shot(page, '06-bad-filter');
  await filterInput(page).fill('');
  await filterInput(page).press('Enter');

  // Stop, then switch to Chinese.
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Start Lab' })).toBeEnabled({ timeout: 15_000 });
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('button', { name: '开始实验' })).toBeVisible();
  await expect(page.getByRole('grid', { name: '分组列表' })).toBeVisible();
  await shot(page, '07-zh-CN');
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  await expect(page.getByRole('button', { name: 'Start Lab' })).toBeVisible();
  await popup.close();
});

test('open a fixture capture through Open: 30 rows', async ({ page }) => {
  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  await expect(page.getByRole('button', { name: 'Open' })).toBeEnabled();
  await page
    .getByTestId('open-file')
    .setInputFiles(path.join('test', 'fixtures', 'captures', 'lab', 'lab-linux-ipv4.pcap'));
  await expect(packetList(page)).toHaveAttribute('aria-rowcount', '31');
  await expect(page.getByTestId('packet-counts')).toContainText('Packets: 30');
  // Every row is reachable: End selects the last one (frame 30).
  await bodyRows(page).first().click();
  await packetList(page).press('End');
  await expect(packetList(page).locator('[role="row"][aria-selected="true"]')).toHaveAttribute('data-number', '30');
  await packetList(page).press('Home');
  await expect(packetList(page).locator('[role="row"][aria-selected="true"]')).toHaveAttribute('data-number', '1');
  await shot(page, '08-open-fixture');
});
