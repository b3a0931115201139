/**
 * HTTP message heads: is this a request or status line (the TCP heuristic), where do the
 * headers end (req_resp_hdrs_do_reassembly), and the values the dissector reads from them
 * (lengths, chunked, Content-Type and Content-Encoding).
 */
import { findLineEnd, findLineTerminator, afterLineTerminator, bytesEqualCI, asciiString } from '../media/text';

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

/**
 * Headers bigger than this are not desegmented further (Wireshark has no limit; this keeps a
 * hostile stream of header bytes from making every later segment re-scan megabytes).
 */
export const MAX_DESEGMENT_HEADER_BYTES = 1 << 20;

// ---------------------------------------------------------------------------------------------
// First line

export type HttpType = 'request' | 'response';

export interface FirstLine {
  type: HttpType;
  /** Length of the method token (requests). */
  methodLen: number;
}

/** is_http_request_or_reply(): a known method followed by a space, or "HTTP/" at the start. */
export function classifyFirstLine(buf: Uint8Array, start: number, lineLen: number): FirstLine | null {
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
export function couldStartMessage(buf: Uint8Array, start: number, end: number): boolean {
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

export interface Headers {
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

export interface Line {
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

/**
 * What the header scan reuses, one per capture (see HttpSession): HTTP messages do not nest, so
 * one scan is in use at a time, and its result and line objects are reused rather than allocated
 * for every message (and again for every segment of one). Nothing in it outlives a message but
 * the parsed Content-Type values, which a capture repeats.
 */
export class HeaderScratch {
  readonly scanResult: ScanResult = { lines: [], blank: null, bodyStart: 0, cutInLine: false };
  readonly blankLine: Line = { start: 0, length: 0, next: 0 };
  readonly linePool: Line[] = [];
  readonly mediaTypes = new Map<string, MediaType>();
}
/** Lines kept for reuse: beyond this (a hostile header flood) lines are allocated and let go. */
const LINE_POOL_SIZE = 256;

/**
 * Header lines after the first line. With `desegment` (more data may follow) returns null when
 * the blank line has not arrived yet. The result is valid until the next call.
 */
export function scanHeaders(
  scratch: HeaderScratch,
  buf: Uint8Array,
  from: number,
  end: number,
  desegment: boolean,
  truncated = false,
): ScanResult | null {
  const { scanResult, blankLine, linePool } = scratch;
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

export function colonOf(buf: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (buf[i] === 0x3a) return i;
  return -1;
}

export function headerValueStart(buf: Uint8Array, colon: number, end: number): number {
  let v = colon + 1;
  while (v < end && (buf[v] === 0x20 || buf[v] === 0x09)) v++;
  return v;
}

export function readHeaders(scratch: HeaderScratch, buf: Uint8Array, lines: readonly Line[]): Headers {
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
        const media = mediaTypeOf(scratch.mediaTypes, value);
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

/** A Content-Type value parsed; a capture repeats a few, each is parsed once (`mediaTypes`). */
function mediaTypeOf(mediaTypes: Map<string, MediaType>, value: string): MediaType {
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
export function chunkedBodyEnd(buf: Uint8Array, start: number, end: number): number | null {
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
export function parseChunkSize(buf: Uint8Array, start: number, end: number): number | null {
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
