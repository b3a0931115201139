/**
 * A column of texts, one per packet, kept as UTF-8 in large chunks rather than as a million
 * strings. The Info column is the list's largest: its arrows (`20001 → 8001`) make V8 keep
 * most of its strings with two bytes a character, and each string is an object the garbage
 * collector copies when it survives and marks on every full collection. In chunks it takes
 * half the bytes, and the collector never looks inside. Rows read back only what they show.
 *
 * A text that can pack its values (a plain TCP segment's Info, TcpInfo.pack: 31 bytes at most,
 * where its text takes 70-90) is kept packed when the column was given its packing, and made
 * into text when read: most packets of a capture are such segments, and their digits cost the
 * load pass time to write and fresh memory to hold (a page fault per 4 KB, 10 µs each on the
 * benches' VM).
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
  /** Writes the text's values at `at` (room for the packing's maxBytes); returns where they end, or -1 (not packable). */
  pack?(out: Uint8Array, at: number): number;
}

/** How packed texts are kept (TCP_INFO_PACKING): the most bytes pack() writes, and the text back from them. */
export interface TextPacking {
  readonly maxBytes: number;
  unpack(bytes: Uint8Array, at: number): string;
}

export class TextColumn {
  private readonly chunks: Uint8Array[] = [];
  private chunk = new Uint8Array(0);
  private used = 0;
  /**
   * Per text: where it starts, as its chunk's number and its place in it in one number
   * (chunk * CHUNK_BYTES + place: 2 GB of texts, ~20 million packets), and its bytes (~bytes,
   * below zero, for a packed text).
   */
  private readonly startOf = new GrowableInt32();
  private readonly lengthOf = new GrowableInt32();
  /** Texts longer than a chunk holds, by index (rare: a megabyte of Info). */
  private readonly long = new Map<number, string>();
  private readonly decoder = new TextDecoder();
  private scratch = new Uint8Array(1024);

  /** With `packing`, texts that can pack themselves are kept packed (see the top of the file). */
  constructor(private readonly packing: TextPacking | null = null) {}

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
    if (this.packing !== null && text.pack !== undefined && this.makeRoom(this.packing.maxBytes)) {
      const end = text.pack(this.chunk, this.used);
      if (end >= 0) {
        this.pushed(~(end - this.used), end - this.used);
        return;
      }
    }
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

  /** Ends the text just written at `used` in the current chunk: `length` as noted, `written` bytes. */
  private pushed(length: number, written = length): void {
    this.startOf.push((this.chunks.length - 1) * CHUNK_BYTES + this.used);
    this.lengthOf.push(length);
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
    const length = this.lengthOf.get(index);
    if (length < 0) return (this.packing as TextPacking).unpack(chunk, place);
    return this.decoder.decode(chunk.subarray(place, place + length));
  }

  /** Whether text `index` is `text` (compared as UTF-8, as it was stored). */
  equals(index: number, text: string): boolean {
    const start = this.startOf.get(index);
    if (start < 0) return this.long.get(index) === text;
    const length = this.lengthOf.get(index);
    // A packed text as the text it reads as (a plain segment's Info has no lone surrogate to differ by).
    if (length < 0) return this.get(index) === text;
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
