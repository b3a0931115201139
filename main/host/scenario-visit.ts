/**
 * Scripted visits for the lab scenarios (`wirelab lab --scenario NAME --visit`), each doing
 * what a browser does in that assignment: revalidate on reload (conditional-get), fetch the
 * embedded images over several connections at once (embedded-objects), one connection per
 * object (non-persistent), retry with credentials after 401 (basic-auth), POST the sample file
 * (upload). Like visitProfilePage, it then leaves keep-alive connections idle until the
 * server's keep-alive timeout closes them, so the capture shows the teardown.
 */
import http from 'node:http';
import type { ScenarioName } from '../../embedded-server';
import { LAB_CREDENTIALS, loadUploadSample, PROTECTED_PATH, UPLOAD_PATH } from '../../embedded-server';
import { visitProfilePage } from './visit';

export interface VisitedRequest {
  method: string;
  path: string;
  status: number;
  /** Response body bytes. */
  bytes: number;
  /** Client port of the connection that carried it. */
  clientPort?: number;
}

export interface ScenarioVisitResult {
  scenario: ScenarioName;
  requests: VisitedRequest[];
  /** Distinct client ports used (one per TCP connection). */
  connections: number;
}

interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  localPort?: number;
}

function fetchOnce(
  agent: http.Agent,
  url: URL,
  opts: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        agent,
        method: opts.method ?? 'GET',
        headers: { 'User-Agent': 'WireLab-visit/1.0', Accept: '*/*', ...opts.headers },
      },
      (res) => {
        const localPort = res.socket?.localPort;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
            localPort,
          }),
        );
        res.on('error', reject);
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error(`No answer from ${url.href} within 10 s`)));
    request.on('error', reject);
    request.end(opts.body);
  });
}

const imageSources = (html: Buffer): string[] =>
  [...html.toString('utf8').matchAll(/<img[^>]+src="([^"]+)"/gi)].map((m) => m[1]);

/** Resolves when every idle keep-alive socket of the agent has been closed by the server (or after waitMs). */
function idleSocketsClosed(agent: http.Agent, waitMs: number): Promise<void> {
  const sockets = Object.values(agent.freeSockets).flat();
  return Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (!socket || socket.destroyed) return resolve();
          const timer = setTimeout(resolve, waitMs);
          const done = (): void => {
            clearTimeout(timer);
            resolve();
          };
          socket.once('end', done);
          socket.once('close', done);
        }),
    ),
  ).then(() => undefined);
}

/** A multipart/form-data body with one file field, as a browser's form sends it. */
export function multipartFile(
  field: string,
  fileName: string,
  contentType: string,
  content: Buffer,
): {
  body: Buffer;
  contentType: string;
} {
  const boundary = '----WireLabFormBoundary7MA4YWxkTrZu0gW';
  const head =
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\n` +
    `Content-Type: ${contentType}\r\n\r\n`;
  return {
    body: Buffer.concat([Buffer.from(head, 'utf8'), content, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Visits the page of `scenario` served at `pageUrl` (the server's URL). */
export async function visitScenario(
  scenario: ScenarioName,
  pageUrl: string,
  waitForCloseMs = 8000,
): Promise<ScenarioVisitResult> {
  const base = new URL(pageUrl);
  const requests: VisitedRequest[] = [];
  const note = (method: string, path: string, r: Fetched): Fetched => {
    requests.push({ method, path, status: r.status, bytes: r.body.length, clientPort: r.localPort });
    return r;
  };
  const result = (): ScenarioVisitResult => ({
    scenario,
    requests,
    connections: new Set(requests.map((r) => r.clientPort).filter((p) => p !== undefined)).size,
  });

  if (scenario === 'profile' || scenario === 'long-document') {
    const v = await visitProfilePage(pageUrl, waitForCloseMs);
    requests.push({ method: 'GET', path: '/', status: v.page.status, bytes: v.page.bytes, clientPort: v.clientPort });
    if (v.logo)
      requests.push({
        method: 'GET',
        path: v.logo.path,
        status: v.logo.status,
        bytes: v.logo.bytes,
        clientPort: v.clientPort,
      });
    return result();
  }

  // Non-persistent: a new connection for every object (the server closes each after its response).
  const keepAlive = scenario !== 'non-persistent';
  const agent = new http.Agent({
    keepAlive,
    keepAliveMsecs: 60_000,
    maxSockets: scenario === 'embedded-objects' ? 6 : 1,
  });
  const get = async (path: string, headers?: Record<string, string>): Promise<Fetched> =>
    note('GET', path, await fetchOnce(agent, new URL(path, base), { headers }));
  try {
    switch (scenario) {
      case 'conditional-get': {
        const page = await get('/');
        const images = imageSources(page.body);
        const validators = new Map<string, Fetched>([['/', page]]);
        for (const src of images) validators.set(src, await get(src));
        // The reload: each resource revalidated with the validators it came with.
        for (const [path, first] of validators) {
          const headers: Record<string, string> = {};
          if (typeof first.headers['last-modified'] === 'string')
            headers['If-Modified-Since'] = first.headers['last-modified'];
          if (typeof first.headers.etag === 'string') headers['If-None-Match'] = first.headers.etag;
          await get(path, headers);
        }
        break;
      }
      case 'embedded-objects': {
        const page = await get('/');
        await Promise.all(imageSources(page.body).map((src) => get(src)));
        break;
      }
      case 'non-persistent': {
        const page = await get('/');
        for (const src of imageSources(page.body)) await get(src);
        break;
      }
      case 'basic-auth': {
        await get('/');
        const denied = await get(PROTECTED_PATH);
        if (denied.status !== 401) break;
        const auth = {
          Authorization: `Basic ${Buffer.from(`${LAB_CREDENTIALS.user}:${LAB_CREDENTIALS.password}`).toString('base64')}`,
        };
        const page = await get(PROTECTED_PATH, auth);
        for (const src of imageSources(page.body)) await get(src, auth);
        break;
      }
      case 'upload': {
        await get('/');
        const { body, contentType } = multipartFile(
          'file',
          'upload-sample.txt',
          'text/plain',
          Buffer.from(loadUploadSample(), 'utf8'),
        );
        note(
          'POST',
          UPLOAD_PATH,
          await fetchOnce(agent, new URL(UPLOAD_PATH, base), {
            method: 'POST',
            headers: { 'Content-Type': contentType },
            body,
          }),
        );
        break;
      }
    }
    if (keepAlive) await idleSocketsClosed(agent, waitForCloseMs);
    else await new Promise((r) => setTimeout(r, 300)); // the last teardown's ACK
    return result();
  } finally {
    agent.destroy();
  }
}
