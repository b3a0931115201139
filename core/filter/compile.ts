/**
 * Semantic check and code generation: the syntax tree becomes a tree of closures, typed by
 * the field registry, with Wireshark 4.0's semantics:
 * - a field with several occurrences matches `==`, `>`, `contains`, `matches`, `in` if ANY
 *   occurrence does; `!=` means "all not equal" (Wireshark 4.0), `~=`/`!==` "any not equal",
 *   `===` "all equal"; every comparison is false when a side has no value (absent field);
 * - literals are typed by the field on the other side (`8001`, `0x1f41`, `127.0.0.0/8`, `"GET"`);
 * - `matches` is a case-insensitive regular expression unless it starts with `(?-i)`.
 */
import { fieldIdCount, lookupField, type FieldDef, type FieldType } from '../dissect/fields';
import { registerAllProtocols } from '../dissect/protocols';
import type { DissectedPacket } from '../dissect/context';
import type { ProtoNode } from '../dissect/tree';
import type { CmpOp } from './lexer';
import { FilterSyntaxError } from './lexer';
import type { Expr, Operand, SetElement, SliceRange, Span } from './parser';
import {
  LiteralError,
  TYPE_ENUM,
  TYPE_PRETTY,
  absoluteTimeFromLiteral,
  booleanFromLiteral,
  bytesFromLiteral,
  checkIntegerRange,
  doubleFromLiteral,
  etherFromLiteral,
  integerFromLiteral,
  ipv4FromLiteral,
  ipv6FromLiteral,
  isIntegerKind,
  latin1,
  parseCInteger,
  relativeTimeFromLiteral,
  utf8,
  type LiteralValue,
  type Value,
} from './literals';

export interface CompileOptions {
  /**
   * Treat names no dissector registers (`hsrp.state`, `smb`) as fields that are never
   * present instead of failing — what a coloring rule needs, since Wireshark knows those
   * protocols and they are simply absent from our packets.
   */
  unknownFieldsAbsent?: boolean;
}

/**
 * Every field any compiled filter reads, by abbreviation → slot. Shared by all filters, so
 * the coloring rules and a display filter evaluated on one packet need one walk of its tree
 * in all (Wireshark likewise primes the tree with the fields its filters use).
 */
const interest = new Map<string, number>();

function interestSlot(abbrev: string): number {
  let slot = interest.get(abbrev);
  if (slot === undefined) {
    slot = interest.size;
    interest.set(abbrev, slot);
  }
  return slot;
}

const NO_NODES: readonly ProtoNode[] = Object.freeze([]);

// A one-packet index: filters evaluate one packet after the other (the ~20 coloring rules,
// then the display filter), so the last packet's index serves them all. Its per-slot lists are
// reused from packet to packet (a list belongs to the current packet when its generation is
// the index's), so indexing a packet allocates nothing once the lists have grown.
let indexedPacket: DissectedPacket | null = null;
let indexedTree: readonly ProtoNode[] | null = null;
let indexedFields = 0;
let generation = 0;
const slotLists: ProtoNode[][] = [];
const slotGenerations: number[] = [];
const slotCounts: number[] = [];
/** The slots the current walk filled (its first `touchedCount` entries). */
const touched: number[] = [];
let touchedCount = 0;

/** Forgets the cached field index of `packet` (call after changing its tree). */
export function invalidateFieldIndex(packet: DissectedPacket): void {
  if (indexedPacket === packet) indexedPacket = null;
}

/**
 * interest's slots by registered field id (FieldDef.id), -1 for a field of no interest: the
 * walk reads one per tree item, and a typed array is cheaper than the map's string lookup.
 * Remade when a filter adds a field of interest or a field is registered.
 */
let slotById = new Int32Array(0);
let slotByIdFields = -1;

function updateSlotById(): void {
  if (slotByIdFields === interest.size && slotById.length === fieldIdCount()) return;
  slotById = new Int32Array(fieldIdCount()).fill(-1);
  for (const [abbrev, slot] of interest) {
    const id = lookupField(abbrev)?.id;
    if (id !== undefined && id < slotById.length) slotById[id] = slot;
  }
  slotByIdFields = interest.size;
}

function indexPacket(packet: DissectedPacket): void {
  if (packet === indexedPacket && packet.tree === indexedTree && indexedFields === interest.size) return;
  indexedPacket = null; // until the walk is complete
  updateSlotById();
  const tree = packet.tree; // (read before the generation is taken: reading it could index another packet)
  const gen = ++generation;
  touchedCount = 0;
  if (tree) collect(tree, gen);
  // Each list is filled from its start over the last one's nodes: cut it to this packet's
  // (never to empty, which would drop its storage: an absent field's list is not read).
  for (let i = 0; i < touchedCount; i++) {
    const slot = touched[i];
    const list = slotLists[slot];
    if (list.length !== slotCounts[slot]) list.length = slotCounts[slot];
  }
  indexedPacket = packet;
  indexedTree = tree;
  indexedFields = interest.size;
}

/** One depth-first walk, in tree order: the nodes of every field of interest. */
function collect(nodes: readonly ProtoNode[], gen: number): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const field = node.field;
    if (field !== undefined) {
      const id = field.id;
      // A field nobody registered (a test's own) has no id: it is looked up by name.
      const slot = id !== undefined && id < slotById.length ? slotById[id] : (interest.get(field.abbrev) ?? -1);
      if (slot >= 0) {
        if (slotGenerations[slot] === gen) slotLists[slot][slotCounts[slot]++] = node;
        else {
          slotGenerations[slot] = gen;
          slotCounts[slot] = 1;
          touched[touchedCount++] = slot;
          const list = slotLists[slot];
          if (list === undefined) slotLists[slot] = [node];
          else list[0] = node;
        }
      }
    }
    const children = node.children;
    if (children !== undefined && children.length > 0) collect(children, gen);
  }
}

/**
 * Per-packet evaluation state: the referenced fields' nodes, from the packet's field index.
 * A compiled filter keeps one and reuses it for every packet (`reuse`: its fields' value
 * lists are reused too); a filter re-entered while evaluating (which its evaluation never
 * does: it calls out to nothing) would get a fresh one.
 */
export class EvalContext {
  constructor(
    public packet: DissectedPacket,
    /** Whether values may be returned in per-compilation scratch arrays. */
    readonly reuse = false,
  ) {}

  /** The nodes of one field; valid until another packet is indexed (within this evaluation). */
  nodes(slot: number): readonly ProtoNode[] {
    const packet = this.packet;
    if (packet !== indexedPacket || packet.tree !== indexedTree || indexedFields !== interest.size) indexPacket(packet);
    return slotGenerations[slot] === generation ? slotLists[slot] : NO_NODES;
  }
}

type Kind = FieldType | 'absent';

interface Entity {
  kind: Kind;
  /** Set when the operand is a plain field (not a slice or function). */
  field?: FieldDef;
  /** For messages: the field name or the operand's text. */
  display: string;
  /** The values, in tree order; only until this entity is read again (see scratchList). */
  get(c: EvalContext): readonly Value[];
  exists(c: EvalContext): boolean;
}

type Test = (c: EvalContext) => boolean;

const OP_TEXT: Record<CmpOp, string> = {
  any_eq: '==',
  all_ne: '!=',
  all_eq: '===',
  any_ne: '!==',
  gt: '>',
  ge: '>=',
  lt: '<',
  le: '<=',
  contains: 'contains',
  matches: 'matches',
};

const BYTES_LIKE = new Set<Kind>(['bytes', 'ether', 'ipv4', 'ipv6', 'protocol', 'string']);
const CONTAINS_KINDS = new Set<Kind>(['bytes', 'ether', 'protocol', 'string']);
const MATCHES_KINDS = new Set<Kind>(['bytes', 'protocol', 'string']);
const NUMERIC = (k: Kind): boolean =>
  isIntegerKind(k as FieldType) || k === 'bool' || k === 'double' || k === 'time_rel' || k === 'time_abs';

/** Display-filter functions (Wireshark 4.0) and their argument counts. */
const FUNCTION_ARITY: Record<string, [number, number]> = {
  len: [1, 1],
  count: [1, 1],
  lower: [1, 1],
  upper: [1, 1],
  string: [1, 1],
  abs: [1, 1],
  max: [1, Infinity],
  min: [1, Infinity],
};

const err = (message: string, span: Span): FilterSyntaxError => new FilterSyntaxError(message, span.start, span.end);

const EMPTY = new Uint8Array(0);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

export class Compiler {
  readonly wanted = new Map<string, number>();
  constructor(
    private readonly text: string,
    private readonly options: CompileOptions = {},
  ) {
    // The fields a filter names are those of the protocols: set them up (once) before looking any up.
    registerAllProtocols();
  }

  private slotOf(abbrev: string): number {
    let slot = this.wanted.get(abbrev);
    if (slot === undefined) {
      slot = interestSlot(abbrev);
      this.wanted.set(abbrev, slot);
    }
    return slot;
  }

  private source(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  // ---- expressions -------------------------------------------------------------------

  compile(expr: Expr): Test {
    switch (expr.kind) {
      case 'and': {
        const a = this.compile(expr.left);
        const b = this.compile(expr.right);
        return (c) => a(c) && b(c);
      }
      case 'or': {
        const a = this.compile(expr.left);
        const b = this.compile(expr.right);
        return (c) => a(c) || b(c);
      }
      case 'not': {
        const a = this.compile(expr.expr);
        return (c) => !a(c);
      }
      case 'test':
        return this.compileTest(expr.operand);
      case 'cmp':
        return this.compileComparison(expr.op, expr.left, expr.right);
      case 'in': {
        const t = this.compileIn(expr.operand, expr.elements);
        return expr.negated ? (c) => !t(c) : t;
      }
    }
  }

  private compileTest(op: Operand): Test {
    if (op.kind === 'call') {
      if (!(op.name in FUNCTION_ARITY)) throw err(`Function '${op.name}' does not exist`, op.nameSpan);
      throw err('You cannot test whether a function is present.', op.nameSpan);
    }
    if (op.kind === 'word' && !this.isFieldWord(op.text))
      throw err(`${op.text} is neither a field nor a protocol name.`, op);
    if (op.kind === 'string' || op.kind === 'charconst')
      throw err(`${op.text} is neither a field nor a protocol name.`, op);
    const e = this.entity(op);
    if (op.kind === 'arith' || op.kind === 'neg') {
      return (c) => e.get(c).some(truthy);
    }
    return (c) => e.exists(c);
  }

  private isFieldWord(text: string): boolean {
    if (lookupField(text)) return true;
    return this.options.unknownFieldsAbsent === true && /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(text) && !/^[0-9]/.test(text);
  }

  private isEntity(op: Operand): boolean {
    switch (op.kind) {
      case 'word':
        return lookupField(op.text) !== undefined;
      case 'string':
      case 'charconst':
        return false;
      case 'slice':
      case 'call':
        return true;
      case 'arith':
        return this.isEntity(op.left) || this.isEntity(op.right);
      case 'neg':
        return this.isEntity(op.operand);
    }
  }

  private compileComparison(op: CmpOp, left: Operand, right: Operand): Test {
    const opText = OP_TEXT[op];
    const leftIsEntity = this.isEntity(left) || (left.kind === 'word' && this.isFieldWord(left.text));
    if (!leftIsEntity)
      throw err(`Left side of "${opText}" expression must be a field or function, not ${this.source(left)}.`, left);
    const l = this.entity(left);
    if (l.kind === 'absent') return () => false;
    const searchable = op === 'contains' ? CONTAINS_KINDS : op === 'matches' ? MATCHES_KINDS : null;
    if (l.kind === 'none' || (searchable !== null && !searchable.has(l.kind))) {
      throw err(
        `${l.display} (type=${TYPE_PRETTY[l.kind as FieldType]}) cannot participate in ${opText} comparison.`,
        left,
      );
    }
    if (op === 'matches') {
      if (right.kind !== 'string') throw err('Matches requires a double quoted string on the right side.', right);
      const re = this.regex(right.value, right);
      const kind = l.kind;
      return (c) => {
        for (const v of l.get(c)) {
          if (re.test(kind === 'string' ? (v as string) : latin1(v as Uint8Array))) return true;
        }
        return false;
      };
    }
    let rightValues: LiteralValue[] | null = null;
    let r: Entity | null = null;
    if (this.isEntity(right)) {
      r = this.entity(right);
      if (r.kind === 'absent') return () => false;
      if (!compatible(l.kind, r.kind)) throw err(`${l.display} and ${r.display} are not of compatible types.`, right);
    } else {
      rightValues = this.literal(right, l, op === 'contains');
    }
    const pair = pairTest(op, l.kind, op === 'contains' && l.kind !== 'string' && r?.kind === 'string');
    if (rightValues) {
      const lits = rightValues;
      if (lits.length === 1 && lits[0].prefix === undefined) {
        const lit = lits[0].value;
        if (op === 'any_eq' && typeof lit === 'number') {
          return (c) => {
            const vs = l.get(c);
            for (let i = 0; i < vs.length; i++) if (vs[i] === lit) return true;
            return false;
          };
        }
      }
      const tests = lits.map((lit) => literalTest(op, l.kind, lit, pair));
      const anyLit =
        tests.length === 1
          ? tests[0]
          : (v: Value): boolean => {
              for (let i = 0; i < tests.length; i++) if (tests[i](v)) return true;
              return false;
            };
      return combine(op, l, anyLit);
    }
    const re = r as Entity;
    return (c) => {
      const ls = l.get(c);
      const rs = re.get(c);
      if (ls.length === 0 || rs.length === 0) return false;
      switch (op) {
        case 'all_ne':
          return ls.every((a) => rs.every((b) => !pair(a, b)));
        case 'all_eq':
          return ls.every((a) => rs.every((b) => pair(a, b)));
        case 'any_ne':
          return ls.some((a) => rs.some((b) => !pair(a, b)));
        default:
          return ls.some((a) => rs.some((b) => pair(a, b)));
      }
    };
  }

  private compileIn(operand: Operand, elements: SetElement[]): Test {
    if (!this.isEntity(operand) && !(operand.kind === 'word' && this.isFieldWord(operand.text))) {
      throw err(`Left side of "in" expression must be a field or function, not ${this.source(operand)}.`, operand);
    }
    const l = this.entity(operand);
    if (l.kind === 'absent') return () => false;
    if (l.kind === 'none') throw err(`${l.display} (type=Label) cannot participate in in comparison.`, operand);
    const members: ((v: Value, c: EvalContext) => boolean)[] = [];
    const eq = pairTest('any_eq', l.kind, false);
    for (const el of elements) {
      const low = this.setValue(el.low, l);
      if (el.high === undefined) {
        members.push((v, c) => {
          const bs = low(c);
          for (let i = 0; i < bs.length; i++) {
            const b = bs[i];
            if (eq(v, b.value) || (b.prefix !== undefined && prefixEqual(v, b))) return true;
          }
          return false;
        });
      } else {
        const high = this.setValue(el.high, l);
        members.push((v, c) => {
          const los = low(c);
          for (let i = 0; i < los.length; i++) {
            if (!(compare(v, los[i].value) >= 0)) continue;
            const his = high(c);
            for (let j = 0; j < his.length; j++) if (compare(v, his[j].value) <= 0) return true;
          }
          return false;
        });
      }
    }
    return (c) => {
      const vs = l.get(c);
      for (let i = 0; i < vs.length; i++)
        for (let j = 0; j < members.length; j++) if (members[j](vs[i], c)) return true;
      return false;
    };
  }

  private setValue(op: Operand, l: Entity): (c: EvalContext) => LiteralValue[] {
    if (this.isEntity(op)) {
      const e = this.entity(op);
      if (!compatible(l.kind, e.kind)) throw err(`${l.display} and ${e.display} are not of compatible types.`, op);
      return (c) => e.get(c).map((value) => ({ value }));
    }
    const lits = this.literal(op, l, false);
    return () => lits;
  }

  private regex(pattern: string, span: Span): RegExp {
    let flags = 'i';
    let body = pattern;
    const m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]+))?\)/.exec(body);
    if (m) {
      const on = m[1];
      const off = m[2] ?? '';
      if (off.includes('i')) flags = flags.replace('i', '');
      if (on.includes('s')) flags += 's';
      if (on.includes('m')) flags += 'm';
      body = body.slice(m[0].length);
    }
    try {
      return new RegExp(body, flags);
    } catch (e) {
      throw err(`Regex compilation error: ${e instanceof Error ? e.message : String(e)}.`, span);
    }
  }

  // ---- operands ------------------------------------------------------------------------

  private entity(op: Operand): Entity {
    switch (op.kind) {
      case 'word': {
        const field = lookupField(op.text);
        if (!field) {
          if (this.isFieldWord(op.text)) return absentEntity(op.text);
          throw err(`${op.text} is neither a field nor a protocol name.`, op);
        }
        return this.fieldEntity(field);
      }
      case 'slice':
        return this.sliceEntity(op.base, op.ranges, op);
      case 'call':
        return this.callEntity(op.name, op.nameSpan, op.args);
      case 'arith':
        return this.arithEntity(op.op, op.left, op.right, op.opSpan);
      case 'neg': {
        const e = this.entity(op.operand);
        if (e.kind === 'absent') return e;
        if (!NUMERIC(e.kind) || e.kind === 'bool') throw err(`${TYPE_ENUM[e.kind as FieldType]} cannot -.`, op.opSpan);
        return derived(e.kind, `-${e.display}`, (c) =>
          e.get(c).map((v) => (typeof v === 'bigint' ? -v : -(v as number))),
        );
      }
      default:
        throw err(`${op.text} is neither a field nor a protocol name.`, op);
    }
  }

  private fieldEntity(field: FieldDef): Entity {
    const slot = this.slotOf(field.abbrev);
    const kind = field.type;
    // The value list, reused from call to call when the context allows (see EvalContext):
    // every caller has finished with it before this entity is read again.
    const list = scratchList();
    let get: (c: EvalContext) => readonly Value[];
    if (kind === 'protocol') {
      get = (c) => {
        const nodes = c.nodes(slot);
        const out = list(c);
        let k = 0;
        for (let i = 0; i < nodes.length; i++) out[k++] = protocolBytes(c.packet, nodes[i], field.abbrev);
        return done(out, k);
      };
    } else if (kind === 'none') {
      get = (c) => {
        const nodes = c.nodes(slot);
        const out = list(c);
        let k = 0;
        for (let i = 0; i < nodes.length; i++) out[k++] = EMPTY;
        return done(out, k);
      };
    } else if (kind === 'bool') {
      get = (c) => {
        const nodes = c.nodes(slot);
        const out = list(c);
        let k = 0;
        for (let i = 0; i < nodes.length; i++) out[k++] = nodes[i].value ? 1 : 0;
        return done(out, k);
      };
    } else if (isIntegerKind(kind)) {
      get = (c) => {
        const nodes = c.nodes(slot);
        const out = list(c);
        let k = 0;
        for (let i = 0; i < nodes.length; i++) {
          const v = nodes[i].value;
          if (typeof v === 'number') out[k++] = v;
          else if (typeof v === 'bigint') out[k++] = v <= MAX_SAFE && v >= MIN_SAFE ? Number(v) : v;
          else if (typeof v === 'boolean') out[k++] = v ? 1 : 0;
        }
        return done(out, k);
      };
    } else {
      get = (c) => {
        const nodes = c.nodes(slot);
        const out = list(c);
        let k = 0;
        for (let i = 0; i < nodes.length; i++) {
          const v = nodes[i].value;
          if (v !== undefined && typeof v !== 'boolean') out[k++] = v;
        }
        return done(out, k);
      };
    }
    return { kind, field, display: field.abbrev, get, exists: (c) => c.nodes(slot).length > 0 };
  }

  private sliceEntity(base: Operand, ranges: SliceRange[], span: Span): Entity {
    const e = this.entity(base);
    if (e.kind === 'absent') return e;
    if (!BYTES_LIKE.has(e.kind)) {
      throw err(
        `"${e.display}" is a ${TYPE_PRETTY[e.kind as FieldType]} and cannot be sliced into a sequence of bytes.`,
        base,
      );
    }
    const toBytes = e.kind === 'string' ? (v: Value) => utf8(v as string) : (v: Value) => v as Uint8Array;
    const list = scratchList();
    const get = (c: EvalContext): readonly Value[] => {
      const out = list(c);
      let k = 0;
      for (const v of e.get(c)) {
        const s = sliceBytes(toBytes(v), ranges);
        if (s) out[k++] = s;
      }
      return done(out, k);
    };
    return derived('bytes', this.source(span), get);
  }

  private callEntity(name: string, nameSpan: Span, args: Operand[]): Entity {
    const range = FUNCTION_ARITY[name];
    if (!range) throw err(`Function '${name}' does not exist`, nameSpan);
    if (args.length < range[0]) throw err(`Function ${name} needs at least ${range[0]} arguments.`, nameSpan);
    if (args.length > range[1]) throw err(`Function ${name} can only accept ${range[1]} arguments.`, nameSpan);
    const display = `${name}(…)`;
    const fieldArg = (op: Operand): Entity => {
      if (op.kind !== 'word' || !this.isFieldWord(op.text))
        throw err(`Only fields can be used as parameter for ${name}()`, op);
      return this.entity(op);
    };
    switch (name) {
      case 'len': {
        const e = fieldArg(args[0]);
        return derived('uint32', display, (c) =>
          e.get(c).map((v) => (typeof v === 'string' ? utf8(v).length : v instanceof Uint8Array ? v.length : 0)),
        );
      }
      case 'count': {
        const e = fieldArg(args[0]);
        return derived('uint32', display, (c) => [e.get(c).length]);
      }
      case 'lower':
      case 'upper': {
        const e = fieldArg(args[0]);
        if (e.kind !== 'string' && e.kind !== 'absent')
          throw err(`Only string type fields can be used as parameter for ${name}()`, args[0]);
        const up = name === 'upper';
        return derived('string', display, (c) =>
          e.get(c).map((v) => (up ? (v as string).toUpperCase() : (v as string).toLowerCase())),
        );
      }
      case 'string': {
        const e = fieldArg(args[0]);
        const f = e.field;
        return derived('string', display, (c) => e.get(c).map((v) => valueToString(e.kind, v, f)));
      }
      case 'abs': {
        const e = this.entity(args[0]);
        if (e.kind !== 'absent' && !NUMERIC(e.kind))
          throw err(`Only numeric types can be used as parameter for abs()`, args[0]);
        return derived(e.kind, display, (c) =>
          e.get(c).map((v) => (typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(v as number))),
        );
      }
      default: {
        const es = args.map((a) => this.entity(a));
        const kind = es.find((e) => e.kind !== 'absent')?.kind ?? 'absent';
        for (const [i, e] of es.entries()) {
          if (e.kind !== 'absent' && !compatible(kind, e.kind))
            throw err(`Argument ${i + 1} of ${name}() has an incompatible type.`, args[i]);
        }
        const sign = name === 'max' ? 1 : -1;
        return derived(kind, display, (c) => {
          let best: Value | undefined;
          for (const e of es) for (const v of e.get(c)) if (best === undefined || sign * compare(v, best) > 0) best = v;
          return best === undefined ? [] : [best];
        });
      }
    }
  }

  private arithEntity(op: '&' | '+' | '-' | '*' | '/' | '%', left: Operand, right: Operand, opSpan: Span): Entity {
    const leftEntity = this.isEntity(left) || (left.kind === 'word' && this.isFieldWord(left.text));
    if (!leftEntity && !this.isEntity(right)) {
      throw err(`Left side of "${op}" expression must be a field or function, not ${this.source(left)}.`, left);
    }
    const [eOp, litOp] = leftEntity ? [left, right] : [right, left];
    const e = this.entity(eOp);
    if (e.kind === 'absent') return e;
    const kind = e.kind;
    const bytewise = op === '&' && (kind === 'bytes' || kind === 'ether' || kind === 'ipv4' || kind === 'ipv6');
    const okKind =
      op === '&' ? isIntegerKind(kind as FieldType) || bytewise : isIntegerKind(kind as FieldType) || kind === 'double';
    if (!okKind) throw err(`${TYPE_ENUM[kind as FieldType]} cannot ${op}.`, eOp);
    let other: (c: EvalContext) => readonly Value[];
    if (this.isEntity(litOp)) {
      const o = this.entity(litOp);
      if (!compatible(kind, o.kind)) throw err(`${e.display} and ${o.display} are not of compatible types.`, litOp);
      other = (c) => o.get(c);
    } else {
      const lits = this.literal(litOp, e, false).map((l) => l.value);
      other = () => lits;
    }
    void opSpan;
    const apply = (a: Value, b: Value): Value | undefined => {
      if (bytewise) {
        const x = a as Uint8Array;
        const y = b as Uint8Array;
        const out = new Uint8Array(Math.min(x.length, y.length));
        for (let i = 0; i < out.length; i++) out[i] = x[i] & y[i];
        return out;
      }
      const [p, q] = leftEntity ? [a, b] : [b, a];
      return arith(op, p as number | bigint, q as number | bigint);
    };
    const list = scratchList();
    return derived(kind, this.source({ start: left.start, end: right.end }), (c) => {
      const out = list(c);
      let k = 0;
      const bs = other(c);
      for (const a of e.get(c)) {
        for (const b of bs) {
          const v = apply(a, b);
          if (v !== undefined) out[k++] = v;
        }
      }
      return done(out, k);
    });
  }

  // ---- literals ------------------------------------------------------------------------

  /** A literal operand as values of the other side's type. */
  private literal(op: Operand, other: Entity, forContains: boolean): LiteralValue[] {
    try {
      return this.literalValues(op, other, forContains);
    } catch (e) {
      if (e instanceof LiteralError) throw err(e.message, op);
      throw e;
    }
  }

  private literalValues(op: Operand, other: Entity, forContains: boolean): LiteralValue[] {
    const kind = other.kind;
    const field: FieldDef = other.field ?? { abbrev: other.display, name: other.display, type: kind as FieldType };
    if (op.kind === 'neg') {
      if (!NUMERIC(kind) || kind === 'bool') throw err(`${TYPE_ENUM[kind as FieldType]} cannot -.`, op.opSpan);
      return this.literalValues(op.operand, other, forContains).map((l) => ({
        value: typeof l.value === 'bigint' ? -l.value : -(l.value as number),
      }));
    }
    if (op.kind === 'arith')
      throw err(
        `Left side of "${op.op}" expression must be a field or function, not ${this.source(op.left)}.`,
        op.left,
      );
    if (op.kind !== 'word' && op.kind !== 'string' && op.kind !== 'charconst')
      throw err(`${this.source(op)} was unexpected in this context.`, op);
    const fromString = op.kind === 'string';
    const text = op.kind === 'string' ? op.value : op.text;
    if (op.kind === 'charconst') {
      const code = op.code;
      if (isIntegerKind(kind as FieldType)) return [{ value: checkIntegerRange(field, BigInt(code), op.text) }];
      if (kind === 'bool') return [{ value: code ? 1 : 0 }];
      if (kind === 'string') return [{ value: String.fromCharCode(code) }];
      if (kind === 'double' || kind === 'time_rel') return [{ value: code }];
      return [{ value: Uint8Array.of(code) }];
    }
    switch (kind) {
      case 'absent':
        return [];
      case 'bool':
        return booleanFromLiteral(field, text, fromString);
      case 'string':
        return [{ value: text }];
      case 'double':
        if (fromString) throw new LiteralError(`${TYPE_PRETTY.double} cannot be converted from a string ("${text}").`);
        return [{ value: doubleFromLiteral(text) }];
      case 'time_rel':
        if (fromString)
          throw new LiteralError(`${TYPE_PRETTY.time_rel} cannot be converted from a string ("${text}").`);
        return [{ value: relativeTimeFromLiteral(text) }];
      case 'time_abs':
        return [{ value: absoluteTimeFromLiteral(text) }];
      case 'ipv4':
        if (fromString) throw new LiteralError(`${TYPE_PRETTY.ipv4} cannot be converted from a string ("${text}").`);
        return [ipv4FromLiteral(text)];
      case 'ipv6':
        if (fromString) throw new LiteralError(`${TYPE_PRETTY.ipv6} cannot be converted from a string ("${text}").`);
        return [ipv6FromLiteral(text)];
      case 'ether':
        if (fromString) throw new LiteralError(`${TYPE_PRETTY.ether} cannot be converted from a string ("${text}").`);
        return [{ value: etherFromLiteral(text) }];
      case 'bytes':
      case 'protocol':
        if (fromString) return [{ value: utf8(text) }];
        if (kind === 'bytes' && other.field === undefined && !forContains) {
          // A slice compared with an integer: `tcp.payload[0] == 0x47`.
          const n = /^0[xX]/.test(text) ? parseCInteger(text) : null;
          if (n !== null && n >= 0n && n <= 255n) return [{ value: Uint8Array.of(Number(n)) }];
        }
        return [{ value: bytesFromLiteral(text) }];
      case 'none':
        return [];
      default:
        return integerFromLiteral(field, text, fromString);
    }
  }
}

/**
 * An entity's value list, reused from call to call when the context allows (see
 * EvalContext): each entity is one operand of one filter, and whoever reads it has finished
 * with its values before reading it again.
 */
function scratchList(): (c: EvalContext) => Value[] {
  const scratch: Value[] = [];
  return (c) => (c.reuse ? scratch : []);
}

/**
 * The first `k` values of a list (filled from its start): a list never shrinks to empty (no
 * values are a shared empty list) so that it keeps its storage from call to call.
 */
function done(out: Value[], k: number): readonly Value[] {
  if (k === 0) return NO_VALUES;
  if (out.length !== k) out.length = k;
  return out;
}

const NO_VALUES: readonly Value[] = Object.freeze([]);

function absentEntity(name: string): Entity {
  return { kind: 'absent', display: name, get: () => NO_VALUES, exists: () => false };
}

function derived(kind: Kind, display: string, get: (c: EvalContext) => readonly Value[]): Entity {
  return { kind, display, get, exists: (c) => get(c).length > 0 };
}

function truthy(v: Value): boolean {
  if (v instanceof Uint8Array) return v.some((b) => b !== 0);
  if (typeof v === 'string') return v.length > 0;
  return typeof v === 'bigint' ? v !== 0n : v !== 0;
}

function compatible(a: Kind, b: Kind): boolean {
  if (a === 'absent' || b === 'absent' || a === b) return true;
  const intLike = (k: Kind) => isIntegerKind(k as FieldType);
  if (intLike(a) && intLike(b)) return true;
  const bytesLike = (k: Kind) => k === 'bytes' || k === 'ether' || k === 'protocol';
  if (bytesLike(a) && bytesLike(b)) return true;
  if ((a === 'double' || a === 'time_rel') && (b === 'double' || b === 'time_rel')) return true;
  return false;
}

function arith(op: string, a: number | bigint, b: number | bigint): Value | undefined {
  if (typeof a === 'bigint' || typeof b === 'bigint' || (op === '&' && (a > 0x7fffffff || b > 0x7fffffff))) {
    const x = BigInt(a);
    const y = BigInt(b);
    switch (op) {
      case '&':
        return x & y;
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      case '/':
        return y === 0n ? undefined : x / y;
      default:
        return y === 0n ? undefined : x % y;
    }
  }
  switch (op) {
    case '&':
      return a & b;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : Math.trunc(a / b);
    default:
      return b === 0 ? undefined : a % b;
  }
}

/** Total order over values of one kind (numbers, strings, bytes). */
export function compare(a: Value, b: Value): number {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return a.length - b.length;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return NaN;
}

function equal(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  return false;
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  const first = needle[0];
  const last = hay.length - needle.length;
  outer: for (let i = hay.indexOf(first); i >= 0 && i <= last; i = hay.indexOf(first, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

type Pair = (a: Value, b: Value) => boolean;

function pairTest(op: CmpOp, kind: Kind, bytesContainsString: boolean): Pair {
  switch (op) {
    case 'gt':
      return (a, b) => compare(a, b) > 0;
    case 'ge':
      return (a, b) => compare(a, b) >= 0;
    case 'lt':
      return (a, b) => compare(a, b) < 0;
    case 'le':
      return (a, b) => compare(a, b) <= 0;
    case 'contains':
      if (kind === 'string') return (a, b) => (a as string).includes(b as string);
      if (bytesContainsString) return (a, b) => indexOfBytes(a as Uint8Array, utf8(b as string)) >= 0;
      return (a, b) => indexOfBytes(a as Uint8Array, b as Uint8Array) >= 0;
    default:
      return equal;
  }
}

function prefixEqual(v: Value, lit: LiteralValue): boolean {
  const a = v as Uint8Array;
  const b = lit.value as Uint8Array;
  if (!(a instanceof Uint8Array) || a.length !== b.length) return false;
  const prefix = lit.prefix ?? a.length * 8;
  const full = prefix >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const rest = prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[full] & mask) === (b[full] & mask);
}

/** One value against one literal; CIDR literals compare the network part only. */
function literalTest(op: CmpOp, kind: Kind, lit: LiteralValue, pair: Pair): (v: Value) => boolean {
  if (lit.prefix !== undefined && (kind === 'ipv4' || kind === 'ipv6')) {
    const masked = (v: Value): Uint8Array => maskBytes(v as Uint8Array, lit.prefix as number);
    const base = maskBytes(lit.value as Uint8Array, lit.prefix);
    if (op === 'any_eq' || op === 'all_eq' || op === 'all_ne' || op === 'any_ne') return (v) => prefixEqual(v, lit);
    return (v) => pair(masked(v), base);
  }
  const b = lit.value;
  return (v) => pair(v, b);
}

function maskBytes(a: Uint8Array, prefix: number): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    out[i] = a[i] & ((0xff << (8 - bits)) & 0xff);
  }
  return out;
}

/** Applies Wireshark 4.0's quantifiers for a comparison against literal(s). */
function combine(op: CmpOp, l: Entity, anyLit: (v: Value) => boolean): Test {
  switch (op) {
    case 'all_ne':
      return (c) => {
        const vs = l.get(c);
        for (let i = 0; i < vs.length; i++) if (anyLit(vs[i])) return false;
        return vs.length > 0;
      };
    case 'all_eq':
      return (c) => {
        const vs = l.get(c);
        for (let i = 0; i < vs.length; i++) if (!anyLit(vs[i])) return false;
        return vs.length > 0;
      };
    case 'any_ne':
      return (c) => {
        const vs = l.get(c);
        for (let i = 0; i < vs.length; i++) if (!anyLit(vs[i])) return true;
        return false;
      };
    default:
      return (c) => {
        const vs = l.get(c);
        for (let i = 0; i < vs.length; i++) if (anyLit(vs[i])) return true;
        return false;
      };
  }
}

/** Slices bytes by Wireshark drange rules; null when a range falls outside the data. */
function sliceBytes(data: Uint8Array, ranges: readonly SliceRange[]): Uint8Array | null {
  if (ranges.length === 1) {
    const r = ranges[0];
    const start = r.start < 0 ? data.length + r.start : r.start;
    if (start < 0 || start >= data.length) return null;
    const length = r.length === undefined ? data.length - start : r.length;
    if (length <= 0 || start + length > data.length) return null;
    return data.subarray(start, start + length);
  }
  const parts: Uint8Array[] = [];
  for (const r of ranges) {
    const start = r.start < 0 ? data.length + r.start : r.start;
    if (start < 0 || start >= data.length) return null;
    const length = r.length === undefined ? data.length - start : r.length;
    if (length <= 0 || start + length > data.length) return null;
    parts.push(data.subarray(start, start + length));
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The bytes a protocol covers, as Wireshark's FT_PROTOCOL value: from the protocol's first
 * byte to the end of its data source (so `tcp contains "GET"` sees the TCP payload too).
 */
function protocolBytes(packet: DissectedPacket, node: ProtoNode, abbrev: string): Uint8Array {
  const source = packet.sources[node.source]?.data ?? packet.record.data;
  if (abbrev === 'frame') return packet.record.data;
  return source.subarray(node.start, Math.max(node.start + node.length, source.length));
}

function valueToString(kind: Kind, v: Value, field: FieldDef | undefined): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) {
    if (kind === 'ipv4') return Array.from(v).join('.');
    return Array.from(v, (b) => b.toString(16).padStart(2, '0')).join(':');
  }
  if (kind === 'bool') return v ? 'True' : 'False';
  void field;
  return v.toString();
}
