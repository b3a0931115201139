/**
 * Literal values typed by the field they are compared with, as Wireshark 4.0's ftypes
 * `*_from_literal` / `*_from_string` do, with the same error messages.
 */
import type { FieldDef, FieldType } from '../dissect/fields';

/** Runtime value of a filter operand. Booleans are 0/1; addresses and byte strings are bytes. */
export type Value = number | bigint | string | Uint8Array;

/** A literal value; `prefix` is a CIDR mask length for IPv4/IPv6. */
export interface LiteralValue {
  value: Value;
  prefix?: number;
}

export class LiteralError extends Error {}

/** Wireshark's pretty names for field types (ftype_pretty_name). */
export const TYPE_PRETTY: Record<FieldType, string> = {
  protocol: 'Protocol',
  none: 'Label',
  bool: 'Boolean',
  uint8: 'Unsigned integer (1 byte)',
  uint16: 'Unsigned integer (2 bytes)',
  uint24: 'Unsigned integer (3 bytes)',
  uint32: 'Unsigned integer (4 bytes)',
  uint64: 'Unsigned integer (8 bytes)',
  int32: 'Signed integer (4 bytes)',
  double: 'Floating point (double-precision)',
  string: 'Character string',
  bytes: 'Byte sequence',
  ipv4: 'IPv4 address',
  ipv6: 'IPv6 address',
  ether: 'Ethernet or other MAC address',
  framenum: 'Frame number',
  time_abs: 'Date and time',
  time_rel: 'Time offset',
};

/** Wireshark's enum names (FT_UINT16 …), used in arithmetic error messages. */
export const TYPE_ENUM: Record<FieldType, string> = {
  protocol: 'FT_PROTOCOL',
  none: 'FT_NONE',
  bool: 'FT_BOOLEAN',
  uint8: 'FT_UINT8',
  uint16: 'FT_UINT16',
  uint24: 'FT_UINT24',
  uint32: 'FT_UINT32',
  uint64: 'FT_UINT64',
  int32: 'FT_INT32',
  double: 'FT_DOUBLE',
  string: 'FT_STRING',
  bytes: 'FT_BYTES',
  ipv4: 'FT_IPv4',
  ipv6: 'FT_IPv6',
  ether: 'FT_ETHER',
  framenum: 'FT_FRAMENUM',
  time_abs: 'FT_ABSOLUTE_TIME',
  time_rel: 'FT_RELATIVE_TIME',
};

const MAX_UNSIGNED: Partial<Record<FieldType, bigint>> = {
  uint8: 0xffn,
  uint16: 0xffffn,
  uint24: 0xffffffn,
  uint32: 0xffffffffn,
  framenum: 0xffffffffn,
  uint64: 0xffffffffffffffffn,
};

/** Parses an integer as C's strtoul/strtoll with base 0 (plus 0b binary), or null. */
export function parseCInteger(text: string): bigint | null {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  let n: bigint;
  if (/^0[xX][0-9A-Fa-f]+$/.test(s)) n = BigInt('0x' + s.slice(2));
  else if (/^0[bB][01]+$/.test(s)) n = BigInt('0b' + s.slice(2));
  else if (/^0[0-7]*$/.test(s)) n = s.length > 1 ? BigInt('0o' + s.slice(1)) : 0n;
  else if (/^[1-9][0-9]*$/.test(s)) n = BigInt(s);
  else return null;
  return negative ? -n : n;
}

function toNumberish(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

export function isIntegerKind(type: FieldType): boolean {
  return (
    type === 'uint8' ||
    type === 'uint16' ||
    type === 'uint24' ||
    type === 'uint32' ||
    type === 'uint64' ||
    type === 'int32' ||
    type === 'framenum'
  );
}

/** Looks a name up among the field's value strings (case-insensitively). */
function valueStringLookup(field: FieldDef, name: string): number[] {
  const out: number[] = [];
  const vs = field.valueStrings;
  if (!vs) return out;
  const lower = name.toLowerCase();
  for (const [key, text] of Object.entries(vs)) if (text.toLowerCase() === lower) out.push(Number(key));
  return out;
}

/** An unparsed word (or a number from a character constant) as a value of the field's type. */
export function integerFromLiteral(field: FieldDef, text: string, fromString: boolean): LiteralValue[] {
  if (!fromString) {
    const n = parseCInteger(text);
    if (n !== null) return [{ value: checkIntegerRange(field, n, text) }];
  }
  if (field.valueStrings) {
    const found = valueStringLookup(field, text);
    if (found.length) return found.map((v) => ({ value: v }));
    throw new LiteralError(`"${text}" cannot be found among the possible values for ${field.abbrev}.`);
  }
  if (fromString) throw new LiteralError(`${TYPE_PRETTY[field.type]} cannot be converted from a string ("${text}").`);
  throw new LiteralError(`"${text}" is not a valid number.`);
}

export function checkIntegerRange(field: FieldDef, n: bigint, text: string): number | bigint {
  const max = MAX_UNSIGNED[field.type];
  if (max !== undefined && n > max) throw new LiteralError(`"${text}" too big for this field, maximum ${max}.`);
  if (field.type === 'int32') {
    if (n > 2147483647n) throw new LiteralError(`"${text}" too big for this field, maximum 2147483647.`);
    if (n < -2147483648n) throw new LiteralError(`"${text}" too small for this field, minimum -2147483648.`);
  }
  return toNumberish(n);
}

export function booleanFromLiteral(field: FieldDef, text: string, fromString: boolean): LiteralValue[] {
  if (!fromString) {
    const n = parseCInteger(text);
    if (n !== null && n >= 0n) return [{ value: n !== 0n ? 1 : 0 }];
  }
  if (text === 'True' || text === 'TRUE') return [{ value: 1 }];
  if (text === 'False' || text === 'FALSE') return [{ value: 0 }];
  const words = field.trueFalse;
  if (words) {
    if (text.toLowerCase() === words[0].toLowerCase()) return [{ value: 1 }];
    if (text.toLowerCase() === words[1].toLowerCase()) return [{ value: 0 }];
  }
  throw new LiteralError(`"${text}" cannot be found among the possible values for ${field.abbrev}.`);
}

export function doubleFromLiteral(text: string): number {
  if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)$/i.test(text)) {
    throw new LiteralError(`"${text}" is not a valid number.`);
  }
  return Number(text.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
}

export function relativeTimeFromLiteral(text: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:\.\d*)*s?$/.exec(text);
  if (!m) throw new LiteralError(`"${text}" is not a valid time.`);
  return Number(m[1]);
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56[.frac]" (local time), as Wireshark 4.0; seconds since the epoch. */
export function absoluteTimeFromLiteral(text: string): number {
  const fail = () =>
    new LiteralError(
      `"${text}" is not a valid absolute time. Example: "Nov 12, 1999 08:55:44.123" or "2011-07-04 12:34:56"`,
    );
  let y: number, mo: number, d: number, h: number, mi: number, s: number, frac: string;
  let m = /^\s*([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*$/.exec(text);
  if (m) {
    mo = MONTHS.indexOf(m[1].toLowerCase());
    if (mo < 0) throw fail();
    [d, y, h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
    frac = m[7] ?? '';
  } else if ((m = /^\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*$/.exec(text))) {
    [y, mo, d, h, mi, s] = [Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
    frac = m[7] ?? '';
  } else {
    throw fail();
  }
  const date = new Date(y, mo, d, h, mi, s);
  if (Number.isNaN(date.getTime())) throw fail();
  return Math.floor(date.getTime() / 1000) + (frac ? Number('0.' + frac) : 0);
}

export function ipv4FromLiteral(text: string): LiteralValue {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d+))?$/.exec(text);
  if (!m) throw new LiteralError(`"${text}" is not a valid hostname or IPv4 address.`);
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const v = Number(m[i + 1]);
    if (v > 255) throw new LiteralError(`"${text}" is not a valid hostname or IPv4 address.`);
    bytes[i] = v;
  }
  if (m[5] !== undefined) {
    const prefix = Number(m[5]);
    if (prefix > 32) throw new LiteralError(`Netmask bits in a CIDR IPv4 address should be <= 32, not ${prefix}`);
    return { value: bytes, prefix };
  }
  return { value: bytes };
}

/** Parses an IPv6 address (with :: and an optional dotted IPv4 tail), or null. */
export function parseIpv6(text: string): Uint8Array | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  let tail: number[] = [];
  let s = text;
  const v4 = /(?:^|:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (v4) {
    tail = v4[1].split('.').map(Number);
    if (tail.some((b) => b > 255)) return null;
    s = s.slice(0, s.length - v4[1].length) + '0:0';
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return null;
  const groupsCount = head.length + rest.length;
  if (halves.length === 1 ? groupsCount !== 8 : groupsCount > 7) return null;
  const groups = [...head, ...new Array<number>(8 - groupsCount).fill(0), ...rest];
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  if (v4) bytes.set(tail, 12);
  return bytes;
}

export function ipv6FromLiteral(text: string): LiteralValue {
  const slash = text.indexOf('/');
  const addr = slash >= 0 ? text.slice(0, slash) : text;
  const bytes = parseIpv6(addr);
  if (!bytes) throw new LiteralError(`"${text}" is not a valid hostname or IPv6 address.`);
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (!/^\d+$/.test(p)) throw new LiteralError(`"${text}" is not a valid hostname or IPv6 address.`);
    const prefix = Number(p);
    if (prefix > 128) throw new LiteralError(`Prefix in a IPv6 address should be <= 128, not ${prefix}`);
    return { value: bytes, prefix };
  }
  return { value: bytes };
}

/** Byte strings: 47:45:54, 47.45.54, 47-45-54, 474554, a single byte 47, or 0x47. */
export function parseByteString(text: string): Uint8Array | null {
  let hex: string;
  if (/^[0-9A-Fa-f]{1,2}([:.-][0-9A-Fa-f]{1,2})*$/.test(text)) {
    return Uint8Array.from(text.split(/[:.-]/), (b) => parseInt(b, 16));
  } else if (/^([0-9A-Fa-f]{2})+$/.test(text)) hex = text;
  else if (/^0[xX]([0-9A-Fa-f]{2})+$/.test(text)) hex = text.slice(2);
  else if (/^0[xX][0-9A-Fa-f]$/.test(text)) hex = '0' + text.slice(2);
  else return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesFromLiteral(text: string): Uint8Array {
  const bytes = parseByteString(text);
  if (!bytes) throw new LiteralError(`"${text}" is not a valid byte string.`);
  return bytes;
}

export function etherFromLiteral(text: string): Uint8Array {
  const dotted = /^[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4})+$/.test(text);
  const bytes = parseByteString(dotted ? text.replace(/\./g, '') : text);
  if (!bytes) throw new LiteralError(`"${text}" is not a valid Ethernet address.`);
  if (bytes.length < 6) throw new LiteralError(`"${text}" contains too few bytes to be a valid Ethernet address.`);
  if (bytes.length > 6) throw new LiteralError(`"${text}" contains too many bytes to be a valid Ethernet address.`);
  return bytes;
}

/** UTF-8 bytes of a string (core/ has no TextEncoder in its lib). */
export function utf8(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Bytes as a string of code points 0–255 (for regular expressions over bytes). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}
