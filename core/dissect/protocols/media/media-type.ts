/**
 * What every media type dissector shares: its signature, and Wireshark's "media" dissector (the
 * fallback for a Content-Type nobody registered, "Media Type: image/gif (42 bytes)").
 */
import { defineFields } from '../../fields';
import type { PacketContext } from '../../context';
import type { ProtoNode } from '../../tree';
import { byteCount } from '../../format';
import { fitLabel } from './text';

export type MediaDissector = (
  ctx: PacketContext,
  buf: Uint8Array,
  start: number,
  end: number,
  tree: ProtoNode[] | null,
  mediaType: string,
  params: string | null,
  /** The body goes on past `end` on the wire: the capture stopped there (snap length). */
  cut?: boolean,
) => boolean;

export const mediaFields = defineFields({
  textLines: { abbrev: 'data-text-lines', name: 'Line-based text data', type: 'protocol' },
  form: { abbrev: 'urlencoded-form', name: 'HTML Form URL Encoded', type: 'protocol' },
  formItem: { abbrev: 'urlencoded-form.item', name: 'Form item', type: 'none', textOnly: true },
  formKey: { abbrev: 'urlencoded-form.key', name: 'Key', type: 'string' },
  formValue: { abbrev: 'urlencoded-form.value', name: 'Value', type: 'string' },
  media: { abbrev: 'media', name: 'Media Type', type: 'protocol' },
  mediaType: { abbrev: 'media.type', name: 'Media type', type: 'bytes' },
});
const m = mediaFields;

/** Wireshark's "media" dissector: the fallback for a Content-Type nobody registered. */
export const dissectMediaType: MediaDissector = (ctx, buf, start, end, tree, mediaType, params) => {
  ctx.enterProtocol('media');
  ctx.appendInfo(` (${mediaType})`);
  const n = end - start;
  if (n <= 0) return true;
  const node = ctx.add(tree, m.media, start, n, undefined);
  const text = params !== null ? `${mediaType}; ${params} (${byteCount(n)})` : `${mediaType} (${byteCount(n)})`;
  ctx.add(ctx.children(node), m.mediaType, start, n, buf.subarray(start, end), fitLabel(`Media type: ${text}`));
  return true;
};
