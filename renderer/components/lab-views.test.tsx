// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { readCaptureFile } from '../../core/pcap';
import { DissectionEngine } from '../../core/dissect/engine';
import { StoreContext } from '../store/context';
import { createAppStore } from '../store/app-store';
import { createI18n } from '../i18n';
import { fakeApi, fakeWorker } from '../test/fakes';
import { followResult, labResult, labResultForViews } from '../worker/lab';
import { ALL_LAB_VIEWS, type LabViews, type PacketDetail } from '../worker/worker-messages';
import type { LabConnection } from '../../core/analysis/lab/types';
import { LabGuide } from './LabGuide';
import { FrameLinkScope } from './FrameLink';
import { FlowGraphView } from './FlowGraph';
import { FollowDialog, followPieces } from './FollowDialog';

afterEach(cleanup);

const fixture = path.join(__dirname, '..', '..', 'test', 'fixtures', 'captures', 'lab', 'lab-linux-ipv4.pcap');
const records = readCaptureFile(new Uint8Array(readFileSync(fixture))).packets;
const engine = new DissectionEngine({ tree: true });
const packets = records.map((r) => engine.dissect(r));
const whole = labResult(packets, packets.length, { serverPort: 8001 });
const guideViews: LabViews = { flowGraph: false, timeSequence: false, allConnections: false };
/** What the worker sends for `views` of the fixture's analysis with `connections` instead of its own. */
const resultWith = (connections: LabConnection[], views: LabViews = ALL_LAB_VIEWS) =>
  labResultForViews({ ...whole, analysis: { ...whole.analysis, connections } }, views);
const lab = resultWith(whole.analysis.connections);
/** The fixture's connections and 30 more (copies of its first, streams 1000…): a load test's many. */
const manyConnections = () => [
  ...whole.analysis.connections,
  ...Array.from({ length: 30 }, (_, i) => ({ ...whole.analysis.connections[0], stream: 1000 + i })),
];
const flush = () => act(() => new Promise((r) => setTimeout(r, 0)));

function setup(ui: React.ReactNode, language: 'en' | 'zh-CN' = 'en') {
  const { api } = fakeApi();
  const { worker, setProgress } = fakeWorker(null, packets.length);
  Object.assign(worker, {
    lab: async () => lab,
    follow: async (index: number) => followResult(packets, packets[index]),
  });
  const store = createAppStore({ api, worker, language });
  const i18n = createI18n(language);
  const view = render(
    <StoreContext.Provider value={store}>
      <I18nextProvider i18n={i18n}>{ui}</I18nextProvider>
    </StoreContext.Provider>,
  );
  const ready = async () => {
    await act(() => store.getState().init());
    act(() => setProgress({}));
  };
  return { store, worker, i18n, view, ready };
}

describe('LabGuide', () => {
  it('shows the checklist with frame links; a click selects that packet', async () => {
    const { store, worker, ready } = setup(<LabGuide />);
    await ready();
    await act(async () => {
      store.setState({ lab });
    });
    const region = screen.getByRole('region', { name: 'Lab guide' });
    const checklist = within(region).getByRole('list', { name: 'Checklist' });
    const handshake = checklist.querySelector('li[data-step="handshake"]') as HTMLElement;
    expect(handshake.dataset.status).toBe('done');
    const main = lab.analysis.connections.find((c) => c.stream === lab.analysis.mainStream);
    const frames = main?.handshake.segments.map((s) => s.frame) ?? [];
    expect(frames).toHaveLength(3);
    for (const f of frames) expect(within(handshake).getByRole('button', { name: `Frame ${f}` })).toBeTruthy();
    fireEvent.click(within(handshake).getByRole('button', { name: `Frame ${frames[1]}` }));
    await flush();
    expect(worker.find).toHaveBeenCalledWith(frames[1]);
    expect(store.getState().selectedPosition).toBe(frames[1] - 1);
    expect(worker.detail).toHaveBeenCalledWith(frames[1] - 1);
    // Handshake table rows 1/2/3 with the states and the options.
    const table = within(region).getByRole('table', { name: `Handshake of stream ${main?.stream}` });
    const rows = table.querySelectorAll('tbody tr');
    expect(Array.from(rows).map((r) => r.getAttribute('data-step'))).toEqual(['1', '2', '3']);
    expect(rows[0].textContent).toContain('SYN_SENT');
    expect(rows[0].textContent).toMatch(/MSS=65495/);
    expect(rows[1].textContent).toMatch(/1 ?\(x\+1\)/);
    // Who closed first, and the explanation.
    expect(region.querySelector('.guide-closer')?.textContent).toMatch(/^Closed first by the (server|browser)/);
    expect(within(region).getByRole('region', { name: 'Explanation' }).textContent).toMatch(/handshake/i);
  });

  for (const scoped of [true, false])
    it(`marks the selected packet's frame links, ${scoped ? 'in a FrameLinkScope (the side panel)' : 'each link reading the store'}`, async () => {
      const { store, worker, ready } = setup(
        scoped ? (
          <FrameLinkScope>
            <LabGuide />
          </FrameLinkScope>
        ) : (
          <LabGuide />
        ),
      );
      await ready();
      await act(async () => {
        store.setState({ lab });
      });
      const region = screen.getByRole('region', { name: 'Lab guide' });
      const main = lab.analysis.connections.find((c) => c.stream === lab.analysis.mainStream);
      const frame = main?.handshake.segments[2].frame ?? 0;
      const links = () => within(region).getAllByRole('button', { name: `Frame ${frame}` });
      expect(links().every((l) => l.getAttribute('aria-current') === null)).toBe(true);
      fireEvent.click(links()[0]);
      await flush();
      expect(worker.detail).toHaveBeenCalledWith(frame - 1);
      // The fake worker gives no tree: the packet's detail as the real one would have it.
      await act(async () => {
        store.setState({ detail: { ...packets[frame - 1], index: frame - 1 } as unknown as PacketDetail });
      });
      expect(links().every((l) => l.getAttribute('aria-current') === 'true')).toBe(true);
      const others = within(region)
        .getAllByRole('button', { name: /^Frame \d+$/ })
        .filter((l) => !links().includes(l));
      expect(others.length).toBeGreaterThan(0);
      expect(others.some((l) => l.getAttribute('aria-current') === 'true')).toBe(false);
    });

  it('draws again, at a re-run, only the connection cards whose connection changed', async () => {
    const { store, i18n, ready } = setup(
      <FrameLinkScope>
        <LabGuide />
      </FrameLinkScope>,
    );
    await ready();
    await act(async () => {
      store.setState({ lab });
    });
    // Each card's title is translated once per drawing of the card.
    const t = vi.spyOn(i18n, 't');
    const cardsDrawn = () => t.mock.calls.filter(([key]) => key === 'guide.connection').length;
    const region = screen.getByRole('region', { name: 'Lab guide' });
    const cards = [...region.querySelectorAll('section.guide-conn')] as HTMLElement[];
    expect(cards.length).toBeGreaterThan(1);
    // The same analysis again, as a re-run sends it (new objects): no card is drawn again.
    await act(async () => {
      store.setState({ lab: structuredClone(lab) });
    });
    expect(cardsDrawn()).toBe(0);
    // The main connection gained an exchange: its card alone is drawn again, and shows it.
    const main = lab.analysis.connections.find((c) => c.stream === lab.analysis.mainStream);
    if (!main || main.transactions.length === 0) throw new Error('the fixture has no page connection');
    const added = { ...main.transactions[0], request: { ...main.transactions[0].request, frame: 9999, uri: '/added' } };
    const connections = whole.analysis.connections.map((c) =>
      c.stream === main.stream ? { ...c, transactions: [...c.transactions, added] } : structuredClone(c),
    );
    const linksBefore = new Set(region.querySelectorAll('button.frame-link'));
    await act(async () => {
      store.setState({ lab: resultWith(connections) });
    });
    expect(cardsDrawn()).toBe(1);
    const mainCard = region.querySelector(`section.guide-conn[data-stream="${main.stream}"]`) as HTMLElement;
    expect(mainCard.querySelector('.guide-http')?.textContent).toContain('/added');
    // Of the frame links, only those just added were drawn (each drawing labels its link): the
    // new exchange's, and those of the explanation's new lines about it.
    const linksLabelled = () =>
      t.mock.calls.filter(([key]) => key === 'guide.frame').map(([, options]) => (options as { frame: number }).frame);
    const newLinks = [...region.querySelectorAll('button.frame-link')].filter((b) => !linksBefore.has(b));
    const byNumber = (a: number, b: number) => a - b;
    expect(newLinks.map((b) => Number((b as HTMLElement).dataset.frame)).sort(byNumber)).toEqual(
      linksLabelled().sort(byNumber),
    );
    expect(linksLabelled()).toContain(9999);
    expect(linksLabelled().length).toBeLessThan(linksBefore.size / 2);
    // Selecting a packet draws again only the links to it (and to the one selected before).
    t.mockClear();
    const frame = main.handshake.segments[0].frame;
    await act(async () => {
      store.setState({ detail: { ...packets[frame - 1], index: frame - 1 } as unknown as PacketDetail });
    });
    expect(new Set(linksLabelled())).toEqual(new Set([frame]));
    expect(
      within(region)
        .getAllByRole('button', { name: `Frame ${frame}` })
        .every((l) => l.getAttribute('aria-current') === 'true'),
    ).toBe(true);
    // A language switch draws every card again, in the new language.
    t.mockClear();
    await act(async () => {
      await i18n.changeLanguage('zh-CN');
    });
    expect(cardsDrawn()).toBe(cards.length);
    t.mockRestore();
  });

  it('says how many packets the capture has now when only its first ones were analysed', async () => {
    const { store, ready } = setup(<LabGuide />);
    await ready();
    const analysed = packets.length;
    await act(async () => {
      store.setState({ lab: { ...lab, analysed, total: analysed + 10, truncated: true } });
    });
    const summary = () =>
      screen.getByRole('region', { name: 'Lab guide' }).querySelector('.guide-summary')?.textContent;
    expect(summary()).toContain(`Only the first ${analysed} of ${analysed + 10} packets were analysed.`);
    // More packets dissected since: the total follows them, the analysis is not run again for it.
    await act(async () => {
      store.setState({ progress: { ...store.getState().progress, dissected: 50_000 } });
    });
    expect(summary()).toContain(`Only the first ${analysed} of 50000 packets were analysed.`);
  });

  it('draws the first 20 connections of a capture with many, and all of them on request', async () => {
    const { store, worker, ready } = setup(<LabGuide />);
    await ready();
    const connections = manyConnections();
    // The worker carries the connections the guide draws (all of them after "Show all").
    const asked: LabViews[] = [];
    Object.assign(worker, {
      lab: async ({ views = ALL_LAB_VIEWS }: { views?: LabViews }) => {
        asked.push(views);
        return resultWith(connections, views);
      },
    });
    await act(async () => {
      store.setState({ lab: resultWith(connections, guideViews) });
    });
    const region = screen.getByRole('region', { name: 'Lab guide' });
    const cards = () => region.querySelectorAll('section.guide-conn');
    expect(cards()).toHaveLength(20);
    // The main connection comes first.
    expect((cards()[0] as HTMLElement).dataset.stream).toBe(String(lab.analysis.mainStream));
    expect(region.textContent).toContain(`The first 20 of ${connections.length} connections are shown.`);
    // The explanation describes the connections drawn, and counts the others.
    const explanation = () => within(region).getByRole('region', { name: 'Explanation' });
    const described = () => explanation().querySelectorAll('section[data-section^="connection-"]');
    expect(described()).toHaveLength(19);
    expect(explanation().textContent).toContain(`${connections.length - 20} more connections are not described`);
    fireEvent.click(within(region).getByRole('button', { name: `Show all ${connections.length}` }));
    await flush();
    expect(asked.at(-1)).toEqual({ ...guideViews, allConnections: true });
    expect(cards()).toHaveLength(connections.length);
    expect(described()).toHaveLength(connections.length - 1);
    expect(explanation().textContent).not.toContain('more connections are not described');
    expect(within(region).queryByRole('button', { name: /^Show all/ })).toBeNull();
    // A new capture with as many connections starts with the first 20 again.
    await act(async () => {
      const progress = store.getState().progress;
      store.setState({ progress: { ...progress, generation: progress.generation + 1 } });
      store.setState({ lab: resultWith(connections, guideViews) });
    });
    expect(cards()).toHaveLength(20);
    expect(within(region).getByRole('button', { name: `Show all ${connections.length}` })).toBeTruthy();
  });

  it('keeps the first 20 cards, and the button pressed, until the result with every connection comes', async () => {
    const { store, worker, ready } = setup(<LabGuide />);
    await ready();
    const connections = manyConnections();
    let answer: (() => void) | null = null;
    Object.assign(worker, {
      lab: async ({ views = ALL_LAB_VIEWS }: { views?: LabViews }) => {
        await new Promise<void>((resolve) => (answer = resolve));
        return resultWith(connections, views);
      },
    });
    await act(async () => {
      store.setState({ lab: resultWith(connections, guideViews) });
    });
    const region = screen.getByRole('region', { name: 'Lab guide' });
    const button = () => within(region).getByRole('button', { name: `Show all ${connections.length}` });
    fireEvent.click(button());
    await flush();
    expect(region.querySelectorAll('section.guide-conn')).toHaveLength(20);
    expect(button()).toHaveProperty('disabled', true);
    await act(async () => answer?.());
    await flush();
    expect(region.querySelectorAll('section.guide-conn')).toHaveLength(connections.length);
  });

  it('lists the first 12 HTTP exchanges of a connection with hundreds, and all of them on request', async () => {
    const { store, ready } = setup(<LabGuide />);
    await ready();
    const main = lab.analysis.connections.find((c) => c.stream === lab.analysis.mainStream);
    if (!main || main.transactions.length === 0) throw new Error('the fixture has no page connection');
    const model = main.transactions[0];
    // A keep-alive connection of a load test: 300 exchanges, each of its own frames.
    const transactions = Array.from({ length: 300 }, (_, i) => ({
      ...model,
      request: { ...model.request, frame: 10_000 + 2 * i, uri: `/item/${i}` },
      response: model.response ? { ...model.response, frame: 10_001 + 2 * i } : null,
    }));
    const connections = whole.analysis.connections.map((c) => (c.stream === main.stream ? { ...c, transactions } : c));
    await act(async () => {
      store.setState({ lab: resultWith(connections) });
    });
    const region = screen.getByRole('region', { name: 'Lab guide' });
    const card = region.querySelector(`section.guide-conn[data-stream="${main.stream}"]`) as HTMLElement;
    const listed = () => [...card.querySelectorAll('.guide-http li')].map((li) => li.textContent ?? '');
    expect(listed()).toHaveLength(12);
    expect(listed()[11]).toContain('/item/11');
    expect(card.textContent).toContain('The first 12 of 300 HTTP exchanges on this connection are shown.');
    fireEvent.click(within(card).getByRole('button', { name: 'Show all 300' }));
    expect(listed()).toHaveLength(300);
    expect(listed()[299]).toContain('/item/299');
    expect(within(card).queryByRole('button', { name: /^Show all/ })).toBeNull();
    // A connection with few exchanges lists them all, with no button.
    const other = lab.analysis.connections.find((c) => c.transactions.length > 0 && c !== main);
    if (other) {
      const otherCard = region.querySelector(`section.guide-conn[data-stream="${other.stream}"]`) as HTMLElement;
      expect(otherCard.querySelectorAll('.guide-http li')).toHaveLength(other.transactions.length);
      expect(within(otherCard).queryByRole('button', { name: /^Show all/ })).toBeNull();
    }
  });

  it('switches the explanation with the UI language', async () => {
    const { store } = setup(<LabGuide />, 'zh-CN');
    await act(async () => {
      store.setState({ lab });
    });
    const region = screen.getByRole('region', { name: '实验向导' });
    expect(region.textContent).toContain('三次握手');
    expect(within(region).getByRole('list', { name: '检查清单' })).toBeTruthy();
  });
});

describe('FlowGraphView', () => {
  it('draws one arrow per packet in order, and a click selects the packet', async () => {
    const { store, worker, ready } = setup(<FlowGraphView />);
    await ready();
    await act(async () => {
      store.setState({ lab });
    });
    const region = screen.getByRole('region', { name: 'Flow graph' });
    const arrows = region.querySelectorAll('g.arrow');
    const lapFrames = lab.graph.arrows.map((a) => a.frame);
    expect(arrows).toHaveLength(lapFrames.length);
    expect(lapFrames.length).toBe(30);
    expect(Array.from(arrows).map((a) => Number(a.getAttribute('data-frame')))).toEqual(lapFrames);
    expect(arrows[4].getAttribute('role')).toBe('button');
    expect(arrows[4].getAttribute('aria-label')).toMatch(/^Frame 5: /);
    fireEvent.click(arrows[4].querySelector('line') as Element);
    await flush();
    expect(worker.find).toHaveBeenCalledWith(5);
    expect(store.getState().selectedPosition).toBe(4);
  });

  it("says it is analysing while the result shown is the guide's, without arrows, and draws them once they come", async () => {
    const { store, ready } = setup(<FlowGraphView />);
    await ready();
    await act(async () => {
      store.setState({ lab: labResultForViews(whole, guideViews) });
    });
    const region = screen.getByRole('region', { name: 'Flow graph' });
    expect(region.querySelectorAll('g.arrow')).toHaveLength(0);
    expect(region.querySelector('.pane-empty')?.textContent).toBe('Analysing the capture…');
    expect(within(region).getByRole('button', { name: 'Export SVG' })).toHaveProperty('disabled', true);
    await act(async () => {
      store.setState({ lab });
    });
    expect(region.querySelectorAll('g.arrow')).toHaveLength(lab.graph.arrows.length);
    expect(region.querySelector('.pane-empty')).toBeNull();
  });
});

describe('Follow stream', () => {
  const http = packets.find((p) => p.columns.info.startsWith('GET / HTTP/1.1'));
  const result = followResult(packets, http ?? null, 8001);
  if (!http || !result) throw new Error('fixture has no page request');

  it('splits by direction and renders ASCII or hex', () => {
    const both = followPieces(result, 'tcp', 'both', 'ascii');
    expect(new Set(both.map((p) => p.direction))).toEqual(new Set(['client', 'server']));
    expect(both[0].text.startsWith('GET / HTTP/1.1')).toBe(true);
    const client = followPieces(result, 'tcp', 'client', 'ascii');
    expect(client.every((p) => p.direction === 'client')).toBe(true);
    const server = followPieces(result, 'tcp', 'server', 'hex');
    expect(server.every((p) => p.direction === 'server')).toBe(true);
    expect(server[0].text).toMatch(/^00000000 {2}48 54 54 50 2f 31 2e 31/);
    const messages = followPieces(result, 'http', 'both', 'ascii');
    expect(messages[0].text.startsWith('GET / HTTP/1.1')).toBe(true);
    expect(messages.some((m) => m.direction === 'server' && /^HTTP\/1\.1 200 OK/.test(m.text))).toBe(true);
  });

  it('dialog: client and server coloured differently; direction choice filters', async () => {
    const { store } = setup(<FollowDialog />);
    await act(async () => {
      store.setState({ selectedIndex: http.number - 1 });
      store.getState().openFollow('tcp');
    });
    await flush();
    const dialog = screen.getByRole('dialog', { name: `Follow TCP Stream (tcp.stream eq ${result.stream})` });
    expect(dialog.querySelectorAll('pre.follow-client').length).toBeGreaterThan(0);
    expect(dialog.querySelectorAll('pre.follow-server').length).toBeGreaterThan(0);
    fireEvent.change(within(dialog).getByRole('combobox', { name: 'Conversation' }), { target: { value: 'server' } });
    expect(dialog.querySelectorAll('pre.follow-client')).toHaveLength(0);
    expect(dialog.querySelector('pre.follow-server')?.textContent).toMatch(/^HTTP\/1\.1 200 OK/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(store.getState().follow).toBeNull();
  });
});
