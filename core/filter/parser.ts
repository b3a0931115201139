/**
 * Display-filter parser (recursive descent), with the precedence of Wireshark 4.0's
 * grammar.lemon: `||` < `&&` < `!` < comparisons < `&` < `+ -` < `* / %` < unary minus.
 * Arithmetic groups use braces (`{a + b} * 2`), as in Wireshark 4.0.
 */
import { FilterSyntaxError, tokenize, type CmpOp, type Token } from './lexer';

export interface Span {
  start: number;
  end: number;
}

/** One range of a slice, as Wireshark's drange: start (may be negative) and length or end. */
export interface SliceRange {
  start: number;
  /** Length in bytes; undefined = to the end. */
  length?: number;
}

export type Operand =
  | ({ kind: 'word'; text: string } & Span)
  | ({ kind: 'string'; text: string; value: string } & Span)
  | ({ kind: 'charconst'; text: string; code: number } & Span)
  | ({ kind: 'slice'; base: Operand; ranges: SliceRange[] } & Span)
  | ({ kind: 'call'; name: string; nameSpan: Span; args: Operand[] } & Span)
  | ({ kind: 'arith'; op: '&' | '+' | '-' | '*' | '/' | '%'; left: Operand; right: Operand; opSpan: Span } & Span)
  | ({ kind: 'neg'; operand: Operand; opSpan: Span } & Span);

export interface SetElement {
  low: Operand;
  high?: Operand;
}

export type Expr =
  | ({ kind: 'and' | 'or'; left: Expr; right: Expr } & Span)
  | ({ kind: 'not'; expr: Expr } & Span)
  | ({ kind: 'test'; operand: Operand } & Span)
  | ({ kind: 'cmp'; op: CmpOp; opText: string; opSpan: Span; left: Operand; right: Operand } & Span)
  | ({ kind: 'in'; negated: boolean; operand: Operand; elements: SetElement[] } & Span);

const unexpected = (tok: Token): FilterSyntaxError =>
  tok.kind === 'eof'
    ? new FilterSyntaxError('Unexpected end of filter expression.', tok.start, tok.end)
    : new FilterSyntaxError(`"${tok.text}" was unexpected in this context.`, tok.start, tok.end);

class Parser {
  private pos = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  private next(): Token {
    const tok = this.tokens[this.pos];
    if (this.pos < this.tokens.length - 1) this.pos++;
    return tok;
  }

  private expect(kind: Token['kind']): Token {
    const tok = this.peek();
    if (tok.kind !== kind) throw unexpected(tok);
    return this.next();
  }

  parse(): Expr {
    const expr = this.parseOr();
    const tok = this.peek();
    if (tok.kind !== 'eof') throw unexpected(tok);
    return expr;
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.peek().kind === 'or') {
      this.next();
      const right = this.parseAnd();
      left = { kind: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.peek().kind === 'and') {
      this.next();
      const right = this.parseNot();
      left = { kind: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseNot(): Expr {
    const tok = this.peek();
    if (tok.kind === 'not') {
      this.next();
      const expr = this.parseNot();
      return { kind: 'not', expr, start: tok.start, end: expr.end };
    }
    if (tok.kind === 'lparen') {
      this.next();
      const expr = this.parseOr();
      this.expect('rparen');
      return expr;
    }
    return this.parseRelation();
  }

  private parseRelation(): Expr {
    const first = this.parseArith();
    const tok = this.peek();
    if (tok.kind === 'in' || (tok.kind === 'not' && tok.text === 'not' && this.peek(1).kind === 'in')) {
      const negated = tok.kind === 'not';
      this.next();
      if (negated) this.next();
      const { elements, end } = this.parseSet();
      return { kind: 'in', negated, operand: first, elements, start: first.start, end };
    }
    if (tok.kind !== 'cmp') return { kind: 'test', operand: first, start: first.start, end: first.end };
    // a == b == c means (a == b) && (b == c), as in Wireshark 4.0.
    let left = first;
    let result: Expr | null = null;
    while (this.peek().kind === 'cmp') {
      const opTok = this.next();
      const right = this.parseArith();
      const cmp: Expr = {
        kind: 'cmp',
        op: opTok.cmp as CmpOp,
        opText: opTok.text,
        opSpan: { start: opTok.start, end: opTok.end },
        left,
        right,
        start: left.start,
        end: right.end,
      };
      result = result ? { kind: 'and', left: result, right: cmp, start: result.start, end: cmp.end } : cmp;
      left = right;
    }
    return result as Expr;
  }

  private parseSet(): { elements: SetElement[]; end: number } {
    this.expect('lbrace');
    const elements: SetElement[] = [];
    for (;;) {
      const low = this.parseArith();
      let high: Operand | undefined;
      if (this.peek().kind === 'dotdot') {
        this.next();
        high = this.parseArith();
      }
      elements.push({ low, high });
      const tok = this.peek();
      if (tok.kind === 'comma') {
        this.next();
        continue;
      }
      if (tok.kind === 'rbrace') {
        this.next();
        return { elements, end: tok.end };
      }
      throw unexpected(tok);
    }
  }

  private parseArith(): Operand {
    let left = this.parseAdditive();
    while (this.peek().kind === 'bitand') {
      const op = this.next();
      const right = this.parseAdditive();
      left = { kind: 'arith', op: '&', left, right, opSpan: op, start: left.start, end: right.end };
    }
    return left;
  }

  private parseAdditive(): Operand {
    let left = this.parseMultiplicative();
    for (;;) {
      const kind = this.peek().kind;
      if (kind !== 'plus' && kind !== 'minus') return left;
      const op = this.next();
      const right = this.parseMultiplicative();
      left = {
        kind: 'arith',
        op: kind === 'plus' ? '+' : '-',
        left,
        right,
        opSpan: op,
        start: left.start,
        end: right.end,
      };
    }
  }

  private parseMultiplicative(): Operand {
    let left = this.parseUnary();
    for (;;) {
      const kind = this.peek().kind;
      if (kind !== 'star' && kind !== 'slash' && kind !== 'percent') return left;
      const op = this.next();
      const right = this.parseUnary();
      const sym = kind === 'star' ? '*' : kind === 'slash' ? '/' : '%';
      left = { kind: 'arith', op: sym, left, right, opSpan: op, start: left.start, end: right.end };
    }
  }

  private parseUnary(): Operand {
    const tok = this.peek();
    if (tok.kind === 'minus') {
      this.next();
      const operand = this.parseUnary();
      return { kind: 'neg', operand, opSpan: tok, start: tok.start, end: operand.end };
    }
    if (tok.kind === 'plus') {
      this.next();
      return this.parseUnary();
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Operand {
    const tok = this.peek();
    let operand: Operand;
    switch (tok.kind) {
      case 'word':
        this.next();
        if (this.peek().kind === 'lparen' && this.peek().start === tok.end) {
          operand = this.parseCall(tok);
        } else {
          operand = { kind: 'word', text: tok.text, start: tok.start, end: tok.end };
        }
        break;
      case 'string':
        this.next();
        operand = { kind: 'string', text: tok.text, value: tok.value ?? '', start: tok.start, end: tok.end };
        break;
      case 'charconst':
        this.next();
        operand = { kind: 'charconst', text: tok.text, code: Number(tok.value), start: tok.start, end: tok.end };
        break;
      case 'lbrace': {
        this.next();
        operand = this.parseArith();
        this.expect('rbrace');
        break;
      }
      default:
        throw unexpected(tok);
    }
    while (this.peek().kind === 'lbracket') operand = this.parseSlice(operand);
    return operand;
  }

  private parseCall(nameTok: Token): Operand {
    this.expect('lparen');
    const args: Operand[] = [];
    if (this.peek().kind !== 'rparen') {
      for (;;) {
        args.push(this.parseArith());
        if (this.peek().kind === 'comma') {
          this.next();
          continue;
        }
        break;
      }
    }
    const close = this.expect('rparen');
    return {
      kind: 'call',
      name: nameTok.text,
      nameSpan: { start: nameTok.start, end: nameTok.end },
      args,
      start: nameTok.start,
      end: close.end,
    };
  }

  /** Parses `[i:j]`, `[i-j]`, `[i]`, `[:j]`, `[i:]` and comma lists of those. */
  private parseSlice(base: Operand): Operand {
    const open = this.next();
    let close = -1;
    for (let k = this.pos; k < this.tokens.length; k++) {
      const t = this.tokens[k];
      if (t.kind === 'rbracket') {
        close = k;
        break;
      }
      if (t.kind === 'eof' || t.kind === 'lbracket') break;
    }
    if (close < 0) throw new FilterSyntaxError('The right bracket was missing from a slice.', open.start, open.end);
    const inner = this.tokens.slice(this.pos, close);
    if (inner.length === 0) throw unexpected(this.tokens[close]);
    const ranges: SliceRange[] = [];
    const body = this.text.slice(open.end, this.tokens[close].start);
    let offset = open.end;
    for (const part of body.split(',')) {
      const trimmed = part.trim();
      const at = offset + part.indexOf(trimmed);
      ranges.push(parseRange(trimmed, at));
      offset += part.length + 1;
    }
    this.pos = close + 1;
    return { kind: 'slice', base, ranges, start: base.start, end: this.tokens[close].end };
  }
}

const INT = '[+-]?\\d+';

function parseRange(text: string, at: number): SliceRange {
  const bad = (t: string, pos: number) => new FilterSyntaxError(`"${t}" is not a valid number.`, pos, pos + t.length);
  if (text === '') throw new FilterSyntaxError('"]" was unexpected in this context.', at, at + 1);
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^(${INT})?\\s*:\\s*(${INT})?$`).exec(text))) {
    const start = m[1] === undefined ? 0 : Number(m[1]);
    const length = m[2] === undefined ? undefined : Number(m[2]);
    return { start, length };
  }
  if ((m = new RegExp(`^(${INT})\\s*-\\s*(${INT})$`).exec(text))) {
    const start = Number(m[1]);
    const end = Number(m[2]);
    return { start, length: end - start + 1 };
  }
  if ((m = new RegExp(`^(${INT})$`).exec(text))) return { start: Number(m[1]), length: 1 };
  const word = /^[^\s:,\]-]+/.exec(text.replace(/^[+-]?\d+\s*[:-]\s*/, ''))?.[0] ?? text;
  throw bad(word, at + text.indexOf(word));
}

/** Parses a filter into its syntax tree. Throws FilterSyntaxError. */
export function parseFilter(text: string): Expr {
  return new Parser(text, tokenize(text)).parse();
}
