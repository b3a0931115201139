// @vitest-environment jsdom
/** The guide's scenario part on real scenario captures: checklist, explanation, check yourself, picker. */
import { afterEach, describe, expect, it } from 'vitest';
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
import { labResult, labResultForViews } from '../worker/lab';
import { LabGuide } from './LabGuide';

afterEach(cleanup);

const DIR = path.join(__dirname, '..', '..', 'test', 'fixtures', 'captures', 'scenarios');

function labOf(name: string) {
  const { info, packets: records } = readCaptureFile(new Uint8Array(readFileSync(path.join(DIR, `${name}.pcapng`))));
  const engine = new DissectionEngine({ tree: true, interfaces: info.interfaces });
  const packets = records.map((r) => engine.dissect(r));
  return labResultForViews(labResult(packets, packets.length, {}), {
    flowGraph: false,
    timeSequence: false,
    allConnections: false,
  });
}

/** tshark's value of `field` in the first row that has one. */
function tsharkValue(name: string, field: string): { frame: string; value: string } {
  const [head, ...rows] = readFileSync(path.join(DIR, `${name}.pcapng.tshark.fields.tsv`), 'utf8')
    .trim()
    .split('\n');
  const cols = head.split('\t');
  const row = rows.map((r) => r.split('\t')).find((r) => r[cols.indexOf(field)] !== '') ?? [];
  return { frame: row[0], value: row[cols.indexOf(field)] };
}

async function setup(name: string, language: 'en' | 'zh-CN' = 'en') {
  const lab = labOf(name);
  const { api } = fakeApi();
  const { worker, setProgress } = fakeWorker(null, lab.analysed);
  Object.assign(worker, { lab: async () => lab });
  const store = createAppStore({ api, worker, language });
  render(
    <StoreContext.Provider value={store}>
      <I18nextProvider i18n={createI18n(language)}>
        <LabGuide />
      </I18nextProvider>
    </StoreContext.Provider>,
  );
  await act(() => store.getState().init());
  act(() => setProgress({}));
  await act(async () => {
    store.setState({ lab });
  });
  return { api, store, lab };
}

describe('ScenarioGuide', () => {
  it('basic-auth: the checklist from the capture, all done, each with its frames', async () => {
    await setup('basic-auth');
    const region = screen.getByRole('region', { name: 'Lab scenario' });
    expect(region.dataset.scenario).toBe('basic-auth');
    const list = within(region).getByRole('list', { name: 'Scenario checklist' });
    const items = list.querySelectorAll('li[data-check]');
    expect([...items].map((li) => (li as HTMLElement).dataset.status)).toEqual(['done', 'done', 'done']);
    const auth = tsharkValue('basic-auth', 'http.authbasic');
    const retry = list.querySelector('li[data-check="authorization"]') as HTMLElement;
    expect(retry.textContent).toContain(auth.value);
    expect(within(retry).getByRole('button', { name: `Frame ${auth.frame}` })).toBeTruthy();
  });

  it('check yourself: a right and a wrong answer, each with where the answer is', async () => {
    const { store } = await setup('basic-auth');
    const quiz = screen.getByRole('region', { name: 'Check yourself' });
    const auth = tsharkValue('basic-auth', 'http.authbasic');
    const input = within(quiz).getByLabelText('What is the decoded user:password?');
    fireEvent.change(input, { target: { value: 'wirelab-student:guess' } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    const item = input.closest('li') as HTMLElement;
    expect(item.dataset.verdict).toBe('wrong');
    expect(within(item).getByRole('status').textContent).toContain(`this capture says ${auth.value}`);
    fireEvent.change(input, { target: { value: auth.value } });
    fireEvent.submit(input.closest('form') as HTMLFormElement);
    expect(item.dataset.verdict).toBe('right');
    await act(async () => {
      fireEvent.click(within(item).getByRole('button', { name: `Show frame ${auth.frame}` }));
    });
    expect(store.getState().selectedPosition).not.toBeNull();
  });

  it('in zh-CN the texts are Chinese and carry the same captured values', async () => {
    await setup('long-document', 'zh-CN');
    const region = screen.getByRole('region', { name: '实验场景' });
    const count = tsharkValue('long-document', 'tcp.segment.count');
    const segments = region.querySelector('li[data-check="segments"]') as HTMLElement;
    expect(segments.textContent).toContain(`由 ${count.value} 个 TCP 段携带`);
    expect(within(region).getByRole('region', { name: '这个抓包说明了什么' }).textContent).toMatch(/切成 \d+ 段/);
  });

  it('the profile lab’s logo steps show only for the profile scenario', async () => {
    await setup('upload');
    const base = screen.getByRole('list', { name: 'Checklist' });
    expect(base.querySelector('li[data-step="logo-request"]')).toBeNull();
    expect(base.querySelector('li[data-step="handshake"]')).not.toBeNull();
    cleanup();
    await setup('profile');
    expect(
      screen.getByRole('list', { name: 'Checklist' }).querySelector('li[data-step="logo-request"]'),
    ).not.toBeNull();
  });

  it('the picker starts the chosen scenario on the host', async () => {
    const { api } = await setup('profile');
    const select = screen.getByLabelText('Scenario') as HTMLSelectElement;
    expect(select.value).toBe('profile');
    fireEvent.change(select, { target: { value: 'upload' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start this scenario' }));
    });
    expect(api.startLab).toHaveBeenCalledWith({ scenario: 'upload' });
    expect(screen.getByText(/Download upload-sample\.txt/)).toBeTruthy();
  });
});
