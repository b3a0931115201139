/**
 * HTTP/1.x over TCP, after Wireshark 4.0's packet-http.c (one pass, default preferences:
 * desegment headers and body, de-chunk, decompress). Registered as a TCP payload consumer on
 * Wireshark's default HTTP ports, with its TCP heuristic (first line starts or ends with
 * "HTTP/1.") so that a lab server on port 8001 is found.
 *
 * Request/response linking follows the one-pass model: each request starts a transaction,
 * a response completes the newest one (or starts a new one if it already has a response),
 * and a frame only shows what was known when it was dissected. A stream's state keeps only
 * the last two transactions (all a new message links to) and is dropped when TCP says the
 * stream can no longer be reached, so memory does not grow with the number of connections.
 */
import { defineFields, type FieldDef } from '../../fields';
import {
  tcpPayloadConsumers,
  BoundsError,
  DESEGMENT_UNTIL_FIN,
  type DesegmentRequest,
  type PacketContext,
  type TcpPayloadConsumer,
  type TcpPayloadInfo,
} from '../../context';
import type { ProtoNode } from '../../tree';
import {
  formatText,
  fitLabel,
  asciiString,
  findLineEnd,
  findLineEndOrEof,
  findLineTerminator,
  afterLineTerminator,
  bytesEqualCI,
  utf8String,
} from '../media/text';
import { decodeContent } from './decode';
import { dissectMediaBody, dissectDataUnder } from '../media';

export const httpFields = defineFields({
  http: { abbrev: 'http', name: 'Hypertext Transfer Protocol', type: 'protocol', subtreeHolds: ['data'] },
  request: { abbrev: 'http.request', name: 'Request', type: 'bool' },
  response: { abbrev: 'http.response', name: 'Response', type: 'bool' },
  chat: { abbrev: 'http.chat', name: 'Chat', type: 'none' },
  method: { abbrev: 'http.request.method', name: 'Request Method', type: 'string' },
  uri: { abbrev: 'http.request.uri', name: 'Request URI', type: 'string' },
  uriPath: { abbrev: 'http.request.uri.path', name: 'Request URI Path', type: 'string' },
  uriQuery: { abbrev: 'http.request.uri.query', name: 'Request URI Query', type: 'string' },
  uriQueryParam: { abbrev: 'http.request.uri.query.parameter', name: 'Request URI Query Parameter', type: 'string' },
  requestVersion: { abbrev: 'http.request.version', name: 'Request Version', type: 'string' },
  responseVersion: { abbrev: 'http.response.version', name: 'Response Version', type: 'string' },
  responseCode: { abbrev: 'http.response.code', name: 'Status Code', type: 'uint16' },
  responseCodeDesc: { abbrev: 'http.response.code.desc', name: 'Status Code Description', type: 'string' },
  responsePhrase: { abbrev: 'http.response.phrase', name: 'Response Phrase', type: 'string' },
  requestLine: { abbrev: 'http.request.line', name: 'Request line', type: 'string' },
  responseLine: { abbrev: 'http.response.line', name: 'Response line', type: 'string' },
  authorization: { abbrev: 'http.authorization', name: 'Authorization', type: 'string' },
  proxyAuthorization: { abbrev: 'http.proxy_authorization', name: 'Proxy-Authorization', type: 'string' },
  proxyAuthenticate: { abbrev: 'http.proxy_authenticate', name: 'Proxy-Authenticate', type: 'string' },
  wwwAuthenticate: { abbrev: 'http.www_authenticate', name: 'WWW-Authenticate', type: 'string' },
  basic: { abbrev: 'http.authbasic', name: 'Credentials', type: 'string' },
  contentType: { abbrev: 'http.content_type', name: 'Content-Type', type: 'string' },
  contentLengthHeader: { abbrev: 'http.content_length_header', name: 'Content-Length', type: 'string' },
  contentLength: { abbrev: 'http.content_length', name: 'Content length', type: 'uint64' },
  contentEncoding: { abbrev: 'http.content_encoding', name: 'Content-Encoding', type: 'string' },
  transferEncoding: { abbrev: 'http.transfer_encoding', name: 'Transfer-Encoding', type: 'string' },
  upgrade: { abbrev: 'http.upgrade', name: 'Upgrade', type: 'string' },
  userAgent: { abbrev: 'http.user_agent', name: 'User-Agent', type: 'string' },
  host: { abbrev: 'http.host', name: 'Host', type: 'string' },
  range: { abbrev: 'http.range', name: 'Range', type: 'string' },
  contentRange: { abbrev: 'http.content_range', name: 'Content-Range', type: 'string' },
  connection: { abbrev: 'http.connection', name: 'Connection', type: 'string' },
  cookie: { abbrev: 'http.cookie', name: 'Cookie', type: 'string' },
  cookiePair: { abbrev: 'http.cookie_pair', name: 'Cookie pair', type: 'string' },
  accept: { abbrev: 'http.accept', name: 'Accept', type: 'string' },
  referer: { abbrev: 'http.referer', name: 'Referer', type: 'string' },
  acceptLanguage: { abbrev: 'http.accept_language', name: 'Accept-Language', type: 'string' },
  acceptEncoding: { abbrev: 'http.accept_encoding', name: 'Accept Encoding', type: 'string' },
  date: { abbrev: 'http.date', name: 'Date', type: 'string' },
  cacheControl: { abbrev: 'http.cache_control', name: 'Cache-Control', type: 'string' },
  server: { abbrev: 'http.server', name: 'Server', type: 'string' },
  location: { abbrev: 'http.location', name: 'Location', type: 'string' },
  secWebsocketAccept: { abbrev: 'http.sec_websocket_accept', name: 'Sec-WebSocket-Accept', type: 'string' },
  secWebsocketExtensions: { abbrev: 'http.sec_websocket_extensions', name: 'Sec-WebSocket-Extensions', type: 'string' },
  secWebsocketKey: { abbrev: 'http.sec_websocket_key', name: 'Sec-WebSocket-Key', type: 'string' },
  secWebsocketProtocol: { abbrev: 'http.sec_websocket_protocol', name: 'Sec-WebSocket-Protocol', type: 'string' },
  secWebsocketVersion: { abbrev: 'http.sec_websocket_version', name: 'Sec-WebSocket-Version', type: 'string' },
  setCookie: { abbrev: 'http.set_cookie', name: 'Set-Cookie', type: 'string' },
  lastModified: { abbrev: 'http.last_modified', name: 'Last-Modified', type: 'string' },
  xForwardedFor: { abbrev: 'http.x_forwarded_for', name: 'X-Forwarded-For', type: 'string' },
  http2Settings: { abbrev: 'http.http2_settings', name: 'HTTP2-Settings', type: 'string' },
  fullUri: { abbrev: 'http.request.full_uri', name: 'Full request URI', type: 'string' },
  requestNumber: { abbrev: 'http.request_number', name: 'HTTP request', type: 'uint32' },
  responseNumber: { abbrev: 'http.response_number', name: 'HTTP response', type: 'uint32' },
  responseIn: { abbrev: 'http.response_in', name: 'Response in frame', type: 'framenum' },
  requestIn: { abbrev: 'http.request_in', name: 'Request in frame', type: 'framenum' },
  nextRequestIn: { abbrev: 'http.next_request_in', name: 'Next request in frame', type: 'framenum' },
  nextResponseIn: { abbrev: 'http.next_response_in', name: 'Next response in frame', type: 'framenum' },
  prevRequestIn: { abbrev: 'http.prev_request_in', name: 'Prev request in frame', type: 'framenum' },
  prevResponseIn: { abbrev: 'http.prev_response_in', name: 'Prev response in frame', type: 'framenum' },
  time: { abbrev: 'http.time', name: 'Time since request', type: 'time_rel' },
  responseForUri: { abbrev: 'http.response_for.uri', name: 'Request URI', type: 'string' },
  fileData: { abbrev: 'http.file_data', name: 'File Data', type: 'string' },
  chunkSize: { abbrev: 'http.chunk_size', name: 'Chunk size', type: 'uint32' },
  chunkData: { abbrev: 'http.chunk_data', name: 'Chunk data', type: 'bytes' },
  chunkBoundary: { abbrev: 'http.chunk_boundary', name: 'Chunk boundary', type: 'bytes' },
  chunkedTrailer: { abbrev: 'http.chunked_trailer_part', name: 'trailer-part', type: 'string' },
});
const f = httpFields;

/** Wireshark 4.0's vals_http_status_code. */
export const HTTP_STATUS: Readonly<Record<number, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  199: 'Informational - Others',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  208: 'Already Reported',
  226: 'IM Used',
  299: 'Success - Others',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  305: 'Use Proxy',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  399: 'Redirection - Others',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Time-out',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Requested Range Not Satisfiable',
  417: 'Expectation Failed',
  418: "I'm a teapot",
  421: 'Misdirected Request',
  422: 'Unprocessable Entity',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  499: 'Client Error - Others',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Time-out',
  505: 'HTTP Version not supported',
  506: 'Variant Also Negotiates',
  507: 'Insufficient Storage',
  508: 'Loop Detected',
  510: 'Not Extended',
  511: 'Network Authentication Required',
  599: 'Server Error - Others',
};

/** Wireshark's default "TCP Ports" range for HTTP (TCP_DEFAULT_RANGE). */
export const HTTP_TCP_PORTS: readonly number[] = [80, 3128, 3132, 5985, 8080, 8088, 11371, 1900, 2869, 2710];

/** Request methods is_http_request_or_reply() accepts (HTTP, WebDAV, SSDP, RPC over HTTP). */
const METHODS = new Set([
  'GET',
  'PUT',
  'COPY',
  'HEAD',
  'LOCK',
  'MOVE',
  'POLL',
  'POST',
  'BCOPY',
  'BMOVE',
  'MKCOL',
  'TRACE',
  'PATCH',
  'LABEL',
  'MERGE',
  'DELETE',
  'SEARCH',
  'UNLOCK',
  'REPORT',
  'UPDATE',
  'NOTIFY',
  'BDELETE',
  'CONNECT',
  'OPTIONS',
  'CHECKIN',
  'PROPFIND',
  'CHECKOUT',
  'CCM_POST',
  'M-SEARCH',
  'SUBSCRIBE',
  'PROPPATCH',
  'BPROPFIND',
  'BPROPPATCH',
  'UNCHECKOUT',
  'MKACTIVITY',
  'MKWORKSPACE',
  'UNSUBSCRIBE',
  'RPC_CONNECT',
  'VERSION-CONTROL',
  'BASELINE-CONTROL',
]);

/** Headers with their own field (Wireshark's headers[] table); keys lower case. */
const HEADER_FIELDS: ReadonlyMap<string, FieldDef> = new Map([
  ['authorization', f.authorization],
  ['proxy-authorization', f.proxyAuthorization],
  ['proxy-authenticate', f.proxyAuthenticate],
  ['www-authenticate', f.wwwAuthenticate],
  ['content-type', f.contentType],
  ['content-length', f.contentLengthHeader],
  ['content-encoding', f.contentEncoding],
  ['transfer-encoding', f.transferEncoding],
  ['upgrade', f.upgrade],
  ['user-agent', f.userAgent],
  ['host', f.host],
  ['range', f.range],
  ['content-range', f.contentRange],
  ['connection', f.connection],
  ['cookie', f.cookie],
  ['accept', f.accept],
  ['referer', f.referer],
  ['accept-language', f.acceptLanguage],
  ['accept-encoding', f.acceptEncoding],
  ['date', f.date],
  ['cache-control', f.cacheControl],
  ['server', f.server],
  ['location', f.location],
  ['sec-websocket-accept', f.secWebsocketAccept],
  ['sec-websocket-extensions', f.secWebsocketExtensions],
  ['sec-websocket-key', f.secWebsocketKey],
  ['sec-websocket-protocol', f.secWebsocketProtocol],
  ['sec-websocket-version', f.secWebsocketVersion],
  ['set-cookie', f.setCookie],
  ['last-modified', f.lastModified],
  ['x-forwarded-for', f.xForwardedFor],
  ['http2-settings', f.http2Settings],
]);

/**
 * Headers bigger than this are not desegmented further (Wireshark has no limit; this keeps a
 * hostile stream of header bytes from making every later segment re-scan megabytes).
 */
export const MAX_DESEGMENT_HEADER_BYTES = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Per-stream state

/** One request/response pair (Wireshark's http_req_res_t). */
export interface HttpTransaction {
  /** 1-based position in the stream. */
  number: number;
  reqFrame: number;
  /** Request time, seconds since the epoch (split to keep nanosecond precision). */
  reqSec: number;
  reqNsec: number;
  resFrame: number;
  method: string | null;
  uri: string | null;
  fullUri: string | null;
  responseCode: number | null;
}

export interface HttpStream {
  /** Transactions in the stream so far. */
  count: number;
  /** The newest transaction (number `count`) and the one before it. */
  last: HttpTransaction | null;
  prev: HttpTransaction | null;
  /** Method / URI of the last request seen (Wireshark's conv_data). */
  lastMethod: string | null;
  lastUri: string | null;
  lastFullUri: string | null;
}

export type HttpStreams = Map<number, HttpStream>;

/** The per-capture HTTP state (for the UI's transaction list and a second pass). */
export function httpStreams(ctx: PacketContext): HttpStreams {
  return ctx.state.state<HttpStreams>('http.streams', () => new Map());
}

function streamState(ctx: PacketContext, stream: number): HttpStream {
  const all = httpStreams(ctx);
  let s = all.get(stream);
  if (!s) {
    s = { count: 0, last: null, prev: null, lastMethod: null, lastUri: null, lastFullUri: null };
    all.set(stream, s);
  }
  return s;
}

function addTransaction(stream: HttpStream, tr: HttpTransaction): void {
  stream.prev = stream.last;
  stream.last = tr;
  stream.count++;
}

/** The transaction numbered `n` in the stream, if it is one of the two kept. */
function transaction(stream: HttpStream, n: number): HttpTransaction | undefined {
  if (stream.last !== null && stream.last.number === n) return stream.last;
  if (stream.prev !== null && stream.prev.number === n) return stream.prev;
  return undefined;
}

/** Puts a message in the Info column: the first replaces TCP's text, later ones append (Wireshark's column fence). */
function writeInfo(ctx: PacketContext, text: string): void {
  if (ctx.infoMessages === 0) {
    // TCP keeps its analysis markers in front (applyPrefix) after we return.
    ctx.setInfo(text);
  } else {
    ctx.appendInfo(text);
  }
  ctx.infoMessages++;
}

// ---------------------------------------------------------------------------------------------
// First line

type HttpType = 'request' | 'response';

interface FirstLine {
  type: HttpType;
  /** Length of the method token (requests). */
  methodLen: number;
}

/** is_http_request_or_reply(): a known method followed by a space, or "HTTP/" at the start. */
function classifyFirstLine(buf: Uint8Array, start: number, lineLen: number): FirstLine | null {
  if (lineLen >= 5 && bytesEqualCI(buf, start, start + 5, 'HTTP/') && buf[start] === 0x48) {
    return { type: 'response', methodLen: 0 };
  }
  let i = start;
  const end = start + lineLen;
  while (i < end && buf[i] !== 0x20 && i - start < 17) i++;
  if (i >= end || buf[i] !== 0x20) return null;
  const token = asciiString(buf, start, i);
  if (!METHODS.has(token)) return null;
  return { type: 'request', methodLen: i - start };
}

/** The TCP heuristic (dissect_http_heur_tcp): a complete first line starting or ending with HTTP/1. */
export function looksLikeHttp(buf: Uint8Array, offset: number, end: number): boolean {
  const line = findLineEnd(buf, offset, end);
  if (!line || line.length === 8) return false;
  return (
    bytesEqualCI(buf, offset + line.length - 8, offset + line.length, 'HTTP/1.') ||
    bytesEqualCI(buf, offset, end, 'HTTP/1.')
  );
}

/** Could these bytes (no line end yet) still become a request or status line? */
function couldStartMessage(buf: Uint8Array, start: number, end: number): boolean {
  const n = Math.min(end - start, 17);
  if (n <= 0) return true;
  const head = asciiString(buf, start, start + n);
  if ('HTTP/'.startsWith(head.slice(0, 5)) || head.startsWith('HTTP/')) return true;
  const sp = head.indexOf(' ');
  if (sp >= 0) return METHODS.has(head.slice(0, sp));
  for (const m of METHODS) if (m.startsWith(head)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Header scan (req_resp_hdrs_do_reassembly) and parsing

interface Headers {
  contentType: string | null;
  /** Media type, lower case, without parameters. */
  mediaType: string | null;
  /** Parameters after the first ';' (Wireshark's media_str). */
  mediaParams: string | null;
  contentLength: number | null;
  contentEncoding: string | null;
  transferEncoding: string | null;
  chunked: boolean;
  host: string | null;
}

interface Line {
  start: number;
  length: number;
  next: number;
}

interface ScanResult {
  /** Header lines (not the first line, not the blank line). */
  lines: Line[];
  /** The blank line ending the headers, or null when the headers stop at a non-header line or the data end. */
  blank: Line | null;
  /** Offset where the body starts. */
  bodyStart: number;
  /**
   * The captured data stops inside a line that is not (yet) a header, in a packet cut by the
   * snap length: Wireshark's header loop throws there (tvb_ensure_bytes_exist past the line).
   */
  cutInLine: boolean;
}

// HTTP messages do not nest, so one scan is in use at a time: its result and line objects are
// reused rather than allocated for every message (and again for every segment of one).
const scanResult: ScanResult = { lines: [], blank: null, bodyStart: 0, cutInLine: false };
const blankLine: Line = { start: 0, length: 0, next: 0 };
const linePool: Line[] = [];
/** Lines kept for reuse: beyond this (a hostile header flood) lines are allocated and let go. */
const LINE_POOL_SIZE = 256;

/**
 * Header lines after the first line. With `desegment` (more data may follow) returns null when
 * the blank line has not arrived yet. The result is valid until the next call.
 */
function scanHeaders(
  buf: Uint8Array,
  from: number,
  end: number,
  desegment: boolean,
  truncated = false,
): ScanResult | null {
  const lines = scanResult.lines;
  lines.length = 0;
  scanResult.blank = null;
  scanResult.cutInLine = false;
  let pos = from;
  for (;;) {
    if (pos >= end) {
      if (desegment) return null;
      scanResult.bodyStart = pos;
      return scanResult;
    }
    const at = findLineTerminator(buf, pos, end, !desegment);
    if (at < 0 && desegment) return null;
    const length = (at < 0 ? end : at) - pos;
    const next = at < 0 ? end : afterLineTerminator(buf, at, end);
    if (length === 0) {
      blankLine.start = pos;
      blankLine.next = next;
      scanResult.blank = blankLine;
      scanResult.bodyStart = next;
      return scanResult;
    }
    if (truncated && at < 0) {
      // The last captured line, cut by the snap length.
      const kind = cutLineKind(buf, pos, end);
      if (kind !== 'header') {
        scanResult.bodyStart = pos;
        scanResult.cutInLine = kind === 'cut';
        return scanResult;
      }
    } else if (!isHeaderLine(buf, pos, pos + length) && !desegment) {
      scanResult.bodyStart = pos;
      return scanResult;
    }
    const i = lines.length;
    let line: Line;
    if (i < LINE_POOL_SIZE) line = linePool[i] ??= { start: 0, length: 0, next: 0 };
    else line = { start: 0, length: 0, next: 0 };
    line.start = pos;
    line.length = length;
    line.next = next;
    lines.push(line);
    pos = next;
  }
}

/** A header line: a token then ':' (or a folded continuation starting with white space). */
function isHeaderLine(buf: Uint8Array, start: number, end: number): boolean {
  if (buf[start] === 0x20 || buf[start] === 0x09) return true;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x3a) return i > start;
    if (NOT_TOKEN[c] === 1) return false;
  }
  return false;
}

/**
 * What Wireshark's header loop makes of a line the capture cut short: a header when a ':' ends
 * a token ('header'); not HTTP when a separator comes first ('other'); otherwise the line may
 * still become a header on the wire, and reading on for its end fails ('cut').
 */
function cutLineKind(buf: Uint8Array, start: number, end: number): 'header' | 'other' | 'cut' {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c < 0x20 || c >= 0x7f) return 'cut';
    if (c === 0x3a) return 'header';
    if (NOT_TOKEN[c] === 1) return 'other';
  }
  return 'cut';
}

/** Bytes that cannot appear in a header name: controls, space, DEL and up, and the separators. */
const NOT_TOKEN = ((): Uint8Array => {
  const table = new Uint8Array(256);
  for (let c = 0; c < 256; c++) {
    if (c <= 0x20 || c >= 0x7f || '()<>@,;\\"/[]?={}'.includes(String.fromCharCode(c))) table[c] = 1;
  }
  return table;
})();

/** The headers readHeaders() looks at, by name length (the name is compared before any string is made). */
const READ_HEADER_NAMES: readonly string[] = [
  'host',
  'content-type',
  'content-length',
  'content-encoding',
  'transfer-encoding',
];
const READ_HEADER_LENGTHS = new Set(READ_HEADER_NAMES.map((n) => n.length));

function readHeaderName(buf: Uint8Array, start: number, colon: number): string | null {
  const len = colon - start;
  if (!READ_HEADER_LENGTHS.has(len)) return null;
  for (const name of READ_HEADER_NAMES) if (name.length === len && bytesEqualCI(buf, start, colon, name)) return name;
  return null;
}

function colonOf(buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (buf[i] === 0x3a) return i;
  return -1;
}

function headerValueStart(buf: Uint8Array, colon: number, end: number): number {
  let v = colon + 1;
  while (v < end && (buf[v] === 0x20 || buf[v] === 0x09)) v++;
  return v;
}

function readHeaders(buf: Uint8Array, lines: readonly Line[]): Headers {
  const h: Headers = {
    contentType: null,
    mediaType: null,
    mediaParams: null,
    contentLength: null,
    contentEncoding: null,
    transferEncoding: null,
    chunked: false,
    host: null,
  };
  for (const line of lines) {
    const end = line.start + line.length;
    const colon = colonOf(buf, line.start, end);
    if (colon < 0) continue;
    const name = readHeaderName(buf, line.start, colon);
    if (name === null) continue;
    const valueStart = headerValueStart(buf, colon, end);
    if (name === 'content-length') {
      const n = decimalValue(buf, valueStart, end);
      if (n !== null) h.contentLength = n;
      continue;
    }
    // The value's text is made only for the headers read here.
    switch (name) {
      case 'content-type': {
        const value = asciiString(buf, valueStart, end);
        h.contentType = value;
        const media = mediaTypeOf(value);
        h.mediaType = media.type;
        h.mediaParams = media.params;
        break;
      }
      case 'content-encoding':
        h.contentEncoding = asciiString(buf, valueStart, end);
        break;
      case 'transfer-encoding': {
        const value = asciiString(buf, valueStart, end);
        h.transferEncoding = value;
        if (/^[ \t]*chunked/i.test(value)) h.chunked = true;
        break;
      }
      case 'host':
        h.host = asciiString(buf, valueStart, end);
        break;
      default:
        break;
    }
  }
  return h;
}

/** A Content-Length value: digits between optional white space, as a safe integer; else null. */
function decimalValue(buf: Uint8Array, start: number, end: number): number | null {
  while (end > start && isSpace(buf[end - 1])) end--;
  while (start < end && isSpace(buf[start])) start++;
  if (start === end) return null;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c < 0x30 || c > 0x39) return null;
    n = n * 10 + (c - 0x30);
  }
  return Number.isSafeInteger(n) ? n : null;
}

/** White space as String.prototype.trim sees it in an ASCII header value. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

interface MediaType {
  /** Lower case, without parameters. */
  type: string;
  /** What follows the first ';' (Wireshark's media_str), or null. */
  params: string | null;
}

// A capture repeats a few Content-Type values: each is parsed once.
const mediaTypes = new Map<string, MediaType>();

function mediaTypeOf(value: string): MediaType {
  let media = mediaTypes.get(value);
  if (media === undefined) {
    const semi = value.indexOf(';');
    const type = (semi >= 0 ? value.slice(0, semi) : value).trim().toLowerCase();
    media = {
      type: type.split(/[ \t]/)[0],
      params: semi >= 0 ? value.slice(semi + 1).replace(/^[ \t]+/, '') : null,
    };
    if (mediaTypes.size >= 1024) mediaTypes.clear();
    mediaTypes.set(value, media);
  }
  return media;
}

/** End of a complete chunked body starting at `start`, null when more data is needed, -1 when unparsable. */
function chunkedBodyEnd(buf: Uint8Array, start: number, end: number): number | null {
  let pos = start;
  for (;;) {
    if (pos >= end) return null;
    const le = findLineEnd(buf, pos, end);
    if (!le) return null;
    const size = parseChunkSize(buf, pos, pos + le.length);
    if (size === null || size > 2 ** 31) return -1;
    if (size === 0) {
      const tail = findLineEnd(buf, le.next, end);
      if (!tail) return null;
      return tail.next;
    }
    if (end - pos > size + (le.next - pos)) {
      pos = le.next + size + 2;
    } else {
      return null;
    }
  }
}

/** sscanf("%x") of a chunk-size line (extensions after ';' ignored). */
function parseChunkSize(buf: Uint8Array, start: number, end: number): number | null {
  let i = start;
  while (i < end && (buf[i] === 0x20 || buf[i] === 0x09)) i++;
  let value = 0;
  let digits = 0;
  for (; i < end; i++) {
    const c = buf[i];
    const d =
      c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) break;
    value = value * 16 + d;
    digits++;
    if (value > 2 ** 40) break;
  }
  return digits === 0 ? null : value;
}

// ---------------------------------------------------------------------------------------------
// The consumer

export const httpConsumer: TcpPayloadConsumer = {
  name: 'http',
  ports: HTTP_TCP_PORTS,
  heuristic(buf: Uint8Array, offset: number, end: number): boolean {
    return looksLikeHttp(buf, offset, end);
  },
  dissect(ctx, buf, offset, end, tree, info): DesegmentRequest | void {
    let pos = offset;
    const stop = Math.min(end, buf.length);
    while (pos < stop) {
      const r = dissectMessage(ctx, buf, pos, stop, tree, info, offset);
      if (typeof r !== 'number') return r;
      if (r <= pos) break;
      pos = r;
    }
    // Cut by the snap length: Wireshark's loop goes on to the next message, which starts in the
    // bytes not captured, and stops there with "[Packet size limited during capture]".
    if (pos >= stop && (info.reportedEnd ?? stop) > stop && ctx.packet.protocols.includes('http')) {
      throw new BoundsError('captured');
    }
  },
  release(ctx, stream): void {
    httpStreams(ctx).delete(stream);
  },
};

tcpPayloadConsumers.push(httpConsumer);

/** Dissects one message at `start`; returns the offset after it, or a desegmentation request. */
function dissectMessage(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  tree: ProtoNode[] | null,
  tcp: TcpPayloadInfo,
  callStart: number,
): number | DesegmentRequest {
  const canDesegment = !tcp.outOfOrder && tcp.canDesegment !== false;
  const firstEnd = findLineEnd(buf, start, end);
  if (!firstEnd) {
    // No complete first line: ask for more while it could still be a request or status line.
    if (canDesegment && end - start < MAX_DESEGMENT_HEADER_BYTES && couldStartMessage(buf, start, end)) {
      return { offset: start, needMore: -1 };
    }
    return dissectContinuation(ctx, buf, start, end, tree, tcp);
  }
  const first = classifyFirstLine(buf, start, firstEnd.length);
  if (!first) return dissectContinuation(ctx, buf, start, end, tree, tcp);

  const stream = streamState(ctx, tcp.stream);
  const firstLineText = formatText(buf, start, start + firstEnd.length);
  writeInfo(ctx, firstLineText + ' ');
  ctx.columns.protocol = 'HTTP';

  // What the response is to (Wireshark: conv_data->request_method, i.e. the last request).
  let code: number | null = null;
  if (first.type === 'response') code = parseStatusCode(buf, start, start + firstEnd.length);
  const method = first.type === 'request' ? asciiString(buf, start, start + first.methodLen) : stream.lastMethod;
  const noBody =
    first.type === 'response' &&
    ((code !== null && (Math.floor(code / 100) === 1 || code === 204 || code === 304)) ||
      method === 'HEAD' ||
      (method === 'CONNECT' && code !== null && Math.floor(code / 100) === 2));

  // req_resp_hdrs_do_reassembly
  const desegHeaders = canDesegment && end - start < MAX_DESEGMENT_HEADER_BYTES;
  const truncated = (tcp.reportedEnd ?? end) > end;
  const scan = scanHeaders(buf, firstEnd.next, end, desegHeaders, truncated);
  if (!scan) return { offset: start, needMore: -1 };
  const headers = readHeaders(buf, scan.lines);
  if (canDesegment && !noBody && scan.blank) {
    if (headers.chunked) {
      const ce = chunkedBodyEnd(buf, scan.bodyStart, end);
      if (ce === null) return { offset: start, needMore: -1 };
    } else if (headers.contentLength !== null) {
      const have = end - scan.bodyStart;
      if (have < headers.contentLength) {
        return { offset: start, needMore: Math.min(headers.contentLength - have, 0x7fffffff) };
      }
    } else if (first.type === 'response' && tcp.fin !== true) {
      // Body until the connection closes (RFC 7230 3.3.3 item 7).
      return { offset: start, needMore: DESEGMENT_UNTIL_FIN };
    }
  }

  // ---- The message is complete (or cannot be completed): dissect it.
  if (!ctx.packet.protocols.includes('http')) ctx.enterProtocol('http');
  const bodyStart = scan.bodyStart;
  let bodyEnd: number;
  if (noBody) bodyEnd = bodyStart;
  else if (headers.chunked) bodyEnd = end;
  else if (headers.contentLength !== null) bodyEnd = Math.min(end, bodyStart + headers.contentLength);
  else if (first.type === 'request') bodyEnd = bodyStart;
  else bodyEnd = end;
  if (!scan.blank) bodyEnd = Math.max(bodyStart, bodyEnd);

  const httpNode = ctx.add(tree, f.http, start, 0, undefined);
  const ht = ctx.children(httpNode);

  // First line (with its terminator, as the tree and the chat expert item show it)
  let lt: ProtoNode[] | null = null;
  if (ht) {
    const firstLineFull = firstLineText + formatText(buf, start + firstEnd.length, firstEnd.next);
    lt = ctx.children(ctx.add(ht, undefined, start, firstEnd.next - start, undefined, fitLabel(firstLineFull)));
    ctx.expert(lt, 'http', 'chat', 'sequence', firstLineFull, f.chat);
  }
  if (first.type === 'request') dissectRequestLine(ctx, lt, buf, start, start + firstEnd.length, stream);
  else dissectStatusLine(ctx, lt, buf, start, start + firstEnd.length);

  // Headers
  if (ht) for (const line of scan.lines) addHeader(ctx, ht, buf, line, first.type);
  // The capture stops inside a line that could still be a header: nothing more can be read.
  // The request line is kept for its response, as Wireshark's conversation data is (its full
  // URI, made after the headers, stays the previous request's).
  if (scan.cutInLine) {
    if (first.type === 'request') {
      stream.lastMethod = method;
      stream.lastUri = lastRequestUri;
    }
    throw new BoundsError('captured');
  }
  if (scan.blank && ht)
    ctx.add(
      ht,
      undefined,
      scan.blank.start,
      scan.blank.next - scan.blank.start,
      undefined,
      formatText(buf, scan.blank.start, scan.blank.next),
    );

  // Transactions (one pass: every message is new, frames only grow)
  void callStart;
  if (first.type === 'request') {
    const uri = lastRequestUri;
    const fullUri = uri !== null && headers.host !== null ? fullRequestUri(uri, headers.host) : null;
    const tr: HttpTransaction = {
      number: stream.count + 1,
      reqFrame: ctx.packet.number,
      reqSec: ctx.packet.record.tsSec,
      reqNsec: ctx.packet.record.tsNsec,
      resFrame: 0,
      method,
      uri,
      fullUri,
      responseCode: null,
    };
    addTransaction(stream, tr);
    stream.lastMethod = method;
    stream.lastUri = uri;
    stream.lastFullUri = fullUri;
    if (fullUri !== null && ht) ctx.addGenerated(ht, f.fullUri, fullUri, `Full request URI: ${fitValue(fullUri)}`);
    ctx.addHidden(ht, f.request, start, 0, true);
    addRequestLinks(ctx, ht, stream, tr);
  } else {
    const tail = stream.last;
    let tr: HttpTransaction;
    if (tail && tail.resFrame === 0) {
      tr = tail;
    } else {
      tr = {
        number: stream.count + 1,
        reqFrame: 0,
        reqSec: 0,
        reqNsec: 0,
        resFrame: 0,
        method: null,
        uri: null,
        fullUri: null,
        responseCode: null,
      };
      addTransaction(stream, tr);
    }
    tr.resFrame = ctx.packet.number;
    tr.responseCode = code;
    ctx.addHidden(ht, f.response, start, 0, true);
    addResponseLinks(ctx, ht, stream, tr);
  }

  // Body
  if (bodyEnd > bodyStart) {
    const bodyCut = truncated && (headers.contentLength === null || bodyStart + headers.contentLength > end);
    dissectBody(ctx, buf, bodyStart, bodyEnd, tree, ht, headers, bodyCut);
  }

  if (httpNode) {
    httpNode.length = Math.max(0, Math.min(bodyEnd, end) - start);
    httpNode.source = ctx.source;
  }
  return Math.max(bodyEnd, bodyStart);
}

/** Set by dissectRequestLine for the caller (one message at a time, no re-entrancy). */
let lastRequestUri: string | null = null;

function fullRequestUri(uri: string, host: string): string {
  let byUri = fullUris.get(host);
  if (byUri === undefined) {
    if (fullUris.size >= 256) fullUris.clear();
    byUri = new Map();
    fullUris.set(host, byUri);
  }
  let full = byUri.get(uri);
  if (full === undefined) {
    full = /^[a-z][a-z0-9+.-]*:\/\//i.test(uri) ? uri : `http://${host}${uri}`;
    if (byUri.size >= 1024) byUri.clear();
    byUri.set(uri, full);
  }
  return full;
}

// A capture requests the same few pages of the same few hosts: each full URI is made once
// rather than per request (every transaction keeps its URI while its stream lasts).
const fullUris = new Map<string, Map<string, string>>();

/** A string value as it appears after "Name: " in a label. */
function fitValue(value: string): string {
  return value;
}

function parseStatusCode(buf: Uint8Array, start: number, end: number): number | null {
  let i = start;
  while (i < end && buf[i] !== 0x20) i++;
  while (i < end && buf[i] === 0x20) i++;
  if (end - i < 3) return null;
  let n = 0;
  for (let k = 0; k < 3; k++) {
    const c = buf[i + k];
    if (c < 0x30 || c > 0x39) return null;
    n = n * 10 + (c - 0x30);
  }
  return n;
}

/** get_token_len(): token up to the next space; the next token starts after the spaces. */
function token(buf: Uint8Array, start: number, end: number): { len: number; next: number } {
  let i = start;
  while (i < end && buf[i] !== 0x20) i++;
  const len = i - start;
  while (i < end && buf[i] === 0x20) i++;
  return { len, next: i };
}

function dissectRequestLine(
  ctx: PacketContext,
  lt: ProtoNode[] | null,
  buf: Uint8Array,
  start: number,
  end: number,
  stream: HttpStream,
): void {
  void stream;
  const m = token(buf, start, end);
  lastRequestUri = null;
  if (m.len === 0) return;
  let pos = m.next;
  if (pos - start > 2 + m.len - 1 && buf[pos - 1] === 0x20 && buf[pos - 2] === 0x20) pos--;
  const u = token(buf, pos, end);
  const uri = asciiString(buf, pos, pos + u.len);
  lastRequestUri = uri;
  if (!lt) return;
  ctx.add(
    lt,
    f.method,
    start,
    m.len,
    asciiString(buf, start, start + m.len),
    `Request Method: ${formatText(buf, start, start + m.len)}`,
  );
  const uriNode = ctx.add(lt, f.uri, pos, u.len, uri, fitLabel(`Request URI: ${formatText(buf, pos, pos + u.len)}`));
  const q = uri.indexOf('?');
  if (q >= 0 && uriNode) {
    const ut = ctx.children(uriNode);
    ctx.add(ut, f.uriPath, pos, q, uri.slice(0, q), fitLabel(`Request URI Path: ${formatText(buf, pos, pos + q)}`));
    const qs = pos + q + 1;
    const qe = pos + u.len;
    const qNode = ctx.add(
      ut,
      f.uriQuery,
      qs,
      qe - qs,
      uri.slice(q + 1),
      fitLabel(`Request URI Query: ${formatText(buf, qs, qe)}`),
    );
    const qt = ctx.children(qNode);
    let p = qs;
    while (p <= qe) {
      let a = p;
      while (a < qe && buf[a] !== 0x26) a++;
      ctx.add(
        qt,
        f.uriQueryParam,
        p,
        a - p,
        asciiString(buf, p, a),
        fitLabel(`Request URI Query Parameter: ${formatText(buf, p, a)}`),
      );
      p = a + 1;
    }
  }
  const vStart = u.next;
  ctx.add(
    lt,
    f.requestVersion,
    vStart,
    end - vStart,
    asciiString(buf, vStart, end),
    `Request Version: ${formatText(buf, vStart, end)}`,
  );
}

function dissectStatusLine(
  ctx: PacketContext,
  lt: ProtoNode[] | null,
  buf: Uint8Array,
  start: number,
  end: number,
): void {
  if (!lt) return;
  const v = token(buf, start, end);
  ctx.add(
    lt,
    f.responseVersion,
    start,
    v.len,
    asciiString(buf, start, start + v.len),
    `Response Version: ${formatText(buf, start, start + v.len)}`,
  );
  const c = token(buf, v.next, end);
  if (c.len < 3) return;
  const code = parseStatusCode(buf, start, end);
  if (code === null) return;
  ctx.add(lt, f.responseCode, v.next, 3, code);
  const desc = HTTP_STATUS[code] ?? `Unknown (${code})`;
  const d = ctx.add(lt, f.responseCodeDesc, v.next, 3, desc);
  if (d) d.generated = true;
  const pStart = c.next;
  if (end - pStart >= 1) {
    ctx.add(
      lt,
      f.responsePhrase,
      pStart,
      end - pStart,
      asciiString(buf, pStart, end),
      `Response Phrase: ${formatText(buf, pStart, end)}`,
    );
  }
}

function addHeader(ctx: PacketContext, ht: ProtoNode[] | null, buf: Uint8Array, line: Line, type: HttpType): void {
  if (!ht) return;
  const end = line.start + line.length;
  const itemLen = line.next - line.start;
  const label = fitLabel(formatText(buf, line.start, line.next));
  const lineField = type === 'request' ? f.requestLine : f.responseLine;
  const lineValue = asciiString(buf, line.start, line.next);
  const colon = colonOf(buf, line.start, end);
  const field = colon > line.start ? HEADER_FIELDS.get(asciiString(buf, line.start, colon).toLowerCase()) : undefined;
  if (!field || colon < 0) {
    ctx.add(ht, lineField, line.start, itemLen, lineValue, label);
    return;
  }
  const vStart = headerValueStart(buf, colon, end);
  const value = asciiString(buf, vStart, end);
  const node = ctx.add(ht, field, line.start, itemLen, value, label);
  const c = ctx.children(node);
  if (field === f.contentLengthHeader) {
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) {
      const n = Number(trimmed);
      const g = ctx.add(c, f.contentLength, line.start, itemLen, n);
      if (g) g.generated = true;
    }
  } else if (field === f.cookie) {
    let p = vStart;
    while (p < end) {
      let a = p;
      while (a < end && buf[a] !== 0x3b) a++;
      let s = p;
      while (s < a && buf[s] === 0x20) s++;
      if (a > s)
        ctx.add(c, f.cookiePair, s, a - s, asciiString(buf, s, a), fitLabel(`Cookie pair: ${formatText(buf, s, a)}`));
      p = a + 1;
    }
  } else if (field === f.authorization || field === f.proxyAuthorization) {
    if (value.startsWith('Basic ')) {
      const decoded = decodeBase64(value.slice(6).trim());
      if (decoded !== null) ctx.add(c, f.basic, 0, 0, decoded, `Credentials: ${decoded}`);
    }
  }
  ctx.dropEmptyChildren(node);
  ctx.addHidden(ht, lineField, line.start, itemLen, lineValue);
}

function decodeBase64(text: string): string | null {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  const table = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let bits = 0;
  let acc = 0;
  let out = '';
  for (const ch of clean) {
    acc = (acc << 6) | table.indexOf(ch);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((acc >> bits) & 0xff);
    }
  }
  return out;
}

function addRequestLinks(ctx: PacketContext, ht: ProtoNode[] | null, stream: HttpStream, tr: HttpTransaction): void {
  if (!ht) return;
  const total = stream.count;
  ctx.addGenerated(ht, f.requestNumber, tr.number, `HTTP request ${tr.number}/${total}`);
  const prev = transaction(stream, tr.number - 1);
  const next = transaction(stream, tr.number + 1);
  if (prev && prev.reqFrame)
    ctx.addGenerated(ht, f.prevRequestIn, prev.reqFrame, `Prev request in frame: ${prev.reqFrame}`);
  if (tr.resFrame) ctx.addGenerated(ht, f.responseIn, tr.resFrame, `Response in frame: ${tr.resFrame}`);
  if (next && next.reqFrame)
    ctx.addGenerated(ht, f.nextRequestIn, next.reqFrame, `Next request in frame: ${next.reqFrame}`);
}

function addResponseLinks(ctx: PacketContext, ht: ProtoNode[] | null, stream: HttpStream, tr: HttpTransaction): void {
  if (!ht) return;
  const total = stream.count;
  ctx.addGenerated(ht, f.responseNumber, tr.number, `HTTP response ${tr.number}/${total}`);
  if (tr.reqFrame) {
    const rec = ctx.packet.record;
    const secs = rec.tsSec - tr.reqSec + (rec.tsNsec - tr.reqNsec) / 1e9;
    ctx.addGenerated(ht, f.time, secs, `Time since request: ${secs.toFixed(9)} seconds`);
  }
  const prev = transaction(stream, tr.number - 1);
  const next = transaction(stream, tr.number + 1);
  if (prev && prev.reqFrame)
    ctx.addGenerated(ht, f.prevRequestIn, prev.reqFrame, `Prev request in frame: ${prev.reqFrame}`);
  if (prev && prev.resFrame)
    ctx.addGenerated(ht, f.prevResponseIn, prev.resFrame, `Prev response in frame: ${prev.resFrame}`);
  if (tr.reqFrame) ctx.addGenerated(ht, f.requestIn, tr.reqFrame, `Request in frame: ${tr.reqFrame}`);
  if (next && next.reqFrame)
    ctx.addGenerated(ht, f.nextRequestIn, next.reqFrame, `Next request in frame: ${next.reqFrame}`);
  if (next && next.resFrame)
    ctx.addGenerated(ht, f.nextResponseIn, next.resFrame, `Next response in frame: ${next.resFrame}`);
  const uri = stream.lastFullUri ?? stream.lastUri;
  if (uri !== null) ctx.addGenerated(ht, f.responseForUri, uri, fitLabel(`Request URI: ${uri}`));
}

/** Data that does not start with a request or status line, in a stream known to be HTTP. */
function dissectContinuation(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  tree: ProtoNode[] | null,
  tcp: TcpPayloadInfo,
): number {
  // Data before any HTTP message, or binary data, is not HTTP: tshark shows only TCP's payload.
  const seen = httpStreams(ctx).get(tcp.stream);
  const c0 = buf[start];
  const binary = !(c0 >= 0x20 && c0 < 0x7f) && c0 !== 0x09 && c0 !== 0x0d && c0 !== 0x0a;
  if (!seen || seen.count === 0 || binary) return end;
  writeInfo(ctx, 'Continuation');
  ctx.columns.protocol = 'HTTP';
  if (!ctx.packet.protocols.includes('http')) ctx.enterProtocol('http');
  const node = ctx.add(tree, f.http, start, end - start, undefined);
  const ht = ctx.children(node);
  if (ht) ctx.add(ht, f.fileData, start, end - start, utf8String(buf, start, end), `File Data: ${end - start} bytes`);
  dissectDataUnder(ctx, buf, start, end, ht);
  return end;
}

// ---------------------------------------------------------------------------------------------
// Body: de-chunking, content decoding, then the media dissector

function dissectBody(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  tree: ProtoNode[] | null,
  ht: ProtoNode[] | null,
  headers: Headers,
  truncated = false,
): void {
  let body = buf;
  let bStart = start;
  let bEnd = end;
  const savedSource = ctx.source;
  try {
    if (headers.chunked) {
      const dechunked = dechunk(ctx, buf, start, end, ht);
      ctx.source = addSource(ctx, `De-chunked entity body (${dechunked.length} bytes)`, dechunked);
      body = dechunked;
      bStart = 0;
      bEnd = dechunked.length;
    }
    const enc = headers.contentEncoding;
    if (enc !== null && enc.toLowerCase() !== 'identity') {
      const lower = enc.trim().toLowerCase();
      const encoded = body.subarray(bStart, bEnd);
      const tryDecode = lower === 'gzip' || lower === 'deflate' || lower === 'x-gzip' || lower === 'x-deflate';
      const decoded = tryDecode ? decodeContent(encoded) : null;
      const eNode = ctx.add(
        ht,
        undefined,
        bStart,
        bEnd - bStart,
        undefined,
        `Content-encoded entity body (${enc}): ${bEnd - bStart} bytes`,
      );
      if (decoded) {
        if (eNode) eNode.text += ` -> ${decoded.length} bytes`;
        ctx.source = addSource(ctx, `Uncompressed entity body (${decoded.length} bytes)`, decoded);
        body = decoded;
        bStart = 0;
        bEnd = decoded.length;
      } else {
        if (eNode && tryDecode) eNode.text += ' [Error: Decompression failed]';
        dissectDataUnder(ctx, body, bStart, bEnd, ctx.children(eNode));
        return;
      }
    }
    if (bEnd <= bStart) return;
    if (ht)
      ctx.add(
        ht,
        f.fileData,
        bStart,
        bEnd - bStart,
        utf8String(body, bStart, bEnd),
        `File Data: ${bEnd - bStart} bytes`,
      );
    // A body cut by the snap length (and not decoded): its dissector shows what is there.
    const cut = truncated && body === buf;
    const done = dissectMediaBody(ctx, body, bStart, bEnd, tree, headers.mediaType, headers.mediaParams, cut);
    if (!done) dissectDataUnder(ctx, body, bStart, bEnd, ht);
  } finally {
    ctx.source = savedSource;
  }
}

function addSource(ctx: PacketContext, name: string, data: Uint8Array): number {
  ctx.packet.sources.push({ name, data });
  return ctx.packet.sources.length - 1;
}

/** chunked_encoding_dissector(): shows the chunks and returns the de-chunked body. */
function dechunk(ctx: PacketContext, buf: Uint8Array, start: number, end: number, ht: ProtoNode[] | null): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  const chunksNode = ctx.add(ht, undefined, start, end - start, undefined, 'HTTP chunked response');
  const ct = ctx.children(chunksNode);
  let pos = start;
  let finished = false;
  while (pos < end) {
    const le = findLineEnd(buf, pos, end, true);
    if (!le || le.length === 0) break;
    const parsed = parseChunkSize(buf, pos, pos + le.length);
    let size = parsed ?? 0;
    const dataStart = le.next;
    const avail = end - dataStart;
    if (size > avail) size = Math.max(0, avail);
    if (size === 0) {
      const node = ctx.add(ct, undefined, pos, Math.min(end, le.next + 2) - pos, undefined, 'End of chunked encoding');
      ctx.add(ctx.children(node), f.chunkSize, pos, le.next - pos, 0, 'Chunk size: 0 octets');
      pos = le.next;
      finished = true;
      break;
    }
    const boundaryLen = Math.max(0, Math.min(2, end - (dataStart + size)));
    const node = ctx.add(
      ct,
      undefined,
      pos,
      dataStart + size + boundaryLen - pos,
      undefined,
      `Data chunk (${size} octets)`,
    );
    const c = ctx.children(node);
    ctx.add(c, f.chunkSize, pos, le.next - pos, size, `Chunk size: ${size} octets`);
    const data = buf.subarray(dataStart, dataStart + size);
    ctx.add(c, f.chunkData, dataStart, size, data, `Chunk data: ${hexPreview(data)}`);
    if (boundaryLen > 0) {
      const b = buf.subarray(dataStart + size, dataStart + size + boundaryLen);
      ctx.add(c, f.chunkBoundary, dataStart + size, boundaryLen, b, `Chunk boundary: ${hexPreview(b)}`);
    }
    parts.push(data);
    total += size;
    pos = dataStart + size + boundaryLen;
  }
  if (finished) {
    // Trailer lines, then the final CRLF.
    while (pos < end) {
      const le = findLineEndOrEof(buf, pos, end);
      if (le.length === 0) {
        ctx.add(ct, undefined, pos, le.next - pos, undefined, formatText(buf, pos, le.next));
        pos = le.next;
        break;
      }
      ctx.add(
        ct,
        f.chunkedTrailer,
        pos,
        le.next - pos,
        asciiString(buf, pos, pos + le.length),
        fitLabel(`trailer-part: ${formatText(buf, pos, le.next)}`),
      );
      pos = le.next;
    }
  }
  if (chunksNode) chunksNode.length = pos - start;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function hexPreview(bytes: Uint8Array): string {
  const n = Math.min(bytes.length, 36);
  let s = '';
  for (let i = 0; i < n; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
  return bytes.length > 36 ? s + '\u2026' : s;
}
