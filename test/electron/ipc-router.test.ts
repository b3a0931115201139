import { describe, expect, it, vi } from 'vitest';
import {
  labEvents,
  labMethods,
  type LabApi,
  type LabEvents,
  type LabStatus,
  type LabApiWithEvents,
} from '../../bridge/lab-api';
import { IPC, desktopMethods, type IpcResult } from '../../bridge/desktop-api';
import {
  forwardLabEvents,
  registerIpcRouter,
  validateDesktopCall,
  type DesktopHandlers,
  type IpcEventLike,
} from '../../main/electron/ipc-router';
import { APP_ENTRY_URL } from '../../main/electron/security';

const status: LabStatus = {
  server: { state: 'stopped', host: '127.0.0.1', port: 8001 },
  capture: { state: 'idle', received: 0, dropped: 0 },
  source: { kind: 'none', packets: 0, generation: 0 },
};

function fakeHost() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const api: Record<string, unknown> = {};
  for (const m of labMethods) {
    api[m] = vi.fn(async (...args: unknown[]) => {
      calls.push({ method: m, args });
      if (m === 'startLab') throw Object.assign(new Error('port 8001 is in use'), { name: 'ServerError' });
      return m === 'getStatus' ? status : { method: m };
    });
  }
  const host = {
    ...(api as unknown as LabApi),
    on<E extends keyof LabEvents>(event: E, listener: (payload: LabEvents[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
  } satisfies LabApiWithEvents;
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  return { host, calls, emit, listeners };
}

function fakeDesktop(): DesktopHandlers {
  return {
    chooseCaptureFile: vi.fn(async () => ({ path: '/tmp/a.pcapng', name: 'a.pcapng' })),
    chooseSavePath: vi.fn(async () => '/tmp/out.pcapng'),
    saveFile: vi.fn(async () => ({ path: '/tmp/out.txt' })),
    captureScreenshot: vi.fn(async () => new Uint8Array([0x89, 0x50])),
    getPreferences: vi.fn(async () => ({ openPageIn: 'window' as const, theme: 'system' as const })),
    setPreferences: vi.fn(async () => ({ openPageIn: 'browser' as const, theme: 'system' as const })),
  };
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  return {
    handlers,
    handle: (channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
    invoke: async (channel: string, event: IpcEventLike, ...args: unknown[]) =>
      (await handlers.get(channel)!(event, ...args)) as IpcResult,
  };
}

const app: IpcEventLike = { senderFrame: { url: APP_ENTRY_URL, parent: null } };

function setup() {
  const ipcMain = fakeIpcMain();
  const h = fakeHost();
  const desktop = fakeDesktop();
  const refused: string[] = [];
  const dispose = registerIpcRouter({ ipcMain, host: h.host, desktop, onRefused: (r) => refused.push(r) });
  return { ipcMain, ...h, desktop, refused, dispose };
}

describe('IPC router', () => {
  it('forwards valid calls to the host and returns the value', async () => {
    const s = setup();
    expect(await s.ipcMain.invoke(IPC.call, app, 'getStatus')).toEqual({ ok: true, value: status });
    expect(await s.ipcMain.invoke(IPC.call, app, 'getPackets', 0, 100)).toEqual({
      ok: true,
      value: { method: 'getPackets' },
    });
    await s.ipcMain.invoke(IPC.call, app, 'updateProfile', { name: '张三' });
    await s.ipcMain.invoke(IPC.call, app, 'setLogo', new Uint8Array([1, 2, 3]));
    expect(s.calls).toEqual([
      { method: 'getStatus', args: [] },
      { method: 'getPackets', args: [0, 100] },
      { method: 'updateProfile', args: [{ name: '张三' }] },
      { method: 'setLogo', args: [new Uint8Array([1, 2, 3])] },
    ]);
  });

  it('answers host errors as data with their name', async () => {
    const s = setup();
    expect(await s.ipcMain.invoke(IPC.call, app, 'startLab', { port: 8001 })).toEqual({
      ok: false,
      error: { name: 'ServerError', message: 'port 8001 is in use' },
    });
  });

  it.each([
    ['a foreign page', { senderFrame: { url: 'http://127.0.0.1:8001/', parent: null } }],
    ['a file: page', { senderFrame: { url: 'file:///tmp/evil.html', parent: null } }],
    ['a subframe of the app', { senderFrame: { url: APP_ENTRY_URL, parent: {} } }],
    ['a destroyed frame', { senderFrame: null }],
  ])('rejects %s before calling the host', async (_what, event) => {
    const s = setup();
    const result = await s.ipcMain.invoke(IPC.call, event as IpcEventLike, 'getStatus');
    expect(result).toMatchObject({ ok: false, error: { name: 'UntrustedSenderError' } });
    const desktopResult = await s.ipcMain.invoke(IPC.desktop, event as IpcEventLike, 'captureScreenshot');
    expect(desktopResult).toMatchObject({ ok: false, error: { name: 'UntrustedSenderError' } });
    expect(s.calls).toEqual([]);
    expect(s.desktop.captureScreenshot).not.toHaveBeenCalled();
    expect(s.refused).toHaveLength(2);
  });

  it.each([
    ['an unknown method', ['dispose']],
    ['a prototype method', ['constructor']],
    ['arguments to a no-argument method', ['getStatus', 1]],
    ['a bad port', ['startLab', { port: 70000 }]],
    ['an unknown profile field', ['updateProfile', { isAdmin: 'yes' }]],
    ['a logo that is not bytes', ['setLogo', 'AAAA']],
    ['a huge packet count', ['getPackets', 0, 1e9]],
    ['openCapture without a path or bytes', ['openCapture', {}]],
    ['an upload part without bytes', ['uploadCapture', { offset: 0 }]],
    ['an upload part at a negative offset', ['uploadCapture', { offset: -1, bytes: new Uint8Array(1) }]],
    ['bad save indices', ['saveCapture', { indices: [-1] }]],
  ])('rejects %s (validateLabCall)', async (_what, call) => {
    const s = setup();
    const [method, ...args] = call as [string, ...unknown[]];
    const result = await s.ipcMain.invoke(IPC.call, app, method, ...args);
    expect(result).toMatchObject({ ok: false, error: { name: 'LabApiArgumentError' } });
    expect(s.calls).toEqual([]);
  });

  it('routes desktop calls after validating them', async () => {
    const s = setup();
    expect(
      await s.ipcMain.invoke(IPC.desktop, app, 'captureScreenshot', { x: 0, y: 0, width: 10, height: 20 }),
    ).toEqual({
      ok: true,
      value: new Uint8Array([0x89, 0x50]),
    });
    expect(s.desktop.captureScreenshot).toHaveBeenCalledWith({ x: 0, y: 0, width: 10, height: 20 });
    await s.ipcMain.invoke(IPC.desktop, app, 'saveFile', 'dissection', 'No. Time', 'packets.txt');
    expect(s.desktop.saveFile).toHaveBeenCalledWith('dissection', 'No. Time', 'packets.txt');
    for (const bad of [
      ['captureScreenshot', { x: -1, y: 0, width: 1, height: 1 }],
      ['captureScreenshot', undefined, 'other-window'],
      ['saveFile', 'exe', 'x'],
      ['saveFile', 'dissection', 'x', '../../etc/passwd'],
      ['chooseSavePath', 'capture', 'a/b.pcapng'],
      // The renderer cannot ask the main process to open anything in the system browser.
      ['openExternal', 'https://example.org/'],
      ['openExternal', 'http://127.0.0.1:8001/'],
      ['setPreferences', { openPageIn: 'tab' }],
      ['setPreferences', { __proto__: 1, admin: true }],
      ['shell'],
    ]) {
      const [method, ...args] = bad as [string, ...unknown[]];
      expect(await s.ipcMain.invoke(IPC.desktop, app, method, ...args)).toMatchObject({
        ok: false,
        error: { name: 'LabApiArgumentError' },
      });
    }
  });

  it('validateDesktopCall accepts the documented shapes', () => {
    expect(() => validateDesktopCall('chooseCaptureFile', [])).not.toThrow();
    expect(() => validateDesktopCall('chooseSavePath', ['capture', 'lab.pcapng'])).not.toThrow();
    expect(() => validateDesktopCall('saveFile', ['png', new Uint8Array(4)])).not.toThrow();
    expect(() => validateDesktopCall('captureScreenshot', [undefined, 'lab-page'])).not.toThrow();
    expect(() => validateDesktopCall('setPreferences', [{ theme: 'dark', openPageIn: 'browser' }])).not.toThrow();
    // No way for the renderer to hand a URL to shell.openExternal: the method does not exist.
    expect(() => validateDesktopCall('openExternal', ['http://127.0.0.1:8001/'])).toThrow(/unknown method/);
    expect(desktopMethods as readonly string[]).not.toContain('openExternal');
  });

  it('dispose removes both handlers', () => {
    const s = setup();
    expect([...s.ipcMain.handlers.keys()].sort()).toEqual([IPC.call, IPC.desktop].sort());
    s.dispose();
    expect(s.ipcMain.handlers.size).toBe(0);
  });
});

describe('forwardLabEvents', () => {
  it('sends every LabEvents event on its own channel, and stops when unsubscribed', () => {
    const h = fakeHost();
    const sent: Array<[string, unknown]> = [];
    const stop = forwardLabEvents(h.host, (channel, payload) => sent.push([channel, payload]));
    for (const event of labEvents) h.emit(event, { event });
    expect(sent).toEqual(labEvents.map((event) => [IPC.eventPrefix + event, { event }]));
    stop();
    h.emit('status', status);
    expect(sent).toHaveLength(labEvents.length);
    for (const set of h.listeners.values()) expect(set.size).toBe(0);
  });
});
