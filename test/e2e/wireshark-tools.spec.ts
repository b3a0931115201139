/**
 * The Wireshark tools a student reaches for (issue 15), in the browser shell on a fixture
 * capture: packet diagram, details context menu (Apply as Filter / Column), Time Display
 * Format, Find Packet, links in the tree with Back, marks and time references.
 * Screenshots go to test-results/screenshots/tools-*.png.
 */
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { E2E_TOKEN } from '../../playwright.config';

const shots = path.join('test-results', 'screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `tools-${name}.png`) });
const FIXTURE = path.join('test', 'fixtures', 'captures', 'lab', 'lab-linux-ipv4.pcap');

const packetList = (page: Page) => page.getByRole('grid', { name: 'Packet list' });
const row = (page: Page, number: number) => packetList(page).locator(`[role="row"][data-number="${number}"]`);
const selectedRow = (page: Page) => packetList(page).locator('[role="row"][aria-selected="true"]');
const details = (page: Page) => page.getByRole('tree', { name: 'Packet details' });
const bytes = (page: Page) => page.getByRole('region', { name: 'Packet bytes' });
const diagram = (page: Page) => page.getByRole('region', { name: 'Packet diagram' });
const filterInput = (page: Page) => page.getByRole('textbox', { name: 'Display filter' });
const timeCell = (page: Page, number: number) => row(page, number).locator('[role="gridcell"]').nth(1);

/** tshark 4.0's Time column for `-t FORMAT` (test/fixtures/time/README.md). */
function tsharkTimes(format: string): Map<number, string> {
  const file = path.join('test', 'fixtures', 'time', `lab-linux-ipv4.pcap.t-${format}.tsv`);
  return new Map(
    readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'))
      .map(([n, time]) => [Number(n), time]),
  );
}

async function openFixture(page: Page) {
  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  await expect(page.getByRole('button', { name: 'Open' })).toBeEnabled();
  await page.getByTestId('open-file').setInputFiles(FIXTURE);
  await expect(packetList(page)).toHaveAttribute('aria-rowcount', '31');
}

async function viewMenu(page: Page) {
  await page.getByRole('button', { name: 'View' }).click();
  return page.getByRole('menu', { name: 'View' });
}

test.describe.configure({ mode: 'serial' });

test('packet diagram, Apply as Filter / Column, time formats, find, links and Back', async ({ page }) => {
  await openFixture(page);

  // View → Packet Diagram, then select the SYN: TCP is drawn with the client port.
  await (await viewMenu(page)).getByRole('menuitemcheckbox', { name: 'Packet Diagram' }).click();
  await row(page, 1).click();
  await expect(diagram(page)).toBeVisible();
  await expect(diagram(page).locator('[data-protocol="tcp"]')).toBeVisible();
  await expect(diagram(page).locator('[data-field="tcp.srcport"]')).toHaveAttribute('aria-label', 'Source Port: 46062');
  for (const field of ['eth.dst', 'ip.flags.df', 'ip.frag_offset', 'tcp.options.mss_val', 'tcp.flags.syn'])
    await expect(diagram(page).locator(`[data-field="${field}"]`).first()).toBeVisible();
  await shot(page, '01-diagram-syn');

  // Click the SYN bit: the tree item and its byte follow.
  await diagram(page).locator('[data-field="tcp.flags.syn"]').click();
  const synItem = details(page).getByRole('treeitem', { name: '.... .... ..1. = Syn: Set' });
  await expect(synItem).toHaveAttribute('aria-selected', 'true');
  await expect(bytes(page).locator('[data-highlight="true"]')).toHaveCount(1);
  await expect(bytes(page).locator('[data-offset="47"]')).toHaveAttribute('data-highlight', 'true');
  await expect(diagram(page).locator('[data-field="tcp.flags.syn"]')).toHaveAttribute('data-selected', 'true');
  await shot(page, '02-diagram-syn-clicked');

  // And the other way: selecting a tree item highlights its diagram field.
  await details(page).getByRole('treeitem', { name: 'Destination Port: 8001' }).click();
  await expect(diagram(page).locator('[data-field="tcp.dstport"]')).toHaveAttribute('data-selected', 'true');
  await expect(diagram(page).locator('[data-field="tcp.flags.syn"]')).not.toHaveAttribute('data-selected', 'true');

  // Export the diagram as SVG and PNG.
  const [svgDownload] = await Promise.all([
    page.waitForEvent('download'),
    diagram(page).getByRole('button', { name: 'Export diagram as SVG' }).click(),
  ]);
  expect(svgDownload.suggestedFilename()).toBe('lab-linux-ipv4-frame-1-diagram.svg');
  const svg = readFileSync(await svgDownload.path(), 'utf8');
  expect(svg).toContain('data-field="tcp.srcport"');
  expect(svg).toContain('>46062</text>');
  const [pngDownload] = await Promise.all([
    page.waitForEvent('download'),
    diagram(page).getByRole('button', { name: 'Export diagram as PNG' }).click(),
  ]);
  expect(pngDownload.suggestedFilename()).toBe('lab-linux-ipv4-frame-1-diagram.png');
  const png = readFileSync(await pngDownload.path());
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(png.readUInt32BE(16)).toBeGreaterThan(600); // width: 32 bit columns, scaled 2×

  // GET /: right-click Request URI → Apply as Filter → Selected.
  await row(page, 10).click();
  await page.getByRole('button', { name: 'Expand all' }).click();
  const uri = details(page).getByRole('treeitem', { name: 'Request URI: /' });
  await uri.click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Packet details menu' });
  await expect(menu).toBeVisible();
  await menu.getByRole('menuitem', { name: 'Apply as Filter' }).click();
  await shot(page, '03-apply-as-filter-menu');
  await page
    .getByRole('menu', { name: 'Apply as Filter' })
    .getByRole('menuitem', { name: 'Selected', exact: true })
    .click();
  await expect(filterInput(page)).toHaveValue('http.request.uri == "/"');
  await expect(packetList(page)).toHaveAttribute('aria-rowcount', '2');
  await expect(row(page, 10)).toBeVisible();

  // Apply as Column: a "Request URI" column showing "/" for the request.
  await details(page).getByRole('treeitem', { name: 'Request URI: /' }).click({ button: 'right' });
  await page
    .getByRole('menu', { name: 'Packet details menu' })
    .getByRole('menuitem', { name: 'Apply as Column' })
    .click();
  const header = packetList(page).getByRole('columnheader', { name: 'Request URI' });
  await expect(header).toBeVisible();
  await expect(row(page, 10).locator('[role="gridcell"][data-field="http.request.uri"]')).toHaveText('/');
  await shot(page, '04-filter-and-column');

  // Prepare as Filter → …and not Selected combines with the current filter without applying it.
  await details(page).getByRole('treeitem', { name: 'Request Method: GET' }).click({ button: 'right' });
  await page
    .getByRole('menu', { name: 'Packet details menu' })
    .getByRole('menuitem', { name: 'Prepare as Filter' })
    .click();
  await page
    .getByRole('menu', { name: 'Prepare as Filter' })
    .getByRole('menuitem', { name: '…and not Selected' })
    .click();
  await expect(filterInput(page)).toHaveValue('(http.request.uri == "/") && !(http.request.method == "GET")');
  await expect(packetList(page)).toHaveAttribute('aria-rowcount', '2');

  // Show everything again; the custom column fills for every row (empty where there is no URI).
  await filterInput(page).fill('');
  await filterInput(page).press('Enter');
  await expect(packetList(page)).toHaveAttribute('aria-rowcount', '31');
  await expect(row(page, 17).locator('[role="gridcell"][data-field="http.request.uri"]')).toHaveText('/logo.jpg');
  await expect(row(page, 1).locator('[role="gridcell"][data-field="http.request.uri"]')).toHaveText('');

  // View → Time Display Format → since previous displayed packet: tshark -t dd's values.
  const relative = tsharkTimes('r');
  await expect(timeCell(page, 12)).toHaveText(relative.get(12) ?? '');
  await (await viewMenu(page)).getByRole('menuitem', { name: 'Time Display Format' }).click();
  await page
    .getByRole('menu', { name: 'Time Display Format' })
    .getByRole('menuitemradio', { name: 'Seconds Since Previous Displayed Packet' })
    .click();
  const dd = tsharkTimes('dd');
  for (const n of [1, 2, 12, 23]) await expect(timeCell(page, n)).toHaveText(dd.get(n) ?? '');
  await shot(page, '05-time-delta-displayed');
  // UTC date and time of day, as tshark -t ud.
  await (await viewMenu(page)).getByRole('menuitem', { name: 'Time Display Format' }).click();
  await page.getByRole('menuitemradio', { name: 'UTC Date and Time of Day' }).click();
  await expect(timeCell(page, 12)).toHaveText(tsharkTimes('ud').get(12) ?? '');

  // Ctrl+F finds "logo" in the packet list: frame 17 (GET /logo.jpg).
  await row(page, 1).click();
  await page.keyboard.press('Control+f');
  const find = page.getByRole('search', { name: 'Find packet' });
  await expect(find).toBeVisible();
  await find.getByRole('textbox', { name: 'Search text' }).fill('logo');
  await find.getByRole('textbox', { name: 'Search text' }).press('Enter');
  await expect(selectedRow(page)).toHaveAttribute('data-number', '17');
  await shot(page, '06-find-logo');
  // Hex bytes: "GET /" → the first request, frame 10 (searching on wraps around).
  await find.getByRole('combobox', { name: 'Find by' }).selectOption('hex');
  await find.getByRole('textbox', { name: 'Search text' }).fill('47 45 54 20 2f 20');
  await find.getByRole('button', { name: 'Find', exact: true }).click();
  await expect(selectedRow(page)).toHaveAttribute('data-number', '10');
  await find.getByRole('button', { name: 'Close the find bar' }).click();

  // A link in the tree jumps: [Response in frame: 12]; Alt+← goes back to 10, Alt+→ forward.
  await page.getByRole('button', { name: 'Expand all' }).click();
  const link = details(page).getByRole('treeitem', { name: '[Response in frame: 12]' });
  await expect(link).toHaveAttribute('data-frame-ref', '12');
  await link.dblclick();
  await expect(selectedRow(page)).toHaveAttribute('data-number', '12');
  await expect(details(page).getByRole('treeitem', { name: '[Request in frame: 10]' })).toBeVisible();
  await packetList(page).focus();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(selectedRow(page)).toHaveAttribute('data-number', '10');
  await page.keyboard.press('Alt+ArrowRight');
  await expect(selectedRow(page)).toHaveAttribute('data-number', '12');
  // Enter on a link jumps too.
  await details(page).getByRole('treeitem', { name: '[Request in frame: 10]' }).click();
  await details(page).press('Enter');
  await expect(selectedRow(page)).toHaveAttribute('data-number', '10');

  // Ctrl+M marks (white on black), Ctrl+T sets a time reference (*REF*, later times from it).
  await packetList(page).focus();
  await page.keyboard.press('Control+m');
  await expect(row(page, 10)).toHaveAttribute('data-marked', 'true');
  await expect(page.getByTestId('marked-count')).toHaveText('Marked: 1');
  await row(page, 12).click();
  await expect(row(page, 10)).toHaveCSS('background-color', 'rgb(0, 0, 0)');
  await (await viewMenu(page)).getByRole('menuitem', { name: 'Time Display Format' }).click();
  await page.getByRole('menuitemradio', { name: 'Seconds Since Beginning of Capture' }).click();
  await row(page, 10).click();
  await (await viewMenu(page)).getByRole('menuitem', { name: 'Set/Unset Time Reference' }).click();
  await expect(timeCell(page, 10)).toHaveText('*REF*');
  // Frame 12 at 0.042936 s is 0.005973 s after frame 10 (0.036963 s).
  await expect(timeCell(page, 12)).toHaveText('0.005973');
  await expect(timeCell(page, 9)).toHaveText(relative.get(9) ?? '');
  await shot(page, '07-marked-and-ref');

  // The packet list's Conversation Filter → TCP.
  await row(page, 12).click({ button: 'right' });
  const listMenu = page.getByRole('menu', { name: 'Packet list menu' });
  await listMenu.getByRole('menuitem', { name: 'Conversation Filter' }).click();
  await page.getByRole('menu', { name: 'Conversation Filter' }).getByRole('menuitem', { name: 'TCP' }).click();
  await expect(filterInput(page)).toHaveValue('tcp.stream eq 1');
  await expect(packetList(page)).toHaveAttribute('aria-rowcount', '18');

  // The packet list's Apply as Filter uses the field selected in the details (tcp.flags.syn here).
  await row(page, 8).click();
  await details(page).getByRole('treeitem', { name: '.... .... ..1. = Syn: Set' }).click();
  await row(page, 8).click({ button: 'right' });
  await page.getByRole('menu', { name: 'Packet list menu' }).getByRole('menuitem', { name: 'Apply as Filter' }).click();
  await page
    .getByRole('menu', { name: 'Apply as Filter' })
    .getByRole('menuitem', { name: 'Selected', exact: true })
    .click();
  await expect(filterInput(page)).toHaveValue('tcp.flags.syn == 1');
  // tshark -r lab-linux-ipv4.pcap -Y 'tcp.flags.syn == 1': frames 1, 2, 7, 8, 14, 15.
  await expect(packetList(page)).toHaveAttribute('aria-rowcount', '7');

  // Keyboard: Shift+F10 opens the details menu on the selected item; Escape closes it.
  await details(page)
    .getByRole('treeitem', { name: /^Transmission Control Protocol/ })
    .click();
  await page.keyboard.press('Shift+F10');
  await expect(page.getByRole('menu', { name: 'Packet details menu' })).toBeVisible();
  await expect(page.getByRole('menu', { name: 'Packet details menu' }).getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu', { name: 'Packet details menu' })).toHaveCount(0);
});

test('custom columns and the time format are remembered across reloads; columns can be removed', async ({ page }) => {
  await openFixture(page);
  await row(page, 10).click();
  await page.getByRole('button', { name: 'Expand all' }).click();
  await details(page).getByRole('treeitem', { name: 'Request Method: GET' }).click({ button: 'right' });
  await page
    .getByRole('menu', { name: 'Packet details menu' })
    .getByRole('menuitem', { name: 'Apply as Column' })
    .click();
  await details(page)
    .getByRole('treeitem', { name: /^Source Port: \d+$/ })
    .click();
  await details(page).press('Control+Shift+I');
  await expect(packetList(page).getByRole('columnheader', { name: 'Request Method' })).toBeVisible();
  await expect(packetList(page).getByRole('columnheader', { name: 'Source Port' })).toBeVisible();
  await (await viewMenu(page)).getByRole('menuitem', { name: 'Time Display Format' }).click();
  await page.getByRole('menuitemradio', { name: 'Seconds Since Previous Captured Packet' }).click();

  await page.reload();
  await expect(page.getByRole('button', { name: 'Open' })).toBeEnabled();
  await page.getByTestId('open-file').setInputFiles(FIXTURE);
  await expect(packetList(page)).toHaveAttribute('aria-rowcount', '31');
  const headers = packetList(page).locator('[role="columnheader"][data-field]');
  await expect(headers).toHaveText(['Request Method', 'Source Port']);
  await expect(row(page, 10).locator('[role="gridcell"][data-field="http.request.method"]')).toHaveText('GET');
  await expect(row(page, 1).locator('[role="gridcell"][data-field="tcp.srcport"]')).toHaveText('46062');
  await expect(timeCell(page, 2)).toHaveText(tsharkTimes('d').get(2) ?? '');

  // Move the second column left, resize it with the keyboard, then remove both.
  await packetList(page).getByRole('columnheader', { name: 'Source Port' }).click({ button: 'right' });
  await page.getByRole('menu', { name: 'Column menu' }).getByRole('menuitem', { name: 'Move Column Left' }).click();
  await expect(headers).toHaveText(['Source Port', 'Request Method']);
  const resizer = packetList(page).getByRole('separator', { name: 'Resize column Source Port' });
  const before = Number(await resizer.getAttribute('aria-valuenow'));
  await resizer.focus();
  await page.keyboard.press('ArrowRight');
  await expect(resizer).toHaveAttribute('aria-valuenow', String(before + 10));
  await shot(page, '08-columns-after-reload');
  for (const name of ['Source Port', 'Request Method']) {
    await packetList(page).getByRole('columnheader', { name }).click({ button: 'right' });
    await page.getByRole('menu', { name: 'Column menu' }).getByRole('menuitem', { name: 'Remove Column' }).click();
  }
  await expect(headers).toHaveCount(0);
  await page.reload();
  await page.getByTestId('open-file').setInputFiles(FIXTURE);
  await expect(packetList(page)).toHaveAttribute('aria-rowcount', '31');
  await expect(headers).toHaveCount(0);
});

test('in Chinese: View menu, packet diagram and details menu', async ({ page }) => {
  await page.goto(`/?lang=zh-CN&token=${E2E_TOKEN}`);
  await page.getByTestId('open-file').setInputFiles(FIXTURE);
  const list = page.getByRole('grid', { name: '分组列表' });
  await expect(list).toHaveAttribute('aria-rowcount', '31');
  await page.getByRole('button', { name: '视图' }).click();
  await page.getByRole('menu', { name: '视图' }).getByRole('menuitemcheckbox', { name: '分组示意图' }).click();
  await list.locator('[role="row"][data-number="1"]').click();
  const pane = page.getByRole('region', { name: '分组示意图' });
  await expect(pane.locator('[data-field="tcp.srcport"]')).toHaveAttribute('aria-label', 'Source Port: 46062');
  await expect(pane.getByRole('button', { name: '导出示意图为 PNG' })).toBeVisible();
  // The 32 bit columns fit the pane: no horizontal scrolling.
  const fits = await pane.locator('.diagram-body').evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
  expect(fits).toBe(true);
  const tree = page.getByRole('tree', { name: '分组详情' });
  await tree.getByRole('treeitem', { name: /^Transmission Control Protocol/ }).click({ button: 'right' });
  const menu = page.getByRole('menu', { name: '分组详情菜单' });
  await expect(menu.getByRole('menuitem', { name: '作为过滤器应用' })).toBeVisible();
  await menu.getByRole('menuitem', { name: '准备过滤器' }).hover();
  await expect(
    page.getByRole('menu', { name: '准备过滤器' }).getByRole('menuitem', { name: '…与非选中' }),
  ).toBeVisible();
  await shot(page, '09-zh-CN');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
});
