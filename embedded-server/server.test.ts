import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { ServerError } from './errors';
import { isLoopbackHost, ProfileServer, type RejectedEvent, type RequestEvent } from './server';
import { ProfileStore } from './store';
import {
  collectUntilClose,
  connect,
  get,
  parseResponse,
  rawRequest,
  removeDir,
  SAMPLE_IMAGES,
  tempDir,
} from './test-helpers';

const STUDENT = { major: '计算机科学与技术', studentId: '2011188', name: '邵琦' };
const CANARY = 'CANARY-7f3a9c-secret-contents';
const defaultLogo = fs.readFileSync(path.join(__dirname, '..', 'assets', 'default-logo.png'));

let dir: string;
let store: ProfileStore;
let server: ProfileServer;
let port: number;
const requests: RequestEvent[] = [];
const rejected: RejectedEvent[] = [];

beforeAll(async () => {
  dir = tempDir();
  store = await ProfileStore.open(dir);
  await store.update(STUDENT);
  // Files next to the profile that must never be reachable over HTTP.
  fs.writeFileSync(path.join(dir, 'secret.txt'), CANARY);
  try {
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'link.png'));
  } catch {
    // Windows without symlink rights: the other hostile paths still apply.
  }
  server = new ProfileServer({ store, port: 0 });
  server.on('request', (e) => requests.push(e));
  server.on('rejected', (e) => rejected.push(e));
  port = (await server.start()).port;
});

afterAll(async () => {
  await server.stop();
  removeDir(dir);
});

describe('ProfileServer: the page and the logo', () => {
  it('serves the page in UTF-8 with Content-Length (not chunked) and the three fields', async () => {
    const r = await get(port, '/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headerOrder[0]).toBe('Content-Type');
    expect(r.headers.has('transfer-encoding')).toBe(false);
    expect(Number(r.headers.get('content-length'))).toBe(r.body.length);
    const html = r.body.toString('utf8');
    expect(html).toContain('<meta charset="UTF-8" />');
    expect(html).toContain('专业 Major</dt>\n        <dd>计算机科学与技术</dd>');
    expect(html).toContain('学号 Student ID</dt>\n        <dd>2011188</dd>');
    expect(html).toContain('姓名 Name</dt>\n        <dd>邵琦</dd>');
    expect(html).toContain('<img src="/logo.png"');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('sends security headers: nosniff and a CSP allowing only own images and its own inline style', async () => {
    const r = await get(port, '/');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("img-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const style = /<style>([\s\S]*?)<\/style>/.exec(r.body.toString('utf8'))?.[1] ?? '';
    expect(style.length).toBeGreaterThan(0);
    expect(csp).toContain(`'sha256-${createHash('sha256').update(style).digest('base64')}'`);
  });

  it('uses keep-alive with Node’s 5 s timeout, announced in the headers', async () => {
    const r = await rawRequest(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n\r\n`);
    expect(r.headers.get('connection')).toBe('keep-alive');
    expect(r.headers.get('keep-alive')).toBe('timeout=5');
  });

  it('serves the logo at /logo.png with its bytes and type', async () => {
    const r = await get(port, '/logo.png');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('image/png');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.body.equals(defaultLogo)).toBe(true);
  });

  it('serves page then logo on one connection, reporting each request with the client port', async () => {
    const socket = await connect(port);
    const localPort = socket.localPort;
    const before = requests.length;
    let buf = Buffer.alloc(0);
    const responses: ReturnType<typeof parseResponse>[] = [];
    const done = new Promise<void>((resolve) => {
      socket.on('data', (c) => {
        buf = Buffer.concat([buf, c]);
        let parsed = parseResponse(buf);
        while (parsed) {
          responses.push(parsed);
          buf = buf.subarray(parsed.used);
          parsed = parseResponse(buf);
        }
        if (responses.length === 2) resolve();
      });
    });
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /logo.png HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await done;
    socket.destroy();
    expect(responses.map((r) => r?.response.status)).toEqual([200, 200]);
    await new Promise((r) => setTimeout(r, 20));
    const mine = requests.slice(before).filter((e) => e.remotePort === localPort);
    expect(mine.map((e) => [e.method, e.path, e.status, e.contentType])).toEqual([
      ['GET', '/', 200, 'text/html; charset=utf-8'],
      ['GET', '/logo.png', 200, 'image/png'],
    ]);
    expect(mine[0].bytes).toBe(responses[0]?.response.body.length);
    expect(mine[1].bytes).toBe(defaultLogo.length);
    expect(mine[0].remoteAddress).toBe('127.0.0.1');
  });

  it('shows profile and logo changes on the next request, without a restart', async () => {
    await store.update({ name: '张三' });
    await store.setLogo(SAMPLE_IMAGES.jpeg);
    try {
      const page = (await get(port, '/')).body.toString('utf8');
      expect(page).toContain('<dd>张三</dd>');
      expect(page).toContain('<img src="/logo.jpg"');
      const logo = await get(port, '/logo.jpg');
      expect(logo.headers.get('content-type')).toBe('image/jpeg');
      expect(logo.body.equals(SAMPLE_IMAGES.jpeg)).toBe(true);
      expect((await get(port, '/logo.png')).status).toBe(404);
    } finally {
      await store.update({ name: STUDENT.name });
      await store.resetLogo();
    }
    expect((await get(port, '/')).body.toString('utf8')).toContain('<dd>邵琦</dd>');
  });

  it('escapes every profile field (no HTML or script injection)', async () => {
    await store.update({
      name: '<script>alert("x")</script>',
      major: '"><img src=x onerror=alert(1)>',
      studentId: "{{name}}'&",
    });
    try {
      const html = (await get(port, '/')).body.toString('utf8');
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('<dd>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</dd>');
      expect(html).toContain('<title>&lt;script&gt;');
      expect(html).toContain('<dd>&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</dd>');
      expect(html).toContain('<dd>{{name}}&#39;&amp;</dd>');
    } finally {
      await store.update(STUDENT);
    }
  });
});

describe('ProfileServer: methods and paths', () => {
  it('answers HEAD with the GET headers and no body', async () => {
    const getResponse = await get(port, '/');
    const raw = await collectUntilClose(port, `HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    const end = raw.indexOf('\r\n\r\n');
    expect(raw.subarray(0, 15).toString()).toBe('HTTP/1.1 200 OK');
    expect(raw.length).toBe(end + 4); // nothing after the headers
    const head = parseResponse(raw, true)?.response;
    expect(head?.headers.get('content-length')).toBe(getResponse.headers.get('content-length'));
    expect(head?.headers.get('content-type')).toBe('text/html; charset=utf-8');
    await new Promise((r) => setTimeout(r, 20));
    expect(requests.find((e) => e.method === 'HEAD')?.bytes).toBe(0);
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s with 405 and Allow: GET, HEAD', async (method) => {
    const r = await rawRequest(
      port,
      `${method} / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`,
    );
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
    expect(r.body.toString()).toMatch(/GET and HEAD/);
  });

  it('answers unknown paths and /favicon.ico with 404', async () => {
    for (const target of ['/favicon.ico', '/nope', '/logo.gif', '/index.htm', '/link.png']) {
      const r = await get(port, target);
      expect(r.status, target).toBe(404);
      expect(r.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    }
  });

  const HOSTILE = [
    '/../../../../etc/passwd',
    '/..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/%2E%2E%2F%2E%2E%2Fsecret.txt',
    '/%252e%252e/%252e%252e/etc/passwd',
    '/..%252f..%252fsecret.txt',
    '/..\\..\\..\\windows\\win.ini',
    '/%5c..%5c..%5csecret.txt',
    '/..%5csecret.txt',
    '//etc/passwd',
    '/etc/passwd',
    '/secret.txt',
    '/profile.json',
    '/./profile.json',
    '/logo.png/../secret.txt',
    '/logo.png%00.html',
    '/secret.txt%00.png',
    '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
    '/....//....//etc/passwd',
    '/.%2e/.%2e/secret.txt',
    '/..;/secret.txt',
    '/C:/Windows/win.ini',
    '/file:///etc/passwd',
    'http://127.0.0.1/../../etc/passwd',
    '/link.png',
    '/../package.json',
    '/assets/default-logo.png',
    '/embedded-server/server.ts',
    `/${dir}/secret.txt`,
  ];

  it(`never serves files for ${HOSTILE.length} traversal attempts`, async () => {
    for (const target of HOSTILE) {
      const r = await get(port, target);
      expect([400, 404], target).toContain(r.status);
      const text = r.raw.toString('latin1');
      expect(text).not.toContain(CANARY);
      expect(text).not.toContain('root:');
      expect(text).not.toContain('"devDependencies"');
      expect(text).not.toContain('[fonts]');
      expect(r.body.length).toBeLessThan(200);
    }
    // Raw NUL and backslash bytes in the request line.
    for (const line of [
      'GET /..\\secret.txt HTTP/1.1',
      'GET /secret.txt\0 HTTP/1.1',
      'GET /\0../secret.txt HTTP/1.1',
    ]) {
      const raw = await collectUntilClose(port, `${line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(raw.toString('latin1')).toMatch(/^HTTP\/1\.1 (400|404) /);
      expect(raw.toString('latin1')).not.toContain(CANARY);
    }
    expect((await get(port, '/')).status).toBe(200);
  });

  it('property: random request targets only ever yield the page, the logo, 400 or 404', async () => {
    const page = (await get(port, '/')).body;
    const token = fc.oneof(
      fc.constantFrom('..', '.', '/', '//', '%2e', '%2E', '%2f', '%5c', '\\', '%00', '%252e', '%c0%ae', ';', '?'),
      fc.constantFrom('etc', 'passwd', 'secret.txt', 'profile.json', 'link.png', 'logo.png', 'index.html', '~'),
      fc.stringMatching(/^[!-~]{0,6}$/),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 7 }), async (parts) => {
        const target = `/${parts.join('')}`;
        const r = await get(port, target);
        expect(r.raw.toString('latin1')).not.toContain(CANARY);
        if (r.status === 200) {
          expect(r.body.equals(page) || r.body.equals(defaultLogo)).toBe(true);
        } else {
          expect([400, 404]).toContain(r.status);
        }
      }),
      { numRuns: 80 },
    );
  });
});

describe('ProfileServer: bad requests', () => {
  it('answers oversized headers with 431 and keeps serving', async () => {
    const before = rejected.length;
    const r = await rawRequest(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(r.status).toBe(431);
    expect(rejected.slice(before).map((e) => [e.status, e.reason])).toEqual([[431, 'HPE_HEADER_OVERFLOW']]);
    expect((await get(port, '/')).status).toBe(200);
  });

  it('answers malformed request lines with 400 and keeps serving', async () => {
    for (const bad of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/1.1 extra\r\n\r\n',
      'GET\r\n\r\n',
      'G\u00c9T / HTTP/1.1\r\n\r\n',
    ]) {
      const r = await rawRequest(port, Buffer.from(bad, 'latin1'));
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    // HTTP/1.1 without Host is also a bad request.
    expect((await rawRequest(port, 'GET / HTTP/1.1\r\n\r\n')).status).toBe(400);
    expect((await get(port, '/')).status).toBe(200);
  });
});

describe('ProfileServer: start and stop', () => {
  it('reports a port in use with a clear ServerError', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const busy = (blocker.address() as net.AddressInfo).port;
    try {
      const other = new ProfileServer({ store, port: busy });
      const err = await other.start().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ServerError);
      expect((err as ServerError).code).toBe('EADDRINUSE');
      expect((err as ServerError).message).toBe(
        `Port ${busy} is already in use by another program. Close it or choose another port in Settings.`,
      );
      expect((err as ServerError).messageZh).toContain(String(busy));
      expect(other.listening).toBe(false);
    } finally {
      blocker.close();
    }
    // Another ProfileServer on our running server's port gets the same error.
    await expect(new ProfileServer({ store, port }).start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('refuses a non-loopback address unless network exposure is allowed', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com']) {
      const err = await new ProfileServer({ store, host, port: 0 }).start().catch((e: unknown) => e);
      expect(err, host).toBeInstanceOf(ServerError);
      expect((err as ServerError).code).toBe('NETWORK_EXPOSURE_REFUSED');
      expect((err as ServerError).message).toMatch(/visible to other computers on the network/);
    }
  });

  it('with allowNetworkExposure, warns that the page becomes visible (and reports an address not on this machine)', async () => {
    // 192.0.2.1 is TEST-NET-1: never assigned to this machine, so nothing is exposed.
    const s = new ProfileServer({ store, host: '192.0.2.1', port: 0, allowNetworkExposure: true });
    const warnings: string[] = [];
    s.on('warning', (w) => warnings.push(`${w.code}: ${w.message}`));
    await expect(s.start()).rejects.toMatchObject({ code: 'EADDRNOTAVAIL' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^NETWORK_EXPOSURE: .*192\.0\.2\.1.*visible to other computers on the network/);
  });

  it('classifies loopback addresses', () => {
    for (const h of [
      '127.0.0.1',
      '127.255.255.254',
      '::1',
      '0:0:0:0:0:0:0:1',
      '[::1]',
      '::ffff:127.0.0.1',
      'localhost',
    ]) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of ['0.0.0.0', '::', '128.0.0.1', '::ffff:10.0.0.1', '::2', 'localhost.example.com', '1.127.0.0']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });

  it('refuses an invalid port', async () => {
    await expect(new ProfileServer({ store, port: 70000 }).start()).rejects.toMatchObject({ code: 'INVALID_PORT' });
    await expect(new ProfileServer({ store, port: 1.5 }).start()).rejects.toMatchObject({ code: 'INVALID_PORT' });
  });

  it('stops quickly with an idle keep-alive connection open, closes it, and can be stopped twice and restarted', async () => {
    const s = new ProfileServer({ store, host: 'localhost', port: 0 });
    const info = await s.start();
    expect(info.url).toBe(`http://127.0.0.1:${info.port}/`);
    expect(await s.start()).toEqual(info);
    const socket = await connect(info.port);
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => undefined);
    socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await new Promise<void>((r) => socket.once('data', () => r()));
    const t0 = Date.now();
    await Promise.all([s.stop(), s.stop()]);
    await s.stop();
    await closed;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(s.listening).toBe(false);
    const again = await s.start();
    expect((await get(again.port, '/')).status).toBe(200);
    await s.stop();
  });
});
