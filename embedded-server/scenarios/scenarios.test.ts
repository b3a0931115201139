import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { ProfileServer } from '../server';
import { ProfileStore } from '../store';
import { collectUntilClose, connect, get, parseResponse, rawRequest, removeDir, tempDir } from '../test-helpers';
import {
  EMBEDDED_OBJECT_COUNT,
  LAB_CREDENTIALS,
  LONG_DOCUMENT_MIN_BYTES,
  PROTECTED_PATH,
  SCENARIO_NAMES,
  UPLOAD_MAX_BYTES,
  UPLOAD_PATH,
  type ScenarioName,
} from '.';

const STUDENT = { major: '计算机科学与技术', studentId: '2011188', name: '邵琦' };
const CANARY = 'CANARY-51d0-secret-contents';
const sample = fs.readFileSync(path.join(__dirname, '..', '..', 'assets', 'upload-sample.txt'));

let dir: string;
let store: ProfileStore;
const servers = new Map<ScenarioName, { server: ProfileServer; port: number }>();

beforeAll(async () => {
  dir = tempDir();
  store = await ProfileStore.open(dir);
  await store.update(STUDENT);
  fs.writeFileSync(path.join(dir, 'secret.txt'), CANARY);
  for (const scenario of SCENARIO_NAMES) {
    const server = new ProfileServer({ store, port: 0, scenario });
    servers.set(scenario, { server, port: (await server.start()).port });
  }
});

afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.server.stop()));
  removeDir(dir);
});

const portOf = (s: ScenarioName): number => servers.get(s)?.port ?? 0;
const basic = (user: string, password: string): string => Buffer.from(`${user}:${password}`).toString('base64');

/** A request with extra header lines. */
function request(port: number, target: string, headers: string[] = [], method = 'GET'): ReturnType<typeof rawRequest> {
  const head = [`${method} ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...headers, 'Connection: close', '', ''];
  return rawRequest(port, head.join('\r\n'), { head: method === 'HEAD' });
}

describe.each(SCENARIO_NAMES)('scenario %s: hostile input', (scenario) => {
  const HOSTILE = [
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/..%5csecret.txt',
    '/secret.txt',
    '/profile.json',
    '/objects/../secret.txt',
    '/objects/%2e%2e/secret.txt',
    '/protected/../secret.txt',
    '/protected/%2e%2e%2fsecret.txt',
    '/upload-sample.txt/../secret.txt',
    '/assets/upload-sample.txt',
    '/../package.json',
    'http://127.0.0.1/../../etc/passwd',
  ];

  it('never serves files for traversal attempts, and keeps serving', async () => {
    const port = portOf(scenario);
    for (const target of HOSTILE) {
      const r = await get(port, target);
      expect([400, 404], target).toContain(r.status);
      expect(r.raw.toString('latin1')).not.toContain(CANARY);
      expect(r.raw.toString('latin1')).not.toContain('root:');
    }
    expect((await get(port, '/')).status).toBe(200);
  });

  it('property: random targets yield a served resource, 400, 401 or 404, never a file', async () => {
    const port = portOf(scenario);
    const token = fc.oneof(
      fc.constantFrom('..', '.', '/', '%2e', '%2f', '%5c', '\\', '%00', 'objects', 'protected', 'secret.txt', '?'),
      fc.stringMatching(/^[!-~]{0,5}$/),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 6 }), async (parts) => {
        const r = await get(port, `/${parts.join('')}`);
        expect(r.raw.toString('latin1')).not.toContain(CANARY);
        expect([200, 400, 401, 404]).toContain(r.status);
      }),
      { numRuns: 30 },
    );
  });

  it('answers oversized headers with 431 and malformed requests with 400, and keeps serving', async () => {
    const port = portOf(scenario);
    const big = await rawRequest(port, `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(big.status).toBe(431);
    expect((await rawRequest(port, 'GARBAGE\r\n\r\n')).status).toBe(400);
    expect((await rawRequest(port, 'GET / HTTP/1.1\r\n\r\n')).status).toBe(400);
    expect((await get(port, '/')).status).toBe(200);
  });

  it.each(['/', '/index.html', '/nope'])('answers POST to %s with 405', async (target) => {
    const r = await request(portOf(scenario), target, ['Content-Length: 5'], 'POST');
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
  });

  it('answers a large POST body elsewhere with 405 and closes instead of reading it', async () => {
    const port = portOf(scenario);
    const raw = await collectUntilClose(
      port,
      `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${100 << 20}\r\n\r\n${'x'.repeat(1000)}`,
      3000,
    );
    expect(raw.toString('latin1')).toMatch(/^HTTP\/1\.1 405 [\s\S]*\r\nConnection: close\r\n/);
    expect((await get(port, '/')).status).toBe(200);
  });

  it('marks its pages with the scenario name (the profile page stays as it always was)', async () => {
    const html = (await get(portOf(scenario), '/')).body.toString('utf8');
    if (scenario === 'profile') expect(html).not.toContain('wirelab-scenario');
    else expect(html).toContain(`<meta name="wirelab-scenario" content="${scenario}" />`);
    expect(html).toContain('<dd>2011188</dd>');
  });
});

describe('scenario conditional-get', () => {
  it('sends ETag and Last-Modified with no-cache, and 304 without a body for If-None-Match', async () => {
    const port = portOf('conditional-get');
    const first = await get(port, '/');
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag') ?? '';
    const lastModified = first.headers.get('last-modified') ?? '';
    expect(etag).toMatch(/^"[\w-]{22}"$/);
    expect(Date.parse(lastModified)).toBeLessThanOrEqual(Date.now());
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const raw = await collectUntilClose(
      port,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`,
    );
    const text = raw.toString('latin1');
    expect(text).toMatch(/^HTTP\/1\.1 304 Not Modified\r\n/);
    expect(text.endsWith('\r\n\r\n')).toBe(true); // no body at all
    expect(text).not.toMatch(/content-length/i);
    expect(text).toContain(`ETag: ${etag}`);
  });

  it('answers If-Modified-Since with 304 when not modified since, 200 when older or a different ETag', async () => {
    const port = portOf('conditional-get');
    const first = await get(port, '/logo.png');
    const lm = first.headers.get('last-modified') ?? '';
    expect((await request(port, '/logo.png', [`If-Modified-Since: ${lm}`])).status).toBe(304);
    expect((await request(port, '/logo.png', ['If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT'])).status).toBe(200);
    expect((await request(port, '/logo.png', ['If-Modified-Since: nonsense'])).status).toBe(200);
    expect((await request(port, '/', ['If-None-Match: "other"', `If-Modified-Since: ${lm}`])).status).toBe(200);
  });

  it('changes the ETag when the profile changes', async () => {
    const port = portOf('conditional-get');
    const before = (await get(port, '/')).headers.get('etag');
    await store.update({ major: '网络工程' });
    const after = (await get(port, '/')).headers.get('etag');
    await store.update({ major: STUDENT.major });
    expect(after).not.toBe(before);
  });
});

describe('scenario long-document', () => {
  it('serves a document longer than 4 loopback segments with Content-Length', async () => {
    const r = await get(portOf('long-document'), '/');
    expect(r.status).toBe(200);
    expect(r.body.length).toBeGreaterThanOrEqual(LONG_DOCUMENT_MIN_BYTES);
    expect(Number(r.headers.get('content-length'))).toBe(r.body.length);
  });
});

describe('scenario embedded-objects', () => {
  it(`embeds ${EMBEDDED_OBJECT_COUNT} images, each served as SVG after a delay`, async () => {
    const port = portOf('embedded-objects');
    const html = (await get(port, '/')).body.toString('utf8');
    const srcs = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]);
    expect(srcs.length).toBe(EMBEDDED_OBJECT_COUNT);
    const t0 = Date.now();
    const all = await Promise.all(srcs.map((s) => get(port, s)));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(all.map((r) => r.status)).toEqual(srcs.map(() => 200));
    expect(all.every((r) => r.headers.get('content-type') === 'image/svg+xml')).toBe(true);
  });
});

describe('scenario non-persistent', () => {
  it('closes the connection after every response, errors included', async () => {
    const port = portOf('non-persistent');
    for (const target of ['/', '/logo.png', '/objects/1.svg', '/nope']) {
      // The request asks for keep-alive; the server still closes.
      const raw = await collectUntilClose(port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      expect(raw.toString('latin1'), target).toMatch(/\r\nConnection: close\r\n/);
    }
  });
});

describe('scenario basic-auth', () => {
  const { user, password } = LAB_CREDENTIALS;

  it('shows the credentials on the open page', async () => {
    const html = (await get(portOf('basic-auth'), '/')).body.toString('utf8');
    expect(html).toContain(`<code>${user}</code>`);
    expect(html).toContain(`<code>${password}</code>`);
    expect(html).toContain(`href="${PROTECTED_PATH}"`);
  });

  it('answers 401 with WWW-Authenticate without or with wrong credentials, 200 with the right ones', async () => {
    const port = portOf('basic-auth');
    const denied = await get(port, PROTECTED_PATH);
    expect(denied.status).toBe(401);
    expect(denied.headers.get('www-authenticate')).toBe(`Basic realm="${LAB_CREDENTIALS.realm}", charset="UTF-8"`);
    for (const bad of [basic(user, 'wrong'), basic('', ''), 'not-base64!', 'x'.repeat(3000)]) {
      expect((await request(port, PROTECTED_PATH, [`Authorization: Basic ${bad}`])).status).toBe(401);
    }
    expect((await request(port, PROTECTED_PATH, [`Authorization: Digest ${basic(user, password)}`])).status).toBe(401);
    const ok = await request(port, PROTECTED_PATH, [`Authorization: Basic ${basic(user, password)}`]);
    expect(ok.status).toBe(200);
    expect(ok.body.toString('utf8')).toContain('<dd>邵琦</dd>');
    const logo = /<img src="([^"]+)"/.exec(ok.body.toString('utf8'))?.[1] ?? '';
    expect(logo.startsWith(PROTECTED_PATH)).toBe(true);
    expect((await get(port, logo)).status).toBe(401);
    expect((await request(port, logo, [`Authorization: basic ${basic(user, password)}`])).status).toBe(200);
  });
});

describe('scenario upload', () => {
  const port = (): number => portOf('upload');

  it('serves the form and the sample text', async () => {
    const html = (await get(port(), '/')).body.toString('utf8');
    expect(html).toContain(`<form method="post" action="${UPLOAD_PATH}" enctype="multipart/form-data">`);
    const csp = (await get(port(), '/')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("form-action 'self'");
    const text = await get(port(), '/upload-sample.txt');
    expect(text.body.equals(sample)).toBe(true);
    expect(sample.length).toBeGreaterThanOrEqual(150_000);
  });

  it('reads and discards a POSTed body and says how many bytes arrived', async () => {
    const head = `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: ${sample.length}\r\nConnection: close\r\n\r\n`;
    const r = await rawRequest(port(), Buffer.concat([Buffer.from(head), sample]));
    expect(r.status).toBe(200);
    expect(r.body.toString('utf8')).toContain(`Received ${sample.length} bytes`);
    expect(fs.readdirSync(dir).sort()).toEqual(['profile.json', 'secret.txt']);
  });

  it('reads a chunked body too', async () => {
    const chunk = sample.subarray(0, 1000);
    const body = `${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n0\r\n\r\n`;
    const r = await rawRequest(
      port(),
      `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body}`,
    );
    expect(r.status).toBe(200);
    expect(r.body.toString('utf8')).toContain('Received 1000 bytes');
  });

  it('answers an oversized upload with 413 (declared or streamed) and keeps serving', async () => {
    const declared = await rawRequest(
      port(),
      `POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${UPLOAD_MAX_BYTES + 1}\r\n\r\nabc`,
    );
    expect(declared.status).toBe(413);
    expect(declared.headers.get('connection')).toBe('close');
    // Chunked, so the size is only known while reading.
    const socket = await connect(port());
    let received = Buffer.alloc(0);
    const answered = new Promise<number>((resolve) => {
      socket.on('data', (c) => {
        received = Buffer.concat([received, c]);
        const parsed = parseResponse(received);
        if (parsed) resolve(parsed.response.status);
      });
      socket.on('error', () => undefined);
      socket.on('close', () => resolve(parseResponse(received)?.response.status ?? 0));
    });
    socket.write(`POST ${UPLOAD_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const piece = Buffer.alloc(256 * 1024, 0x61);
    for (let sent = 0; sent <= UPLOAD_MAX_BYTES && !socket.destroyed; sent += piece.length) {
      socket.write(`${piece.length.toString(16)}\r\n`);
      socket.write(piece);
      socket.write('\r\n');
    }
    expect(await answered).toBe(413);
    socket.destroy();
    expect((await get(port(), '/')).status).toBe(200);
  });

  it('refuses other methods on the upload path and POST elsewhere', async () => {
    const r = await get(port(), UPLOAD_PATH);
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    expect((await request(port(), '/upload-sample.txt', ['Content-Length: 1'], 'POST')).status).toBe(405);
    expect((await request(port(), '/upload/', ['Content-Length: 1'], 'POST')).status).toBe(405);
  });
});

describe('switching scenarios', () => {
  it('serves the new scenario on the next request', async () => {
    const store2 = await ProfileStore.open(tempDir());
    const server = new ProfileServer({ store: store2, port: 0 });
    const port = (await server.start()).port;
    try {
      expect((await get(port, '/')).body.toString()).not.toContain('wirelab-scenario');
      server.setScenario('basic-auth');
      expect((await get(port, PROTECTED_PATH)).status).toBe(401);
      expect(server.scenario).toBe('basic-auth');
      expect(() => server.setScenario('nope' as ScenarioName)).toThrow(/Unknown lab scenario/);
    } finally {
      await server.stop();
    }
  });
});
