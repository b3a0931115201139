/**
 * WireLab's Electron main process. Thin on purpose: app lifecycle, the windows, the menu, and what only
 * Electron can do (dialogs, capturePage, opening the lab page in the system browser). Everything else is
 * the LabHost behind IPC; the policy lives in small tested modules (security, windows, ipc-router, menu,
 * app-protocol, dialogs, capture-utility). Built by scripts/build.mjs to out/electron/main.js (package.json "main").
 */
import { app, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell, utilityProcess } from 'electron';
import type { BrowserWindow, WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { userDataDir } from '../../embedded-server';
import { configureCaptureWorker } from '../capture';
import { LabHost } from '../host/lab-host';
import type { LabStatus } from '../../bridge/lab-api';
import { appSchemePrivileges, createAppProtocolHandler } from './app-protocol';
import { electronWorkerPath, utilityProcessSpawner } from './capture-utility';
import { IPC, type DesktopPreferences, type MenuAction, type SaveKind, type Theme } from '../../bridge/desktop-api';
import { openCaptureDialogOptions, saveDialogOptions, withExtension } from './dialogs';
import { forwardLabEvents, registerIpcRouter, type DesktopHandlers } from './ipc-router';
import { buildMenuTemplate, menuLocale } from './menu';
import { loadPreferences, mergePreferences, savePreferences } from './preferences';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  LAB_PAGE_PARTITION,
  applySessionPolicy,
  hardenWebContents,
  isLabPageUrl,
  type WebContentsLike,
} from './security';
import { createLabPageWindow, createMainWindow, registerAppPreload } from './windows';

const APP_NAME = 'WireLab';
const QUIT_TIMEOUT_MS = 5000;

// Before 'ready': the renderer's scheme, sandbox for every renderer, one user data folder for all shells.
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
app.enableSandbox();
app.setName(APP_NAME);
// WIRELAB_USER_DATA_DIR: tests (and portable setups) keep the profile somewhere else.
app.setPath('userData', process.env.WIRELAB_USER_DATA_DIR || path.join(app.getPath('appData'), APP_NAME));

const appRoot = app.getAppPath();
const rendererDir = path.join(appRoot, 'out', 'renderer');
const preloadPath = path.join(__dirname, 'preload.js');
const iconPath = path.join(appRoot, 'build', 'icon.png');
const devTools = !app.isPackaged || process.env.WIRELAB_DEVTOOLS === '1';
const prefsFile = path.join(app.getPath('userData'), 'preferences.json');

let host: LabHost | null = null;
let mainWindow: BrowserWindow | null = null;
let labWindow: BrowserWindow | null = null;
let prefs: DesktopPreferences = { openPageIn: 'window', theme: 'system' };
let labPort: number | null = null;
let labRunning = false;
let disposed = false;
let quitting = false;

const log = (message: string): void => console.log(`wirelab: ${message}`);

function send(channel: string, payload: unknown): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(channel, payload);
}

function sendMenu(action: MenuAction): void {
  send(IPC.menu, action);
}

function classify(contents: WebContents): 'main' | 'lab-page' | 'other' {
  if (mainWindow && !mainWindow.isDestroyed() && contents === mainWindow.webContents) return 'main';
  if (labWindow && !labWindow.isDestroyed() && contents === labWindow.webContents) return 'lab-page';
  return 'other';
}

function icon(): string | undefined {
  return existsSync(iconPath) ? iconPath : undefined;
}

// ---- the lab page: in-app window or system browser ------------------------------------------------

async function openLabPage(url: string): Promise<void> {
  if (!isLabPageUrl(url, labPort)) {
    log(`refused to open ${url}: not the running lab's page`);
    return;
  }
  if (prefs.openPageIn === 'browser') {
    // The only call to shell.openExternal in WireLab, and its argument is a constant: the default lab
    // address. Nothing the renderer or a page sends can reach shell.openExternal: the renderer's bridge
    // has no such method, and a page's navigation can at most lead here, where only this constant is
    // opened. A lab on another port opens in the in-app window instead. test/electron/open-external.test.ts
    // keeps the constant equal to the default port's lab URL and checks that there is no other call.
    // It stays a literal rather than DEFAULT_PORT (embedded-server/defaults.ts): electronegativity accepts
    // shell.openExternal only with a literal argument.
    if (url === 'http://127.0.0.1:8001/' && labPort === 8001) {
      await shell.openExternal('http://127.0.0.1:8001/');
      return;
    }
    log(
      `the lab runs on port ${labPort}, and only the default lab address http://127.0.0.1:8001/ is handed ` +
        `to the system browser: opening ${url} in WireLab's window instead`,
    );
  }
  const labSession = session.fromPartition(LAB_PAGE_PARTITION);
  // A fresh connection and no cache, so the capture sees the handshake and a full 200 response.
  await labSession.clearCache();
  await labSession.closeAllConnections();
  if (!labWindow || labWindow.isDestroyed()) {
    labWindow = createLabPageWindow({ icon: icon() });
    labWindow.setMenu(null);
    labWindow.on('closed', () => {
      labWindow = null;
    });
  }
  labWindow.show();
  await labWindow.loadURL(url);
}

// ---- desktop methods (dialogs, screenshots, shell) ------------------------------------------------

async function chooseSavePath(kind: SaveKind, defaultName?: string): Promise<string | null> {
  const options = saveDialogOptions(kind, app.getPath('documents'), defaultName);
  const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return null;
  return withExtension(result.filePath, kind);
}

async function setPreferences(change: Partial<DesktopPreferences>): Promise<DesktopPreferences> {
  const before = prefs;
  prefs = mergePreferences(prefs, change);
  if (prefs.theme !== before.theme) applyTheme(prefs.theme);
  rebuildMenu();
  await savePreferences(prefsFile, prefs).catch((error: unknown) =>
    log(`could not save preferences: ${String(error)}`),
  );
  return prefs;
}

const desktop: DesktopHandlers = {
  async chooseCaptureFile() {
    const options = openCaptureDialogOptions(app.getPath('documents'));
    const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
    const file = result.canceled ? undefined : result.filePaths[0];
    return file ? { path: file, name: path.basename(file) } : null;
  },
  chooseSavePath,
  async saveFile(kind, data, defaultName) {
    const file = await chooseSavePath(kind, defaultName);
    if (file === null) return null;
    await writeFile(file, data);
    return { path: file };
  },
  async captureScreenshot(rect, target = 'app') {
    const win = target === 'lab-page' ? labWindow : mainWindow;
    if (!win || win.isDestroyed()) {
      throw new Error(
        target === 'lab-page' ? 'The profile page window is not open: start the lab first.' : 'No window.',
      );
    }
    const image = await win.webContents.capturePage(rect ?? undefined);
    return new Uint8Array(image.toPNG());
  },
  async getPreferences() {
    return prefs;
  },
  setPreferences,
};

// ---- menu and theme -------------------------------------------------------------------------------

function applyTheme(theme: Theme): void {
  nativeTheme.themeSource = theme;
}

function rebuildMenu(): void {
  const template = buildMenuTemplate(
    {
      platform: process.platform,
      locale: menuLocale(app.getLocale()),
      labRunning,
      theme: prefs.theme,
      openPageIn: prefs.openPageIn,
      devTools,
    },
    {
      send: sendMenu,
      setTheme: (theme) => {
        void setPreferences({ theme });
        sendMenu(`theme-${theme}`);
      },
      setOpenPageIn: (openPageIn) => void setPreferences({ openPageIn }),
      about: () => app.showAboutPanel(),
    },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function onStatus(status: LabStatus): void {
  labPort = status.server.state === 'running' ? status.server.port : null;
  const running =
    status.server.state === 'running' ||
    status.server.state === 'starting' ||
    status.capture.state === 'starting' ||
    status.capture.state === 'running';
  if (running !== labRunning) {
    labRunning = running;
    rebuildMenu();
  }
}

// ---- windows --------------------------------------------------------------------------------------

function openMainWindow(): void {
  const win = createMainWindow({
    icon: icon(),
    devTools,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#1e1e1e' : '#ffffff',
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    mainWindow = null;
    if (labWindow && !labWindow.isDestroyed()) labWindow.close();
  });
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    dialog.showErrorBox(APP_NAME, `The user interface was not built (${rendererDir} is missing). Run "npm run build".`);
  }
  void win.loadURL(APP_ENTRY_URL);
}

// ---- lifecycle ------------------------------------------------------------------------------------

async function start(): Promise<void> {
  prefs = await loadPreferences(prefsFile);
  applyTheme(prefs.theme);

  const workerPath = electronWorkerPath(appRoot, app.isPackaged);
  configureCaptureWorker({
    spawn: utilityProcessSpawner(utilityProcess),
    workerPath: existsSync(workerPath) ? workerPath : null,
  });

  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
  applySessionPolicy(session.defaultSession);
  applySessionPolicy(session.fromPartition(LAB_PAGE_PARTITION));
  // The bridge goes to the app's own session only (see registerAppPreload): the lab page's partition
  // never gets it.
  registerAppPreload(session.defaultSession, preloadPath);

  host = await LabHost.create({
    dataDir: userDataDir(APP_NAME, { override: app.getPath('userData') }),
    openPage: openLabPage,
    captureWorkerPath: existsSync(workerPath) ? workerPath : undefined,
  });
  host.on('status', onStatus);
  forwardLabEvents(host, send);
  registerIpcRouter({ ipcMain, host, desktop, onRefused: (reason) => log(`IPC refused: ${reason}`) });

  app.setAboutPanelOptions({
    applicationName: APP_NAME,
    applicationVersion: app.getVersion(),
    copyright: 'MIT License',
    website: 'https://github.com/wirelab/wirelab',
    iconPath: icon(),
  });
  rebuildMenu();
  openMainWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(
      contents as unknown as WebContentsLike,
      () => classify(contents),
      () => labPort,
      (url) => void openLabPage(url).catch((error: unknown) => log(`could not open ${url}: ${String(error)}`)),
    );
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (host && !mainWindow) openMainWindow();
  });
  app.on('before-quit', (event) => {
    if (disposed || !host) return;
    event.preventDefault();
    if (quitting) return;
    quitting = true;
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, QUIT_TIMEOUT_MS));
    void Promise.race([host.dispose(), timeout])
      .catch((error: unknown) => log(`stopping the lab failed: ${String(error)}`))
      .finally(() => {
        disposed = true;
        app.quit();
      });
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox(`${APP_NAME} could not start`, message);
      app.exit(1);
    });
}
