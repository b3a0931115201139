/**
 * IPC ↔ LabHost. Every call is checked twice before it reaches the host: the sender must be the top
 * frame of the app's own renderer (isTrustedSender), and the arguments must pass the contract's
 * validateLabCall. Answers travel as IpcResult data so error names survive the bridge. Takes
 * ipcMain-like objects so tests can drive it without Electron.
 */
import { labEvents, validateLabCall, LabApiArgumentError, type LabApiWithEvents } from '../../bridge/lab-api';
import {
  IPC,
  desktopMethods,
  type DesktopApi,
  type DesktopMethod,
  type IpcResult,
  type SaveKind,
  type ScreenshotRect,
} from '../../bridge/desktop-api';
import { isTrustedSender, type SenderFrameLike } from './security';

export interface IpcEventLike {
  senderFrame?: SenderFrameLike | null;
}

/** The part of Electron's ipcMain the router uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

/** The desktop methods, implemented by electron-main.ts with dialogs, capturePage and the preferences file. */
export type DesktopHandlers = Pick<DesktopApi, DesktopMethod>;

export class UntrustedSenderError extends Error {
  constructor(url: string) {
    super(`IPC from ${url || 'an unknown frame'} was refused: only WireLab's own window may call the host.`);
    this.name = 'UntrustedSenderError';
  }
}

function toResult(error: unknown): IpcResult {
  if (error instanceof Error) return { ok: false, error: { name: error.name, message: error.message } };
  return { ok: false, error: { name: 'Error', message: String(error) } };
}

const saveKinds: readonly SaveKind[] = ['capture', 'dissection', 'png', 'report', 'object'];
const MAX_SAVE_BYTES = 1 << 30;

function isFileName(v: unknown): boolean {
  return v === undefined || (typeof v === 'string' && v.length > 0 && v.length <= 255 && !/[\\/\0]/.test(v));
}

function isRect(v: unknown): v is ScreenshotRect {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  const int = (n: unknown, min: number): boolean =>
    typeof n === 'number' && Number.isInteger(n) && n >= min && n <= 32_768;
  return int(r.x, 0) && int(r.y, 0) && int(r.width, 1) && int(r.height, 1) && Object.keys(r).length === 4;
}

/** Checks a desktop call's arguments like validateLabCall does for the LabApi. */
export function validateDesktopCall(method: string, args: unknown[]): { method: DesktopMethod; args: unknown[] } {
  if (!(desktopMethods as readonly string[]).includes(method)) throw new LabApiArgumentError(method, 'unknown method');
  const m = method as DesktopMethod;
  const fail = (problem: string): never => {
    throw new LabApiArgumentError(m, problem);
  };
  const [a, b, c] = args;
  switch (m) {
    case 'chooseCaptureFile':
    case 'getPreferences':
      if (args.length > 0) fail('takes no arguments');
      break;
    case 'chooseSavePath':
      if (args.length > 2 || !saveKinds.includes(a as SaveKind)) fail('expects (kind, defaultName?)');
      if (!isFileName(b)) fail('defaultName must be a file name');
      break;
    case 'saveFile':
      if (args.length > 3 || !saveKinds.includes(a as SaveKind)) fail('expects (kind, data, defaultName?)');
      if (!(b instanceof Uint8Array || typeof b === 'string')) fail('data must be bytes or text');
      if ((b as Uint8Array | string).length > MAX_SAVE_BYTES) fail('data is too large');
      if (!isFileName(c)) fail('defaultName must be a file name');
      break;
    case 'captureScreenshot':
      if (args.length > 2) fail('expects (rect?, target?)');
      if (a !== undefined && a !== null && !isRect(a)) fail('rect must be { x, y, width, height } in whole pixels');
      if (b !== undefined && b !== 'app' && b !== 'lab-page') fail("target must be 'app' or 'lab-page'");
      break;
    case 'setPreferences': {
      if (args.length !== 1 || typeof a !== 'object' || a === null || Array.isArray(a))
        fail('expects a preferences object');
      const change = a as Record<string, unknown>;
      for (const [key, value] of Object.entries(change)) {
        if (key === 'openPageIn') {
          if (value !== 'window' && value !== 'browser') fail("openPageIn must be 'window' or 'browser'");
        } else if (key === 'theme') {
          if (value !== 'system' && value !== 'light' && value !== 'dark')
            fail("theme must be 'system', 'light' or 'dark'");
        } else fail(`unknown preference "${key}"`);
      }
      break;
    }
  }
  return { method: m, args };
}

export interface IpcRouterOptions {
  ipcMain: IpcMainLike;
  host: LabApiWithEvents;
  desktop: DesktopHandlers;
  /** Default: isTrustedSender (top frame of wirelab://app/). */
  isTrusted?: (event: IpcEventLike) => boolean;
  /** Refused calls are reported here (electron-main.ts logs them). */
  onRefused?: (reason: string) => void;
}

/** Registers the LabApi and desktop channels. Returns a function that removes them. */
export function registerIpcRouter(options: IpcRouterOptions): () => void {
  const { ipcMain, host, desktop } = options;
  const trusted = options.isTrusted ?? isTrustedSender;

  const guard = async (event: IpcEventLike, run: () => Promise<unknown>): Promise<IpcResult> => {
    if (!trusted(event)) {
      const error = new UntrustedSenderError(event.senderFrame?.url ?? '');
      options.onRefused?.(error.message);
      return toResult(error);
    }
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      if (error instanceof LabApiArgumentError) options.onRefused?.(error.message);
      return toResult(error);
    }
  };

  ipcMain.handle(IPC.call, (event, method, ...args) =>
    guard(event, async () => {
      const call = validateLabCall(String(method), args);
      const fn = host[call.method] as (...a: unknown[]) => Promise<unknown>;
      return fn.apply(host, call.args);
    }),
  );
  ipcMain.handle(IPC.desktop, (event, method, ...args) =>
    guard(event, async () => {
      const call = validateDesktopCall(String(method), args);
      const fn = desktop[call.method] as (...a: unknown[]) => Promise<unknown>;
      return fn.apply(desktop, call.args);
    }),
  );
  return () => {
    ipcMain.removeHandler(IPC.call);
    ipcMain.removeHandler(IPC.desktop);
  };
}

/** Forwards every LabEvents event to the renderer (`send` is the main window's webContents.send). */
export function forwardLabEvents(
  host: LabApiWithEvents,
  send: (channel: string, payload: unknown) => void,
): () => void {
  const unsubscribers = labEvents.map((event) => host.on(event, (payload) => send(IPC.eventPrefix + event, payload)));
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
