/**
 * A column of texts, one per packet, kept as UTF-8 in large chunks rather than as a million
 * strings. The Info column is the list's largest: its arrows (`20001 → 8001`) make V8 keep
 * most of its strings with two bytes a character, and each string is an object the garbage
 * collector copies when it survives and marks on every full collection. In chunks it takes
 * half the bytes, and the collector never looks inside. Rows read back only what they show.
 */
import { GrowableInt32 } from './growable';

/** Bytes per chunk; a longer text is kept as a string (see `long`). */
const CHUNK_BYTES = 4 << 20;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

export class TextColumn {
  private readonly chunks: Uint8Array[] = [];
  private chunk = new Uint8Array(0);
  private used = 0;
  /**
   * Per text: where it starts, as its chunk's number and its place in it in one number
   * (chunk * CHUNK_BYTES + place: 2 GB of texts, ~20 million packets), and its bytes.
   */
  private readonly startOf = new GrowableInt32();
  private readonly lengthOf = new GrowableInt32();
  /** Texts longer than a chunk holds, by index (rare: a megabyte of Info). */
  private readonly long = new Map<number, string>();
  private readonly decoder = new TextDecoder();
  private scratch = new Uint8Array(1024);

  get length(): number {
    return this.startOf.length;
  }

  push(text: string): void {
    const room = text.length * MAX_BYTES_PER_UNIT;
    if (room > CHUNK_BYTES) {
      this.long.set(this.length, text);
      this.startOf.push(-1);
      this.lengthOf.push(0);
      return;
    }
    if (this.chunks.length === 0 || this.used + room > CHUNK_BYTES) {
      this.chunk = new Uint8Array(CHUNK_BYTES);
      this.chunks.push(this.chunk);
      this.used = 0;
    }
    const written = encodeUtf8(text, this.chunk, this.used);
    this.startOf.push((this.chunks.length - 1) * CHUNK_BYTES + this.used);
    this.lengthOf.push(written);
    this.used += written;
  }

  get(index: number): string {
    const start = this.startOf.get(index);
    if (start < 0) return this.long.get(index) ?? '';
    const place = start % CHUNK_BYTES;
    const chunk = this.chunks[(start - place) / CHUNK_BYTES];
    return this.decoder.decode(chunk.subarray(place, place + this.lengthOf.get(index)));
  }

  /** Whether text `index` is `text` (compared as UTF-8, as it was stored). */
  equals(index: number, text: string): boolean {
    const start = this.startOf.get(index);
    if (start < 0) return this.long.get(index) === text;
    const length = this.lengthOf.get(index);
    // Each code unit is at least one byte: a longer text cannot be the same.
    if (text.length > length) return false;
    if (this.scratch.length < text.length * MAX_BYTES_PER_UNIT) {
      this.scratch = new Uint8Array(text.length * MAX_BYTES_PER_UNIT);
    }
    const written = encodeUtf8(text, this.scratch, 0);
    if (written !== length) return false;
    const place = start % CHUNK_BYTES;
    const chunk = this.chunks[(start - place) / CHUNK_BYTES];
    for (let i = 0; i < length; i++) if (chunk[place + i] !== this.scratch[i]) return false;
    return true;
  }

  /** Every text, for sorting by the column. */
  all(): string[] {
    const out: string[] = new Array<string>(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.get(i);
    return out;
  }
}

/**
 * Writes `text` as UTF-8 into `out` from `at` (which has room for 3 bytes a code unit) and
 * returns the bytes written; a lone surrogate becomes U+FFFD, as TextEncoder writes it. By hand
 * because the browser's TextEncoder.encodeInto, a call into Blink with a view made for it, cost
 * the load pass about a microsecond a packet in Chromium.
 */
export function encodeUtf8(text: string, out: Uint8Array, at: number): number {
  let o = at;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    if (c < 0x800) {
      out[o++] = 0xc0 | (c >> 6);
      out[o++] = 0x80 | (c & 0x3f);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        out[o++] = 0xf0 | (point >> 18);
        out[o++] = 0x80 | ((point >> 12) & 0x3f);
        out[o++] = 0x80 | ((point >> 6) & 0x3f);
        out[o++] = 0x80 | (point & 0x3f);
        i++;
        continue;
      }
      c = 0xfffd;
    }
    out[o++] = 0xe0 | (c >> 12);
    out[o++] = 0x80 | ((c >> 6) & 0x3f);
    out[o++] = 0x80 | (c & 0x3f);
  }
  return o - at;
}
