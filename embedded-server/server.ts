/**
 * ProfileServer: the lab's web server, serving the student's profile page and logo the way
 * the seed lab's Node server did (HTML in UTF-8 with Content-Length, the logo at its own path)
 * with Node's default keep-alive (5 s), so an idle browser connection is closed by the server
 * first and the capture shows the server's FIN.
 *
 *   const store = await ProfileStore.open(userDataDir());
 *   const server = new ProfileServer({ store });            // 127.0.0.1:8001
 *   server.on('request', (e) => log(e.method, e.path, e.status, e.bytes, e.remotePort));
 *   server.on('rejected', (e) => log(e.status, e.reason));  // 400 / 408 / 431 from the parser
 *   server.on('warning', (w) => show(w.message));
 *   const { url } = await server.start();                   // throws ServerError (code EADDRINUSE, …)
 *   await server.stop();                                    // quick; closes idle keep-alive sockets
 *
 * Behaviour:
 * - GET and HEAD only (405 with `Allow: GET, HEAD`); `/` and `/index.html` → page, `/logo.<ext>` →
 *   logo; anything else 404 (including `/favicon.ico`: the lab's captures show that request
 *   failing, and a 404 keeps the capture small). Targets are matched against an in-memory
 *   table, never the filesystem (see routes.ts).
 * - Scenarios (scenarios/, `scenario` option or setScenario()) change the table and a few
 *   switches: validators and 304 (conditional-get), `Connection: close` on every response
 *   (non-persistent), 401 + WWW-Authenticate (basic-auth), slow objects (embedded-objects), and
 *   the one path that accepts a request body (upload: POST, counted and discarded, 413 when too
 *   large). Every other method or path still gets 405 / 404.
 * - Every response reads the store, so profile and logo changes show on the next request.
 * - Limits: maxHeaderSize (431), headersTimeout and requestTimeout (a slow client gets 408 and
 *   is cut off); malformed requests get 400. None of these stops the server.
 * - Binds loopback only unless `allowNetworkExposure: true`, which emits a 'warning'.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { ServerError } from './errors';
import { defaultTemplate, requestPath } from './routes';
import {
  buildSite,
  DEFAULT_SCENARIO,
  isScenarioName,
  uploadReceivedPage,
  type ScenarioName,
  type Site,
  type SiteResource,
} from './scenarios';
import type { ProfileStore } from './store';

import { DEFAULT_HOST, DEFAULT_PORT } from './defaults';

export { DEFAULT_HOST, DEFAULT_PORT };

export interface ProfileServerOptions {
  store: ProfileStore;
  /** Default 127.0.0.1. `localhost` means 127.0.0.1. */
  host?: string;
  /** Default 8001; 0 picks a free port. */
  port?: number;
  /** Required to bind anything other than a loopback address (127.0.0.0/8, ::1). */
  allowNetworkExposure?: boolean;
  /** Page template (defaults to assets/profile-page.html). */
  template?: string;
  assetsDir?: string;
  /** Idle keep-alive connections are closed after this (ms). Default 5000, as Node's default. */
  keepAliveTimeout?: number;
  /** A client must send its complete headers within this (ms). Default 10000. */
  headersTimeout?: number;
  /** A client must send its complete request within this (ms). Default 30000. */
  requestTimeout?: number;
  /** How often Node checks headersTimeout/requestTimeout (ms). Default 1000. */
  connectionsCheckingInterval?: number;
  /** Largest request head accepted (bytes); larger gets 431. Default 16384. */
  maxHeaderSize?: number;
  /** The lab scenario served (see scenarios/). Default `profile`. */
  scenario?: ScenarioName;
}

export interface StartedInfo {
  /** URL for a local browser, e.g. `http://127.0.0.1:8001/`. */
  url: string;
  host: string;
  port: number;
}

/** One request answered by the server. */
export interface RequestEvent {
  method: string;
  /** The request target as received (at most 2048 characters). */
  path: string;
  httpVersion: string;
  status: number;
  /** Body bytes sent (0 for HEAD). */
  bytes: number;
  contentType: string;
  remoteAddress: string;
  remotePort: number;
  durationMs: number;
  time: Date;
}

/** A request refused by the HTTP parser or the timeouts before it reached the handler. */
export interface RejectedEvent {
  /** 400, 408, 413 or 431; 0 when the connection was simply reset. */
  status: number;
  /** Node's error code, e.g. HPE_HEADER_OVERFLOW, ERR_HTTP_REQUEST_TIMEOUT, HPE_INVALID_METHOD. */
  reason: string;
  remoteAddress: string;
  remotePort: number;
  time: Date;
}

export interface WarningEvent {
  code: 'NETWORK_EXPOSURE' | 'SERVER_ERROR';
  message: string;
  messageZh: string;
}

interface ServerEvents {
  request: [event: RequestEvent];
  rejected: [event: RejectedEvent];
  warning: [event: WarningEvent];
}

const IPV6_LOOPBACK = new net.BlockList();
IPV6_LOOPBACK.addAddress('::1', 'ipv6');
IPV6_LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** True for 127.0.0.0/8, ::1 and IPv4-mapped 127.x addresses, and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.split('.')[0] === '127';
  if (net.isIPv6(h)) return IPV6_LOOPBACK.check(h, 'ipv6');
  return false;
}

function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return net.isIPv6(host) ? `[${host}]` : host;
}

const TEXT = 'text/plain; charset=utf-8';
const ERROR_BODIES: Record<number, string> = {
  400: '400 Bad Request — 请求格式错误\n',
  404: '404 Not Found — 找不到该页面\n',
  401: '401 Unauthorized — 需要登录 (the lab page shows the user name and password)\n',
  405: '405 Method Not Allowed — this server only answers GET and HEAD — 仅支持 GET 和 HEAD\n',
  408: '408 Request Timeout — 请求超时\n',
  413: '413 Content Too Large — 上传内容过大\n',
  431: '431 Request Header Fields Too Large — 请求头过大\n',
};

/** A response ready to send: status, headers and body. */
interface Reply {
  status: number;
  contentType: string;
  headers: Record<string, string | number>;
  body: Uint8Array;
}

function replyOf(status: number, resource: SiteResource, extra: Record<string, string> = {}): Reply {
  // Content-Type first, as in the seed's capture; Node adds Date, Connection and Keep-Alive.
  const headers: Record<string, string | number> = {
    'Content-Type': resource.contentType,
    'Content-Length': resource.body.byteLength,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': resource.csp ?? "default-src 'none'",
    'Cache-Control': resource.cacheControl ?? 'no-store',
    ...(resource.validators
      ? { 'Last-Modified': resource.validators.lastModified, ETag: resource.validators.etag }
      : {}),
    ...extra,
  };
  return { status, contentType: resource.contentType, headers, body: resource.body };
}

const errorReply = (status: number, extra?: Record<string, string>): Reply =>
  replyOf(status, { contentType: TEXT, body: Buffer.from(ERROR_BODIES[status], 'utf8') }, extra);

const ERROR_REPLIES: Record<400 | 404 | 405, Reply> = {
  400: errorReply(400, { Connection: 'close' }),
  404: errorReply(404),
  405: errorReply(405, { Allow: 'GET, HEAD' }),
};

const CLOSE_405 = errorReply(405, { Allow: 'GET, HEAD', Connection: 'close' });

/** A scenario's site with its replies built once (until the profile, logo, template or scenario changes). */
interface BuiltSite {
  site: Site;
  replies: Map<string, Reply>;
  errors: Record<400 | 401 | 404 | 405, Reply>;
}

function buildReplies(site: Site): BuiltSite {
  const close: Record<string, string> = site.connectionClose ? { Connection: 'close' } : {};
  const replies = new Map([...site.routes].map(([path, r]) => [path, replyOf(200, r, close)]));
  const auth: Record<string, string> = site.auth
    ? { 'WWW-Authenticate': `Basic realm="${site.auth.realm.replace(/["\\]/g, '')}", charset="UTF-8"` }
    : {};
  const errors = site.connectionClose
    ? {
        400: ERROR_REPLIES[400],
        401: errorReply(401, { ...auth, ...close }),
        404: errorReply(404, close),
        405: errorReply(405, { Allow: 'GET, HEAD', ...close }),
      }
    : { ...ERROR_REPLIES, 401: errorReply(401, auth) };
  return { site, replies, errors };
}

/** True when the request's Authorization carries the site's Basic credentials. */
function authorized(req: http.IncomingMessage, auth: Site['auth']): boolean {
  if (!auth) return true;
  const m = /^Basic +([A-Za-z0-9+/=]{1,1024})\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1], 'base64');
  const wanted = Buffer.from(`${auth.user}:${auth.password}`, 'utf8');
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** RFC 9110 §13.1: If-None-Match (weak comparison) wins over If-Modified-Since. */
function notModified(req: http.IncomingMessage, v: NonNullable<SiteResource['validators']>): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const tags = inm.split(',').map((t) => t.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(v.etag);
  }
  const ims = req.headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Date.parse(v.lastModified) <= since;
}

export class ProfileServer extends EventEmitter<ServerEvents> {
  readonly #store: ProfileStore;
  readonly #options: ProfileServerOptions;
  #template: string | undefined;
  #server: http.Server | null = null;
  #starting: Promise<StartedInfo> | null = null;
  #stopping: Promise<void> | null = null;
  #info: StartedInfo | null = null;
  /** The scenario's resources with their headers, rebuilt only when the profile, logo, template or scenario changes. */
  #routes: BuiltSite | null = null;
  #scenario: ScenarioName;
  /** Time of the last change of what is served (Last-Modified of revalidated resources). */
  #builtAt = new Date();

  constructor(options: ProfileServerOptions) {
    super();
    this.#store = options.store;
    this.#options = options;
    this.#template = options.template;
    this.#scenario = options.scenario ?? DEFAULT_SCENARIO;
    this.#store.on('change', () => {
      this.#routes = null;
      this.#builtAt = new Date();
    });
  }

  /** Where the server listens, once started. */
  get info(): StartedInfo | null {
    return this.#info;
  }

  get listening(): boolean {
    return this.#info !== null;
  }

  /** Replaces the page template; takes effect on the next request. */
  setTemplate(template: string): void {
    this.#template = template;
    this.#routes = null;
    this.#builtAt = new Date();
  }

  /** The lab scenario being served. */
  get scenario(): ScenarioName {
    return this.#scenario;
  }

  /** Switches the scenario; takes effect on the next request. Throws a TypeError for an unknown name. */
  setScenario(name: ScenarioName): void {
    if (!isScenarioName(name)) throw new TypeError(`Unknown lab scenario "${String(name)}"`);
    if (name === this.#scenario) return;
    this.#scenario = name;
    this.#routes = null;
    this.#builtAt = new Date();
  }

  /** The path the lab opens first in this scenario (e.g. `/`). */
  get startPath(): string {
    return this.#currentSite().site.startPath;
  }

  #currentSite(): BuiltSite {
    if (this.#routes === null) {
      const site = buildSite(this.#scenario, {
        profile: this.#store.get(),
        logo: this.#store.logo(),
        template: this.#template ?? defaultTemplate(this.#options.assetsDir),
        assetsDir: this.#options.assetsDir,
        builtAt: this.#builtAt,
      });
      this.#routes = buildReplies(site);
    }
    return this.#routes;
  }

  /** Starts listening. Resolves with the URL; rejects with a ServerError. Calling it while started returns the same info. */
  start(): Promise<StartedInfo> {
    if (this.#info) return Promise.resolve(this.#info);
    if (this.#starting) return this.#starting;
    this.#starting = this.#listen().finally(() => {
      this.#starting = null;
    });
    return this.#starting;
  }

  async #listen(): Promise<StartedInfo> {
    if (this.#stopping) await this.#stopping;
    const o = this.#options;
    const port = o.port ?? DEFAULT_PORT;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ServerError(
        'INVALID_PORT',
        `Port ${String(port)} is not valid. Choose a whole number from 1024 to 65535 in Settings.`,
        `端口 ${String(port)} 无效。请在设置中选择 1024 到 65535 之间的整数。`,
      );
    }
    let host = (o.host ?? DEFAULT_HOST).trim().replace(/^\[(.*)\]$/, '$1');
    if (host === '') {
      throw new ServerError(
        'INVALID_HOST',
        'The server address is empty. Use 127.0.0.1.',
        '服务器地址为空。请使用 127.0.0.1。',
      );
    }
    if (host.toLowerCase() === 'localhost') host = '127.0.0.1';
    if (!isLoopbackHost(host)) {
      if (!o.allowNetworkExposure) {
        throw new ServerError(
          'NETWORK_EXPOSURE_REFUSED',
          `Refusing to listen on ${host}: it is not a loopback address, so your profile page would be visible to other computers on the network. ` +
            'Use 127.0.0.1, or turn on "Allow network access" in Settings if you really want that.',
          `拒绝在 ${host} 上监听：它不是本机回环地址，你的个人主页将对网络中的其他计算机可见。` +
            '请使用 127.0.0.1；如确有需要，请在设置中开启“允许网络访问”。',
        );
      }
      this.emit('warning', {
        code: 'NETWORK_EXPOSURE',
        message: `The profile page will be served on ${host}, so it becomes visible to other computers on the network (your name and student ID included).`,
        messageZh: `个人主页将在 ${host} 上提供服务，网络中的其他计算机都能看到它（包括你的姓名和学号）。`,
      });
    }
    if (this.#template === undefined) this.#template = defaultTemplate(o.assetsDir);

    const headersTimeout = o.headersTimeout ?? 10_000;
    const server = http.createServer(
      {
        maxHeaderSize: o.maxHeaderSize ?? 16_384,
        headersTimeout,
        requestTimeout: Math.max(o.requestTimeout ?? 30_000, headersTimeout),
        connectionsCheckingInterval: o.connectionsCheckingInterval ?? 1000,
        keepAliveTimeout: o.keepAliveTimeout ?? 5000,
      },
      (req, res) => this.#handle(req, res),
    );
    server.keepAliveTimeout = o.keepAliveTimeout ?? 5000;
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => this.#clientError(err, socket));

    await new Promise<void>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => reject(this.#listenError(e, host, port));
      server.once('error', onError);
      server.listen({ host, port, exclusive: true }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    server.on('error', (e) =>
      this.emit('warning', {
        code: 'SERVER_ERROR',
        message: `The web server reported an error: ${e.message}`,
        messageZh: `网页服务器报告了一个错误：${e.message}`,
      }),
    );
    const address = server.address() as net.AddressInfo;
    this.#server = server;
    this.#info = { host, port: address.port, url: `http://${urlHost(host)}:${address.port}/` };
    return this.#info;
  }

  #listenError(e: NodeJS.ErrnoException, host: string, port: number): ServerError {
    switch (e.code) {
      case 'EADDRINUSE':
        return new ServerError(
          'EADDRINUSE',
          `Port ${port} is already in use by another program. Close it or choose another port in Settings.`,
          `端口 ${port} 已被其他程序占用。请关闭该程序，或在设置中选择其他端口。`,
          { cause: e },
        );
      case 'EACCES':
        return new ServerError(
          'EACCES',
          `Port ${port} needs administrator rights on this computer. Choose a port from 1024 to 65535 in Settings.`,
          `使用端口 ${port} 需要管理员权限。请在设置中选择 1024 到 65535 之间的端口。`,
          { cause: e },
        );
      case 'EADDRNOTAVAIL':
        return new ServerError(
          'EADDRNOTAVAIL',
          `${host} is not an address of this computer, so the server cannot listen on it. Use 127.0.0.1.`,
          `${host} 不是本机的地址，服务器无法在其上监听。请使用 127.0.0.1。`,
          { cause: e },
        );
      default:
        return new ServerError(
          'LISTEN_FAILED',
          `The web server could not start on ${host}:${port}: ${e.message}`,
          `网页服务器无法在 ${host}:${port} 上启动：${e.message}`,
          { cause: e },
        );
    }
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const reporting = this.listenerCount('request') > 0;
    const started = reporting ? performance.now() : 0;
    const method = req.method ?? '';
    const target = req.url ?? '';
    const isHead = method === 'HEAD';
    const { site, replies, errors } = this.#currentSite();
    const path = requestPath(target);
    const report = (reply: Reply): void => {
      // Reported once the response is handed to the socket (status and size are known now); no
      // per-response 'finish' listener, and nothing built when nobody listens.
      if (!reporting) return;
      const socket = req.socket;
      this.emit('request', {
        method,
        path: target.slice(0, 2048),
        httpVersion: req.httpVersion,
        status: reply.status,
        bytes: isHead ? 0 : reply.body.byteLength,
        contentType: reply.contentType,
        remoteAddress: socket.remoteAddress ?? '',
        remotePort: socket.remotePort ?? 0,
        durationMs: performance.now() - started,
        time: new Date(),
      });
    };
    const send = (reply: Reply): void => {
      // The headers of every reply are built once (with its routes), not per request.
      res.writeHead(reply.status, reply.headers);
      if (isHead) res.end();
      else res.end(reply.body);
      report(reply);
    };

    if (site.upload && path === site.upload.path) {
      if (method === 'POST') this.#upload(req, res, site, report);
      else send(errorReply(405, { Allow: 'POST', ...(site.connectionClose ? { Connection: 'close' } : {}) }));
      return;
    }
    if (method !== 'GET' && !isHead) {
      // A body is accepted only on the upload path: close instead of reading (and discarding) it.
      const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
      return send(hasBody ? CLOSE_405 : errors[405]);
    }
    if (path === null) return send(errors[400]);
    const resource = site.routes.get(path);
    const reply = replies.get(path);
    if (!resource || !reply) return send(errors[404]);
    if (resource.protected && !authorized(req, site.auth)) return send(errors[401]);
    if (resource.validators && notModified(req, resource.validators)) {
      // 304: the validators and caching headers of a 200, no body and no Content-Length.
      const { 'Content-Type': _type, 'Content-Length': _length, ...headers } = reply.headers;
      return send({ status: 304, contentType: '', headers, body: new Uint8Array(0) });
    }
    if (resource.delayMs) {
      const timer = setTimeout(() => send(reply), resource.delayMs);
      res.once('close', () => clearTimeout(timer));
    } else send(reply);
  }

  /** POST to the upload path: the body is counted and discarded; too large gets 413 and the connection closes. */
  #upload(req: http.IncomingMessage, res: http.ServerResponse, site: Site, report: (reply: Reply) => void): void {
    const max = site.upload?.maxBytes ?? 0;
    const close: Record<string, string> = site.connectionClose ? { Connection: 'close' } : {};
    const tooLarge = (): void => {
      const reply = errorReply(413, { Connection: 'close' });
      if (!res.headersSent) {
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
        report(reply);
      }
      // Do not read the rest; cut the connection once the answer is out (or soon, if the client never reads).
      res.once('finish', () => setTimeout(() => req.socket.destroy(), 200).unref());
      setTimeout(() => req.socket.destroy(), 2000).unref();
    };
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > max) return tooLarge();
    let received = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > max && !over) {
        over = true;
        req.pause();
        tooLarge();
      }
    });
    req.on('error', () => req.socket.destroy());
    req.on('end', () => {
      if (over) return;
      const reply = replyOf(
        200,
        { contentType: 'text/html; charset=utf-8', body: Buffer.from(uploadReceivedPage(received), 'utf8') },
        close,
      );
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
      report(reply);
    });
  }

  #clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
    const code = err.code ?? 'UNKNOWN';
    const tcp = socket instanceof net.Socket ? socket : null;
    let status = 0;
    if (code !== 'ECONNRESET' && socket.writable && (tcp?.bytesWritten ?? 0) === 0) {
      if (code === 'HPE_HEADER_OVERFLOW') status = 431;
      else if (code === 'ERR_HTTP_REQUEST_TIMEOUT') status = 408;
      else if (code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') status = 413;
      else status = 400;
    }
    this.emit('rejected', {
      status,
      reason: code,
      remoteAddress: tcp?.remoteAddress ?? '',
      remotePort: tcp?.remotePort ?? 0,
      time: new Date(),
    });
    if (status === 0) {
      socket.destroy();
      return;
    }
    const body = Buffer.from(ERROR_BODIES[status], 'utf8');
    const head =
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\n` +
      `Content-Type: ${TEXT}\r\nContent-Length: ${body.byteLength}\r\n` +
      `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n`;
    socket.end(Buffer.concat([Buffer.from(head, 'latin1'), body]), () => socket.destroy());
    // Do not wait for a client that never reads.
    setTimeout(() => socket.destroy(), 2000).unref();
  }

  /** Stops listening and closes connections (idle ones at once, busy ones after 500 ms). Safe to call twice. */
  stop(): Promise<void> {
    if (this.#stopping) return this.#stopping;
    const server = this.#server;
    if (!server)
      return this.#starting
        ? this.#starting.then(
            () => this.stop(),
            () => undefined,
          )
        : Promise.resolve();
    this.#stopping = new Promise<void>((resolve) => {
      const force = setTimeout(() => server.closeAllConnections(), 500);
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    }).finally(() => {
      this.#server = null;
      this.#info = null;
      this.#stopping = null;
    });
    return this.#stopping;
  }
}
