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
 *
 * This file is the dissector proper (one message: first line, headers, links, body call); the
 * fields are in fields.ts, head parsing in headers.ts, the body in body.ts (+ decode.ts), and
 * the TCP payload consumer (ports, heuristic, message loop) in consumer.ts.
 */
import {
  BoundsError,
  ColumnValues,
  DESEGMENT_UNTIL_FIN,
  PacketContext,
  SessionState,
  emptyPacket,
  type DesegmentRequest,
  type HeaderBlock,
  type PacketInDissection,
  type TcpPayloadInfo,
  type TreePruning,
} from '../../context';
import type { ProtoNode } from '../../tree';
import type { FieldDef } from '../../fields';
import { formatText, fitLabel, asciiString, findLineEnd } from '../media/text';
import { dissectDataUnder } from '../media';
import { dissectBody } from './body';
import { httpFields as f, httpExpert as ei, HEADER_FIELDS, HTTP_STATUS } from './fields';
import {
  MAX_DESEGMENT_HEADER_BYTES,
  chunkedBodyEnd,
  classifyFirstLine,
  colonOf,
  couldStartMessage,
  headerValueStart,
  readHeaders,
  scanHeaders,
  HeaderScratch,
  type HttpType,
  type Line,
} from './headers';
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

/** HTTP's per-capture state: the streams, and what the dissector reuses or caches between messages. */
interface HttpSession {
  streams: HttpStreams;
  scratch: HeaderScratch;
  /** Host → URI → full URI (see fullRequestUri). */
  fullUris: Map<string, Map<string, string>>;
}

function httpSession(ctx: PacketContext): HttpSession {
  return ctx.state.state<HttpSession>('http', newHttpSession);
}

// Named once: an arrow written in the call above is a new function object for every message.
function newHttpSession(): HttpSession {
  return { streams: new Map(), scratch: new HeaderScratch(), fullUris: new Map() };
}

/** The per-capture HTTP state (for the UI's transaction list and a second pass). */
export function httpStreams(ctx: PacketContext): HttpStreams {
  return httpSession(ctx).streams;
}

function streamState(session: HttpSession, stream: number): HttpStream {
  const all = session.streams;
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

/** Dissects one message at `start`; returns the offset after it, or a desegmentation request. */
export function dissectMessage(
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

  const session = httpSession(ctx);
  const stream = streamState(session, tcp.stream);
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
  const scan = scanHeaders(session.scratch, buf, firstEnd.next, end, desegHeaders, truncated);
  if (!scan) return { offset: start, needMore: -1 };
  const headers = readHeaders(session.scratch, buf, scan.lines);
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
    // A pruned tree (filters, -e, the packet list's load pass) skips labels it does not keep.
    const label = ctx.keeps(undefined) ? fitLabel(firstLineFull) : undefined;
    lt = ctx.children(ctx.add(ht, undefined, start, firstEnd.next - start, undefined, label));
    ctx.expert(lt, ei.chat, firstLineFull);
  }
  let requestUri: string | null = null;
  if (first.type === 'request') requestUri = dissectRequestLine(ctx, lt, buf, start, start + firstEnd.length, stream);
  else dissectStatusLine(ctx, lt, buf, start, start + firstEnd.length);

  // Headers (none of their items kept in a pruned tree: nothing to add)
  const listener = ctx.state.headerBlockListener;
  // Told only when a tree is built, where a whole tree would have the header items.
  if (listener !== null && tree !== null) {
    const request = first.type === 'request';
    const block = { buf, start: firstEnd.next, end: scan.bodyStart, request, desegment: desegHeaders, truncated };
    listener(block, buf === ctx.packet.record.data);
  }
  if (ht && ctx.keepsAny(HEADER_TREE_FIELDS)) for (const line of scan.lines) addHeader(ctx, ht, buf, line, first.type);
  // The capture stops inside a line that could still be a header: nothing more can be read.
  // The request line is kept for its response, as Wireshark's conversation data is (its full
  // URI, made after the headers, stays the previous request's).
  if (scan.cutInLine) {
    if (first.type === 'request') {
      stream.lastMethod = method;
      stream.lastUri = requestUri;
    }
    throw new BoundsError('captured');
  }
  if (scan.blank && ht && ctx.keeps(undefined))
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
    const uri = requestUri;
    const fullUri = uri !== null && headers.host !== null ? fullRequestUri(session.fullUris, uri, headers.host) : null;
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
    if (fullUri !== null && ht && ctx.keeps(f.fullUri))
      ctx.addGenerated(ht, f.fullUri, fullUri, ctx.labels ? `Full request URI: ${fitValue(fullUri)}` : undefined);
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

/**
 * "http://host/uri". A capture requests the same few pages of the same few hosts: each full URI
 * is made once (`fullUris`, per capture) rather than per request (every transaction keeps its
 * URI while its stream lasts).
 */
function fullRequestUri(fullUris: Map<string, Map<string, string>>, uri: string, host: string): string {
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
): string | null {
  void stream;
  const m = token(buf, start, end);
  if (m.len === 0) return null;
  let pos = m.next;
  if (pos - start > 2 + m.len - 1 && buf[pos - 1] === 0x20 && buf[pos - 2] === 0x20) pos--;
  const u = token(buf, pos, end);
  const uri = asciiString(buf, pos, pos + u.len);
  if (!lt) return uri;
  // A pruned tree skips the items it does not keep (none of these has items under it but the URI).
  addTextItem(ctx, lt, f.method, buf, start, start + m.len, 'Request Method');
  const uriNode = ctx.add(
    lt,
    f.uri,
    pos,
    u.len,
    uri,
    ctx.labelled(f.uri) ? fitLabel(`Request URI: ${formatText(buf, pos, pos + u.len)}`) : undefined,
  );
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
  addTextItem(ctx, lt, f.requestVersion, buf, vStart, end, 'Request Version');
  return uri;
}

/**
 * An item whose value is the text of bytes [from, to), labelled `label: text`. Not made at all
 * when a pruned tree does not keep it (no label is formatted for nothing).
 */
function addTextItem(
  ctx: PacketContext,
  parent: ProtoNode[],
  field: FieldDef,
  buf: Uint8Array,
  from: number,
  to: number,
  label: string,
): void {
  if (ctx.keeps(field))
    ctx.add(parent, field, from, to - from, asciiString(buf, from, to), `${label}: ${formatText(buf, from, to)}`);
}

function dissectStatusLine(
  ctx: PacketContext,
  lt: ProtoNode[] | null,
  buf: Uint8Array,
  start: number,
  end: number,
): void {
  if (!lt) return;
  // A pruned tree skips the items it does not keep (none of these has items under it).
  if (!ctx.keepsAny(STATUS_LINE_FIELDS)) return;
  const v = token(buf, start, end);
  addTextItem(ctx, lt, f.responseVersion, buf, start, start + v.len, 'Response Version');
  const c = token(buf, v.next, end);
  if (c.len < 3) return;
  const code = parseStatusCode(buf, start, end);
  if (code === null) return;
  ctx.add(lt, f.responseCode, v.next, 3, code);
  const desc = HTTP_STATUS[code] ?? `Unknown (${code})`;
  const d = ctx.add(lt, f.responseCodeDesc, v.next, 3, desc);
  if (d) d.generated = true;
  const pStart = c.next;
  if (end - pStart >= 1 && ctx.keeps(f.responsePhrase)) {
    ctx.add(
      lt,
      f.responsePhrase,
      pStart,
      end - pStart,
      asciiString(buf, pStart, end),
      ctx.labels ? `Response Phrase: ${formatText(buf, pStart, end)}` : undefined,
    );
  }
}

function addHeader(ctx: PacketContext, ht: ProtoNode[] | null, buf: Uint8Array, line: Line, type: HttpType): void {
  if (!ht) return;
  const end = line.start + line.length;
  const itemLen = line.next - line.start;
  const lineField = type === 'request' ? f.requestLine : f.responseLine;
  // A pruned tree (a header filter's) builds few of a message's header items: each line's
  // texts are made only for the items built, its label only when labels are read.
  const keepsLine = ctx.keeps(lineField);
  const lineValue = keepsLine ? asciiString(buf, line.start, line.next) : undefined;
  const colon = colonOf(buf, line.start, end);
  const field = colon > line.start ? HEADER_FIELDS.get(asciiString(buf, line.start, colon).toLowerCase()) : undefined;
  if (!field || colon < 0) {
    if (keepsLine)
      ctx.add(ht, lineField, line.start, itemLen, lineValue, ctx.labels ? headerLabel(buf, line) : undefined);
    return;
  }
  if (!ctx.builds(field)) {
    if (keepsLine) ctx.addHidden(ht, lineField, line.start, itemLen, lineValue as string);
    return;
  }
  const vStart = headerValueStart(buf, colon, end);
  const value = asciiString(buf, vStart, end);
  const node = ctx.add(ht, field, line.start, itemLen, value, ctx.labelled(field) ? headerLabel(buf, line) : undefined);
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
  if (keepsLine) ctx.addHidden(ht, lineField, line.start, itemLen, lineValue as string);
}

/**
 * The items addHeader adds for header lines a HeaderBlockListener was told of, in a tree pruned
 * to `pruning`: what the message's packet has of those fields, without dissecting it again.
 * Scanning the block as dissectMessage did finds the same lines (the block ends after its blank
 * line, where dissectMessage's scan stopped, or where its data ended).
 */
export function headerBlockItems(pruning: TreePruning, scratch: HeaderScratch, block: HeaderBlock): ProtoNode[] {
  const { buf, request } = block;
  const items: ProtoNode[] = [];
  const scan = scanHeaders(scratch, buf, block.start, block.end, block.desegment, block.truncated);
  if (!scan) return items;
  blockPacket ??= { ...emptyPacket(), columns: new ColumnValues() };
  blockState ??= new SessionState();
  const ctx = new PacketContext(blockPacket, blockState, true, pruning, false);
  const type: HttpType = request ? 'request' : 'response';
  try {
    for (const line of scan.lines) addHeader(ctx, items, buf, line, type);
  } catch {
    // What was added before stays, as in the packet's tree (the engine catches per layer).
  }
  return items;
}

// The packet and state a header block's items are made in, shared by all blocks: addHeader
// reads only the block's bytes and the pruning, and changes neither.
let blockPacket: PacketInDissection | null = null;
let blockState: SessionState | null = null;

/** A header line's label: the line as the tree shows it. */
function headerLabel(buf: Uint8Array, line: Line): string {
  return fitLabel(formatText(buf, line.start, line.next));
}

/** Every item addHeader can add: a pruned tree that keeps none of them skips the headers. */
const HEADER_TREE_FIELDS: readonly FieldDef[] = [
  f.requestLine,
  f.responseLine,
  ...HEADER_FIELDS.values(),
  f.contentLength,
  f.cookiePair,
  f.basic,
];
/**
 * The fields only header lines make (addHeader): a filter that reads nothing else is answered
 * from the header blocks a HeaderBlockListener noted (headerBlockItems).
 */
export const HEADER_ITEM_FIELDS: ReadonlySet<string> = new Set(HEADER_TREE_FIELDS.map((field) => field.abbrev));

/** Every item dissectStatusLine adds. */
const STATUS_LINE_FIELDS: readonly FieldDef[] = [
  f.responseVersion,
  f.responseCode,
  f.responseCodeDesc,
  f.responsePhrase,
];
/** Every item addRequestLinks adds. */
const REQUEST_LINK_FIELDS: readonly FieldDef[] = [f.requestNumber, f.prevRequestIn, f.responseIn, f.nextRequestIn];
/** Every item addResponseLinks adds. */
const RESPONSE_LINK_FIELDS: readonly FieldDef[] = [
  f.responseNumber,
  f.time,
  f.prevRequestIn,
  f.prevResponseIn,
  f.requestIn,
  f.nextRequestIn,
  f.nextResponseIn,
  f.responseForUri,
];

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
  const prev = transaction(stream, tr.number - 1);
  // Told where the whole tree has the items, kept or not (each call mirrors its item's below).
  const numbers = ctx.state.packetNumbersListener;
  if (numbers) {
    numbers.packetNumber(f.requestNumber, tr.number);
    if (prev && prev.reqFrame) numbers.packetNumber(f.prevRequestIn, prev.reqFrame);
  }
  // A pruned tree skips the items it does not keep (none of these has items under it).
  if (!ctx.keepsAny(REQUEST_LINK_FIELDS)) return;
  const total = stream.count;
  if (ctx.keeps(f.requestNumber))
    ctx.addGenerated(ht, f.requestNumber, tr.number, ctx.labels ? `HTTP request ${tr.number}/${total}` : undefined);
  const next = transaction(stream, tr.number + 1);
  if (prev && prev.reqFrame && ctx.keeps(f.prevRequestIn))
    ctx.addGenerated(
      ht,
      f.prevRequestIn,
      prev.reqFrame,
      ctx.labels ? `Prev request in frame: ${prev.reqFrame}` : undefined,
    );
  if (tr.resFrame && ctx.keeps(f.responseIn))
    ctx.addGenerated(ht, f.responseIn, tr.resFrame, ctx.labels ? `Response in frame: ${tr.resFrame}` : undefined);
  if (next && next.reqFrame && ctx.keeps(f.nextRequestIn))
    ctx.addGenerated(
      ht,
      f.nextRequestIn,
      next.reqFrame,
      ctx.labels ? `Next request in frame: ${next.reqFrame}` : undefined,
    );
}

function addResponseLinks(ctx: PacketContext, ht: ProtoNode[] | null, stream: HttpStream, tr: HttpTransaction): void {
  if (!ht) return;
  const prev = transaction(stream, tr.number - 1);
  const rec = ctx.packet.record;
  const secs = rec.tsSec - tr.reqSec + (rec.tsNsec - tr.reqNsec) / 1e9;
  // Told where the whole tree has the items, kept or not (each call mirrors its item's below).
  const numbers = ctx.state.packetNumbersListener;
  if (numbers) {
    numbers.packetNumber(f.responseNumber, tr.number);
    if (tr.reqFrame) numbers.packetNumber(f.time, secs);
    if (prev && prev.reqFrame) numbers.packetNumber(f.prevRequestIn, prev.reqFrame);
    if (prev && prev.resFrame) numbers.packetNumber(f.prevResponseIn, prev.resFrame);
    if (tr.reqFrame) numbers.packetNumber(f.requestIn, tr.reqFrame);
  }
  // A pruned tree skips the items it does not keep (none of these has items under it).
  if (!ctx.keepsAny(RESPONSE_LINK_FIELDS)) return;
  const total = stream.count;
  if (ctx.keeps(f.responseNumber))
    ctx.addGenerated(ht, f.responseNumber, tr.number, ctx.labels ? `HTTP response ${tr.number}/${total}` : undefined);
  if (tr.reqFrame && ctx.keeps(f.time))
    ctx.addGenerated(ht, f.time, secs, ctx.labels ? `Time since request: ${secs.toFixed(9)} seconds` : undefined);
  const next = transaction(stream, tr.number + 1);
  if (prev && prev.reqFrame && ctx.keeps(f.prevRequestIn))
    ctx.addGenerated(
      ht,
      f.prevRequestIn,
      prev.reqFrame,
      ctx.labels ? `Prev request in frame: ${prev.reqFrame}` : undefined,
    );
  if (prev && prev.resFrame && ctx.keeps(f.prevResponseIn))
    ctx.addGenerated(
      ht,
      f.prevResponseIn,
      prev.resFrame,
      ctx.labels ? `Prev response in frame: ${prev.resFrame}` : undefined,
    );
  if (tr.reqFrame && ctx.keeps(f.requestIn))
    ctx.addGenerated(ht, f.requestIn, tr.reqFrame, ctx.labels ? `Request in frame: ${tr.reqFrame}` : undefined);
  if (next && next.reqFrame && ctx.keeps(f.nextRequestIn))
    ctx.addGenerated(
      ht,
      f.nextRequestIn,
      next.reqFrame,
      ctx.labels ? `Next request in frame: ${next.reqFrame}` : undefined,
    );
  if (next && next.resFrame && ctx.keeps(f.nextResponseIn))
    ctx.addGenerated(
      ht,
      f.nextResponseIn,
      next.resFrame,
      ctx.labels ? `Next response in frame: ${next.resFrame}` : undefined,
    );
  const uri = stream.lastFullUri ?? stream.lastUri;
  if (uri !== null && ctx.keeps(f.responseForUri))
    ctx.addGenerated(ht, f.responseForUri, uri, ctx.labels ? fitLabel(`Request URI: ${uri}`) : undefined);
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
  if (ht) ctx.add(ht, f.fileData, start, end - start, asciiString(buf, start, end), `File Data: ${end - start} bytes`);
  dissectDataUnder(ctx, buf, start, end, ht);
  return end;
}
