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
 * - Every response reads the store, so profile and logo changes show on the next request.
 * - Limits: maxHeaderSize (431), headersTimeout and requestTimeout (a slow client gets 408 and
 *   is cut off); malformed requests get 400. None of these stops the server.
 * - Binds loopback only unless `allowNetworkExposure: true`, which emits a 'warning'.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { ServerError } from './errors';
import { buildRoutes, defaultTemplate, requestPath, type Resource } from './routes';
import type { ProfileStore } from './store';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8001;

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
  405: '405 Method Not Allowed — this server only answers GET and HEAD — 仅支持 GET 和 HEAD\n',
  408: '408 Request Timeout — 请求超时\n',
  413: '413 Content Too Large\n',
  431: '431 Request Header Fields Too Large — 请求头过大\n',
};

/** A response ready to send: status, headers and body. */
interface Reply {
  status: number;
  contentType: string;
  headers: Record<string, string | number>;
  body: Uint8Array;
}

function replyOf(status: number, resource: Resource, extra: Record<string, string> = {}): Reply {
  // Content-Type first, as in the seed's capture; Node adds Date, Connection and Keep-Alive.
  const headers: Record<string, string | number> = {
    'Content-Type': resource.contentType,
    'Content-Length': resource.body.byteLength,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': resource.csp ?? "default-src 'none'",
    'Cache-Control': 'no-store',
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

export class ProfileServer extends EventEmitter<ServerEvents> {
  readonly #store: ProfileStore;
  readonly #options: ProfileServerOptions;
  #template: string | undefined;
  #server: http.Server | null = null;
  #starting: Promise<StartedInfo> | null = null;
  #stopping: Promise<void> | null = null;
  #info: StartedInfo | null = null;
  /** The rendered page and logo with their headers, rebuilt only when the profile, logo or template changes. */
  #routes: Map<string, Reply> | null = null;

  constructor(options: ProfileServerOptions) {
    super();
    this.#store = options.store;
    this.#options = options;
    this.#template = options.template;
    this.#store.on('change', () => {
      this.#routes = null;
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
  }

  #currentReplies(): Map<string, Reply> {
    if (this.#routes === null) {
      const routes = buildRoutes(this.#store.get(), this.#store.logo(), this.#template ?? '');
      this.#routes = new Map([...routes].map(([path, resource]) => [path, replyOf(200, resource)]));
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

    let reply: Reply;
    if (method !== 'GET' && !isHead) reply = ERROR_REPLIES[405];
    else {
      const path = requestPath(target);
      if (path === null) reply = ERROR_REPLIES[400];
      else reply = this.#currentReplies().get(path) ?? ERROR_REPLIES[404];
    }
    // The headers of every reply are built once (with its routes), not per request.
    res.writeHead(reply.status, reply.headers);
    if (isHead) res.end();
    else res.end(reply.body);
    // Reported once the response is handed to the socket (status and size are known now); no
    // per-response 'finish' listener, and nothing built when nobody listens.
    if (reporting) {
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
    }
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
