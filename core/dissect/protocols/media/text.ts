/**
 * Text helpers shared by HTTP and the body dissectors: Wireshark 4.0's `format_text`
 * (printable ASCII kept, C escapes, `\ooo` octal for other control bytes, UTF-8 kept, invalid
 * UTF-8 as U+FFFD), tvb_find_line_end, and the 240-byte label limit with " [truncated]".
 */
import { escapeControl } from '../../format';

/** Wireshark's ITEM_LABEL_LENGTH: longer labels are cut and marked " [truncated]". */
const ITEM_LABEL_LENGTH = 240;
/** Bytes of the original text kept in a truncated label (as tshark 4.0 prints them). */
const TRUNCATED_KEEP = 226;

/** Length of a valid UTF-8 sequence at `i` (0 when invalid). */
function utf8Len(buf: Uint8Array, i: number, end: number): number {
  const c = buf[i];
  let n: number;
  let min: number;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    min = 0x80;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    min = 0x800;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    min = 0x10000;
  } else return 0;
  if (i + n > end) return 0;
  let cp = c & (n === 2 ? 0x1f : n === 3 ? 0x0f : 0x07);
  for (let k = 1; k < n; k++) {
    const b = buf[i + k];
    if ((b & 0xc0) !== 0x80) return 0;
    cp = cp * 64 + (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return n;
}

/** format_text() of buf[start, end). */
export function formatText(buf: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, buf.length);
  let out = '';
  let i = start;
  while (i < stop) {
    const c = buf[i];
    if (c >= 0x20 && c < 0x7f) {
      // Fast path for runs of printable ASCII.
      let j = i + 1;
      while (j < stop && buf[j] >= 0x20 && buf[j] < 0x7f) j++;
      out += decodeAscii(buf, i, j);
      i = j;
      continue;
    }
    if (c < 0x80) {
      out += escapeControl(c);
      i++;
      continue;
    }
    const n = utf8Len(buf, i, stop);
    if (n === 0) {
      out += '\ufffd';
      i++;
      continue;
    }
    out += utf8Decoder.decode(buf.subarray(i, i + n));
    i += n;
  }
  return out;
}

const utf8Decoder = new TextDecoder('utf-8');

/**
 * buf[start, end), known to be 7-bit ASCII, as a string. Protocol text repeats all through a
 * capture (status lines, header values, host names), so short texts are interned: a text met
 * before is returned without allocating. Others: short runs by char codes (a native decode
 * costs more than it saves there), longer ones by the native UTF-8 decoder.
 */
function decodeAscii(buf: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length > INTERNED_MAX_LENGTH) return utf8Decoder.decode(buf.subarray(start, end));
  let hash = length;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i], 0x01000193);
  const slot = (hash ^ (hash >>> 15)) & (INTERNED_SLOTS - 1);
  const known = interned[slot];
  if (known !== undefined && known.length === length) {
    let same = true;
    for (let i = 0; i < length; i++) {
      if (known.charCodeAt(i) !== buf[start + i]) {
        same = false;
        break;
      }
    }
    if (same) return known;
  }
  let s: string;
  if (length > 32) s = utf8Decoder.decode(buf.subarray(start, end));
  else {
    s = '';
    for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  }
  interned[slot] = s;
  return s;
}

const INTERNED_MAX_LENGTH = 96;
const INTERNED_SLOTS = 4096;
/** One text per slot, replaced on a collision: at most 4096 × 96 characters kept. */
const interned: (string | undefined)[] = new Array<string | undefined>(INTERNED_SLOTS);

/** A label as the tree shows it: cut to Wireshark's label buffer, marked " [truncated]". */
export function fitLabel(label: string): string {
  // A UTF-16 code unit is at most 3 UTF-8 bytes: most labels are short enough not to encode.
  if (label.length * 3 < ITEM_LABEL_LENGTH) return label;
  const bytes = utf8Encoder.encode(label);
  if (bytes.length < ITEM_LABEL_LENGTH) return label;
  let cut = TRUNCATED_KEEP;
  while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--;
  return ' [truncated]' + utf8Decoder.decode(bytes.subarray(0, cut));
}

const utf8Encoder = new TextEncoder();

/** A string value decoded as Wireshark's ENC_ASCII does (bytes >= 0x80 become U+FFFD). */
export function asciiString(buf: Uint8Array, start: number, end: number): string {
  const stop = Math.min(end, buf.length);
  let i = start;
  while (i < stop && buf[i] < 0x80) i++;
  if (i >= stop) return start < stop ? decodeAscii(buf, start, stop) : '';
  // Text with a byte above 0x7f, or binary data (http.file_data of a JPEG body, 14 KB in the
  // lab): as UTF-16 code units, decoded natively. Appending a character at a time made a
  // string of thousands of pieces: -z expert over the 300,000-packet lab repeat spent a
  // sixth of its time here.
  const length = stop - start;
  // A body beyond the kept buffer (an upload of megabytes) gets its own, dropped after.
  const units = length <= asciiUnits.length ? asciiUnits : new Uint16Array(length);
  for (let k = start; k < stop; k++) {
    const byte = buf[k];
    units[k - start] = byte < 0x80 ? byte : 0xfffd;
  }
  return utf16Decoder.decode(units.subarray(0, length));
}

/** asciiString's code units, reused (one string is decoded at a time): up to 64 KB of text. */
const asciiUnits = new Uint16Array(65536);
const utf16Decoder = new TextDecoder('utf-16le');

/** UTF-8 decode with replacement (ENC_UTF_8). */
export function utf8String(buf: Uint8Array, start: number, end: number): string {
  return utf8Decoder.decode(buf.subarray(start, Math.min(end, buf.length)));
}

export interface LineEnd {
  /** Length of the line without its terminator. */
  length: number;
  /** Offset of the next line. */
  next: number;
}

/**
 * tvb_find_line_end: a line ends at CR, LF or CRLF. Returns null when no terminator lies
 * within [start, end) (Wireshark's "desegment" mode). A CR at the very end counts as a line
 * end only when `crAtEndIsEnd` (it might be the first half of a CRLF).
 */
export function findLineEnd(buf: Uint8Array, start: number, end: number, crAtEndIsEnd = false): LineEnd | null {
  const at = findLineTerminator(buf, start, end, crAtEndIsEnd);
  return at < 0 ? null : { length: at - start, next: afterLineTerminator(buf, at, end) };
}

/** findLineEnd without an object: where the line's terminator starts, or -1. */
export function findLineTerminator(buf: Uint8Array, start: number, end: number, crAtEndIsEnd = false): number {
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x0a) return i;
    if (c === 0x0d) return i + 1 < end || crAtEndIsEnd ? i : -1;
  }
  return -1;
}

/** Where the next line starts, after the terminator (CR, LF or CRLF) at `at`. */
export function afterLineTerminator(buf: Uint8Array, at: number, end: number): number {
  return buf[at] === 0x0d && at + 1 < end && buf[at + 1] === 0x0a ? at + 2 : at + 1;
}

/** Line end, or the end of the data when there is none (tvb_find_line_end without desegment). */
export function findLineEndOrEof(buf: Uint8Array, start: number, end: number): LineEnd {
  return findLineEnd(buf, start, end, true) ?? { length: end - start, next: end };
}

/** Whether buf[off, end) starts with the ASCII `text` (byte for byte). */
export function bytesEqual(buf: Uint8Array, off: number, end: number, text: string): boolean {
  if (off < 0 || end - off < text.length) return false;
  for (let i = 0; i < text.length; i++) if (buf[off + i] !== text.charCodeAt(i)) return false;
  return true;
}

export function bytesEqualCI(buf: Uint8Array, off: number, end: number, text: string): boolean {
  if (off < 0 || end - off < text.length) return false;
  for (let i = 0; i < text.length; i++) {
    let b = buf[off + i];
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    let t = text.charCodeAt(i);
    if (t >= 0x41 && t <= 0x5a) t += 0x20;
    if (b !== t) return false;
  }
  return true;
}
