/**
 * MIME multipart bodies (RFC 2046), as Wireshark 4.0's packet-multipart.c shows them: a form
 * upload (multipart/form-data) is the lab's TCP upload. Each part's headers are items, and its
 * body goes to the dissector of its own Content-Type ("Line-based text data", PNG…), or to
 * "Data" without one. The boundaries are items of their own, with the line ends they include.
 *
 * Not done here (as packet-multipart.c does): decoding a part's Content-Transfer-Encoding
 * (base64, quoted-printable; rare in HTTP) and decrypting multipart/encrypted.
 */
import { defineFields } from '../../fields';
import type { PacketContext } from '../../context';
import type { ProtoNode } from '../../tree';
import { dissectData } from '../common';
import { bytesEqual, formatText, fitLabel, findLineEndOrEof, utf8String } from './text';
import type { MediaDissector } from './media-type';

export const multipartFields = defineFields({
  multipart: { abbrev: 'mime_multipart', name: 'MIME Multipart Media Encapsulation', type: 'protocol' },
  type: { abbrev: 'mime_multipart.type', name: 'Type', type: 'string' },
  part: { abbrev: 'mime_multipart.part', name: 'Encapsulated multipart part', type: 'string' },
  preamble: { abbrev: 'mime_multipart.preamble', name: 'Preamble', type: 'bytes' },
  firstBoundary: { abbrev: 'mime_multipart.first_boundary', name: 'First boundary', type: 'string' },
  boundary: { abbrev: 'mime_multipart.boundary', name: 'Boundary', type: 'string' },
  lastBoundary: { abbrev: 'mime_multipart.last_boundary', name: 'Last boundary', type: 'string' },
  trailer: { abbrev: 'mime_multipart.trailer', name: 'Trailer', type: 'bytes' },
  contentDescription: {
    abbrev: 'mime_multipart.header.content-description',
    name: 'Content-Description',
    type: 'string',
  },
  contentDisposition: {
    abbrev: 'mime_multipart.header.content-disposition',
    name: 'Content-Disposition',
    type: 'string',
  },
  contentEncoding: { abbrev: 'mime_multipart.header.content-encoding', name: 'Content-Encoding', type: 'string' },
  contentId: { abbrev: 'mime_multipart.header.content-id', name: 'Content-Id', type: 'string' },
  contentLanguage: { abbrev: 'mime_multipart.header.content-language', name: 'Content-Language', type: 'string' },
  contentLength: { abbrev: 'mime_multipart.header.content-length', name: 'Content-Length', type: 'string' },
  contentTransferEncoding: {
    abbrev: 'mime_multipart.header.content-transfer-encoding',
    name: 'Content-Transfer-Encoding',
    type: 'string',
  },
  contentType: { abbrev: 'mime_multipart.header.content-type', name: 'Content-Type', type: 'string' },
});
const f = multipartFields;

/** The part headers packet-multipart.c knows, by lower-case name. */
const HEADER_FIELDS = new Map([
  ['content-description', f.contentDescription],
  ['content-disposition', f.contentDisposition],
  ['content-encoding', f.contentEncoding],
  ['content-id', f.contentId],
  ['content-language', f.contentLanguage],
  ['content-length', f.contentLength],
  ['content-transfer-encoding', f.contentTransferEncoding],
  ['content-type', f.contentType],
]);

/** The multipart dissector, handing each part's body to `dissectBody`. */
export function multipartDissector(dissectBody: MediaDissector): MediaDissector {
  return (ctx, buf, start, end, tree, mediaType, params) => {
    const boundary = parameter(params, 'boundary');
    // Without a boundary there are no parts to find: the media type's fallback shows the bytes.
    if (boundary === null || boundary === '') return false;
    ctx.enterProtocol('mime_multipart');
    const stop = Math.min(end, buf.length);
    const node = ctx.add(
      tree,
      f.multipart,
      start,
      stop - start,
      undefined,
      `MIME Multipart Media Encapsulation, Type: ${mediaType}, Boundary: "${boundary}"`,
    );
    const c = ctx.children(node);
    ctx.addGenerated(c, f.type, mediaType);
    const dashes = `--${boundary}`;
    const first = findDelimiter(buf, start, stop, dashes, true);
    if (first < 0) {
      dissectData(ctx, buf, start, stop, c);
      return true;
    }
    if (first > start) ctx.add(c, f.preamble, start, first - start, buf.slice(start, first));
    let line = boundaryLine(buf, first, stop, dashes.length);
    addBoundary(ctx, c, buf, first, line.next, f.firstBoundary);
    while (!line.last && line.next < stop) {
      const partStart = line.next;
      // The part ends where the next delimiter's CRLF starts ("\r\n--boundary").
      const delimiter = findDelimiter(buf, partStart, stop, dashes, false);
      const partEnd = delimiter < 0 ? stop : delimiter;
      dissectPart(ctx, c, buf, partStart, partEnd, dissectBody);
      if (delimiter < 0) return true;
      const dashesAt = delimiter + lineEndLength(buf, delimiter);
      line = boundaryLine(buf, dashesAt, stop, dashes.length);
      addBoundary(ctx, c, buf, delimiter, line.next, line.last ? f.lastBoundary : f.boundary);
    }
    if (line.next < stop) ctx.add(c, f.trailer, line.next, stop - line.next, buf.slice(line.next, stop));
    return true;
  };
}

/** One part: its header lines, then its body by its Content-Type. */
function dissectPart(
  ctx: PacketContext,
  parent: ProtoNode[] | null,
  buf: Uint8Array,
  start: number,
  end: number,
  dissectBody: MediaDissector,
): void {
  const item = ctx.add(parent, f.part, start, end - start, '', 'Encapsulated multipart part: ');
  const c = ctx.children(item);
  let contentType: string | null = null;
  let contentParams: string | null = null;
  let pos = start;
  while (pos < end) {
    const fieldEnd = headerFieldEnd(buf, pos, end);
    if (fieldEnd.empty) {
      pos = fieldEnd.next;
      break;
    }
    const raw = utf8String(buf, pos, fieldEnd.textEnd);
    const colon = raw.indexOf(':');
    const name = colon < 0 ? '' : raw.slice(0, colon).trim().toLowerCase();
    const value = colon < 0 ? '' : compactHeaderValue(raw.slice(colon + 1));
    const field = HEADER_FIELDS.get(name);
    const label = fitLabel(formatText(buf, pos, fieldEnd.next));
    if (field) ctx.add(c, field, pos, fieldEnd.next - pos, value, label);
    else ctx.add(c, undefined, pos, fieldEnd.next - pos, undefined, label);
    if (name === 'content-type') {
      const semicolon = value.indexOf(';');
      contentType = (semicolon < 0 ? value : value.slice(0, semicolon)).toLowerCase();
      contentParams = semicolon < 0 ? null : value.slice(semicolon + 1);
    }
    pos = fieldEnd.next;
    if (fieldEnd.last) break;
  }
  if (contentType !== null && item) item.text = `Encapsulated multipart part:  (${contentType})`;
  if (pos >= end) return;
  if (contentType === null || !dissectBody(ctx, buf, pos, end, c, contentType, contentParams)) {
    dissectData(ctx, buf, pos, end, c);
  }
}

/**
 * Where a header field starting at `pos` ends (imf_find_field_end): after its line end and any
 * folded continuation lines, and after the empty line that ends the headers when it is the last
 * (`last`). `empty`: the line at `pos` is that empty line itself (a part without headers).
 */
function headerFieldEnd(
  buf: Uint8Array,
  pos: number,
  end: number,
): { textEnd: number; next: number; last: boolean; empty: boolean } {
  let line = findLineEndOrEof(buf, pos, end);
  if (line.length === 0) return { textEnd: pos, next: line.next, last: true, empty: true };
  let textEnd = pos + line.length;
  let next = line.next;
  // Folded lines (starting with a space or a tab) continue the field.
  while (next < end && (buf[next] === 0x20 || buf[next] === 0x09)) {
    line = findLineEndOrEof(buf, next, end);
    textEnd = next + line.length;
    next = line.next;
  }
  if (next >= end) return { textEnd, next, last: true, empty: false };
  const after = findLineEndOrEof(buf, next, end);
  if (after.length === 0) return { textEnd, next: after.next, last: true, empty: false };
  return { textEnd, next, last: false, empty: false };
}

/**
 * A header value as packet-multipart.c keeps it (unfold_and_compact_mime_header): unfolded,
 * without the spaces and tabs outside quoted strings.
 */
function compactHeaderValue(value: string): string {
  let out = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (!quoted && (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n')) continue;
    out += ch;
  }
  return out;
}

/**
 * Where the next "--boundary" starts: at `from` itself when `atStart` (the first delimiter may
 * open the body), else after a line end; -1 if none. Returns the line end's start when it is
 * preceded by one (the CRLF belongs to the delimiter), else the dashes' start.
 */
function findDelimiter(buf: Uint8Array, from: number, end: number, dashes: string, atStart: boolean): number {
  if (atStart && bytesEqual(buf, from, end, dashes)) return from;
  for (let i = from; i < end; i++) {
    if (buf[i] !== 0x0a) continue;
    if (!bytesEqual(buf, i + 1, end, dashes)) continue;
    const lineStart = i > from && buf[i - 1] === 0x0d ? i - 1 : i;
    return atStart ? i + 1 : lineStart;
  }
  return -1;
}

/** The bytes of a line end at `at` (CRLF or LF), 0 if none. */
function lineEndLength(buf: Uint8Array, at: number): number {
  if (buf[at] === 0x0d && buf[at + 1] === 0x0a) return 2;
  return buf[at] === 0x0a ? 1 : 0;
}

/** The delimiter line at `at` ("--boundary", then "--" for the last, then its line end). */
function boundaryLine(buf: Uint8Array, at: number, end: number, dashesLength: number): { next: number; last: boolean } {
  let pos = at + dashesLength;
  const last = pos + 1 < end && buf[pos] === 0x2d && buf[pos + 1] === 0x2d;
  if (last) pos += 2;
  return { next: findLineEndOrEof(buf, pos, end).next, last };
}

function addBoundary(
  ctx: PacketContext,
  parent: ProtoNode[] | null,
  buf: Uint8Array,
  start: number,
  end: number,
  field: (typeof multipartFields)['boundary'],
): void {
  ctx.add(
    parent,
    field,
    start,
    end - start,
    utf8String(buf, start, end),
    `${field.name}: ${formatText(buf, start, end)}`,
  );
}

/** A parameter's value in a media type's parameters ("boundary=…", quoted or not), or null. */
function parameter(params: string | null, name: string): string | null {
  if (params === null) return null;
  for (const part of params.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim().toLowerCase() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
  }
  return null;
}
