/**
 * The browser shell's server: serves the built renderer and bridges LabApi over a WebSocket,
 * on loopback only, guarded like Jupyter: a random token in the URL becomes an HttpOnly,
 * SameSite=Strict cookie; requests without it get 401, WebSocket upgrades from another
 * origin get 403, and a Host header that is not ours gets 403 (DNS rebinding).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  labEvents,
  validateLabCall,
  type CaptureUploadResult,
  type LabApiWithEvents,
  type LabEvents,
} from '../../bridge/lab-api';
import { decodeMessage, encodeMessage, type ClientMessage, type ServerMessage } from '../../bridge/codec';

export interface WebServerOptions {
  host: LabApiWithEvents;
  /** The vite build output (index.html + assets). */
  rendererDir: string;
  /** 0 (default) = a free port. */
  port?: number;
  /** Loopback address to bind (default 127.0.0.1). */
  bindHost?: string;
  /** Fixed token (tests); default: 32 random bytes, hex. */
  token?: string;
  /** Largest WebSocket message accepted (an opened capture file travels in one). */
  maxPayload?: number;
}

export interface WebServer {
  url: string;
  /** URL with the token, to print and open. */
  loginUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export const TOKEN_COOKIE = 'wirelab_token';
/**
 * Everything the shell serves lives under this path, and the token cookie is scoped to it.
 * Cookies ignore ports, so a cookie for `/` on 127.0.0.1 would also be sent to the profile
 * page on 127.0.0.1:8001 — and end up in the student's capture, Follow Stream and report.
 */
export const SHELL_PATH = '/wirelab/';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    try {
      out[key] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

function sameToken(a: string | undefined | null, token: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(token);
  return x.length === y.length && timingSafeEqual(x, y);
}

function errorInfo(error: unknown): { name: string; message: string } {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const bindHost = options.bindHost ?? '127.0.0.1';
  if (!['127.0.0.1', '::1', 'localhost'].includes(bindHost)) {
    throw new Error(`The browser shell only listens on loopback (got ${bindHost}).`);
  }
  const rendererDir = path.resolve(options.rendererDir);
  let port = 0;
  const allowedHosts = () => [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  const allowedOrigins = () => allowedHosts().map((h) => `http://${h}`);

  const authorised = (req: IncomingMessage, url: URL): 'query' | 'cookie' | null => {
    if (sameToken(url.searchParams.get('token'), token)) return 'query';
    if (sameToken(parseCookies(req.headers.cookie)[TOKEN_COOKIE], token)) return 'cookie';
    return null;
  };

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      send(res, 403, 'Forbidden: unexpected Host header.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (!url.pathname.startsWith(SHELL_PATH)) {
      // Old or hand-typed addresses: send them to the shell's path, keeping the token.
      res.writeHead(308, { Location: SHELL_PATH + url.search, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    const auth = authorised(req, url);
    if (!auth) {
      send(res, 401, 'WireLab: open the address printed by "npm run web" (it ends with ?token=…).');
      return;
    }
    if (url.pathname === `${SHELL_PATH}upload`) {
      // Only the shell's own page may post (the cookie is SameSite=Strict; the Origin says so too).
      if (req.method !== 'POST') send(res, 405, 'Method not allowed.', { Allow: 'POST' });
      else if (!allowedOrigins().includes(req.headers.origin ?? '')) send(res, 403, 'Forbidden: unexpected Origin.');
      else await receiveUploadBody(req, res, url, options.host);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed.', { Allow: 'GET, HEAD' });
      return;
    }
    const security = {
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "frame-ancestors 'none'",
      'Referrer-Policy': 'no-referrer',
    };
    if (auth === 'query') {
      // Remember the token in a cookie and take it out of the address bar (screenshots!).
      url.searchParams.delete('token');
      const cookie = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=${SHELL_PATH}`;
      res.writeHead(302, {
        ...security,
        'Set-Cookie': cookie,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      send(res, 400, 'Bad path.');
      return;
    }
    pathname = pathname.slice(SHELL_PATH.length - 1);
    if (pathname.endsWith('/')) pathname += 'index.html';
    const file = path.resolve(rendererDir, '.' + pathname);
    if (file !== rendererDir && !file.startsWith(rendererDir + path.sep)) {
      send(res, 404, 'Not found.');
      return;
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      const body = await readFile(file);
      const isIndex = path.basename(file) === 'index.html';
      res.writeHead(200, {
        ...security,
        'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': String(body.length),
        'Cache-Control': isIndex ? 'no-store' : 'max-age=3600',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      const hint = pathname === '/index.html' ? ' The renderer is not built: run "npm run build".' : '';
      send(res, 404, `Not found.${hint}`);
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${errorInfo(error).message}`);
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxPayload ?? 1024 * 1024 * 1024 });
  const reject = (socket: Duplex, status: number, text: string) => {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  };
  server.on('upgrade', (req, socket, head) => {
    const hostOk = allowedHosts().includes(req.headers.host ?? '');
    const url = new URL(req.url ?? '/', `http://${hostOk ? req.headers.host : '127.0.0.1'}`);
    if (!hostOk) return reject(socket, 403, 'Forbidden');
    if (url.pathname !== `${SHELL_PATH}ws`) return reject(socket, 404, 'Not Found');
    if (!authorised(req, url)) return reject(socket, 401, 'Unauthorized');
    if (!allowedOrigins().includes(req.headers.origin ?? '')) return reject(socket, 403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => bridge(ws, options.host));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  const shown = bindHost === '::1' ? '[::1]' : bindHost;
  const url = `http://${shown}:${port}${SHELL_PATH}`;
  return {
    url,
    loginUrl: `${url}?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** The host reads an upload's body in parts of this size (small: less held at once in the host). */
export const UPLOAD_BODY_PART = 2 << 20;

/**
 * `POST upload?upload=N&offset=X`: the rest of an upload (LabClient.uploadCaptureBody), given to
 * the host as uploadCapture parts of 2 MB read from the request as it arrives (the request waits
 * while the host reads a part), the last one marked. Answers `{ result }` with the host's answer
 * to the last part it read, or `{ error }`.
 */
async function receiveUploadBody(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  host: LabApiWithEvents,
): Promise<void> {
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const upload = Number(url.searchParams.get('upload'));
  let offset = Number(url.searchParams.get('offset'));
  let chunks: Buffer[] = [];
  let held = 0;
  let result: CaptureUploadResult | null = null;
  const part = async (last: boolean) => {
    const bytes = new Uint8Array(Buffer.concat(chunks, held));
    chunks = [];
    held = 0;
    const { args } = validateLabCall('uploadCapture', [{ upload, offset, bytes, last }]);
    result = await host.uploadCapture(...(args as Parameters<LabApiWithEvents['uploadCapture']>));
    offset += bytes.length;
    return result;
  };
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      held += chunk.length;
      if (held >= UPLOAD_BODY_PART && (await part(false)).error) break;
    }
    if (!(result as CaptureUploadResult | null)?.error) await part(true);
    answer(200, { result });
  } catch (error) {
    answer(409, { error: errorInfo(error) });
  } finally {
    // A refused upload: the rest of the body is not needed (the answer goes first).
    if (!req.complete) res.once('finish', () => req.destroy());
  }
}

/** One WebSocket client: calls in, results and events out. */
export function bridge(ws: WebSocket, host: LabApiWithEvents): void {
  const send = (message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeMessage(message));
  };
  const unsubscribe = labEvents.map((event) =>
    host.on(event, (payload: LabEvents[typeof event]) => send({ t: 'event', event, payload })),
  );
  ws.on('close', () => unsubscribe.forEach((off) => off()));
  ws.on('message', async (data, isBinary) => {
    if (!isBinary) return ws.close(1003, 'binary frames only');
    let message: ClientMessage;
    try {
      const bytes = Array.isArray(data)
        ? Buffer.concat(data)
        : data instanceof ArrayBuffer
          ? new Uint8Array(data)
          : data;
      message = decodeMessage(bytes) as ClientMessage;
      if (message?.t !== 'call' || typeof message.id !== 'number' || !Array.isArray(message.args))
        throw new Error('bad call');
    } catch {
      return ws.close(1007, 'malformed message');
    }
    try {
      const { method, args } = validateLabCall(String(message.method), message.args);
      const fn = host[method] as (...a: unknown[]) => Promise<unknown>;
      const value = await fn.apply(host, args);
      send({ t: 'result', id: message.id, ok: true, value });
    } catch (error) {
      send({ t: 'result', id: message.id, ok: false, error: errorInfo(error) });
    }
  });
}
