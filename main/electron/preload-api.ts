/**
 * Builds window.wirelab for the preload from `labMethods` and `labEvents` (the lists the browser
 * shell's WebSocket bridge also uses), so the two shells cannot drift. Takes the Electron objects as
 * parameters so tests can run it without Electron.
 */
import { labEvents, labMethods, type LabApi, type LabEvents } from '../../bridge/lab-api';
import {
  IPC,
  desktopMethods,
  menuActions,
  type DesktopApi,
  type IpcResult,
  type MenuAction,
  type WireLabPreloadApi,
} from '../../bridge/desktop-api';

/** The part of Electron's ipcRenderer the preload uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** Electron's webUtils (sandboxed preloads have it; File.path is gone). */
export interface WebUtilsLike {
  getPathForFile(file: File): string;
}

/** An error from the host, with its name kept (LabApiArgumentError, CaptureError, …). */
export class HostError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

function isIpcResult(value: unknown): value is IpcResult {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

async function invoke(ipc: IpcRendererLike, channel: string, method: string, args: unknown[]): Promise<unknown> {
  const result = await ipc.invoke(channel, method, ...args);
  if (!isIpcResult(result)) throw new HostError('BridgeError', `WireLab's main process sent no answer to ${method}.`);
  if (result.ok) return result.value;
  throw new HostError(result.error.name, result.error.message);
}

function subscribe(ipc: IpcRendererLike, channel: string, deliver: (payload: unknown) => void): () => void {
  // Only the payload reaches the page, never Electron's event object (it carries `sender`).
  const listener = (_event: unknown, payload: unknown): void => deliver(payload);
  ipc.on(channel, listener);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    ipc.removeListener(channel, listener);
  };
}

export function buildPreloadApi(ipc: IpcRendererLike, webUtils?: WebUtilsLike): WireLabPreloadApi {
  const api: Record<string, unknown> = {};
  for (const method of labMethods) {
    api[method] = (...args: unknown[]) => invoke(ipc, IPC.call, method, args);
  }

  const on = <E extends keyof LabEvents>(event: E, listener: (payload: LabEvents[E]) => void): (() => void) => {
    if (!(labEvents as readonly string[]).includes(event)) throw new Error(`wirelab: unknown event "${String(event)}"`);
    if (typeof listener !== 'function') throw new Error('wirelab: the listener must be a function');
    return subscribe(ipc, IPC.eventPrefix + event, (payload) => listener(payload as LabEvents[E]));
  };

  const desktop: Record<string, unknown> = {};
  for (const method of desktopMethods) {
    desktop[method] = (...args: unknown[]) => invoke(ipc, IPC.desktop, method, args);
  }
  desktop.pathForFile = (file: File): string => {
    try {
      return webUtils?.getPathForFile(file) ?? '';
    } catch {
      return '';
    }
  };
  desktop.onMenu = (listener: (action: MenuAction) => void): (() => void) => {
    if (typeof listener !== 'function') throw new Error('wirelab: the listener must be a function');
    return subscribe(ipc, IPC.menu, (payload) => {
      if ((menuActions as readonly unknown[]).includes(payload)) listener(payload as MenuAction);
    });
  };

  return {
    ...(api as unknown as LabApi),
    on,
    shell: 'electron',
    desktop: desktop as unknown as DesktopApi,
  };
}
