/**
 * The browser shell's wire codec: one WebSocket binary frame per message.
 *
 *   [u32 LE: JSON byte length][JSON (UTF-8)][blob 0][blob 1]…
 *
 * Every Uint8Array in the message is moved out of the JSON into the blob section and
 * replaced by `{"$b": n}`; the JSON's `"$l"` array holds the blob lengths. Decoding returns
 * Uint8Array views into the received buffer (no copy), so a batch of 100,000 packets costs
 * one small JSON parse plus pointer arithmetic. Pure: no Node or DOM imports, so the
 * renderer and the Node server share it.
 */

const BLOB_KEY = '$b';

interface Envelope {
  /** The message with blobs replaced by markers. */
  m: unknown;
  /** Blob lengths, in order. */
  $l: number[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes any JSON-able value that may contain Uint8Arrays (at any depth). */
export function encodeMessage(value: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  const strip = (v: unknown): unknown => {
    if (v instanceof Uint8Array) {
      blobs.push(v);
      return { [BLOB_KEY]: blobs.length - 1 };
    }
    if (Array.isArray(v)) return v.map(strip);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
        if (child !== undefined) out[k] = strip(child);
      }
      return out;
    }
    return v;
  };
  const envelope: Envelope = { m: strip(value), $l: [] };
  envelope.$l = blobs.map((b) => b.byteLength);
  const json = encoder.encode(JSON.stringify(envelope));
  let total = 4 + json.byteLength;
  for (const b of blobs) total += b.byteLength;
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 4);
  let offset = 4 + json.byteLength;
  for (const b of blobs) {
    out.set(b, offset);
    offset += b.byteLength;
  }
  return out;
}

export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

/** Decodes a frame made by encodeMessage. Blobs come back as views into `frame`. */
export function decodeMessage(frame: Uint8Array | ArrayBuffer): unknown {
  const bytes = frame instanceof Uint8Array ? frame : new Uint8Array(frame);
  if (bytes.byteLength < 4) throw new CodecError('frame too short');
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + jsonLength > bytes.byteLength) throw new CodecError('JSON length past the end of the frame');
  let envelope: Envelope;
  try {
    envelope = JSON.parse(decoder.decode(bytes.subarray(4, 4 + jsonLength))) as Envelope;
  } catch {
    throw new CodecError('frame is not valid JSON');
  }
  if (envelope === null || typeof envelope !== 'object' || !Array.isArray(envelope.$l)) {
    throw new CodecError('frame has no blob table');
  }
  const blobs: Uint8Array[] = [];
  let offset = 4 + jsonLength;
  for (const length of envelope.$l) {
    if (!Number.isInteger(length) || length < 0 || offset + length > bytes.byteLength) {
      throw new CodecError('blob past the end of the frame');
    }
    blobs.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  const restore = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = restore(v[i]);
      return v;
    }
    if (v !== null && typeof v === 'object') {
      const obj = v as Record<string, unknown>;
      const marker = obj[BLOB_KEY];
      if (typeof marker === 'number' && Object.keys(obj).length === 1) {
        const blob = blobs[marker];
        if (!blob) throw new CodecError(`unknown blob ${marker}`);
        return blob;
      }
      for (const k of Object.keys(obj)) obj[k] = restore(obj[k]);
      return obj;
    }
    return v;
  };
  return restore(envelope.m);
}

/** Messages of the LabApi WebSocket bridge. */
export type ClientMessage = { t: 'call'; id: number; method: string; args: unknown[] };

export type ServerMessage =
  | { t: 'result'; id: number; ok: true; value: unknown }
  | { t: 'result'; id: number; ok: false; error: { name: string; message: string } }
  | { t: 'event'; event: string; payload: unknown };
