/** Text formatting shared by dissectors, labels and field output. */
import { asciiText, scratchBytes, writeHexByte } from './bytes-out';

export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** RFC 5952 text form: lower case, longest run of zero groups (length ≥ 2) compressed to `::`. */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push((bytes[offset + i * 2] << 8) | bytes[offset + i * 2 + 1]);
  // IPv4-mapped and IPv4-compatible forms, as Wireshark prints them.
  const firstFiveZero = groups.slice(0, 5).every((g) => g === 0);
  if (firstFiveZero && groups[5] === 0xffff) return `::ffff:${formatIpv4(bytes, offset + 12)}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

export function formatEther(bytes: Uint8Array, offset = 0): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push(hex2(bytes[offset + i]));
  return parts.join(':');
}

export function formatBytesHex(bytes: Uint8Array, separator = ''): string {
  if (bytes.length >= LONG_HEX && (separator === '' || (separator.length === 1 && separator < '\x80')))
    return longBytesHex(bytes, separator);
  const parts: string[] = new Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) parts[i] = hex2(bytes[i]);
  return parts.join(separator);
}

/** From this many bytes on, formatBytesHex writes the digits as bytes and decodes them once. */
const LONG_HEX = 64;

/**
 * A long byte string (a JPEG's http.file_data in `-T json`: 14 KB, `ff:d8:ff:…`) as digits
 * written into bytes and decoded once, not thousands of two-character strings joined.
 */
function longBytesHex(bytes: Uint8Array, separator: string): string {
  const step = separator === '' ? 2 : 3;
  const size = bytes.length * step - (step - 2);
  const out = scratchBytes(size);
  const sep = separator.charCodeAt(0);
  let at = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (step === 3 && i > 0) out[at++] = sep;
    at = writeHexByte(out, at, bytes[i]);
  }
  return asciiText(out.subarray(0, at));
}

/** "00" … "ff": hex dumps and addresses ask for one per byte. */
const HEX_BYTES: readonly string[] = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function hex2(byte: number): string {
  return HEX_BYTES[byte] ?? (byte < 16 ? '0' : '') + byte.toString(16);
}

export function hex(value: number, digits: number): string {
  return '0x' + value.toString(16).padStart(digits, '0');
}

/** Wireshark's rendering of bytes as a C-like string: printable ASCII kept, \r \n \t escaped. */
export function formatTextBytes(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (c === 0x0d) out += '\\r';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x5c) out += '\\\\';
    else if (c >= 0x20 && c < 0x7f) out += String.fromCharCode(c);
    else out += '\\x' + hex2(c);
  }
  return out;
}

/** Latin-1 decode of a byte range (protocol text such as HTTP headers). */
export function latin1(bytes: Uint8Array, start: number, end: number): string {
  let out = '';
  const CHUNK = 8192;
  for (let i = start; i < end; i += CHUNK) {
    out += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, Math.min(end, i + CHUNK))));
  }
  return out;
}

/** Seconds with 9 decimals, as Wireshark prints relative times. */
export function formatSeconds(seconds: number): string {
  return seconds.toFixed(9);
}

// Decimal text of small non-negative integers (ports, lengths, windows, relative sequence
// numbers): every packet's Info column shows several, and V8's own number→string cache is too
// small for a capture's thousands of ports, so most conversions would allocate a new string.
const DECIMAL_CACHE_SIZE = 65536;
const decimalCache: string[] = new Array<string>(DECIMAL_CACHE_SIZE);

/** `String(n)`, without allocating for integers below 65536. */
export function decimal(n: number): string {
  if (n >= 0 && n < DECIMAL_CACHE_SIZE && (n | 0) === n) return (decimalCache[n] ??= String(n));
  return String(n);
}

/** "1 byte", "2 bytes": a length as Wireshark's labels give it (plurality(n, "", "s")). */
export function byteCount(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}

/** format_text's escapes of the C control characters it names. */
const C_ESCAPES: Readonly<Record<number, string>> = {
  7: '\\a',
  8: '\\b',
  12: '\\f',
  10: '\\n',
  13: '\\r',
  9: '\\t',
  11: '\\v',
};

/** A 7-bit control character as format_text writes it: a C escape ("\\n"), else octal ("\\033"). */
export function escapeControl(code: number): string {
  return C_ESCAPES[code] ?? '\\' + code.toString(8).padStart(3, '0');
}

// eslint-disable-next-line no-control-regex -- the control characters are what is escaped
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/g;

/**
 * A string value as tshark's `-T fields` prints it (format_text): control characters as C
 * escapes ("\\r\\n") or octal ("\\033"), everything else as it is.
 */
export function escapeControlText(text: string): string {
  CONTROL_CHARACTERS.lastIndex = 0;
  if (!CONTROL_CHARACTERS.test(text)) return text;
  return text.replace(CONTROL_CHARACTERS, (ch) => escapeControl(ch.charCodeAt(0)));
}

/**
 * A double as tshark prints an FT_DOUBLE's value (`-T fields`, `-T json`): C's `%.15g`, 15
 * significant digits with trailing zeros dropped ("1001", not 1000.9999999999999), exponent
 * form below 1e-4 and from 1e15 ("1e-07").
 */
export function formatDouble(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exponentText] = value.toExponential(14).split('e');
  const exponent = Number(exponentText);
  const trim = (digits: string) => (digits.includes('.') ? digits.replace(/\.?0+$/, '') : digits);
  if (exponent < -4 || exponent >= 15) {
    const sign = exponent < 0 ? '-' : '+';
    return `${trim(mantissa)}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return trim(value.toFixed(Math.max(0, 14 - exponent)));
}
