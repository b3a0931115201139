// The two windows' options as Electron receives them (windows.ts, against a mocked BrowserWindow).
import { describe, expect, it, vi } from 'vitest';
import { LAB_PAGE_PARTITION } from '../../main/electron/security';
import { createLabPageWindow, createMainWindow, registerAppPreload } from '../../main/electron/windows';

const created = vi.hoisted(() => [] as Array<Record<string, unknown>>);

vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(options: Record<string, unknown>) {
      created.push(options);
    }
  },
}));

function optionsOf(create: () => unknown): { options: Record<string, unknown>; prefs: Record<string, unknown> } {
  const before = created.length;
  create();
  expect(created).toHaveLength(before + 1);
  const options = created[before];
  return { options, prefs: options.webPreferences as Record<string, unknown> };
}

/** Every preference both windows must run with. */
const hardened = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  // Middle-click (auxclick) is off in both windows.
  disableBlinkFeatures: 'Auxclick',
  spellcheck: false,
};

describe('windows', () => {
  it('main window: isolated, sandboxed, no Node, no webview, auxclick off; no preload of its own', () => {
    const { options, prefs } = optionsOf(() =>
      createMainWindow({ icon: '/app/build/icon.png', devTools: false, backgroundColor: '#1e1e1e' }),
    );
    expect(prefs).toEqual({ ...hardened, devTools: false });
    // The bridge comes from the default session's registered preload (registerAppPreload), and the
    // window stays in that session: no partition, no per-window preload.
    expect(prefs).not.toHaveProperty('preload');
    expect(prefs).not.toHaveProperty('partition');
    expect(options).toMatchObject({ show: false, title: 'WireLab', backgroundColor: '#1e1e1e' });
    // The remote module is gone from Electron; nothing may try to turn it back on.
    expect(JSON.stringify(options)).not.toMatch(/enableRemoteModule/);
  });

  it('main window: DevTools only when asked (development builds)', () => {
    expect(optionsOf(() => createMainWindow({ devTools: true, backgroundColor: '#ffffff' })).prefs.devTools).toBe(true);
  });

  it('lab page window: the same hardening, no preload, its own in-memory session, never DevTools', () => {
    const { options, prefs } = optionsOf(() => createLabPageWindow({}));
    expect(prefs).toEqual({ ...hardened, partition: LAB_PAGE_PARTITION, devTools: false });
    expect(prefs).not.toHaveProperty('preload');
    // Not "persist:…": nothing of the page is kept on disk between labs.
    expect(LAB_PAGE_PARTITION.startsWith('persist:')).toBe(false);
    expect(options.title).toBe('WireLab — profile page');
  });

  it("registerAppPreload gives the session a 'frame' preload with the absolute path", () => {
    const registerPreloadScript = vi.fn(() => 'id-1');
    expect(registerAppPreload({ registerPreloadScript }, '/app/out/electron/preload.js')).toBe('id-1');
    expect(registerPreloadScript).toHaveBeenCalledWith({ type: 'frame', filePath: '/app/out/electron/preload.js' });
  });
});
