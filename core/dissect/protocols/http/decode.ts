/**
 * Content-Encoding decoding as Wireshark's tvb_uncompress() does it: gzip, zlib or raw
 * deflate, whichever the data is (fflate: pure JS, runs in a worker).
 */
import { gunzipSync, unzlibSync, inflateSync } from 'fflate';

/** Hard cap on a decoded body, so a decompression bomb cannot exhaust memory. */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;

/** The decoded body, or null when the data is not gzip/zlib/deflate (or is damaged). */
export function decodeContent(data: Uint8Array): Uint8Array | null {
  if (data.length === 0) return null;
  const attempts: ((d: Uint8Array) => Uint8Array)[] = [];
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) attempts.push((d) => gunzipSync(d));
  if (data.length >= 2 && (data[0] & 0x0f) === 8 && ((data[0] << 8) | data[1]) % 31 === 0)
    attempts.push((d) => unzlibSync(d));
  attempts.push((d) => inflateSync(d));
  for (const attempt of attempts) {
    try {
      const out = attempt(data);
      if (out.length <= MAX_DECODED_BYTES) return out;
      return null;
    } catch {
      // try the next format
    }
  }
  return null;
}
