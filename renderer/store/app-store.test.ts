import { describe, expect, it, vi } from 'vitest';
import { fakeApi, fakeWorker, labStatus, sampleDetail } from '../test/fakes';
import { createAppStore } from './app-store';

const flush = () => new Promise((r) => setTimeout(r, 0));

function setup() {
  const { api, emit } = fakeApi();
  const { worker, setProgress } = fakeWorker(sampleDetail);
  const tab = { navigate: vi.fn(), close: vi.fn() };
  const openPage = vi.fn(() => tab);
  const store = createAppStore({ api, worker, openPage });
  // The worker reports its table (5 packets) once listened to.
  const ready = async () => {
    await store.getState().init();
    setProgress({});
  };
  return { ready, store, api, emit, worker, setProgress, tab, openPage };
}

describe('app store', () => {
  it('init: reads status and profile, listens to events', async () => {
    const { store, api } = setup();
    await store.getState().init();
    expect(store.getState().connected).toBe(true);
    expect(store.getState().profile?.name).toBe('张三');
    expect(api.on).toHaveBeenCalledWith('status', expect.any(Function));
    expect(api.on).toHaveBeenCalledWith('packets', expect.any(Function));
  });

  it('Start Lab: opens the tab on click, applies tcp.port == <lab port>, then navigates the tab', async () => {
    const { store, worker, tab, openPage } = setup();
    await store.getState().init();
    await store.getState().startLab();
    expect(openPage).toHaveBeenCalledTimes(1);
    expect(worker.filter).toHaveBeenCalledWith('tcp.port == 8001');
    expect(store.getState().filterDraft).toBe('tcp.port == 8001');
    expect(store.getState().filterApplied).toBe('tcp.port == 8001');
    expect(tab.navigate).toHaveBeenCalledWith('http://127.0.0.1:8001/');
  });

  it('Open: sends the chosen file to the host in parts and says what was opened', async () => {
    const { store, api } = setup();
    await store.getState().init();
    const opening = store.getState().openCapture({ file: new File([new Uint8Array(3 << 20)], 'big.pcap') });
    expect(store.getState().busy).toBe('open');
    await opening;
    const parts = vi.mocked(api.uploadCapture).mock.calls.map(([part]) => part);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]).toMatchObject({ name: 'big.pcap', offset: 0 });
    expect(parts.at(-1)).toMatchObject({ upload: 1, last: true });
    expect(store.getState().busy).toBeNull();
    expect(store.getState().notices.at(-1)).toMatchObject({ level: 'info', message: 'messages.opened' });
  });

  it("Open in the browser shell: the host's copy is sent once the list is complete; Save asks for it at once", async () => {
    for (const trigger of ['list complete', 'save'] as const) {
      const { api } = fakeApi();
      const { worker, setProgress } = fakeWorker(sampleDetail);
      const sent: string[] = [];
      const withBody = Object.assign(api, {
        uploadCaptureBody: vi.fn(async (part: { upload: number; offset: number }) => {
          sent.push('copy');
          return { name: 'big.pcap', packets: 5, upload: part.upload };
        }),
      });
      vi.mocked(api.saveCapture).mockImplementation(async () => {
        sent.push('save');
        return { packets: 5, bytes: new Uint8Array([1]) };
      });
      const store = createAppStore({ api: withBody, worker });
      await store.getState().init();
      // The worker's table of the new source (generation 1): 5 packets read, 2 dissected so far.
      setProgress({ generation: 1, received: 5, dissected: 2, displayed: 2 });
      const opening = store.getState().openCapture({ file: new File([new Uint8Array(1 << 20)], 'big.pcap') });
      expect(store.getState().busy).toBe('open');
      await vi.waitFor(() => expect(worker.loadFile).toHaveBeenCalled());
      await flush();
      expect(sent).toEqual([]);
      // The worker has read the file: Open is free again while the copy waits.
      expect(store.getState().busy).toBeNull();
      if (trigger === 'save') {
        await store.getState().exportCapture('all');
        expect(sent).toEqual(['copy', 'save']);
      } else {
        setProgress({ dissected: 5, displayed: 5 });
        await vi.waitFor(() => expect(sent).toEqual(['copy']));
      }
      await opening;
      expect(store.getState().busy).toBeNull();
      expect(store.getState().notices.at(-1)).toMatchObject({
        level: 'info',
        message: expect.stringMatching(/^messages\.(opened|saved)$/),
      });
    }
  });

  it('Start Lab failure: closes the tab and shows the error with its remedy', async () => {
    const { store, api, tab } = setup();
    vi.mocked(api.startLab).mockResolvedValueOnce(
      labStatus({
        server: {
          state: 'error',
          host: '127.0.0.1',
          port: 8001,
          error: { code: 'port-in-use', message: 'Port 8001 is in use.', remedy: 'Close the program using port 8001.' },
        },
      }),
    );
    await store.getState().init();
    await store.getState().startLab();
    expect(tab.close).toHaveBeenCalled();
    expect(store.getState().notices.at(-1)).toMatchObject({
      level: 'error',
      message: 'Port 8001 is in use.',
      remedy: 'Close the program using port 8001.',
    });
  });

  it('filter: empty → checking → valid / invalid with the message; Enter applies and records history', async () => {
    const { store } = setup();
    const s = () => store.getState();
    s().setFilterDraft('tcp.prot == 1');
    expect(s().filterState.kind).toBe('checking');
    await flush();
    expect(s().filterState).toMatchObject({
      kind: 'invalid',
      message: 'tcp.prot is neither a field nor a protocol name.',
    });
    s().setFilterDraft('http');
    await flush();
    expect(s().filterState.kind).toBe('valid');
    await s().applyFilter();
    expect(s().filterApplied).toBe('http');
    expect(s().filterHistory[0]).toBe('http');
    s().setFilterDraft('');
    expect(s().filterState.kind).toBe('empty');
  });

  it('selection: loads the detail; byte clicks select the deepest item and expand its ancestors', async () => {
    const { store, ready } = setup();
    const s = () => store.getState();
    await ready();
    await s().selectPosition(2);
    expect(s().selectedIndex).toBe(2);
    expect(s().detail?.number).toBe(3);
    s().selectByte(0, 47);
    expect(s().selectedItem).toBe(10);
    expect([...s().expanded].sort()).toEqual(['tcp', 'tcp.flags']);
    s().selectItem(11);
    expect(s().bytesSource).toBe(1);
    // Moving to another packet keeps the same field selected, as Wireshark does.
    s().selectItem(7);
    await s().selectPosition(3);
    expect(s().selectedItem).toBe(7);
    s().collapseAll();
    expect(s().expanded.size).toBe(0);
    s().expandAll();
    expect([...s().expanded].sort()).toEqual(['ip', 'tcp', 'tcp.flags']);
  });

  it('rows are fetched once per range and dropped when the view changes', async () => {
    const { store, worker, setProgress } = setup();
    await store.getState().init();
    setProgress({ displayed: 5, viewVersion: 1, generation: 0 });
    store.getState().ensureRows(0, 5);
    store.getState().ensureRows(0, 5);
    await flush();
    expect(worker.rows).toHaveBeenCalledTimes(1);
    expect(store.getState().rows.size).toBe(5);
    setProgress({ viewVersion: 2 });
    expect(store.getState().rows.size).toBe(0);
  });

  it("the list's last rows that come with progress are drawn without asking the worker for them", async () => {
    const { store, worker, setProgress } = setup();
    await store.getState().init();
    setProgress({ displayed: 500, viewVersion: 1, generation: 0 }, 100);
    expect([...store.getState().rows.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => 400 + i),
    );
    expect(store.getState().rows.get(499)?.number).toBe(500);
    // A list that follows its end asks for what it shows: those rows are there already.
    store.getState().ensureRows(450, 500);
    await flush();
    expect(worker.rows).not.toHaveBeenCalled();
    // More packets: the new tail joins the rows already there.
    setProgress({ displayed: 700 }, 100);
    expect(store.getState().rows.size).toBe(200);
    expect(store.getState().rows.get(699)?.number).toBe(700);
    // Another view (a filter): the old rows go, the new view's tail comes in.
    setProgress({ displayed: 50, viewVersion: 2 }, 100);
    expect([...store.getState().rows.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('go to packet: selects it, or says it is not displayed', async () => {
    const { store, ready } = setup();
    await ready();
    expect(await store.getState().goToPacket(4, 'report')).toBe(true);
    expect(store.getState().selectedPosition).toBe(3);
    expect(await store.getState().goToPacket(99, 'report')).toBe(false);
    expect(store.getState().notices.at(-1)?.level).toBe('error');
  });

  it('save and export produce files named after the source', async () => {
    const { store, emit } = setup();
    await store.getState().init();
    emit('status', labStatus({ source: { kind: 'file', name: 'lab.pcap', packets: 3, generation: 1 } }));
    expect(await store.getState().exportCapture('all')).toEqual({
      name: 'lab.pcapng',
      bytes: new Uint8Array([1, 2, 3]),
      packets: 3,
    });
    expect(await store.getState().exportDissections('displayed')).toEqual({ name: 'lab.txt', text: 'Frame 1: …' });
  });

  it('Open by path (Electron): asks the host to open it, says what was opened or the host error with its remedy', async () => {
    const { store, api } = setup();
    await store.getState().init();
    await store.getState().openCapture({ path: '/tmp/lab.pcapng', name: 'lab.pcapng' });
    expect(api.openCapture).toHaveBeenCalledWith({ path: '/tmp/lab.pcapng', name: 'lab.pcapng' });
    expect(api.uploadCapture).not.toHaveBeenCalled();
    expect(store.getState().notices.at(-1)).toMatchObject({ level: 'info', message: 'messages.opened' });
    vi.mocked(api.openCapture).mockResolvedValueOnce({
      name: 'bad.pcap',
      packets: 0,
      error: { code: 'bad-file', message: 'Not a capture file.', remedy: 'Choose a .pcap or .pcapng file.' },
    });
    await store.getState().openCapture({ path: '/tmp/bad.pcap', name: 'bad.pcap' });
    expect(store.getState().notices.at(-1)).toMatchObject({
      level: 'error',
      message: 'Not a capture file.',
      remedy: 'Choose a .pcap or .pcapng file.',
    });
    expect(store.getState().busy).toBeNull();
  });

  it('go to packet from a link: clears the display filter when it hides the packet', async () => {
    const { store, ready, worker } = setup();
    await ready();
    await store.getState().applyFilter('http');
    // The filter shows packet 2 no more; the worker finds it again once the filter is cleared.
    vi.mocked(worker.find).mockResolvedValueOnce(-1);
    expect(await store.getState().goToPacket(2)).toBe(true);
    expect(worker.filter).toHaveBeenLastCalledWith('');
    expect(store.getState().filterApplied).toBe('');
    expect(store.getState().selectedPosition).toBe(1);
    // Go to Packet (Ctrl+G) keeps the filter and says the packet is not displayed.
    await store.getState().applyFilter('http');
    vi.mocked(worker.find).mockResolvedValueOnce(-1);
    expect(await store.getState().goToPacket(2, 'report')).toBe(false);
    expect(store.getState().filterApplied).toBe('http');
    expect(store.getState().notices.at(-1)).toMatchObject({ level: 'error', message: 'list.notFound' });
  });

  it('a failing action shows its error as a notice and resolves with its fallback', async () => {
    const { store, api, worker } = setup();
    await store.getState().init();
    vi.mocked(api.stopLab).mockRejectedValueOnce(new Error('The host went away.'));
    await expect(store.getState().stopLab()).resolves.toBeUndefined();
    expect(store.getState().notices.at(-1)).toMatchObject({ level: 'error', message: 'The host went away.' });
    vi.mocked(worker.exportText).mockRejectedValueOnce('worker crashed');
    expect(await store.getState().exportDissections('displayed')).toBeNull();
    expect(store.getState().notices.at(-1)).toMatchObject({ level: 'error', message: 'worker crashed' });
    vi.mocked(api.uploadCapture).mockRejectedValueOnce(new Error('Upload failed.'));
    await store.getState().openCapture({ file: new File([new Uint8Array(10)], 'a.pcap') });
    expect(store.getState().notices.at(-1)).toMatchObject({ level: 'error', message: 'Upload failed.' });
    expect(store.getState().busy).toBeNull();
  });

  it('reveal: selects a tree item with its ancestors expanded; an unknown id changes nothing', async () => {
    const { store, ready } = setup();
    const s = () => store.getState();
    await ready();
    await s().selectPosition(0);
    s().revealItem(10);
    expect(s().selectedItem).toBe(10);
    expect([...s().expanded].sort()).toEqual(['tcp', 'tcp.flags']);
    s().revealItem(999);
    expect(s().selectedItem).toBe(10);
  });
});
