/**
 * What the Electron preload exposes as `window.wirelab`, besides the LabApi itself, and the IPC
 * channel names both sides use. Pure types and constants: imported by the preload (bundled, sandboxed),
 * by the main process and by tests, and the renderer may import the types.
 *
 *   window.wirelab                    LabClient: every LabApi method + on(event) + shell: 'electron'
 *   window.wirelab.desktop            DesktopApi: what only Electron can do (dialogs, screenshots, menu)
 *   window.wirelab.desktop.onMenu(l)  the application menu's actions, see MenuAction
 */
import type { LabClient } from './lab-api';

/** IPC channels. One invoke channel for the LabApi, one per event, one per desktop method. */
export const IPC = {
  /** invoke(method, ...args) → IpcResult */
  call: 'wirelab:call',
  /** main → renderer: `${eventPrefix}${event}` with the event's payload */
  eventPrefix: 'wirelab:event:',
  /** invoke(method, ...args) → IpcResult, for DesktopApi methods */
  desktop: 'wirelab:desktop',
  /** main → renderer: a MenuAction */
  menu: 'wirelab:menu',
} as const;

/** Every IPC answer: exceptions do not cross ipcMain.handle intact, so they travel as data. */
export type IpcResult = { ok: true; value: unknown } | { ok: false; error: { name: string; message: string } };

/**
 * Menu actions sent to the renderer (window.wirelab.desktop.onMenu). The renderer decides what each
 * one does; the main process only handles Quit, zoom, theme, the lab-page setting and About itself
 * (and still reports theme changes).
 */
export const menuActions = [
  /** File → Open… (Ctrl+O): ask desktop.chooseCaptureFile(), then openCapture({ path }). */
  'open',
  /** File → Save (Ctrl+S): save the capture (a live capture has no file yet, so: like Save As). */
  'save',
  /** File → Save As… (Ctrl+Shift+S): desktop.chooseSavePath('capture'), then saveCapture({ path }). */
  'save-as',
  /** File → Export Packet Dissections → As Plain Text…: the renderer formats, desktop.saveFile('dissection', text). */
  'export-dissections',
  /** File → Export Screenshot…: desktop.captureScreenshot(), then desktop.saveFile('png', bytes). */
  'export-screenshot',
  /** Capture → Start Lab (Ctrl+E while the lab is stopped). */
  'start-lab',
  /** Capture → Stop (Ctrl+E while the lab runs). */
  'stop-lab',
  /** View → Display Filter (Ctrl+/): focus the "Display filter" input. */
  'focus-filter',
  /** View → Theme → …: the main process already set nativeTheme.themeSource (prefers-color-scheme follows). */
  'theme-system',
  'theme-light',
  'theme-dark',
  /** View → Language → …: switch the UI language. */
  'language-en',
  'language-zh-CN',
  /** Edit → Find Packet… (Ctrl+F): open the find bar. */
  'find-packet',
  /** Edit → Mark/Unmark Packet (Ctrl+M), Unmark All. */
  'toggle-mark',
  'unmark-all',
  /** Edit → Set/Unset Time Reference (Ctrl+T). */
  'toggle-time-reference',
  /** Go → Back (Alt+Left) / Forward (Alt+Right) through the selection history. */
  'go-back',
  'go-forward',
  /** View → Packet Diagram: show or hide the pane. */
  'toggle-diagram',
  /** View → Time Display Format → …. */
  'time-format-relative',
  'time-format-delta',
  'time-format-delta_displayed',
  'time-format-time_of_day',
  'time-format-date_time',
  'time-format-utc_time_of_day',
  'time-format-utc_date_time',
  'time-format-epoch',
  /** Capture → Options… (Ctrl+K): the Capture Options dialog (interface, capture filter, snap length, file). */
  'capture-options',
  /** Statistics → …: open that statistics dialog (the renderer computes it in its worker). */
  'stats-properties',
  'stats-hierarchy',
  'stats-conversations',
  'stats-endpoints',
  'stats-expert',
  'stats-io',
  /** File → Export Objects → HTTP…: the HTTP objects dialog. */
  'export-objects-http',
] as const;
export type MenuAction = (typeof menuActions)[number];

export type Theme = 'system' | 'light' | 'dark';
/** Where Start Lab opens the profile page: a sandboxed WireLab window or the system browser. */
export type OpenPageIn = 'window' | 'browser';

export interface DesktopPreferences {
  openPageIn: OpenPageIn;
  theme: Theme;
}

/** Kinds of file the save dialog knows (filters and default extension). */
/** 'object': a file from File › Export Objects (any type; its name is kept as it is). */
export type SaveKind = 'capture' | 'dissection' | 'png' | 'report' | 'object';

export interface ScreenshotRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A File from a drop event. The DOM's File fits; declared by shape because bridge/ uses no DOM types
 * (the preload hands the real File to Electron's webUtils).
 */
export interface DroppedFile {
  readonly name: string;
  readonly size: number;
}

export interface DesktopApi {
  /** Open dialog for a capture file; null when cancelled. Then call openCapture({ path }). */
  chooseCaptureFile(): Promise<{ path: string; name: string } | null>;
  /** Save dialog; null when cancelled. For saveCapture({ path }). */
  chooseSavePath(kind: SaveKind, defaultName?: string): Promise<string | null>;
  /** Save dialog, then writes the data (text as UTF-8); null when cancelled. */
  saveFile(kind: SaveKind, data: Uint8Array | string, defaultName?: string): Promise<{ path: string } | null>;
  /** PNG bytes of the WireLab window (or the in-app lab page window), optionally a rectangle in CSS pixels. */
  captureScreenshot(rect?: ScreenshotRect, target?: 'app' | 'lab-page'): Promise<Uint8Array>;
  getPreferences(): Promise<DesktopPreferences>;
  setPreferences(change: Partial<DesktopPreferences>): Promise<DesktopPreferences>;
  /** The path of a dropped File (drag & drop a capture onto the window), or '' when it has none. */
  pathForFile(file: DroppedFile): string;
  /** Application menu actions; returns the unsubscribe function. */
  onMenu(listener: (action: MenuAction) => void): () => void;
}

/** The invoke-able desktop methods (pathForFile and onMenu run in the preload). */
export const desktopMethods = [
  'chooseCaptureFile',
  'chooseSavePath',
  'saveFile',
  'captureScreenshot',
  'getPreferences',
  'setPreferences',
] as const satisfies readonly (keyof DesktopApi)[];
export type DesktopMethod = (typeof desktopMethods)[number];

/** window.wirelab in Electron: the UI's LabClient, served by the preload, plus `desktop`. */
export interface WireLabPreloadApi extends LabClient {
  readonly shell: 'electron';
  readonly desktop: DesktopApi;
}
