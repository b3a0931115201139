/** An HTTP entity body: de-chunking, content decoding, then the media type's dissector. */
import type { PacketContext } from '../../context';
import type { ProtoNode } from '../../tree';
import { asciiString, findLineEnd, findLineEndOrEof, fitLabel, formatText } from '../media/text';
import { dissectMediaBody, dissectDataUnder } from '../media';
import { decodeContent } from './decode';
import { httpFields as f } from './fields';
import { parseChunkSize, type Headers } from './headers';

export function dissectBody(
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
    if (ht && ctx.keeps(f.fileData))
      ctx.add(
        ht,
        f.fileData,
        bStart,
        bEnd - bStart,
        // ENC_ASCII, as packet-http.c adds it: each byte above 0x7f is U+FFFD (a filter on
        // http.file_data sees the body so; Export Objects takes the bytes).
        asciiString(body, bStart, bEnd),
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
