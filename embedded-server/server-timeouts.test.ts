// Timing behaviour: slow clients are cut off, idle keep-alive connections are closed by the
// server (its FIN comes first, as in the seed capture). These tests run concurrently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfileServer, type RejectedEvent } from './server';
import { ProfileStore } from './store';
import { connect, get, parseResponse, removeDir, tempDir } from './test-helpers';

let dir: string;
let store: ProfileStore;

beforeAll(async () => {
  dir = tempDir();
  store = await ProfileStore.open(dir);
  await store.update({ major: '计算机科学与技术', studentId: '2011188', name: '邵琦' });
});

afterAll(() => removeDir(dir));

describe.concurrent('ProfileServer timeouts', () => {
  it('closes an idle keep-alive connection from the server side after about 5 s (default settings)', async () => {
    const server = new ProfileServer({ store, port: 0 });
    const { port } = await server.start();
    try {
      const socket = await connect(port, true);
      socket.on('error', () => undefined);
      let buf = Buffer.alloc(0);
      let answeredAt = 0;
      const answered = new Promise<void>((resolve) =>
        socket.on('data', (c) => {
          buf = Buffer.concat([buf, c]);
          if (!answeredAt && parseResponse(buf)) {
            answeredAt = Date.now();
            resolve();
          }
        }),
      );
      // 'end' = the server's FIN arrived while our side was still open (half-close).
      const serverFin = new Promise<number>((resolve) => socket.on('end', () => resolve(Date.now())));
      socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
      await answered;
      expect(parseResponse(buf)?.response.headers.get('keep-alive')).toBe('timeout=5');
      const finAt = await serverFin;
      expect(socket.writableEnded).toBe(false); // the server closed first; our side is still open (half-close)
      const idle = finAt - answeredAt;
      expect(idle).toBeGreaterThanOrEqual(4000);
      expect(idle).toBeLessThanOrEqual(7000);
      socket.destroy();
    } finally {
      await server.stop();
    }
  });

  it('cuts off a slowloris client with 408 while serving a normal client meanwhile', async () => {
    const server = new ProfileServer({
      store,
      port: 0,
      headersTimeout: 1000,
      requestTimeout: 2000,
      connectionsCheckingInterval: 100,
    });
    const rejected: RejectedEvent[] = [];
    server.on('rejected', (e) => rejected.push(e));
    const { port } = await server.start();
    try {
      const slow = await connect(port);
      slow.on('error', () => undefined);
      const received: Buffer[] = [];
      slow.on('data', (c) => received.push(c));
      const startedAt = Date.now();
      const closed = new Promise<number>((resolve) => slow.on('close', () => resolve(Date.now())));
      // Send the request head one byte every 150 ms: it would take ~10 s to finish.
      const head = `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slowloris-test-client\r\nX-Padding: aaaaaaaaaa\r\n\r\n`;
      let i = 0;
      const drip = setInterval(() => {
        if (slow.destroyed || i >= head.length) return clearInterval(drip);
        slow.write(head[i++]);
      }, 150);

      // Meanwhile a normal client is served, repeatedly.
      const statuses: number[] = [];
      while (Date.now() - startedAt < 1500) {
        statuses.push((await get(port, '/')).status);
        await new Promise((r) => setTimeout(r, 100));
      }
      const closedAt = await closed;
      clearInterval(drip);

      expect(statuses.length).toBeGreaterThan(5);
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect(i).toBeLessThan(head.length); // it was cut off before finishing its headers
      expect(closedAt - startedAt).toBeGreaterThanOrEqual(900);
      expect(closedAt - startedAt).toBeLessThan(3000);
      expect(Buffer.concat(received).toString('latin1')).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(rejected.map((e) => [e.status, e.reason])).toEqual([[408, 'ERR_HTTP_REQUEST_TIMEOUT']]);
      expect((await get(port, '/')).status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
