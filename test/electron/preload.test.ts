import { beforeAll, describe, expect, it, vi } from 'vitest';
import { labEvents, labMethods } from '../../bridge/lab-api';
import { IPC, desktopMethods, menuActions, type WireLabPreloadApi } from '../../bridge/desktop-api';

const exposed = new Map<string, unknown>();
const handlers = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
const invoke = vi.fn(async (channel: string, method: string, ...args: unknown[]): Promise<unknown> => {
  if (method === 'getStatus') return { ok: true, value: { channel, args } };
  if (method === 'chooseCaptureFile') return { ok: true, value: null };
  return { ok: false, error: { name: 'LabApiArgumentError', message: `${method}: bad` } };
});

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
      let set = handlers.get(channel);
      if (!set) handlers.set(channel, (set = new Set()));
      set.add(listener);
    },
    removeListener: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) =>
      handlers.get(channel)?.delete(listener),
  },
  webUtils: { getPathForFile: () => '/home/student/lab.pcapng' },
}));

const fire = (channel: string, payload: unknown) =>
  handlers.get(channel)?.forEach((l) => l({ sender: 'the IpcRendererEvent must not leak' }, payload));

let api: WireLabPreloadApi;
beforeAll(async () => {
  await import('../../main/electron/preload');
  api = exposed.get('wirelab') as WireLabPreloadApi;
});

describe('preload', () => {
  it('exposes one object, window.wirelab', () => {
    expect([...exposed.keys()]).toEqual(['wirelab']);
  });

  it('exposes exactly the labMethods, plus on, shell and desktop', () => {
    const keys = Object.keys(api).sort();
    expect(keys).toEqual([...labMethods, 'on', 'shell', 'desktop'].sort());
    expect(api.shell).toBe('electron');
    for (const m of labMethods) expect(typeof api[m]).toBe('function');
    expect(Object.keys(api.desktop).sort()).toEqual([...desktopMethods, 'pathForFile', 'onMenu'].sort());
    // Nothing in the bridge hands a URL to the system browser.
    expect(Object.keys(api.desktop)).not.toContain('openExternal');
  });

  it('calls go through one invoke channel and unwrap the IpcResult', async () => {
    await expect(api.getStatus()).resolves.toEqual({ channel: IPC.call, args: [] });
    expect(invoke).toHaveBeenLastCalledWith(IPC.call, 'getStatus');
    await expect(api.getPackets(0, 5)).rejects.toMatchObject({
      name: 'LabApiArgumentError',
      message: 'getPackets: bad',
    });
    expect(invoke).toHaveBeenLastCalledWith(IPC.call, 'getPackets', 0, 5);
    await expect(api.desktop.chooseCaptureFile()).resolves.toBeNull();
    expect(invoke).toHaveBeenLastCalledWith(IPC.desktop, 'chooseCaptureFile');
  });

  it('on() accepts exactly the labEvents, delivers only the payload, and unsubscribes', () => {
    for (const event of labEvents) {
      const listener = vi.fn();
      const off = api.on(event, listener);
      fire(IPC.eventPrefix + event, { hello: event });
      expect(listener).toHaveBeenCalledWith({ hello: event });
      expect(listener.mock.calls[0]).toHaveLength(1);
      off();
      off();
      fire(IPC.eventPrefix + event, { again: true });
      expect(listener).toHaveBeenCalledTimes(1);
    }
    expect(() => api.on('menu' as never, () => undefined)).toThrow(/unknown event/);
    expect(() => api.on('__proto__' as never, () => undefined)).toThrow(/unknown event/);
  });

  it('desktop.onMenu delivers known menu actions only', () => {
    const listener = vi.fn();
    const off = api.desktop.onMenu(listener);
    for (const action of menuActions) fire(IPC.menu, action);
    fire(IPC.menu, 'rm -rf');
    expect(listener.mock.calls.map((c) => c[0])).toEqual([...menuActions]);
    off();
    fire(IPC.menu, 'open');
    expect(listener).toHaveBeenCalledTimes(menuActions.length);
  });

  it('pathForFile uses webUtils', () => {
    expect(api.desktop.pathForFile({} as File)).toBe('/home/student/lab.pcapng');
  });
});
