/**
 * Body dissectors chosen by media type (Wireshark's "media_type" dissector table), as HTTP
 * calls them: line-based text, HTML form URL encoded, JSON, JPEG/JFIF, and the fallback
 * "Media Type". Each appends to the Info column the way its Wireshark counterpart does.
 */
import type { PacketContext } from '../../context';
import type { ProtoNode } from '../../tree';
import { dissectData } from '../common';
import { formatText, fitLabel, findLineEndOrEof, utf8String } from './text';
import { defineProtocol } from '../../protocol';
import { dissectJfif, jfifFields } from './jfif';
import { dissectJson, jsonFields } from './json';
import { dissectPng, pngFields } from './png';
import { dissectMediaType, mediaFields, type MediaDissector } from './media-type';
import { multipartDissector, multipartFields } from './multipart';
import { dissectXml, xmlFields } from './xml';

const m = mediaFields;

export type { MediaDissector } from './media-type';
export { dissectMediaType, mediaFields } from './media-type';

/** Media type (lower case, no parameters) → dissector; filled by registerAllProtocols() from `protocol` below. */
export const mediaTypeTable = new Map<string, MediaDissector>();

/** col_append_sep_fstr(COL_INFO, " ", "(%s)", type). */
function appendTypeToInfo(ctx: PacketContext, type: string): void {
  ctx.appendInfo(ctx.columns.info.length > 0 ? ` (${type})` : `(${type})`);
}

/** "Line-based text data: text/html (17 lines)", one item per line. */
export const dissectTextLines: MediaDissector = (ctx, buf, start, end, tree, mediaType) => {
  ctx.enterProtocol('data-text-lines');
  appendTypeToInfo(ctx, mediaType);
  const node = ctx.add(tree, m.textLines, start, end - start, undefined);
  const c = ctx.children(node);
  if (!c) return true;
  let lines = 0;
  let pos = start;
  while (pos < end) {
    const le = findLineEndOrEof(buf, pos, end);
    ctx.add(c, undefined, pos, le.next - pos, undefined, fitLabel(formatText(buf, pos, le.next)));
    lines++;
    pos = le.next;
  }
  if (node) node.text = `Line-based text data: ${mediaType} (${lines} lines)`;
  return true;
};

function urlDecode(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x2b) bytes.push(0x20);
    else if (ch === 0x25 && i + 2 < text.length + 0 && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (ch < 0x80) bytes.push(ch);
    else bytes.push(...new TextEncoder().encode(text[i]));
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** "HTML Form URL Encoded: application/x-www-form-urlencoded" with its Form items. */
export const dissectForm: MediaDissector = (ctx, buf, start, end, tree, mediaType) => {
  ctx.enterProtocol('urlencoded-form');
  appendTypeToInfo(ctx, mediaType);
  const node = ctx.add(tree, m.form, start, end - start, undefined, `HTML Form URL Encoded: ${mediaType}`);
  const c = ctx.children(node);
  let pos = start;
  while (pos < end) {
    let amp = pos;
    while (amp < end && buf[amp] !== 0x26) amp++;
    let eq = pos;
    while (eq < amp && buf[eq] !== 0x3d) eq++;
    const key = urlDecode(utf8String(buf, pos, eq));
    const value = eq < amp ? urlDecode(utf8String(buf, eq + 1, amp)) : '';
    const item = ctx.add(c, m.formItem, pos, amp - pos, undefined, fitLabel(`Form item: "${key}" = "${value}"`));
    const ic = ctx.children(item);
    ctx.add(ic, m.formKey, pos, eq - pos, key, fitLabel(`Key: ${key}`));
    const vs = Math.min(eq + 1, amp);
    ctx.add(ic, m.formValue, vs, amp - vs, value, fitLabel(`Value: ${value}`));
    pos = amp + 1;
  }
  return true;
};

/** Bodies Wireshark hands to its "data" dissector (application/octet-stream). */
const dissectOctetStream: MediaDissector = (ctx, buf, start, end, tree) => {
  dissectData(ctx, buf, start, end, tree);
  return true;
};

/**
 * Dissects an entity body as HTTP does: the media type's dissector, else the "media"
 * fallback. Returns false when there is no media type (HTTP then shows "Data" under itself).
 */
export function dissectMediaBody(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  tree: ProtoNode[] | null,
  mediaType: string | null,
  params: string | null,
  cut = false,
): boolean {
  if (mediaType === null) return false;
  const fn = mediaTypeTable.get(mediaType) ?? dissectMediaType;
  return fn(ctx, buf, start, end, tree, mediaType, params, cut);
}

/** "Data (N bytes)" under a given node (HTTP's call_data_dissector on its own tree). */
export function dissectDataUnder(
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  parent: ProtoNode[] | null,
): void {
  dissectData(ctx, buf, start, end, parent);
}

const byType = (types: readonly string[], dissector: MediaDissector) => types.map((type) => ({ type, dissector }));

/**
 * The media type dissectors as data (Wireshark's "media_type" table): what registerAllProtocols()
 * (../index.ts) puts in mediaTypeTable.
 */
export const protocol = defineProtocol({
  name: 'media',
  fields: [mediaFields, jsonFields, jfifFields, pngFields, multipartFields, xmlFields],
  mediaTypes: [
    ...byType(
      [
        'text/plain',
        'text/richtext',
        'text/enriched',
        'text/parameters',
        'text/css',
        'text/html',
        'text/javascript',
        'text/csv',
        'text/vnd.sun.j2me.app-descriptor',
        'text/vnd.wap.si',
        'text/vnd.wap.sl',
        'text/vnd.wap.co',
        'text/vnd.wap.emn',
        'text/vnd.wap.wml',
        'application/javascript',
        'application/x-javascript',
        'application/vnd.poc.refer-to',
        'application/x-wms-logplaystats',
        'application/x-tia-p25-issi',
        'application/x-tia-p25-sndcp',
      ],
      dissectTextLines,
    ),
    { type: 'application/x-www-form-urlencoded', dissector: dissectForm },
    { type: 'application/octet-stream', dissector: dissectOctetStream },
    ...byType(
      [
        'application/json',
        'application/json-rpc',
        'application/jsonrequest',
        'application/dds-web+json',
        'application/vnd.oma.lwm2m+json',
      ],
      dissectJson,
    ),
    ...byType(['image/jpeg', 'image/jpg', 'image/pjpeg', 'image/jfif'], dissectJfif),
    { type: 'image/png', dissector: dissectPng },
    ...byType(
      [
        'text/xml',
        'application/xml',
        'image/svg+xml',
        'application/xhtml+xml',
        'application/soap+xml',
        'application/atom+xml',
        'application/rss+xml',
        'application/rdf+xml',
        'application/xml-dtd',
      ],
      dissectXml,
    ),
    // packet-multipart.c's registrations; each part's body goes back through this table.
    ...byType(
      [
        'multipart/mixed',
        'multipart/related',
        'multipart/alternative',
        'multipart/form-data',
        'multipart/report',
        'multipart/signed',
        'multipart/encrypted',
        'multipart/byteranges',
      ],
      multipartDissector((ctx, buf, start, end, tree, mediaType, params) =>
        dissectMediaBody(ctx, buf, start, end, tree, mediaType, params),
      ),
    ),
  ],
});
