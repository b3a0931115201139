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
  const out: number[] = [];
  for (const ch of text) {
    let cp = ch.codePointAt(0) ?? REPLACEMENT;
    if (cp >= 0xd800 && cp <= 0xdfff) cp = REPLACEMENT; // lone surrogate
    if (cp < 0x80) {
      out.push(cp);
    } else if (cp < 0x800) {
      out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    } else {
      out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    }
  }
  return Uint8Array.from(out);
}
