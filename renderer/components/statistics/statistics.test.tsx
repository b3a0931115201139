// @vitest-environment jsdom
/** The Statistics dialogs with the worker's real statistics of a fixture (fake host and packet list). */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { StoreContext } from '../../store/context';
import { createAppStore, type StatsDialogKind } from '../../store/app-store';
import { createI18n } from '../../i18n';
import { fakeApi, fakeWorker } from '../../test/fakes';
import { readCaptureFile } from '../../../core/pcap';
import { computeStatistics } from '../../worker/statistics';
import type { StatisticsResult, StatisticsScope } from '../../worker/statistics-types';
import { StatisticsDialog } from './StatisticsDialog';
import { hierarchyLines } from './HierarchyView';
import { ioGraphSvg, niceStep } from './io-graph-svg';
import { MAX_IO_INTERVALS, type IoGraphResult } from '../../worker/io-graph-intervals';
import { encapsulationName, formatElapsed } from './PropertiesView';

afterEach(cleanup);
const flush = () => act(() => new Promise((r) => setTimeout(r, 0)));

const FIXTURE = resolve(__dirname, '../../../test/fixtures/captures/lab/lab-linux-ipv4.pcap');
const stats = computeStatistics(readCaptureFile(new Uint8Array(readFileSync(FIXTURE))).packets);

/** `workerCalls`: more of the worker's calls than its statistics (the I/O graph's). */
async function open(
  kind: StatsDialogKind,
  language: 'en' | 'zh-CN' = 'en',
  result = stats,
  workerCalls: Record<string, unknown> = {},
) {
  const { api } = fakeApi();
  const { worker } = fakeWorker(null, 30);
  // As the worker answers: a pass of the tables for their dialogs, of the tables, the hierarchy
  // and the expert items for Protocol Hierarchy and Expert Information, of everything for Export Objects.
  const statistics = vi.fn(async (scope: StatisticsScope, progress?: (done: number, total: number) => void) => {
    progress?.(30, 30);
    if (scope === 'tables') return { ...result, scope, hierarchy: [], expert: [], httpObjects: [] };
    return scope === 'protocols' ? { ...result, scope, httpObjects: [] } : result;
  });
  Object.assign(worker, { statistics, ...workerCalls });
  const store = createAppStore({ api, worker, language });
  render(
    <StoreContext.Provider value={store}>
      <I18nextProvider i18n={createI18n(language)}>
        <StatisticsDialog />
      </I18nextProvider>
    </StoreContext.Provider>,
  );
  await act(() => store.getState().init());
  act(() => store.getState().openStats(kind));
  await flush();
  return { store, worker, statistics };
}

describe('Statistics dialogs', () => {
  it('Conversations in zh-CN: named dialog, tabs, column headers, tshark counts; Apply as Filter applies tcp.stream', async () => {
    const { worker, statistics } = await open('conversations', 'zh-CN');
    expect(statistics).toHaveBeenCalledTimes(1);
    expect(statistics.mock.calls[0][0]).toBe('tables');
    const dialog = screen.getByRole('dialog', { name: '会话' });
    expect(within(dialog).getByRole('tab', { name: 'TCP · 3' }).getAttribute('aria-selected')).toBe('true');
    const table = within(dialog).getByRole('table', { name: 'TCP 会话' });
    expect(within(table).getByRole('columnheader', { name: '分组 A → B' })).toBeTruthy();
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[4].textContent)).toEqual(['17', '7', '6']);
    fireEvent.click(within(rows[1]).getByRole('button', { name: '作为过滤器应用' }));
    await flush();
    expect(worker.filter).toHaveBeenLastCalledWith(`tcp.stream eq ${stats.conversations.tcp[1].stream}`);
    fireEvent.click(within(dialog).getByRole('tab', { name: 'Ethernet · 1' }));
    expect(within(dialog).getByRole('table', { name: 'Ethernet 会话' })).toBeTruthy();
  });

  it('Expert Information: severity groups with totals; a packet button goes to its frame', async () => {
    const { worker, statistics } = await open('expert');
    // The pass of pruned trees raises every expert item (statistics.test.ts): it needs no whole trees.
    expect(statistics).toHaveBeenLastCalledWith('protocols', expect.any(Function));
    const dialog = screen.getByRole('dialog', { name: 'Expert Information' });
    expect(within(dialog).getByRole('rowheader', { name: 'Note (6)' })).toBeTruthy();
    expect(within(dialog).getByRole('rowheader', { name: 'Chat (18)' })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: /This frame initiates the connection closing/ }));
    const frames = within(within(dialog).getByRole('group', { name: /initiates the connection closing/ })).getAllByRole(
      'button',
    );
    const entry = stats.expert.find((e) => e.summary === 'This frame initiates the connection closing');
    expect(frames.map((b) => Number(b.textContent))).toEqual(entry?.frames);
    fireEvent.click(frames[1]);
    await flush();
    expect(worker.find).toHaveBeenLastCalledWith(entry?.frames[1]);
  });

  it('Export Objects › HTTP lists the objects with sizes and previews the selected text', async () => {
    const { statistics } = await open('http-objects');
    // The HTTP bodies: only whole trees have them.
    expect(statistics).toHaveBeenLastCalledWith('all', expect.any(Function));
    const dialog = screen.getByRole('dialog', { name: 'Export Objects › HTTP' });
    const rows = within(within(dialog).getByRole('grid', { name: 'HTTP objects' }))
      .getAllByRole('row')
      .slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[4].textContent)).toEqual(['/', 'logo.jpg', 'favicon.ico']);
    fireEvent.click(rows[2]);
    const favicon = stats.httpObjects[2];
    expect(within(dialog).getByRole('region', { name: 'Preview of favicon.ico' }).textContent).toBe(
      new TextDecoder().decode(favicon.data),
    );
  });

  it('Protocol Hierarchy: Frame is 100 %, end packets add up to every packet', async () => {
    await open('hierarchy');
    const table = screen.getByRole('table', { name: 'Protocol hierarchy' });
    const frameRow = within(table).getAllByRole('row')[1];
    expect(within(frameRow).getAllByRole('cell')[1].textContent).toContain('100.0%');
    const lines = hierarchyLines(stats);
    expect(lines.reduce((n, l) => n + l.endFrames, 0)).toBe(30);
    expect(lines.reduce((n, l) => n + l.endBytes, 0)).toBe(stats.properties.bytes);
  });

  it('switched from Conversations to Protocol Hierarchy, waits for the pass of every dialog instead of drawing an empty one', async () => {
    const { store, statistics } = await open('conversations');
    expect(screen.getByRole('tab', { name: 'TCP · 3' })).toBeTruthy();
    // The pass of every dialog takes a while: until it answers, the dialog says it is counting.
    let finish = (_: StatisticsResult) => {};
    statistics.mockImplementationOnce(() => new Promise<StatisticsResult>((resolve) => (finish = resolve)));
    // (Not even for the one render before the dialog asks: that frame would flash an empty table.)
    let drawnEmpty = false;
    const watch = new MutationObserver((records) => {
      for (const record of records)
        for (const node of record.addedNodes)
          if (node instanceof Element && node.querySelector('table[aria-label="Protocol hierarchy"]'))
            drawnEmpty = true;
    });
    watch.observe(document.body, { childList: true, subtree: true });
    act(() => store.getState().openStats('hierarchy'));
    await flush();
    watch.disconnect();
    expect(drawnEmpty).toBe(false);
    expect(statistics).toHaveBeenLastCalledWith('protocols', expect.any(Function));
    expect(screen.queryByRole('table', { name: 'Protocol hierarchy' })).toBeNull();
    expect(screen.getByRole('progressbar')).toBeTruthy();
    await act(async () => finish(stats));
    const table = screen.getByRole('table', { name: 'Protocol hierarchy' });
    expect(within(table).getAllByRole('row').length).toBeGreaterThan(3);
    // Back to Endpoints: the tables' request (the worker answers it from the pass it kept).
    act(() => store.getState().openStats('endpoints'));
    await flush();
    expect(statistics).toHaveBeenLastCalledWith('tables', expect.any(Function));
  });

  it('Capture File Properties: packets, bytes and encapsulation of the capture', async () => {
    await open('properties');
    const table = screen.getByRole('table', { name: 'Capture statistics' });
    const value = (name: RegExp) => within(within(table).getByRole('row', { name }));
    expect(value(/^Packets/).getAllByRole('cell')[0].textContent).toBe('30');
    expect(value(/^Bytes/).getAllByRole('cell')[0].textContent).toBe(String(stats.properties.bytes));
    expect(value(/^Encapsulation/).getAllByRole('cell')[0].textContent).toBe('Ethernet');
  });
});

describe('Capture File Properties against capinfos', () => {
  it('packets, data size, duration, rates and encapsulations of lab-dumpcap-lo-any.pcapng', () => {
    const dir = resolve(__dirname, '../../../test/fixtures/captures/lab');
    const capinfos = readFileSync(resolve(dir, 'lab-dumpcap-lo-any.pcapng.capinfos.txt'), 'utf8');
    const field = (name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(capinfos)?.[1] ?? '';
    const p = computeStatistics(
      readCaptureFile(new Uint8Array(readFileSync(resolve(dir, 'lab-dumpcap-lo-any.pcapng')))).packets,
    ).properties;
    expect(String(p.packets)).toBe(field('Number of packets'));
    expect(`${p.bytes} bytes`).toBe(field('Data size'));
    const span = p.duration;
    expect(`${span.toFixed(9)} seconds`).toBe(field('Capture duration'));
    expect(`${(p.bytes / span).toFixed(2)} bytes/sec`).toBe(field('Data byte rate'));
    expect(`${(p.packets / span).toFixed(2)} packets/sec`).toBe(field('Average packet rate'));
    expect(formatElapsed(span)).toBe('00:00:11');
    const encapsulations = [...capinfos.matchAll(/^\s+(Ethernet|Linux cooked-mode capture v1) \(\d+\)$/gm)].map(
      (m) => m[1],
    );
    expect(p.linkTypes.map(encapsulationName).sort()).toEqual(encapsulations.sort());
  });
});

describe('I/O graph SVG', () => {
  it('one point per interval with its value, escaped labels, round ticks', () => {
    const svg = ioGraphSvg(
      { interval: 1, filter: '', packets: [22, 0, 2], bytes: [18780, 0, 132], counted: 24, beyond: 0, duration: 2.5 },
      { metric: 'bytes', title: 'a < b', xLabel: 'Time (s)', yLabel: 'Bytes', theme: 'light' },
    );
    expect([...svg.matchAll(/data-value="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([18780, 0, 132]);
    expect(svg).toContain('<title>a &lt; b</title>');
    expect(niceStep(18780)).toBe(5000);
    expect(niceStep(6)).toBe(2);
  });
});

describe('I/O graph of a million intervals (1 ms over 17 minutes)', () => {
  const million = (spikeAt: number) => {
    const packets = new Array<number>(MAX_IO_INTERVALS).fill(1);
    packets[spikeAt] = 950;
    return packets;
  };
  const result = (packets: number[], beyond = 0): IoGraphResult => ({
    interval: 0.001,
    filter: '',
    packets,
    bytes: packets.map((n) => n * 66),
    counted: packets.reduce((a, b) => a + b, 0),
    beyond,
    duration: 1234.5678,
  });

  it('draws a line of a point or two per pixel, the one busy interval still its peak', () => {
    const svg = ioGraphSvg(result(million(777_777)), {
      metric: 'packets',
      title: 'I/O',
      xLabel: 'Time (s)',
      yLabel: 'Packets',
      theme: 'light',
      width: 860,
    });
    const points = /<polyline[^>]* points="([^"]+)"/.exec(svg)?.[1].split(' ') ?? [];
    // The plot is 860 − 64 − 16 = 780 pixels wide: two points (lowest, highest) per pixel.
    expect(points).toHaveLength(2 * 780);
    const ys = points.map((p) => Number(p.split(',')[1]));
    // The axis' top tick is 1000, at the plot's top (y 32; the plot is 184 high): 950 is just below.
    const top = Math.min(...ys);
    expect(top).toBeCloseTo(32 + (184 * 50) / 1000, 6);
    expect(Math.max(...ys)).toBeCloseTo(32 + 184 - 184 / 1000, 6);
    // The peak's pixel: interval 777,777 of 1,000,000 over 780 pixels.
    const peak = points[ys.indexOf(top)];
    const px = Number(peak.split(',')[0]);
    expect(Math.floor(((px - 64) / 780) * 1_000_000)).toBeGreaterThan(777_777 - 1300);
    expect(Math.floor(((px - 64) / 780) * 1_000_000)).toBeLessThan(777_777 + 1300);
  });

  it('says in the dialog which packets are past the last interval, en and zh-CN', async () => {
    for (const language of ['en', 'zh-CN'] as const) {
      const ioGraph = vi.fn(async () => result(million(3), 4321));
      await open('io', language, stats, { ioGraph });
      expect(ioGraph).toHaveBeenCalled();
      const note = screen.getByTestId('io-beyond').textContent;
      expect(note).toBe(
        language === 'en'
          ? 'The graph has at most 1000000 intervals: it shows the first 1000 s of the capture’s 1234.568 s, and the 4321 packets after them are not counted. A longer interval shows them all.'
          : '图表最多有 1000000 个间隔：只显示抓包 1234.568 秒中的前 1000 秒，其后的 4321 个分组未计入。选择更长的间隔可看到全部分组。',
      );
      cleanup();
    }
  });
});

describe('Statistics tables of a long capture', () => {
  // A load test's numbers: 1,201 TCP conversations and 600 HTTP objects (the fixture's, repeated).
  const many = <T,>(rows: readonly T[], count: number, vary: (row: T, i: number) => T) =>
    Array.from({ length: count }, (_, i) => vary(rows[i % rows.length], i));
  const long = {
    ...stats,
    conversations: {
      ...stats.conversations,
      tcp: many(stats.conversations.tcp, 1201, (row, i) => ({ ...row, stream: i, portA: 10_000 + i })),
    },
    httpObjects: many(stats.httpObjects, 600, (o, i) => ({ ...o, frame: i + 1 })),
  };

  it('draws the rows 500 at a time, in order, with a button for the next ones', async () => {
    await open('conversations', 'en', long);
    // DOM queries, not role queries: those over a thousand rows and their buttons take jsdom seconds each.
    const dialog = document.querySelector('.stats-dialog') as HTMLElement;
    expect(dialog.getAttribute('role')).toBe('dialog');
    const rows = () => Array.from(dialog.querySelectorAll('table[aria-label="TCP conversations"] tbody tr'));
    const moreButton = () => dialog.querySelector<HTMLButtonElement>('.stats-more button');
    expect(rows()).toHaveLength(500);
    expect(rows()[499].querySelectorAll('td')[1].textContent).toBe('10499');
    expect(dialog.querySelector('.stats-more')?.textContent).toContain('Showing the first 500 of 1201 rows.');
    expect(moreButton()?.textContent).toBe('Show 500 more');
    fireEvent.click(moreButton() as HTMLButtonElement);
    expect(rows()).toHaveLength(1000);
    expect(moreButton()?.textContent).toBe('Show 201 more');
    fireEvent.click(moreButton() as HTMLButtonElement);
    expect(rows()).toHaveLength(1201);
    expect(rows()[1200].querySelectorAll('td')[1].textContent).toBe('11200');
    expect(dialog.querySelector('.stats-more')).toBeNull();
    // Another tab and back: the table starts again at its first page.
    fireEvent.click(dialog.querySelector('#stats-tab-eth') as HTMLElement);
    fireEvent.click(dialog.querySelector('#stats-tab-tcp') as HTMLElement);
    expect(rows()).toHaveLength(500);
  });

  it('Export Objects draws 500 objects, then the rest on request (zh-CN)', async () => {
    await open('http-objects', 'zh-CN', long);
    const dialog = document.querySelector('.stats-dialog') as HTMLElement;
    const table = dialog.querySelector('table') as HTMLElement;
    expect(table.querySelectorAll('tbody tr')).toHaveLength(500);
    expect(dialog.querySelector('.stats-more')?.textContent).toContain('显示了前 500 行，共 600 行。');
    const more = dialog.querySelector('.stats-more button') as HTMLButtonElement;
    expect(more.textContent).toBe('再显示 100 行');
    fireEvent.click(more);
    expect(table.querySelectorAll('tbody tr')).toHaveLength(600);
  });
});
