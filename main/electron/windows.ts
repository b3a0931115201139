/**
 * WireLab's two windows, with their options written out where a reader (and a scanner such as
 * electronegativity) sees them: each `new BrowserWindow({ … })` holds every web preference it runs
 * with. There is no other copy of these preferences; test/electron/windows.test.ts asserts them.
 *
 * Both windows: context isolation, the Chromium sandbox and no Node anywhere (main frame, workers,
 * subframes), web security on, no insecure content, no experimental features, no <webview>, no
 * navigation by dropping a file, and the Auxclick feature off (the event a middle-click fires, as
 * electronegativity's AUXCLICK check asks). Whatever a page still tries to open in a new window is
 * denied by hardenWebContents() in security.ts.
 */
import { BrowserWindow } from 'electron';
import type { Session } from 'electron';
import { LAB_PAGE_PARTITION } from './security';

/**
 * Gives the app's own session the preload (the `window.wirelab` bridge), once, before the main window
 * is created. Only the main window lives in that session: the lab page window uses its own partition
 * (LAB_PAGE_PARTITION), which never gets a preload, so the profile page has no bridge at all.
 * Sandboxed renderers run a session's `frame` preloads like a window's own (the main process reads the
 * file and hands it to the renderer), in the top frame only, since nodeIntegrationInSubFrames is off.
 * What the preload exposes is reviewed where it is built: preload.ts exposes, through contextBridge,
 * only the invoke wrappers that preload-api.ts generates from labMethods / desktopMethods and event
 * subscriptions for labEvents and the menu; no ipcRenderer, Electron event object or Node API reaches
 * the page, and the main process checks every sender and argument again (ipc-router.ts).
 * Returns the registration's id.
 */
export function registerAppPreload(appSession: Pick<Session, 'registerPreloadScript'>, preloadPath: string): string {
  return appSession.registerPreloadScript({ type: 'frame', filePath: preloadPath });
}

/** The main window: the React UI (wirelab://app/), in the default session, which has the preload. */
export function createMainWindow(opts: { icon?: string; devTools: boolean; backgroundColor: string }): BrowserWindow {
  return new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 760,
    minHeight: 480,
    show: false,
    title: 'WireLab',
    icon: opts.icon,
    backgroundColor: opts.backgroundColor,
    webPreferences: {
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
      disableBlinkFeatures: 'Auxclick',
      devTools: opts.devTools,
      spellcheck: false,
    },
  });
}

/** The in-app window showing the profile page: sandboxed, no preload, its own in-memory session. */
export function createLabPageWindow(opts: { icon?: string }): BrowserWindow {
  return new BrowserWindow({
    width: 1024,
    height: 720,
    title: 'WireLab — profile page',
    icon: opts.icon,
    autoHideMenuBar: true,
    webPreferences: {
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
      disableBlinkFeatures: 'Auxclick',
      partition: LAB_PAGE_PARTITION,
      devTools: false,
      spellcheck: false,
    },
  });
}
