/**
 * A live capture's packet list follows the newest packets, as Wireshark's "auto scroll" does,
 * until the user scrolls up; End brings it back. End to end in the browser shell with a REAL
 * loopback capture: thousands of rows from keep-alive requests to the lab server (127.0.0.1:8001).
 */
import { test, expect, type Page } from '@playwright/test';
import http from 'node:http';
import { E2E_TOKEN } from '../../playwright.config';

const packetList = (page: Page) => page.getByRole('grid', { name: 'Packet list' });

/** `count` GET / to the lab server over a few keep-alive connections (loopback only). */
async function requests(count: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: 8001, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
    });
  for (let done = 0; done < count; done += 20) await Promise.all(Array.from({ length: 20 }, one));
  agent.destroy();
}

/** The list's rows count, the first row in view and whether the last row is in view. */
async function listView(page: Page) {
  return packetList(page).evaluate((grid) => {
    const box = grid.getBoundingClientRect();
    const header = grid.querySelector('[role="rowgroup"]')?.getBoundingClientRect().height ?? 0;
    const rows = [...grid.querySelectorAll<HTMLElement>('[role="row"][data-index]')];
    const inView = rows.filter((r) => {
      const b = r.getBoundingClientRect();
      return b.top >= box.top + header - 1 && b.bottom <= box.bottom + 1;
    });
    const displayed = Number(grid.getAttribute('aria-rowcount')) - 1;
    const index = (r: HTMLElement | undefined) => (r ? Number(r.dataset.index) : -1);
    return {
      displayed,
      firstInView: index(inView[0]),
      lastInView: index(inView[inView.length - 1]),
      /** Rows drawn wholly above the view (ahead of a scroll up). */
      above: rows.filter((r) => r.getBoundingClientRect().bottom <= box.top + header).length,
      /** Rows the view has room for, and rows in it (none missing: no blank lines). */
      room: Math.floor((grid.clientHeight - header) / 20),
      inView: inView.length,
      /** Whether every drawn row is as wide as the header's (a long Info is cut at its edge). */
      rowsFitWidth: rows.every(
        (r) =>
          Math.abs(
            r.getBoundingClientRect().width -
              (grid.querySelector('[role="row"][aria-rowindex="1"]')?.getBoundingClientRect().width ?? 0),
          ) <= 1,
      ),
      /** Whether every Info cell gives its whole text on hover (it may be cut at the edge). */
      infoOnHover: rows.every((r) => {
        const info = r.querySelector('.c-info');
        return info !== null && info.getAttribute('title') === info.textContent;
      }),
    };
  });
}

/** Waits until the list has stopped growing (the capture caught up with the requests). */
async function settled(page: Page): Promise<number> {
  let last = -1;
  await expect
    .poll(
      async () => {
        const { displayed } = await listView(page);
        const same = displayed === last;
        last = displayed;
        return same;
      },
      { intervals: [500], timeout: 30_000 },
    )
    .toBe(true);
  return last;
}

test('live capture: the list follows new packets until the user scrolls up; End follows again', async ({
  page,
  context,
}) => {
  await page.goto(`/?lang=en&token=${E2E_TOKEN}`);
  const popupPromise = context.waitForEvent('page');
  await page.getByRole('button', { name: 'Start Lab' }).click();
  const popup = await popupPromise;
  await popup.waitForURL(/127\.0\.0\.1:8001/, { timeout: 20_000 });
  await popup.waitForLoadState('load');
  await popup.close();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeEnabled();

  // Following: after each batch the newest row is in view, whatever the list's length.
  await requests(300);
  const first = await settled(page);
  expect(first).toBeGreaterThan(600);
  let view = await listView(page);
  expect(view.lastInView).toBe(view.displayed - 1);
  expect(view.firstInView).toBeGreaterThan(0);
  expect(view.inView).toBe(view.room);
  expect(view.rowsFitWidth).toBe(true);
  expect(view.infoOnHover).toBe(true);
  // Following, the list draws what is in view and no more than FOLLOWING_OVERSCAN rows above it.
  expect(view.above).toBeLessThanOrEqual(2);

  // The user scrolls up: the list stays there while packets keep coming.
  await packetList(page).hover();
  await page.mouse.wheel(0, -3000);
  await expect.poll(async () => (await listView(page)).lastInView).toBeLessThan(view.displayed - 50);
  const parked = await listView(page);
  // Scrolled up, the view is full (no blank lines) and rows are drawn ahead again.
  expect(parked.inView).toBe(parked.room);
  expect(parked.above).toBeGreaterThan(2);
  await requests(200);
  const second = await settled(page);
  expect(second).toBeGreaterThan(first + 300);
  view = await listView(page);
  expect(view.firstInView).toBe(parked.firstInView);
  expect(view.lastInView).toBeLessThan(second - 50);

  // End selects the last row and follows again.
  await packetList(page).focus();
  await page.keyboard.press('End');
  await expect(packetList(page).locator('[role="row"][aria-selected="true"]')).toHaveAttribute(
    'data-index',
    String(second - 1),
  );
  await requests(200);
  const third = await settled(page);
  expect(third).toBeGreaterThan(second + 300);
  view = await listView(page);
  expect(view.lastInView).toBe(third - 1);

  // Go to packet (Ctrl+G) while following: that packet is selected and in view, and the list
  // stays there while packets keep coming (a row other than the last stops the following).
  await packetList(page).focus();
  await page.keyboard.press('Control+g');
  await page.getByRole('textbox', { name: 'Go to packet' }).fill('10');
  await page.keyboard.press('Enter');
  const goneTo = packetList(page).locator('[role="row"][aria-selected="true"]');
  await expect(goneTo).toHaveAttribute('data-number', '10');
  await expect(goneTo).toBeInViewport();
  await requests(200);
  const fourth = await settled(page);
  expect(fourth).toBeGreaterThan(third + 300);
  await expect(goneTo).toHaveAttribute('data-number', '10');
  await expect(goneTo).toBeInViewport();
  view = await listView(page);
  expect(view.inView).toBe(view.room);

  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Start Lab' })).toBeEnabled({ timeout: 15_000 });
});
