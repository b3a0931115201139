/**
 * A column of texts, one per packet, kept as UTF-8 in large chunks rather than as a million
 * strings. The Info column is the list's largest: its arrows (`20001 → 8001`) make V8 keep
 * most of its strings with two bytes a character, and each string is an object the garbage
 * collector copies when it survives and marks on every full collection. In chunks it takes
 * half the bytes, and the collector never looks inside. Rows read back only what they show.
 */
import { MAX_BYTES_PER_UNIT, encodeUtf8Into } from '../../core/pcap/utf8';
import { GrowableInt32 } from './growable';

/** Bytes per chunk; a longer text is kept as a string (see `long`). */
const CHUNK_BYTES = 4 << 20;

/** A text that can write itself as UTF-8 without being made first (TCP's Info, see TcpInfo). */
export interface Utf8Writable {
  /** At least the text's UTF-16 code units. */
  textLengthBound(): number;
  /** Writes the text's UTF-8 bytes at `at` (room for the bound's 3 bytes a unit); returns where they end. */
  writeUtf8(out: Uint8Array, at: number): number;
  /** The text (when it is too long for a chunk). */
  text(): string;
}

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

  /** Makes room for `texts` texts in all (their places; the bytes come in chunks). */
  reserve(texts: number): void {
    this.startOf.reserve(texts);
    this.lengthOf.reserve(texts);
  }

  push(text: string): void {
    if (this.makeRoom(text.length * MAX_BYTES_PER_UNIT)) this.pushed(encodeUtf8Into(text, this.chunk, this.used));
    else this.pushLong(text);
  }

  /** Pushes a text written straight as bytes, never made as a string unless it is long. */
  pushWritten(text: Utf8Writable): void {
    if (this.makeRoom(text.textLengthBound() * MAX_BYTES_PER_UNIT))
      this.pushed(text.writeUtf8(this.chunk, this.used) - this.used);
    else this.pushLong(text.text());
  }

  /** Makes the current chunk have `room` bytes free; false when no chunk can. */
  private makeRoom(room: number): boolean {
    if (room > CHUNK_BYTES) return false;
    if (this.chunks.length === 0 || this.used + room > CHUNK_BYTES) {
      this.chunk = new Uint8Array(CHUNK_BYTES);
      this.chunks.push(this.chunk);
      this.used = 0;
    }
    return true;
  }

  /** Ends the text just written at `used` in the current chunk. */
  private pushed(written: number): void {
    this.startOf.push((this.chunks.length - 1) * CHUNK_BYTES + this.used);
    this.lengthOf.push(written);
    this.used += written;
  }

  private pushLong(text: string): void {
    this.long.set(this.length, text);
    this.startOf.push(-1);
    this.lengthOf.push(0);
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
    const written = encodeUtf8Into(text, this.scratch, 0);
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
