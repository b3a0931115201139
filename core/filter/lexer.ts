/**
 * Display-filter scanner, after Wireshark 4.0's epan/dfilter/scanner.l: operators and
 * keywords, quoted strings (with C escapes), raw strings r"…", character constants 'c',
 * and "unparsed" words — field names and literals alike (`tcp.port`, `8001`,
 * `127.0.0.0/8`, `00:1b:21:aa:bb:cc`) — which the semantic check resolves later.
 */
import { decodeUtf8 } from '../pcap/utf8';

export type TokenKind =
  | 'lparen'
  | 'rparen'
  | 'lbracket'
  | 'rbracket'
  | 'lbrace'
  | 'rbrace'
  | 'comma'
  | 'dotdot'
  | 'cmp'
  | 'and'
  | 'or'
  | 'not'
  | 'in'
  | 'bitand'
  | 'plus'
  | 'minus'
  | 'star'
  | 'slash'
  | 'percent'
  | 'string'
  | 'charconst'
  | 'word'
  | 'eof';

/** Comparison operators, named after Wireshark 4.0's test operators. */
export type CmpOp = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le' | 'contains' | 'matches';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for strings: including quotes). */
  text: string;
  start: number;
  end: number;
  /** For 'string': the unescaped value; for 'charconst': the character code as text. */
  value?: string;
  cmp?: CmpOp;
}

export class FilterSyntaxError extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
  ) {
    super(message);
  }
}

const KEYWORDS: Record<string, { kind: TokenKind; cmp?: CmpOp }> = {
  eq: { kind: 'cmp', cmp: 'any_eq' },
  any_eq: { kind: 'cmp', cmp: 'any_eq' },
  ne: { kind: 'cmp', cmp: 'all_ne' },
  all_ne: { kind: 'cmp', cmp: 'all_ne' },
  all_eq: { kind: 'cmp', cmp: 'all_eq' },
  any_ne: { kind: 'cmp', cmp: 'any_ne' },
  gt: { kind: 'cmp', cmp: 'gt' },
  ge: { kind: 'cmp', cmp: 'ge' },
  lt: { kind: 'cmp', cmp: 'lt' },
  le: { kind: 'cmp', cmp: 'le' },
  contains: { kind: 'cmp', cmp: 'contains' },
  matches: { kind: 'cmp', cmp: 'matches' },
  and: { kind: 'and' },
  or: { kind: 'or' },
  not: { kind: 'not' },
  in: { kind: 'in' },
  bitwise_and: { kind: 'bitand' },
};

/** Operators, longest first. */
const OPERATORS: readonly [string, TokenKind, CmpOp?][] = [
  ['===', 'cmp', 'all_eq'],
  ['!==', 'cmp', 'any_ne'],
  ['==', 'cmp', 'any_eq'],
  ['!=', 'cmp', 'all_ne'],
  ['~=', 'cmp', 'any_ne'],
  ['>=', 'cmp', 'ge'],
  ['<=', 'cmp', 'le'],
  ['&&', 'and'],
  ['||', 'or'],
  ['..', 'dotdot'],
  ['>', 'cmp', 'gt'],
  ['<', 'cmp', 'lt'],
  ['~', 'cmp', 'matches'],
  ['!', 'not'],
  ['&', 'bitand'],
  ['(', 'lparen'],
  [')', 'rparen'],
  ['[', 'lbracket'],
  [']', 'rbracket'],
  ['{', 'lbrace'],
  ['}', 'rbrace'],
  [',', 'comma'],
  ['+', 'plus'],
  ['-', 'minus'],
  ['*', 'star'],
  ['/', 'slash'],
  ['%', 'percent'],
];

function isWordStart(c: string): boolean {
  return /[A-Za-z0-9_:.]/.test(c);
}

function isWordChar(c: string): boolean {
  return /[A-Za-z0-9_:.\-/]/.test(c);
}

/** Tokenizes a whole filter. Throws FilterSyntaxError with the offending position. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '"' || ((c === 'r' || c === 'R') && text[i + 1] === '"')) {
      const raw = c !== '"';
      const tok = scanString(text, i, raw);
      tokens.push(tok);
      i = tok.end;
      continue;
    }
    if (c === "'") {
      const tok = scanCharConst(text, i);
      tokens.push(tok);
      i = tok.end;
      continue;
    }
    // Unparsed word. A ".." inside ends the word: `3..5` is three tokens.
    if (isWordStart(c) && !(c === '.' && text[i + 1] === '.')) {
      let j = i + 1;
      while (j < n && isWordChar(text[j]) && !(text[j] === '.' && text[j + 1] === '.')) j++;
      const word = text.slice(i, j);
      const kw = KEYWORDS[word];
      if (kw) tokens.push({ kind: kw.kind, cmp: kw.cmp, text: word, start: i, end: j });
      else tokens.push({ kind: 'word', text: word, start: i, end: j });
      i = j;
      continue;
    }
    const op = OPERATORS.find(([s]) => text.startsWith(s, i));
    if (!op) throw new FilterSyntaxError(`"${c}" was unexpected in this context.`, i, i + 1);
    tokens.push({ kind: op[1], cmp: op[2], text: op[0], start: i, end: i + op[0].length });
    i += op[0].length;
  }
  tokens.push({ kind: 'eof', text: '', start: n, end: n });
  return tokens;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '?': '?',
};

function scanString(text: string, begin: number, raw: boolean): Token {
  let i = begin + (raw ? 2 : 1);
  let value = '';
  // Bytes from \x and octal escapes are collected and decoded as UTF-8 (Wireshark strings are byte strings).
  let pendingBytes: number[] = [];
  const flush = () => {
    if (pendingBytes.length) {
      value += decodeUtf8(new Uint8Array(pendingBytes));
      pendingBytes = [];
    }
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      flush();
      return { kind: 'string', text: text.slice(begin, i + 1), start: begin, end: i + 1, value };
    }
    if (c === '\\') {
      if (raw) {
        // Raw strings keep backslashes, but \" still does not end the string.
        value += text[i + 1] === '"' ? '\\"' : '\\';
        i += text[i + 1] === '"' ? 2 : 1;
        continue;
      }
      const e = text[i + 1];
      if (e === undefined) break;
      if (e in SIMPLE_ESCAPES) {
        flush();
        value += SIMPLE_ESCAPES[e];
        i += 2;
        continue;
      }
      if (e === 'x') {
        const m = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 2));
        if (!m) throw new FilterSyntaxError(`\\x is not a valid character escape sequence`, i, i + 2);
        pendingBytes.push(parseInt(m[0], 16));
        i += 2 + m[0].length;
        continue;
      }
      if (/[0-7]/.test(e)) {
        const m = /^[0-7]{1,3}/.exec(text.slice(i + 1)) as RegExpExecArray;
        pendingBytes.push(parseInt(m[0], 8) & 0xff);
        i += 1 + m[0].length;
        continue;
      }
      if (e === 'u' || e === 'U') {
        const len = e === 'u' ? 4 : 8;
        const hex = text.slice(i + 2, i + 2 + len);
        const code = /^[0-9A-Fa-f]+$/.test(hex) && hex.length === len ? parseInt(hex, 16) : -1;
        // As Wireshark (C11 rules): no surrogates, nothing above U+10FFFF, nothing below U+00A0 except $ @ `.
        const ok =
          code >= 0 &&
          code <= 0x10ffff &&
          !(code >= 0xd800 && code <= 0xdfff) &&
          (code >= 0xa0 || code === 0x24 || code === 0x40 || code === 0x60);
        if (!ok)
          throw new FilterSyntaxError(`\\${e}${hex} is not a valid universal character name`, i, i + 2 + hex.length);
        flush();
        value += String.fromCodePoint(code);
        i += 2 + len;
        continue;
      }
      throw new FilterSyntaxError(`\\${e} is not a valid character escape sequence`, i, i + 2);
    }
    flush();
    value += c;
    i++;
  }
  throw new FilterSyntaxError('The final quote was missing from a quoted string.', begin, begin + 1);
}

function scanCharConst(text: string, begin: number): Token {
  let i = begin + 1;
  let code: number;
  if (text[i] === '\\') {
    const e = text[i + 1];
    if (e !== undefined && e in SIMPLE_ESCAPES) {
      code = SIMPLE_ESCAPES[e].charCodeAt(0);
      i += 2;
    } else if (e === 'x') {
      const m = /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 2));
      if (!m) throw new FilterSyntaxError(`\\x is not a valid character escape sequence`, i, i + 2);
      code = parseInt(m[0], 16);
      i += 2 + m[0].length;
    } else if (e !== undefined && /[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(text.slice(i + 1)) as RegExpExecArray;
      code = parseInt(m[0], 8) & 0xff;
      i += 1 + m[0].length;
    } else {
      throw new FilterSyntaxError(`\\${e ?? ''} is not a valid character escape sequence`, i, i + 2);
    }
  } else if (i < text.length && text[i] !== "'") {
    code = text.charCodeAt(i);
    i++;
  } else {
    throw new FilterSyntaxError(`${text.slice(begin, i + 1)} is not a valid character constant.`, begin, i + 1);
  }
  if (text[i] !== "'")
    throw new FilterSyntaxError('The final quote was missing from a character constant.', begin, begin + 1);
  return { kind: 'charconst', text: text.slice(begin, i + 1), start: begin, end: i + 1, value: String(code) };
}
