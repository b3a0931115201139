import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { WebSocket } from 'ws';
import type { LabEvents, LabStatus, PacketsEvent, LabApiWithEvents } from '../../bridge/lab-api';
import { startWebServer, type WebServer } from './server';
import { decodeMessage, encodeMessage, type ServerMessage } from '../../bridge/codec';
import { packRecords, unpackRecords } from '../../bridge/record-batch';

const status: LabStatus = {
  server: { state: 'stopped', host: '127.0.0.1', port: 8001 },
  capture: { state: 'idle', received: 0, dropped: 0 },
  source: { kind: 'none', packets: 0, generation: 0 },
};

/** A host that records calls and lets the test emit events. */
function fakeHost() {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const calls: { method: string; args: unknown[] }[] = [];
  const record =
    (method: string, value: unknown) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      return value;
    };
  const host = {
    getStatus: record('getStatus', status),
    getProfile: record('getProfile', {
      major: 'CS',
      studentId: '1',
      name: 'A',
      logo: { mimeType: 'image/png', size: 3 },
    }),
    updateProfile: record('updateProfile', {}),
    setLogo: async (bytes: Uint8Array) => {
      calls.push({ method: 'setLogo', args: [bytes] });
      return { major: '', studentId: '', name: '', logo: { mimeType: 'image/png', size: bytes.length } };
    },
    getLogo: record('getLogo', { mimeType: 'image/png', bytes: new Uint8Array([137, 80, 78]) }),
    startLab: record('startLab', status),
    stopLab: record('stopLab', status),
    getPackets: record('getPackets', { generation: 0, firstIndex: 0, batch: packRecords([]) }),
    openCapture: record('openCapture', { name: 'x', packets: 0 }),
    uploadCapture: record('uploadCapture', { name: 'x', packets: 0, upload: 1 }),
    saveCapture: record('saveCapture', { packets: 0, bytes: new Uint8Array(0) }),
    listInterfaces: record('listInterfaces', []),
    getStatistics: record('getStatistics', { packets: 0, bytes: 0, received: 0, dropped: 0 }),
    startCapture: record('startCapture', status),
    checkCaptureFilter: record('checkCaptureFilter', { filter: '', device: 'lo', valid: true }),
    on<E extends keyof LabEvents>(event: E, listener: (payload: LabEvents[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    emit(event: string, payload: unknown) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
  return { host: host as LabApiWithEvents & { emit(event: string, payload: unknown): void }, calls };
}

const TOKEN = 'a'.repeat(64);
let dir: string;
let server: WebServer;
let fake: ReturnType<typeof fakeHost>;

function request(
  pathAndQuery: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: pathAndQuery, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function upgrade(headers: Record<string, string>, query = ''): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/wirelab/ws${query}`, { headers });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

function call(ws: WebSocket, id: number, method: string, args: unknown[]): Promise<ServerMessage> {
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
  dir = mkdtempSync(path.join(tmpdir(), 'wirelab-web-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>WireLab</title>');
  fake = fakeHost();
  server = await startWebServer({ host: fake.host, rendererDir: dir, token: TOKEN });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser shell server', () => {
  it('listens on 127.0.0.1 with a random free port and prints a token URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/wirelab\/$/);
    expect(server.loginUrl).toBe(`${server.url}?token=${TOKEN}`);
  });

  it('answers 401 without the token, and with a wrong one', async () => {
    expect((await request('/wirelab/')).status).toBe(401);
    expect((await request('/wirelab/index.html?token=nope')).status).toBe(401);
    expect((await request('/wirelab/', { Cookie: 'wirelab_token=nope' })).status).toBe(401);
  });

  it('sets an HttpOnly SameSite=Strict cookie from the URL token and strips it from the address', async () => {
    const res = await request(`/wirelab/?lang=en&token=${TOKEN}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/wirelab/?lang=en');
    const cookie = String(res.headers['set-cookie']);
    // Scoped to the shell's path: the profile page on another port of 127.0.0.1 (served at /)
    // must never receive it, or the token would end up in the student's capture.
    expect(cookie).toContain('Path=/wirelab/');
    expect(cookie).toContain(`wirelab_token=${TOKEN}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });

  it('sends addresses outside the shell path to it, keeping the query', async () => {
    const res = await request(`/?token=${TOKEN}`);
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`/wirelab/?token=${TOKEN}`);
  });

  it('serves the renderer (200) with the cookie', async () => {
    const res = await request('/wirelab/', { Cookie: `wirelab_token=${TOKEN}` });
    expect(res.status).toBe(200);
    expect(res.body).toContain('WireLab');
    expect(res.headers['x-frame-options']).toBe('DENY');
    const traversal = await request('/wirelab/%2e%2e/%2e%2e/etc/passwd', { Cookie: `wirelab_token=${TOKEN}` });
    expect(traversal.status).not.toBe(200);
    expect(traversal.body).not.toContain('root:');
  });

  it('refuses a foreign Host header (DNS rebinding) with 403', async () => {
    expect((await request('/wirelab/', { Cookie: `wirelab_token=${TOKEN}`, Host: 'evil.example:80' })).status).toBe(
      403,
    );
  });

  it('WebSocket: 401 without token, 403 from another origin, 101 from its own', async () => {
    const origin = `http://127.0.0.1:${server.port}`;
    expect((await upgrade({ Origin: origin })).status).toBe(401);
    expect((await upgrade({ Origin: 'http://evil.example', Cookie: `wirelab_token=${TOKEN}` })).status).toBe(403);
    expect((await upgrade({ Cookie: `wirelab_token=${TOKEN}` })).status).toBe(403);
    const ok = await upgrade({ Origin: origin, Cookie: `wirelab_token=${TOKEN}` });
    expect(ok.status).toBe(101);
    ok.ws?.close();
  });

  it('bridges calls (bytes both ways), validates arguments, and pushes events', async () => {
    const { ws } = await upgrade({ Origin: `http://localhost:${server.port}`, Cookie: `wirelab_token=${TOKEN}` });
    if (!ws) throw new Error('no socket');
    const logo = await call(ws, 1, 'getLogo', []);
    expect(logo).toMatchObject({ ok: true });
    expect(Array.from((logo as { value: { bytes: Uint8Array } }).value.bytes)).toEqual([137, 80, 78]);

    const set = await call(ws, 2, 'setLogo', [new Uint8Array([1, 2, 3, 4])]);
    expect(set).toMatchObject({ ok: true, value: { logo: { size: 4 } } });
    expect(fake.calls.at(-1)?.args[0]).toBeInstanceOf(Uint8Array);

    const bad = await call(ws, 3, 'getPackets', [0, 10_000_000]);
    expect(bad).toMatchObject({ ok: false, error: { name: 'LabApiArgumentError' } });
    const unknown = await call(ws, 4, 'deleteEverything', []);
    expect(unknown).toMatchObject({ ok: false, error: { message: expect.stringContaining('unknown method') } });

    const event = new Promise<ServerMessage>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(decodeMessage(new Uint8Array(data)) as ServerMessage)),
    );
    const batch: PacketsEvent = {
      generation: 1,
      firstIndex: 0,
      batch: packRecords([
        { data: new Uint8Array([0xde, 0xad]), originalLength: 2, tsSec: 1, tsNsec: 2, interfaceId: 0, linkType: 1 },
      ]),
    };
    fake.host.emit('packets', batch);
    const pushed = (await event) as { t: 'event'; event: string; payload: PacketsEvent };
    expect(pushed.event).toBe('packets');
    expect(Array.from(unpackRecords(pushed.payload.batch)[0].data)).toEqual([0xde, 0xad]);
    ws.close();
  });
});
