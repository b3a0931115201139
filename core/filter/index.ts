/**
 * Wireshark display filters over the field registry (`tcp.port == 8001 && http`).
 *
 * `compileDisplayFilter` checks a filter once (syntax, field names, literal types — with
 * Wireshark 4.0's error messages and the position to mark) and returns a predicate over
 * dissected packets. Packets must carry their detail tree (`new DissectionEngine({tree:true})`).
 */
import { emptyPacket, type DissectedPacket } from '../dissect/context';
import { Compiler, EvalContext, type CompileOptions } from './compile';
import { FilterSyntaxError } from './lexer';
import { parseFilter, type Expr, type Operand } from './parser';

export type { CompileOptions } from './compile';

export interface FilterError {
  /** Wireshark 4.0's wording, e.g. `tcp.prot is neither a field nor a protocol name.` */
  message: string;
  /** Offsets into the filter text of the part to mark (start === end === text.length at the end). */
  start: number;
  end: number;
}

export type PacketPredicate = (packet: DissectedPacket) => boolean;

export type CompileResult =
  | {
      ok: true;
      filter: PacketPredicate;
      fields: string[];
      /**
       * The fields of `fields` whose values the filter reads (`tcp.port` of `tcp.port == 80 &&
       * http`, every field under a function or slice); the others are only tested for presence
       * (none for `http.request`, `dns || arp`, `!tcp`: its answer is then the same for every
       * packet with the same fields present, whatever their values).
       */
      valueFields: string[];
    }
  | { ok: false; error: FilterError };

const matchAll: PacketPredicate = () => true;

/** What an idle reused context points at (so it keeps no packet alive). */
const EMPTY_PACKET: DissectedPacket = emptyPacket();

/**
 * Compiles a display filter. An empty (or blank) filter matches every packet. `fields` lists
 * the field and protocol names the filter reads.
 */
export function compileDisplayFilter(text: string, options: CompileOptions = {}): CompileResult {
  if (text.trim() === '') return { ok: true, filter: matchAll, fields: [], valueFields: [] };
  try {
    const ast = parseFilter(text);
    const compiler = new Compiler(text, options);
    const test = compiler.compile(ast);
    const wanted = compiler.wanted;
    // One context for every packet. Evaluation calls out to nothing, so the filter is never
    // re-entered; were it, the inner call would get fresh state instead of the one in use.
    const context = new EvalContext(EMPTY_PACKET, true);
    let busy = false;
    const filter: PacketPredicate = (packet) => {
      if (busy) return test(new EvalContext(packet));
      busy = true;
      context.packet = packet;
      try {
        return test(context);
      } finally {
        busy = false;
        context.packet = EMPTY_PACKET;
      }
    };
    const fields = [...wanted.keys()];
    const valueWords = new Set<string>();
    wordsReadForValues(ast, valueWords);
    return {
      ok: true,
      filter,
      fields,
      valueFields: fields.filter((field) => valueWords.has(field)),
    };
  } catch (e) {
    if (e instanceof FilterSyntaxError) return { ok: false, error: { message: e.message, start: e.start, end: e.end } };
    throw e;
  }
}

/** The words of `expr` in any place but a bare test (`http` of `http && tcp.len > 0` is not). */
function wordsReadForValues(expr: Expr, out: Set<string>): void {
  switch (expr.kind) {
    case 'and':
    case 'or':
      wordsReadForValues(expr.left, out);
      wordsReadForValues(expr.right, out);
      return;
    case 'not':
      wordsReadForValues(expr.expr, out);
      return;
    case 'test':
      if (expr.operand.kind !== 'word') operandWords(expr.operand, out);
      return;
    case 'cmp':
      operandWords(expr.left, out);
      operandWords(expr.right, out);
      return;
    case 'in':
      operandWords(expr.operand, out);
      for (const element of expr.elements) {
        operandWords(element.low, out);
        if (element.high) operandWords(element.high, out);
      }
  }
}

function operandWords(operand: Operand, out: Set<string>): void {
  switch (operand.kind) {
    case 'word':
      out.add(operand.text);
      return;
    case 'slice':
      operandWords(operand.base, out);
      return;
    case 'call':
      for (const arg of operand.args) operandWords(arg, out);
      return;
    case 'arith':
      operandWords(operand.left, out);
      operandWords(operand.right, out);
      return;
    case 'neg':
      operandWords(operand.operand, out);
  }
}
