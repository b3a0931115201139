/**
 * The browser shell's LabApi client: every method becomes a call over one WebSocket, events
 * arrive as pushes. Built from `labMethods`, so it cannot drift from the contract.
 */
import {
  labMethods,
  labEvents,
  type CaptureUploadResult,
  type LabApi,
  type LabEvents,
  type UploadBody,
} from '../../bridge/lab-api';
import { decodeMessage, encodeMessage, type ServerMessage } from '../../bridge/codec';
import type { LabClient } from './types';

/** The minimal WebSocket surface we use (the DOM's WebSocket fits; tests pass a fake). */
export interface SocketLike {
  binaryType: string;
  readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

export class BridgeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

type Listener = (payload: never) => void;

export interface WsClientOptions {
  /** Called when the connection drops (the UI shows it). */
  onDisconnect?: () => void;
  /** Where uploadCaptureBody posts (the shell's `upload` address); without it, no uploadCaptureBody. */
  uploadUrl?: string;
}

/** POSTs the rest of an upload as the request body (the browser streams it from the file). */
async function postUploadBody(
  uploadUrl: string,
  part: { upload: number; offset: number },
  body: UploadBody,
): Promise<CaptureUploadResult> {
  const url = new URL(uploadUrl);
  url.searchParams.set('upload', String(part.upload));
  url.searchParams.set('offset', String(part.offset));
  const response = await fetch(url, {
    method: 'POST',
    body: body as Blob,
    headers: { 'Content-Type': 'application/octet-stream' },
    credentials: 'same-origin',
  });
  const answer = (await response.json().catch(() => null)) as {
    result?: CaptureUploadResult;
    error?: { name: string; message: string };
  } | null;
  if (response.ok && answer?.result) return answer.result;
  throw new BridgeError(
    answer?.error?.name ?? 'Error',
    answer?.error?.message ?? `Upload failed (HTTP ${response.status}).`,
  );
}

/** Opens the socket and resolves once it is connected. */
export function connectWebSocket(url: string, options: WsClientOptions = {}): Promise<LabClient> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url) as unknown as SocketLike;
    let opened = false;
    const client = createSocketClient(socket, options);
    socket.onopen = () => {
      opened = true;
      resolve(client);
    };
    const previousClose = socket.onclose;
    socket.onclose = (ev) => {
      previousClose?.(ev);
      if (!opened) reject(new Error(`Could not connect to ${url}`));
    };
  });
}

/** Wraps an (opening or open) socket as a LabClient. */
export function createSocketClient(socket: SocketLike, options: WsClientOptions = {}): LabClient {
  socket.binaryType = 'arraybuffer';
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const listeners = new Map<string, Set<Listener>>();

  socket.onmessage = (ev) => {
    let message: ServerMessage;
    try {
      message = decodeMessage(ev.data as ArrayBuffer) as ServerMessage;
    } catch (error) {
      console.error('wirelab: bad frame from the host', error);
      return;
    }
    if (message.t === 'result') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.ok) call.resolve(message.value);
      else call.reject(new BridgeError(message.error.name, message.error.message));
    } else if (message.t === 'event') {
      for (const listener of listeners.get(message.event) ?? []) (listener as (p: unknown) => void)(message.payload);
    }
  };
  socket.onclose = () => {
    for (const call of pending.values()) call.reject(new Error('The connection to WireLab was lost.'));
    pending.clear();
    options.onDisconnect?.();
  };

  const call = (method: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (socket.readyState !== 1) {
        reject(new Error('The connection to WireLab was lost.'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      socket.send(encodeMessage({ t: 'call', id, method, args }));
    });

  const api: Partial<Record<keyof LabApi, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const method of labMethods) api[method] = (...args: unknown[]) => call(method, args);

  const on = <E extends keyof LabEvents>(event: E, listener: (payload: LabEvents[E]) => void) => {
    if (!(labEvents as readonly string[]).includes(event)) throw new Error(`unknown event ${event}`);
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
    };
  };

  const uploadUrl = options.uploadUrl;
  return {
    ...(api as unknown as LabApi),
    on,
    shell: 'web',
    ...(uploadUrl
      ? {
          uploadCaptureBody: (part: { upload: number; offset: number }, body: UploadBody) =>
            postUploadBody(uploadUrl, part, body),
        }
      : {}),
  };
}
