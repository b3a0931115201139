/**
 * UTF-8 for pcapng option strings (comments, interface names).
 * core/ runs where TextDecoder may not be declared (lib ES2023 only), so this is done by hand.
 * Invalid sequences become U+FFFD instead of throwing: a bad comment must not lose the packet.
 */

const REPLACEMENT = 0xfffd;

export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const codes: number[] = [];
  let i = start;
  while (i < end) {
    const b0 = bytes[i];
    if (b0 < 0x80) {
      codes.push(b0);
      i += 1;
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    } else {
      codes.push(REPLACEMENT);
      i += 1;
      continue;
    }
    let j = 1;
    for (; j <= need; j++) {
      const b = i + j < end ? bytes[i + j] : -1;
      if ((b & 0xc0) !== 0x80) break;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (j <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      codes.push(REPLACEMENT);
      i += Math.max(1, j);
      continue;
    }
    codes.push(cp);
    i += need + 1;
  }
  // Chunked to stay below engines' argument-count limits for very long strings.
  let out = '';
  for (let k = 0; k < codes.length; k += 8192) {
    out += String.fromCodePoint(...codes.slice(k, k + 8192));
  }
  return out;
}

export function encodeUtf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length * MAX_BYTES_PER_UNIT);
  return out.slice(0, encodeUtf8Into(text, out, 0));
}

/** UTF-8 takes at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units). */
export const MAX_BYTES_PER_UNIT = 3;

/**
 * Writes `text` as UTF-8 into `out` from `at` (which has room for MAX_BYTES_PER_UNIT bytes a
 * code unit) and returns the bytes written; a lone surrogate becomes U+FFFD, as TextEncoder
 * writes it. By hand because the browser's TextEncoder.encodeInto, a call into Blink with a
 * view made for it, cost the packet list's load pass about a microsecond a packet in Chromium.
 */
export function encodeUtf8Into(text: string, out: Uint8Array, at: number): number {
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
      c = REPLACEMENT;
    }
    out[o++] = 0xe0 | (c >> 12);
    out[o++] = 0x80 | ((c >> 6) & 0x3f);
    out[o++] = 0x80 | (c & 0x3f);
  }
  return o - at;
}
