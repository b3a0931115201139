/** The store's tools slice: filters from the tree, custom columns and the time format remembered, Back/Forward, marks. */
import { describe, expect, it } from 'vitest';
import { fakeApi, fakeWorker, sampleDetail } from '../test/fakes';
import { createAppStore } from './app-store';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
  };
}

async function setup(storage = memoryStorage()) {
  const { api } = fakeApi();
  const { worker, setProgress } = fakeWorker(sampleDetail);
  const store = createAppStore({ api, worker, storage });
  await store.getState().init();
  setProgress({});
  return { store, worker, storage, api };
}

describe('tools slice', () => {
  it('Apply as Filter applies; Prepare as Filter combines with the applied filter and only drafts it', async () => {
    const { store, worker } = await setup();
    const s = () => store.getState();
    await s().useAsFilter('http.request.uri == "/"', 'selected', true);
    expect(worker.filter).toHaveBeenLastCalledWith('http.request.uri == "/"');
    expect(s().filterApplied).toBe('http.request.uri == "/"');
    await s().useAsFilter('ip.src == 127.0.0.1', 'or_not', false);
    expect(s().filterDraft).toBe('(http.request.uri == "/") || !(ip.src == 127.0.0.1)');
    expect(s().filterApplied).toBe('http.request.uri == "/"');
  });

  it('custom columns and the time format are sent to the worker and remembered in storage', async () => {
    const storage = memoryStorage();
    const { store, worker } = await setup(storage);
    const s = () => store.getState();
    s().addColumn('http.request.uri', 'Request URI');
    s().addColumn('tcp.srcport', 'Source Port');
    s().addColumn('tcp.srcport', 'Source Port'); // once only
    s().moveColumn(1, -1);
    s().resizeColumn(0, 180);
    s().setTimeFormat('delta_displayed');
    s().setDiagramOpen(true);
    expect(worker.view).toHaveBeenLastCalledWith({
      timeFormat: 'delta_displayed',
      refs: [],
      marked: [],
      columns: ['tcp.srcport', 'http.request.uri'],
    });
    const again = await setup(storage);
    expect(again.store.getState().customColumns).toEqual([
      { field: 'tcp.srcport', title: 'Source Port', width: 180 },
      { field: 'http.request.uri', title: 'Request URI', width: 120 },
    ]);
    expect(again.store.getState().timeFormat).toBe('delta_displayed');
    expect(again.store.getState().diagramOpen).toBe(true);
    // Sent to the worker at start-up, so the first rows already use them.
    expect(again.worker.view).toHaveBeenCalledWith(
      expect.objectContaining({ timeFormat: 'delta_displayed', columns: ['tcp.srcport', 'http.request.uri'] }),
    );
    again.store.getState().removeColumn(0);
    expect(again.store.getState().customColumns.map((c) => c.field)).toEqual(['http.request.uri']);
  });

  it('ignores remembered columns that are not field names', async () => {
    const storage = memoryStorage();
    storage.setItem('wirelab.columns', JSON.stringify([{ field: 'x); alert(1', title: 'x', width: 100 }, 'junk']));
    storage.setItem('wirelab.timeFormat', 'nonsense');
    const { store } = await setup(storage);
    expect(store.getState().customColumns).toEqual([]);
    expect(store.getState().timeFormat).toBe('relative');
  });

  it('Back / Forward walk the selection history', async () => {
    const { store } = await setup();
    const s = () => store.getState();
    await s().selectPosition(0);
    await s().selectPosition(3);
    await s().selectPosition(1);
    expect(s().history).toEqual([1, 4, 2]);
    await s().goBack();
    expect(s().detail?.number).toBe(4);
    await s().goBack();
    expect(s().detail?.number).toBe(1);
    await s().goBack(); // nothing before the first
    expect(s().detail?.number).toBe(1);
    await s().goForward();
    expect(s().detail?.number).toBe(4);
    // A new selection drops the forward part.
    await s().selectPosition(4);
    expect(s().history).toEqual([1, 4, 5]);
    await s().goForward();
    expect(s().detail?.number).toBe(5);
  });

  it('marks and time references toggle on the selected packet; exports of marked packets need some', async () => {
    const { store, worker, api } = await setup();
    const s = () => store.getState();
    expect(await s().exportCapture('marked')).toBeNull();
    expect(s().notices.at(-1)?.message).toBe('mark.none');
    await s().selectPosition(2);
    s().toggleMark();
    s().toggleTimeReference();
    expect(worker.view).toHaveBeenLastCalledWith(expect.objectContaining({ marked: [2], refs: [2] }));
    await s().selectPosition(4);
    s().toggleMark();
    expect(s().markedIndices()).toEqual([2, 4]);
    // "Marked packets only": the capture export sends exactly those packets.
    expect(await s().exportCapture('marked')).toMatchObject({ name: 'wirelab-marked.pcapng' });
    expect(api.saveCapture).toHaveBeenLastCalledWith({ indices: [2, 4] });
    await s().exportDissections('marked');
    expect(worker.exportText).toHaveBeenLastCalledWith({ scope: 'selected', indices: [2, 4], bytes: true });
    await s().selectPosition(2);
    s().toggleMark();
    expect(s().markedIndices()).toEqual([4]);
  });
});
