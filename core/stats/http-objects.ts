/**
 * HTTP objects (File › Export Objects › HTTP, tshark's `--export-objects http,DIR`), after
 * packet-http.c's export-object tap and ui/export_object_ui.c: one object per HTTP message
 * with a body (requests too), its bytes as decoded (de-chunked, decompressed), named after the
 * last request URI of its connection, with tshark's rules for unsafe characters and duplicates.
 */
import type { DissectedPacket } from '../dissect/context';
import { firstFieldNodes, type ProtoNode } from '../dissect/tree';
import { childNumber, packetLayers, type Layer } from './layers';

export interface HttpObject {
  /** Frame the body was completed in. */
  frame: number;
  /** Host header of the request, or ''. */
  hostname: string;
  /** Content-Type of the message, or ''. */
  contentType: string;
  /** g_path_get_basename of the connection's last request URI; null when there was none. */
  filename: string | null;
  data: Uint8Array;
}

/** GLib's g_path_get_basename for '/' separated paths. */
export function pathBasename(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Characters Windows refuses in names, replaced by %xx (export_object.c's eo_massage_str). */
function rejected(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 0x01 && code <= 0x1f) || '<>:"/\\|?*'.includes(c);
}
/** Names tried for one object: "name", then "name(1)" to "name(999)" (Wireshark's gui.max_export_objects). */
const MAX_EXPORT_OBJECT_TRIES = 1000;
/** EXPORT_OBJECT_MAXFILELEN. */
export const EXPORT_OBJECT_MAXFILELEN = 255;

/** A safe file name for `name`; `dupn` > 0 inserts "(dupn)" before the extension. */
export function massageFileName(name: string, dupn = 0, maxlen = EXPORT_OBJECT_MAXFILELEN): string {
  let out = '';
  for (const c of name) out += rejected(c) ? '%' + c.charCodeAt(0).toString(16).padStart(2, '0') : c;
  if (out.length > maxlen) {
    const dot = out.lastIndexOf('.');
    out = dot >= 0 ? out.slice(0, maxlen - (out.length - dot)) + out.slice(dot) : out.slice(0, maxlen);
  }
  if (dupn !== 0) {
    const dup = `(${dupn})`;
    if (out.length + dup.length > maxlen) out = out.slice(0, maxlen - dup.length);
    const dot = out.lastIndexOf('.');
    out = dot >= 0 ? out.slice(0, dot) + dup + out.slice(dot) : out + dup;
  }
  return out;
}

/** The name tshark gives an object before duplicates are numbered. */
export function objectBaseName(object: HttpObject): string {
  return object.filename ?? `object${object.frame}`;
}

function text(n: ProtoNode | undefined): string | null {
  return n && typeof n.value === 'string' ? n.value : null;
}

/** What an HTTP layer gives its object, found in one walk of the layer (firstFieldNodes). */
const HTTP_OBJECT_FIELDS = [
  'http.request.uri',
  'http.host',
  'http.request',
  'http.response',
  'http.file_data',
  'http.content_type',
] as const;

export class HttpObjectList {
  private readonly objects: HttpObject[] = [];
  /** The last request URI and host seen on each TCP stream (Wireshark's conv_data). */
  private readonly lastRequest = new Map<number, { uri: string; host: string }>();

  /** Needs the packet's whole detail tree; `layers` are its packetLayers. */
  add(packet: DissectedPacket, layers: readonly Layer[] = packetLayers(packet)): void {
    let stream: number | null = null;
    for (const { protocol, node } of layers) {
      if (protocol === 'tcp') {
        stream = childNumber(node, 'tcp.stream');
        continue;
      }
      if (protocol !== 'http' || stream === null) continue;
      const [uriNode, hostNode, request, response, body, contentType] = firstFieldNodes(
        node.children ?? [],
        HTTP_OBJECT_FIELDS,
      );
      // A request line counts even when the capture cut the headers short (snaplen).
      const uri = text(uriNode);
      if (uri !== null) this.lastRequest.set(stream, { uri, host: text(hostNode) ?? '' });
      if (!request && !response) continue; // continuation data
      if (!body || body.length === 0) continue;
      const source = packet.sources[body.source]?.data;
      if (!source) continue;
      const last = this.lastRequest.get(stream);
      this.objects.push({
        frame: packet.number,
        hostname: last?.host ?? '',
        contentType: text(contentType) ?? '',
        filename: last ? pathBasename(last.uri) : null,
        data: source.slice(body.start, body.start + body.length),
      });
    }
  }

  result(): HttpObject[] {
    return [...this.objects];
  }
}

/**
 * File names for the objects, as tshark writes them into a folder: the massaged name, or
 * "name(1)", "name(2)"… while `exists` says the name is taken (at most 1000 tries, as
 * Wireshark's gui.max_export_objects).
 */
export function exportFileNames(objects: readonly HttpObject[], exists: (name: string) => boolean): string[] {
  const taken = new Set<string>();
  // Per base name, the number its last object got: every name before it is taken (names are only
  // ever added), so the next object with that base starts there. Trying from "(1)" each time
  // took 28,571 requests for "/" of the 200,000-packet bench capture 1000 tries each (5 s).
  const reached = new Map<string, number>();
  return objects.map((o) => {
    const base = objectBaseName(o);
    let n = reached.get(base) ?? 0;
    let name = massageFileName(base, n);
    while ((taken.has(name) || exists(name)) && n < MAX_EXPORT_OBJECT_TRIES - 1) name = massageFileName(base, ++n);
    reached.set(base, n);
    taken.add(name);
    return name;
  });
}
