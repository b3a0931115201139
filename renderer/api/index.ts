/**
 * Where the UI gets its LabApi: the Electron preload's `window.wirelab`, or else the browser
 * shell's WebSocket bridge on the page's own origin (the token travels in the cookie).
 */
import type { LabClient } from './types';
import { connectWebSocket, type WsClientOptions } from './ws-client';

export type { LabClient } from './types';

export async function getLabClient(options: WsClientOptions = {}): Promise<LabClient> {
  if (typeof window !== 'undefined' && window.wirelab) return window.wirelab;
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  // The bridge sits next to the page (under the shell's path, where the token cookie is scoped).
  return connectWebSocket(`${protocol}//${location.host}${new URL('ws', location.href).pathname}`, {
    uploadUrl: new URL('upload', location.href).href,
    ...options,
  });
}
