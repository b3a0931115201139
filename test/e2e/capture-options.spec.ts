/**
 * Capture → Options end to end in the browser shell (`node out/web/web.js`) with a REAL capture on
 * the loopback interface (needs root or capture permission): pick `lo`, a capture filter for a
 * small HTTP server this test starts on an ephemeral port (checked valid, then broken, then fixed),
 * a snap length of 100 bytes; the test's requests appear as rows whose captured bytes are cut to
 * 100 while the Length column keeps the length on the wire. Screenshots in test-results/screenshots/.
 */
import { test, expect, type Page } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { E2E_TOKEN } from '../../playwright.config';

const shots = path.join('test-results', 'screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`) });

const packetList = (page: Page) => page.getByRole('grid', { name: 'Packet list' });
const bodyRows = (page: Page) => packetList(page).locator('[role="row"][data-index]');
const details = (page: Page) => page.getByRole('tree', { name: 'Packet details' });
const filterInput = (page: Page) => page.getByRole('textbox', { name: 'Display filter' });

const SNAPLEN = 100;
/** A body big enough that the response is far longer than the snap length. */
const BODY = 'WireLab capture options test. '.repeat(60);

function get(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

test('Capture Options: loopback, a checked capture filter, a snap length; rows arrive cut; Stop', async ({ page }) => {
  const server = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/plain');
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
    await page.getByRole('button', { name: 'Capture Options…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Capture Options' });
    await expect(dialog).toBeVisible();

    // The host's interfaces, with the loopback flag; pick lo.
    const loRow = dialog.getByRole('row').filter({ has: page.getByRole('radio', { name: 'lo', exact: true }) });
    await expect(loRow).toContainText('127.0.0.1');
    await expect(loRow.getByRole('cell').nth(3)).toHaveText('yes');
    await dialog.getByRole('radio', { name: 'lo', exact: true }).check();

    const filter = dialog.getByRole('textbox', { name: 'Capture filter' });
    const status = dialog.getByTestId('capture-filter-status');
    const start = dialog.getByRole('button', { name: 'Start' });

    await filter.fill(`tcp port ${port}`);
    await expect(status).toHaveText(
      /^Valid capture filter: \d+ BPF instructions, compiled by (dumpcap|tcpdump) for lo\.$/,
    );
    await expect(filter).toHaveAttribute('aria-invalid', 'false');
    await shot(page, 'capture-options-01-valid-filter');

    await filter.fill(`tcp prt ${port}`);
    await expect(status).toHaveText(/^Invalid capture filter: .*syntax error/);
    await expect(filter).toHaveAttribute('aria-invalid', 'true');
    await expect(start).toBeDisabled();
    await shot(page, 'capture-options-02-invalid-filter');

    await filter.fill(`tcp port ${port}`);
    await expect(status).toHaveText(/^Valid capture filter/);
    await dialog.getByRole('checkbox', { name: 'Limit each packet to' }).check();
    await dialog.getByRole('spinbutton', { name: 'Snap length in bytes' }).fill(String(SNAPLEN));
    await expect(dialog).toContainText('temporary pcapng file on this computer');
    await shot(page, 'capture-options-03-ready');

    await expect(start).toBeEnabled();
    await start.click();
    await expect(dialog).toBeHidden({ timeout: 20_000 });
    await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled();
    await expect(page.getByRole('button', { name: 'Capture Options…' })).toBeDisabled();

    for (let i = 0; i < 3; i++) expect(await get(port)).toBe(200);

    // Each request's SYN, from the test's client to the server's port (the list is virtual: filter, then count).
    const applyFilter = async (text: string) => {
      await filterInput(page).fill(text);
      await filterInput(page).press('Enter');
      await expect(filterInput(page)).toHaveAttribute('aria-invalid', 'false');
    };
    await applyFilter('tcp.flags.syn == 1 && tcp.flags.ack == 0');
    const syns = bodyRows(page).filter({ hasText: new RegExp(`^\\d+.*→ ${port} \\[SYN\\] Seq=0 `) });
    await expect(syns).toHaveCount(3, { timeout: 20_000 });
    await expect(bodyRows(page)).toHaveCount(3);

    // Nothing else on lo was captured, e.g. this page's own WebSocket to the browser shell.
    await applyFilter(`!(tcp.port == ${port})`);
    await expect(page.getByTestId('packet-counts')).toContainText(/Packets: \d+ · Displayed: 0 /);
    await expect(bodyRows(page)).toHaveCount(0);

    // A small packet (the SYN) is kept whole.
    await applyFilter('tcp.flags.syn == 1 && tcp.flags.ack == 0');
    await syns.first().click();
    const synLength = Number(await syns.first().locator('[role="gridcell"]').nth(5).textContent());
    expect(synLength).toBeLessThan(SNAPLEN);
    await expect(
      details(page).getByRole('treeitem', {
        name: new RegExp(
          `^Frame \\d+: ${synLength} bytes on wire \\(${synLength * 8} bits\\), ${synLength} bytes captured`,
        ),
      }),
    ).toBeVisible();

    // The requests and responses are longer on the wire than the 100 bytes kept: Length shows the
    // wire length, the frame says how much was captured.
    await applyFilter(`frame.len > ${SNAPLEN}`);
    await expect(bodyRows(page)).toHaveCount(6);
    const lengths = (await bodyRows(page).locator('[role="gridcell"]:nth-child(6)').allTextContents()).map(Number);
    expect(lengths.every((n) => n > SNAPLEN)).toBe(true);
    const response = bodyRows(page).filter({ hasText: 'HTTP/1.1 200 OK' }).first();
    const wire = Number(await response.locator('[role="gridcell"]').nth(5).textContent());
    expect(wire).toBeGreaterThan(BODY.length);
    await response.click();
    await expect(
      details(page).getByRole('treeitem', {
        name: new RegExp(
          `^Frame \\d+: ${wire} bytes on wire \\(${wire * 8} bits\\), ${SNAPLEN} bytes captured \\(${SNAPLEN * 8} bits\\)`,
        ),
      }),
    ).toBeVisible();
    await shot(page, 'capture-options-04-rows-cut');

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByRole('button', { name: 'Start Lab' })).toBeEnabled({ timeout: 15_000 });
    await expect(page.getByRole('button', { name: 'Capture Options…' })).toBeEnabled();
    await expect(page.getByRole('status', { name: 'Status', exact: true })).toContainText('Capture: idle', {
      timeout: 15_000,
    });
    // Stopping keeps every row.
    await applyFilter('tcp.flags.syn == 1 && tcp.flags.ack == 0');
    await expect(syns).toHaveCount(3);
    await shot(page, 'capture-options-05-stopped');

    // In Chinese: the same dialog, the compiler's own message inside the translated sentence.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
    await page.getByRole('button', { name: '捕获选项…' }).click();
    const zh = page.getByRole('dialog', { name: '捕获选项' });
    await zh.getByRole('radio', { name: 'lo', exact: true }).check();
    await zh.getByRole('textbox', { name: '捕获过滤器' }).fill('tcp prt 80');
    await expect(zh.getByTestId('capture-filter-status')).toHaveText(/^捕获过滤器无效：.*syntax error/);
    await shot(page, 'capture-options-06-zh-CN');
    await zh.getByRole('button', { name: '取消' }).click();
    await expect(zh).toBeHidden();
    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});
