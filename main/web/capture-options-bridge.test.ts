/** The browser shell's WebSocket bridge validates Capture → Options' calls like the IPC router. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { labMethods, type LabApi, type LabEvents, type LabApiWithEvents } from '../../bridge/lab-api';
import { startWebServer, type WebServer } from './server';
import { decodeMessage, encodeMessage, type ServerMessage } from '../../bridge/codec';
import { invalidCaptureCalls, validCaptureCalls } from '../host/capture-options-cases';

const TOKEN = 'c'.repeat(64);
const calls: Array<{ method: string; args: unknown[] }> = [];
let dir: string;
let server: WebServer;
let ws: WebSocket;
let nextId = 1;

function call(method: string, args: unknown[]): Promise<ServerMessage> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = decodeMessage(new Uint8Array(data)) as ServerMessage;
      if (message.t === 'result' && message.id === id) {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
    ws.send(encodeMessage({ t: 'call', id, method, args }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wirelab-capopts-web-'));
  const api: Record<string, unknown> = {};
  for (const m of labMethods) {
    api[m] = async (...args: unknown[]) => {
      calls.push({ method: m, args });
      return { method: m };
    };
  }
  const host: LabApiWithEvents = {
    ...(api as unknown as LabApi),
    on:
      <E extends keyof LabEvents>(_event: E, _listener: (payload: LabEvents[E]) => void) =>
      () =>
        undefined,
  };
  server = await startWebServer({ host, rendererDir: dir, token: TOKEN });
  ws = new WebSocket(`ws://127.0.0.1:${server.port}/wirelab/ws`, {
    headers: { Origin: `http://127.0.0.1:${server.port}`, Cookie: `wirelab_token=${TOKEN}` },
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
});

afterAll(async () => {
  ws?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser bridge: Capture → Options', () => {
  it.each(validCaptureCalls)('passes %s %j to the host', async (method, args) => {
    calls.length = 0;
    expect(await call(method, args)).toEqual({ t: 'result', id: expect.any(Number), ok: true, value: { method } });
    expect(calls).toEqual([{ method, args }]);
  });

  it.each(invalidCaptureCalls)('refuses %s', async (_what, method, args) => {
    calls.length = 0;
    expect(await call(method, args)).toMatchObject({ ok: false, error: { name: 'LabApiArgumentError' } });
    expect(calls).toEqual([]);
  });
});
