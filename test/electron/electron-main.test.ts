// The real electron-main.ts, wired against a mocked Electron and a real LabHost (profile in a temp folder).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC, type IpcResult } from '../../bridge/desktop-api';
import { APP_ENTRY_URL, LAB_PAGE_PARTITION } from '../../main/electron/security';

const fake = vi.hoisted(() => {
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  const ipcHandlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const windows: Array<{
    options: Record<string, unknown>;
    loaded: string[];
    sent: Array<[string, unknown]>;
    contents: unknown;
    listeners: Map<string, (event: { url: string; preventDefault(): void }) => void>;
  }> = [];
  const sessions = new Map<string, { permissionRequest: unknown; permissionCheck: unknown }>();
  /** Preload registrations and window creations, in order, with the session they went to. */
  const timeline: Array<{ event: 'preload'; session: string; script: unknown } | { event: 'window' }> = [];
  const state = {
    timeline,
    userData: '',
    schemes: [] as unknown[],
    handled: [] as string[],
    menus: 0,
    sandboxEnabled: false,
    appListeners,
    ipcHandlers,
    windows,
    sessions,
  };
  return state;
});

vi.mock('electron', () => {
  const makeSession = (name: string) => {
    const s = {
      setPermissionRequestHandler: (h: unknown) => {
        fake.sessions.set(name, { ...(fake.sessions.get(name) ?? { permissionCheck: null }), permissionRequest: h });
      },
      setPermissionCheckHandler: (h: unknown) => {
        fake.sessions.set(name, { ...(fake.sessions.get(name) ?? { permissionRequest: null }), permissionCheck: h });
      },
      registerPreloadScript: (script: unknown) => {
        fake.timeline.push({ event: 'preload', session: name, script });
        return `preload-${fake.timeline.length}`;
      },
      clearCache: async () => undefined,
      closeAllConnections: async () => undefined,
    };
    return s;
  };
  const sessions = new Map<string, ReturnType<typeof makeSession>>();
  class BrowserWindow {
    record: (typeof fake.windows)[number];
    webContents: {
      send: (channel: string, payload: unknown) => void;
      on: (event: string, listener: (event: { url: string; preventDefault(): void }) => void) => void;
      setWindowOpenHandler: () => void;
    };
    constructor(options: Record<string, unknown>) {
      const listeners = new Map<string, (event: { url: string; preventDefault(): void }) => void>();
      this.webContents = {
        send: (channel, payload) => this.record.sent.push([channel, payload]),
        on: (event, listener) => listeners.set(event, listener),
        setWindowOpenHandler: () => undefined,
      };
      this.record = { options, loaded: [], sent: [], contents: this.webContents, listeners };
      fake.windows.push(this.record);
      fake.timeline.push({ event: 'window' });
    }
    once() {}
    on() {}
    show() {}
    isDestroyed() {
      return false;
    }
    setMenu() {}
    async loadURL(url: string) {
      this.record.loaded.push(url);
    }
  }
  return {
    app: {
      getPath: (name: string) => (name === 'userData' ? fake.userData : os.tmpdir()),
      setPath: (name: string, value: string) => {
        if (name === 'userData') fake.userData = value;
      },
      getAppPath: () => process.cwd(),
      isPackaged: false,
      enableSandbox: () => {
        fake.sandboxEnabled = true;
      },
      setName: () => undefined,
      getLocale: () => 'zh-CN',
      getVersion: () => '0.1.0',
      setAboutPanelOptions: () => undefined,
      showAboutPanel: () => undefined,
      requestSingleInstanceLock: () => true,
      on: (event: string, listener: (...args: unknown[]) => void) => fake.appListeners.set(event, listener),
      whenReady: () => Promise.resolve(),
      quit: () => undefined,
      exit: () => undefined,
    },
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    ipcMain: {
      handle: (channel: string, listener: (event: unknown, ...args: unknown[]) => unknown) =>
        fake.ipcHandlers.set(channel, listener),
      removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
    },
    Menu: {
      buildFromTemplate: (t: unknown) => t,
      setApplicationMenu: () => {
        fake.menus++;
      },
    },
    nativeTheme: { themeSource: 'system', shouldUseDarkColors: false },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.schemes.push(...schemes),
      handle: (scheme: string) => fake.handled.push(scheme),
    },
    session: {
      get defaultSession() {
        if (!sessions.has('default')) sessions.set('default', makeSession('default'));
        return sessions.get('default');
      },
      fromPartition: (name: string) => {
        if (!sessions.has(name)) sessions.set(name, makeSession(name));
        return sessions.get(name);
      },
    },
    shell: { openExternal: vi.fn(async () => undefined) },
    utilityProcess: { fork: vi.fn() },
  };
});

const userData = mkdtempSync(path.join(os.tmpdir(), 'wirelab-electron-main-'));

beforeAll(async () => {
  process.env.WIRELAB_USER_DATA_DIR = userData;
  await import('../../main/electron/electron-main');
  // start() runs after whenReady(): wait until the window exists.
  for (let i = 0; i < 200 && fake.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
});
afterAll(async () => {
  delete process.env.WIRELAB_USER_DATA_DIR;
  rmSync(userData, { recursive: true, force: true });
});

describe('electron-main.ts wiring (mocked Electron, real LabHost)', () => {
  it('registers the wirelab:// scheme before ready, enables the sandbox, serves the renderer', () => {
    expect(fake.schemes).toMatchObject([{ scheme: 'wirelab', privileges: { standard: true, secure: true } }]);
    expect(fake.sandboxEnabled).toBe(true);
    expect(fake.handled).toEqual(['wirelab']);
    expect(fake.userData).toBe(userData);
  });

  it('opens one hardened main window on wirelab://app/index.html, in the default session', () => {
    expect(fake.windows).toHaveLength(1);
    const [win] = fake.windows;
    expect(win.loaded).toEqual([APP_ENTRY_URL]);
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
    });
    expect(win.options.webPreferences).not.toHaveProperty('partition');
    expect(win.options.webPreferences).not.toHaveProperty('preload');
  });

  it("gives the preload to the app's own session only, before the main window exists", () => {
    const preloads = fake.timeline.filter((e) => e.event === 'preload');
    expect(preloads).toHaveLength(1);
    const [registration] = preloads as Array<{ session: string; script: { type: string; filePath: string } }>;
    expect(registration.session).toBe('default');
    expect(registration.script.type).toBe('frame');
    expect(path.isAbsolute(registration.script.filePath)).toBe(true);
    expect(registration.script.filePath).toMatch(/preload\.js$/);
    // The lab page's partition never gets it.
    expect(preloads.some((e) => 'session' in e && e.session === LAB_PAGE_PARTITION)).toBe(false);
    expect(fake.timeline.findIndex((e) => e.event === 'preload')).toBeLessThan(
      fake.timeline.findIndex((e) => e.event === 'window'),
    );
  });

  it('denies permissions in both sessions and hardens every WebContents', () => {
    expect([...fake.sessions.keys()].sort()).toEqual(['default', LAB_PAGE_PARTITION].sort());
    for (const s of fake.sessions.values()) {
      const callback = vi.fn();
      (s.permissionRequest as (wc: unknown, p: string, cb: (b: boolean) => void, d: object) => void)(
        {},
        'media',
        callback,
        {},
      );
      expect(callback).toHaveBeenCalledWith(false);
    }
    expect(fake.appListeners.has('web-contents-created')).toBe(true);
    expect(fake.appListeners.has('before-quit')).toBe(true);
    expect(fake.menus).toBeGreaterThan(0);
  });

  it('routes IPC from the app to the real LabHost and refuses other senders', async () => {
    const call = fake.ipcHandlers.get(IPC.call)!;
    const trusted = { senderFrame: { url: APP_ENTRY_URL, parent: null } };
    const status = (await call(trusted, 'getStatus')) as IpcResult;
    expect(status).toMatchObject({ ok: true, value: { server: { state: 'stopped', port: 8001 } } });
    const profile = (await call(trusted, 'updateProfile', { name: 'WireLab test' })) as IpcResult;
    expect(profile).toMatchObject({ ok: true, value: { name: 'WireLab test' } });
    const refused = (await call(
      { senderFrame: { url: 'http://127.0.0.1:8001/', parent: null } },
      'getProfile',
    )) as IpcResult;
    expect(refused).toMatchObject({ ok: false, error: { name: 'UntrustedSenderError' } });
    const prefs = (await fake.ipcHandlers.get(IPC.desktop)!(trusted, 'getPreferences')) as IpcResult;
    expect(prefs).toEqual({ ok: true, value: { openPageIn: 'window', theme: 'system' } });
    const external = (await fake.ipcHandlers.get(IPC.desktop)!(
      trusted,
      'openExternal',
      'https://example.org/',
    )) as IpcResult;
    expect(external).toMatchObject({ ok: false, error: { name: 'LabApiArgumentError' } });
  });

  it('a lab on another port opens in the in-app window, not the system browser, and says why', async () => {
    const trusted = { senderFrame: { url: APP_ENTRY_URL, parent: null } };
    const desktop = fake.ipcHandlers.get(IPC.desktop)!;
    const call = fake.ipcHandlers.get(IPC.call)!;
    const { shell } = await import('electron');
    const log = vi.spyOn(console, 'log');
    expect(await desktop(trusted, 'setPreferences', { openPageIn: 'browser' })).toMatchObject({ ok: true });
    // The server on a free port (never the default 8001); the capture cannot start here (mocked
    // utilityProcess), which leaves the page served, as for a student fixing capture permissions.
    const started = (await call(trusted, 'startLab', { port: 0, backend: 'cap' })) as IpcResult;
    try {
      const status = (started as { value: { server: { state: string; port: number } } }).value.server;
      expect(status.state).toBe('running');
      expect(status.port).not.toBe(8001);
      const url = `http://127.0.0.1:${status.port}/`;
      // The main window follows a link to the lab page: hardenWebContents sends it to openLabPage.
      const main = fake.windows[0];
      fake.appListeners.get('web-contents-created')!({}, main.contents);
      const preventDefault = vi.fn();
      main.listeners.get('will-navigate')!({ url, preventDefault });
      expect(preventDefault).toHaveBeenCalled();
      for (let i = 0; i < 200 && fake.windows.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(fake.windows).toHaveLength(2);
      const lab = fake.windows[1];
      for (let i = 0; i < 200 && lab.loaded.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(lab.loaded).toEqual([url]);
      expect(lab.options.webPreferences).toMatchObject({ partition: LAB_PAGE_PARTITION, sandbox: true });
      expect(vi.mocked(shell.openExternal)).not.toHaveBeenCalled();
      expect(log).toHaveBeenCalledWith(
        `wirelab: the lab runs on port ${status.port}, and only the default lab address http://127.0.0.1:8001/ is ` +
          `handed to the system browser: opening ${url} in WireLab's window instead`,
      );
    } finally {
      log.mockRestore();
      await call(trusted, 'stopLab');
      await desktop(trusted, 'setPreferences', { openPageIn: 'window' });
    }
  });
});
