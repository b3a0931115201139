/**
 * Follow TCP Stream / Follow HTTP Stream, after Wireshark's follow dialogs: the payload of one
 * TCP stream in sequence order (retransmitted and duplicated bytes skipped), a text rendering,
 * and the HTTP/1.x messages cut out of it with bodies de-chunked, decompressed and decoded.
 */
import { gunzipSync, inflateSync, unzlibSync } from 'fflate';
import type { DissectedPacket } from '../../dissect/context';
import { decodeUtf8 } from '../../pcap/utf8';
import { packetListFacts, type TcpFacts } from './facts';

export type Direction = 'client' | 'server';

export interface StreamChunk {
  direction: Direction;
  frame: number;
  /** Seconds since the first packet of the capture. */
  time: number;
  /** Relative sequence number of bytes[0]. */
  seq: number;
  bytes: Uint8Array;
  /** Bytes missing before this chunk (a segment the capture lost). */
  gapBefore?: number;
}

export interface StreamEndpoints {
  client: { address: string; port: number };
  server: { address: string; port: number };
}

/** Which side of a stream is the server: the SYN's receiver, else `serverPort`, else the lower port. */
export function streamEndpoints(facts: readonly TcpFacts[], serverPort?: number): StreamEndpoints | null {
  if (facts.length === 0) return null;
  const syn = facts.find((f) => f.syn && !f.ackFlag);
  const synAck = facts.find((f) => f.syn && f.ackFlag);
  const f0 = facts[0];
  let clientIsSrc: boolean;
  if (syn) clientIsSrc = true;
  else if (synAck) clientIsSrc = false;
  else if (serverPort !== undefined && (f0.dstPort === serverPort || f0.srcPort === serverPort))
    clientIsSrc = f0.dstPort === serverPort;
  else clientIsSrc = f0.srcPort > f0.dstPort;
  const ref = syn ?? synAck ?? f0;
  const a = { address: ref.src, port: ref.srcPort };
  const b = { address: ref.dst, port: ref.dstPort };
  return clientIsSrc ? { client: a, server: b } : { client: b, server: a };
}

export function directionOf(f: TcpFacts, ends: StreamEndpoints): Direction {
  return f.srcPort === ends.client.port && f.src === ends.client.address ? 'client' : 'server';
}

/** Facts of the packets of one stream, in capture order. */
export function streamFacts(packets: readonly DissectedPacket[], stream: number): TcpFacts[] {
  return [...(packetListFacts(packets).byStream.get(stream) ?? [])];
}

/**
 * The payload of a TCP stream in order, one chunk per segment that brought new bytes.
 * Bytes already seen (retransmissions, the second copy of a packet captured on two
 * interfaces) are skipped; a partly new segment contributes only its new bytes.
 */
export function followTcpStream(
  packets: readonly DissectedPacket[] | readonly TcpFacts[],
  stream: number,
  serverPort?: number,
): StreamChunk[] {
  const facts = toFacts(packets, stream);
  const ends = streamEndpoints(facts, serverPort);
  if (!ends) return [];
  const next: Record<Direction, number | null> = { client: null, server: null };
  const out: StreamChunk[] = [];
  for (const f of facts) {
    const dir = directionOf(f, ends);
    const start = f.seq;
    if (f.syn && next[dir] === null) next[dir] = f.seq + 1;
    if (!f.payload || f.payload.length === 0 || f.rst) continue;
    const expected = next[dir] ?? start;
    const end = start + f.payload.length;
    if (end <= expected) continue; // nothing new
    const skip = Math.max(0, expected - start);
    const gap = Math.max(0, start - expected);
    const chunk: StreamChunk = {
      direction: dir,
      frame: f.frame,
      time: f.time,
      seq: start + skip,
      bytes: f.payload.subarray(skip),
    };
    if (gap > 0) chunk.gapBefore = gap;
    out.push(chunk);
    next[dir] = end;
  }
  return out;
}

function toFacts(packets: readonly DissectedPacket[] | readonly TcpFacts[], stream: number): TcpFacts[] {
  if (packets.length === 0) return [];
  const firstItem = packets[0];
  if ('srcPort' in firstItem) return (packets as readonly TcpFacts[]).filter((f) => f.stream === stream);
  return streamFacts(packets as readonly DissectedPacket[], stream);
}

/** Decodes bytes as UTF-8 when they are valid UTF-8, else as ISO-8859-1 (Wireshark's "ASCII" view keeps every byte). */
export function decodeText(bytes: Uint8Array): string {
  if (isValidUtf8(bytes)) return decodeUtf8(bytes);
  return decodeLatin1(bytes);
}

export function decodeLatin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 4096)));
  }
  return s;
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return false;
    if (i + need >= bytes.length) return false;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return false;
    }
    i += need + 1;
  }
  return true;
}

export interface StreamTextOptions {
  /** 'text': printable text with non-printables as '.', like Wireshark's ASCII view; 'hex': offset + hex dump. */
  mode?: 'text' | 'hex';
  /** Prefix each chunk with its direction and frame ("→ frame 10"). Default true. */
  headers?: boolean;
  /** Longest rendering of one chunk, in characters (the rest is elided). Default unlimited. */
  maxChunkChars?: number;
}

/** Follow TCP Stream as text. Binary bytes (JPEG bodies) become '.'; text is UTF-8 when valid, else Latin-1. */
export function renderStreamText(chunks: readonly StreamChunk[], options: StreamTextOptions = {}): string {
  const mode = options.mode ?? 'text';
  const headers = options.headers ?? true;
  const parts: string[] = [];
  for (const c of chunks) {
    let body: string;
    if (mode === 'hex') {
      body = hexLines(c.bytes);
    } else {
      body = printable(decodeText(c.bytes));
    }
    if (options.maxChunkChars !== undefined && body.length > options.maxChunkChars) {
      body = body.slice(0, options.maxChunkChars) + `… (${c.bytes.length} bytes)`;
    }
    if (headers) {
      const arrow = c.direction === 'client' ? 'client → server' : 'server → client';
      const gap = c.gapBefore ? ` [${c.gapBefore} bytes missing]` : '';
      parts.push(`--- ${arrow}, frame ${c.frame}, ${c.bytes.length} bytes${gap}`);
    }
    parts.push(body);
  }
  return parts.join('\n');
}

function printable(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x0a || cp === 0x0d || cp === 0x09) out += ch;
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0xfffd) out += '.';
    else out += ch;
  }
  return out;
}

function hexLines(data: Uint8Array): string {
  const lines: string[] = [];
  for (let o = 0; o < data.length; o += 16) {
    const row = data.subarray(o, Math.min(o + 16, data.length));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${o.toString(16).padStart(8, '0')}  ${hex.padEnd(47, ' ')}  ${ascii}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Follow HTTP Stream

export interface HttpHeader {
  name: string;
  value: string;
}

export interface HttpMessage {
  direction: Direction;
  kind: 'request' | 'response';
  /** Frame holding the first byte of the message, and the frame that completed it (where tshark shows it). */
  firstFrame: number;
  frame: number;
  time: number;
  frames: number[];
  startLine: string;
  method?: string;
  uri?: string;
  version: string;
  code?: number;
  phrase?: string;
  headers: HttpHeader[];
  /** Bytes of start line + headers + blank line, of the body as sent, and in total. */
  headerBytes: number;
  bodyBytes: number;
  totalBytes: number;
  /** The entity body after de-chunking and decompression. */
  body: Uint8Array;
  contentType?: string;
  contentEncoding?: string;
  chunked: boolean;
  /** Decoded body when it is text (text/*, JSON, XML, JS, form data). */
  bodyText?: string;
  /** True when the capture ends before the message does. */
  incomplete: boolean;
}

interface DirBuffer {
  data: Uint8Array;
  /** For each byte range start: the chunk it came from. */
  starts: number[];
  chunks: StreamChunk[];
}

function concatDir(chunks: readonly StreamChunk[], dir: Direction): DirBuffer {
  const mine = chunks.filter((c) => c.direction === dir);
  let total = 0;
  for (const c of mine) total += c.bytes.length;
  const data = new Uint8Array(total);
  const starts: number[] = [];
  let pos = 0;
  for (const c of mine) {
    starts.push(pos);
    data.set(c.bytes, pos);
    pos += c.bytes.length;
  }
  return { data, starts, chunks: mine };
}

function chunkAt(buf: DirBuffer, offset: number): StreamChunk {
  let lo = 0;
  let hi = buf.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (buf.starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return buf.chunks[lo];
}

function indexOfCrlfCrlf(data: Uint8Array, from: number): number {
  for (let i = from; i + 3 < data.length; i++) {
    if (data[i] === 13 && data[i + 1] === 10 && data[i + 2] === 13 && data[i + 3] === 10) return i;
  }
  return -1;
}

function header(headers: readonly HttpHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

const REQUEST_RE = /^([A-Z][A-Z0-9_-]*) (\S+) (HTTP\/\d(?:\.\d)?)$/;
const RESPONSE_RE = /^(HTTP\/\d(?:\.\d)?) (\d{3})(?: (.*))?$/;

/** Parses consecutive HTTP messages from one direction's bytes. `requestMethods` lets a response to HEAD have no body. */
function parseMessages(buf: DirBuffer, dir: Direction, requestMethods: readonly string[]): HttpMessage[] {
  const out: HttpMessage[] = [];
  const data = buf.data;
  let pos = 0;
  while (pos < data.length) {
    const headEnd = indexOfCrlfCrlf(data, pos);
    if (headEnd < 0) break;
    const headText = decodeLatin1(data.subarray(pos, headEnd));
    const lines = headText.split('\r\n');
    const startLine = lines[0];
    const req = REQUEST_RE.exec(startLine);
    const res = RESPONSE_RE.exec(startLine);
    if (!req && !res) break; // not HTTP (or lost sync)
    const headers: HttpHeader[] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
    }
    const bodyStart = headEnd + 4;
    const te = header(headers, 'transfer-encoding');
    const cl = header(headers, 'content-length');
    const chunked = te !== undefined && /chunked/i.test(te);
    let bodyEnd: number;
    let body: Uint8Array;
    let incomplete = false;
    const index = out.length;
    const code = res ? Number(res[2]) : undefined;
    const noBody =
      (req !== null && !chunked && cl === undefined) ||
      (code !== undefined && (code < 200 || code === 204 || code === 304)) ||
      (res !== null && requestMethods[index] === 'HEAD');
    if (noBody) {
      bodyEnd = bodyStart;
      body = new Uint8Array(0);
    } else if (chunked) {
      const r = dechunk(data, bodyStart);
      bodyEnd = r.end;
      body = r.body;
      incomplete = !r.complete;
    } else if (cl !== undefined && /^\d+$/.test(cl)) {
      const n = Number(cl);
      bodyEnd = Math.min(data.length, bodyStart + n);
      incomplete = bodyStart + n > data.length;
      body = data.slice(bodyStart, bodyEnd);
    } else {
      bodyEnd = data.length; // response delimited by the connection's close
      body = data.slice(bodyStart, bodyEnd);
    }
    const firstChunk = chunkAt(buf, pos);
    const lastChunk = chunkAt(buf, Math.max(pos, bodyEnd - 1));
    const frames: number[] = [];
    for (const c of buf.chunks) {
      if (c.frame >= firstChunk.frame && c.frame <= lastChunk.frame && !frames.includes(c.frame)) frames.push(c.frame);
    }
    const contentEncoding = header(headers, 'content-encoding');
    const decoded = decompress(body, contentEncoding);
    const contentType = header(headers, 'content-type');
    const msg: HttpMessage = {
      direction: dir,
      kind: req ? 'request' : 'response',
      firstFrame: firstChunk.frame,
      frame: lastChunk.frame,
      time: lastChunk.time,
      frames,
      startLine,
      version: req ? req[3] : (res as RegExpExecArray)[1],
      headers,
      headerBytes: bodyStart - pos,
      bodyBytes: bodyEnd - bodyStart,
      totalBytes: bodyEnd - pos,
      body: decoded,
      chunked,
      incomplete,
    };
    if (req) {
      msg.method = req[1];
      msg.uri = req[2];
    } else if (res) {
      msg.code = Number(res[2]);
      msg.phrase = res[3] ?? '';
    }
    if (contentType !== undefined) msg.contentType = contentType;
    if (contentEncoding !== undefined) msg.contentEncoding = contentEncoding;
    if (decoded.length > 0 && isTextType(contentType)) msg.bodyText = decodeBody(decoded, contentType);
    out.push(msg);
    if (bodyEnd <= pos) break;
    pos = bodyEnd;
  }
  return out;
}

function dechunk(data: Uint8Array, start: number): { body: Uint8Array; end: number; complete: boolean } {
  const parts: Uint8Array[] = [];
  let pos = start;
  for (;;) {
    let lineEnd = -1;
    for (let i = pos; i + 1 < data.length; i++) {
      if (data[i] === 13 && data[i + 1] === 10) {
        lineEnd = i;
        break;
      }
    }
    if (lineEnd < 0) return { body: join(parts), end: data.length, complete: false };
    const sizeText = decodeLatin1(data.subarray(pos, lineEnd)).split(';')[0].trim();
    const size = parseInt(sizeText, 16);
    if (!Number.isFinite(size)) return { body: join(parts), end: data.length, complete: false };
    pos = lineEnd + 2;
    if (size === 0) {
      // trailers, then CRLF
      const t = indexOfCrlfCrlf(data, pos - 2);
      const end = t >= 0 ? t + 4 : Math.min(data.length, pos + 2);
      return { body: join(parts), end, complete: t >= 0 };
    }
    if (pos + size > data.length) {
      parts.push(data.subarray(pos));
      return { body: join(parts), end: data.length, complete: false };
    }
    parts.push(data.subarray(pos, pos + size));
    pos += size + 2;
  }
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function decompress(body: Uint8Array, encoding: string | undefined): Uint8Array {
  if (!encoding || body.length === 0) return body;
  try {
    const e = encoding.toLowerCase();
    if (e.includes('gzip')) return gunzipSync(body);
    if (e.includes('deflate')) {
      try {
        return unzlibSync(body);
      } catch {
        return inflateSync(body);
      }
    }
  } catch {
    return body;
  }
  return body;
}

export function isTextType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const t = contentType.toLowerCase();
  return (
    t.startsWith('text/') ||
    t.includes('json') ||
    t.includes('xml') ||
    t.includes('javascript') ||
    t.includes('x-www-form-urlencoded')
  );
}

function decodeBody(body: Uint8Array, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w-]+)/i.exec(contentType ?? '')?.[1]?.toLowerCase();
  if (charset === 'iso-8859-1' || charset === 'latin1' || charset === 'us-ascii' || charset === 'windows-1252')
    return decodeLatin1(body);
  return decodeText(body);
}

/**
 * Follow HTTP Stream: the HTTP messages of a TCP stream in the order they were sent by each
 * side (requests and responses interleaved by the frame that completed them).
 */
export function followHttpStream(
  packets: readonly DissectedPacket[] | readonly TcpFacts[],
  stream: number,
  serverPort?: number,
): HttpMessage[] {
  const facts = toFacts(packets, stream);
  if (facts.length === 0) return [];
  // The messages of a stream's segments, remembered: a live capture's lab analysis follows every
  // stream again at each ask, and most streams have not changed since the last one (parsing
  // their messages again was 40% of the analysis). Facts are objects of one packet list: the
  // same first and last fact and the same count, in capture order, are the same segments.
  const first = facts[0];
  const last = facts[facts.length - 1];
  const remembered = httpMessagesOf.get(first);
  if (
    remembered &&
    remembered.last === last &&
    remembered.count === facts.length &&
    remembered.serverPort === serverPort
  )
    return remembered.messages.slice();
  const messages = parseHttpStream(facts, stream, serverPort);
  httpMessagesOf.set(first, { last, count: facts.length, serverPort, messages });
  return messages.slice();
}

const httpMessagesOf = new WeakMap<
  TcpFacts,
  { last: TcpFacts; count: number; serverPort: number | undefined; messages: HttpMessage[] }
>();

function parseHttpStream(facts: readonly TcpFacts[], stream: number, serverPort?: number): HttpMessage[] {
  const chunks = followTcpStream(facts, stream, serverPort);
  const requests = parseMessages(concatDir(chunks, 'client'), 'client', []);
  const responses = parseMessages(
    concatDir(chunks, 'server'),
    'server',
    requests.map((r) => r.method ?? ''),
  );
  return [...requests, ...responses].sort((a, b) => a.frame - b.frame || (a.kind === 'request' ? -1 : 1));
}

/** Text of a followed HTTP stream: each message's start line and headers, then the body when it is text. */
export function renderHttpStreamText(messages: readonly HttpMessage[], maxBodyChars = 4000): string {
  const parts: string[] = [];
  for (const m of messages) {
    const arrow = m.direction === 'client' ? 'client → server' : 'server → client';
    parts.push(`--- ${arrow}, frame ${m.frame}${m.incomplete ? ' (incomplete)' : ''}`);
    parts.push(m.startLine);
    for (const h of m.headers) parts.push(`${h.name}: ${h.value}`);
    parts.push('');
    if (m.bodyText !== undefined) {
      parts.push(m.bodyText.length > maxBodyChars ? m.bodyText.slice(0, maxBodyChars) + '…' : m.bodyText);
    } else if (m.body.length > 0) {
      parts.push(`[${m.body.length} bytes of ${m.contentType ?? 'data'}]`);
    }
  }
  return parts.join('\n');
}
