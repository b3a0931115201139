/**
 * JSON bodies as Wireshark 4.0's packet-json.c shows them: "JavaScript Object Notation:
 * <type>", Object / Array / Member items with generated paths, values after the paths and
 * the key after the value. Invalid JSON is left to the "Media Type" fallback.
 */
import { defineFields } from '../../fields';
import type { PacketContext } from '../../context';
import type { ProtoNode } from '../../tree';
import { asciiString, fitLabel } from './text';
import type { MediaDissector } from './media-type';
import { dissectMediaType } from './media-type';

export const jsonFields = defineFields({
  json: { abbrev: 'json', name: 'JavaScript Object Notation', type: 'protocol' },
  object: { abbrev: 'json.object', name: 'Object', type: 'none' },
  array: { abbrev: 'json.array', name: 'Array', type: 'none' },
  member: { abbrev: 'json.member', name: 'Member', type: 'string' },
  key: { abbrev: 'json.key', name: 'Key', type: 'string' },
  path: { abbrev: 'json.path', name: 'Path', type: 'string' },
  pathWithValue: { abbrev: 'json.path_with_value', name: 'Path with value', type: 'string' },
  memberWithValue: { abbrev: 'json.member_with_value', name: 'Member with value', type: 'string' },
  string: { abbrev: 'json.value.string', name: 'String value', type: 'string' },
  number: { abbrev: 'json.value.number', name: 'Number value', type: 'double' },
  vTrue: { abbrev: 'json.value.true', name: 'True value', type: 'none' },
  vFalse: { abbrev: 'json.value.false', name: 'False value', type: 'none' },
  vNull: { abbrev: 'json.value.null', name: 'Null value', type: 'none' },
});
const j = jsonFields;

const MAX_DEPTH = 64;

type JValue =
  | {
      kind: 'object';
      start: number;
      end: number;
      members: { key: string; keyStart: number; keyEnd: number; start: number; value: JValue }[];
    }
  | { kind: 'array'; start: number; end: number; items: JValue[] }
  | { kind: 'string'; start: number; end: number; text: string }
  | { kind: 'number'; start: number; end: number; text: string }
  | { kind: 'true' | 'false' | 'null'; start: number; end: number };

class Parser {
  pos: number;
  constructor(
    private readonly buf: Uint8Array,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }
  ws(): void {
    while (this.pos < this.end) {
      const c = this.buf[this.pos];
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else break;
    }
  }
  value(depth: number): JValue | null {
    if (depth > MAX_DEPTH) return null;
    this.ws();
    if (this.pos >= this.end) return null;
    const start = this.pos;
    const c = this.buf[this.pos];
    if (c === 0x7b) {
      this.pos++;
      const members: { key: string; keyStart: number; keyEnd: number; start: number; value: JValue }[] = [];
      this.ws();
      if (this.buf[this.pos] === 0x7d) {
        this.pos++;
        return { kind: 'object', start, end: this.pos, members };
      }
      for (;;) {
        this.ws();
        const mStart = this.pos;
        const key = this.string();
        if (!key) return null;
        this.ws();
        if (this.buf[this.pos] !== 0x3a) return null;
        this.pos++;
        const value = this.value(depth + 1);
        if (!value) return null;
        members.push({ key: key.text, keyStart: key.start, keyEnd: key.end, start: mStart, value });
        this.ws();
        const d = this.buf[this.pos];
        this.pos++;
        if (d === 0x2c) continue;
        if (d === 0x7d) return { kind: 'object', start, end: this.pos, members };
        return null;
      }
    }
    if (c === 0x5b) {
      this.pos++;
      const items: JValue[] = [];
      this.ws();
      if (this.buf[this.pos] === 0x5d) {
        this.pos++;
        return { kind: 'array', start, end: this.pos, items };
      }
      for (;;) {
        const value = this.value(depth + 1);
        if (!value) return null;
        items.push(value);
        this.ws();
        const d = this.buf[this.pos];
        this.pos++;
        if (d === 0x2c) continue;
        if (d === 0x5d) return { kind: 'array', start, end: this.pos, items };
        return null;
      }
    }
    if (c === 0x22) return this.string();
    for (const [word, kind] of [
      ['true', 'true'],
      ['false', 'false'],
      ['null', 'null'],
    ] as const) {
      if (this.matches(word)) {
        this.pos += word.length;
        return { kind, start, end: this.pos };
      }
    }
    let p = this.pos;
    while (p < this.end && /[-+0-9.eE]/.test(String.fromCharCode(this.buf[p]))) p++;
    if (p === this.pos) return null;
    // Digits and signs only (ASCII), and not spread into a call: a number can be 200,000 digits long.
    const text = asciiString(this.buf, this.pos, p);
    if (!/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/.test(text)) return null;
    this.pos = p;
    return { kind: 'number', start, end: p, text };
  }
  matches(word: string): boolean {
    if (this.end - this.pos < word.length) return false;
    for (let i = 0; i < word.length; i++) if (this.buf[this.pos + i] !== word.charCodeAt(i)) return false;
    return true;
  }
  string(): { kind: 'string'; start: number; end: number; text: string } | null {
    const start = this.pos;
    if (this.buf[this.pos] !== 0x22) return null;
    this.pos++;
    const bytes: number[] = [];
    while (this.pos < this.end) {
      const c = this.buf[this.pos];
      if (c === 0x22) {
        this.pos++;
        const text = new TextDecoder().decode(new Uint8Array(bytes));
        return { kind: 'string', start, end: this.pos, text };
      }
      if (c < 0x20) return null;
      if (c === 0x5c) {
        const e = this.buf[this.pos + 1];
        const simple: Record<number, number> = {
          0x22: 0x22,
          0x5c: 0x5c,
          0x2f: 0x2f,
          0x62: 8,
          0x66: 12,
          0x6e: 10,
          0x72: 13,
          0x74: 9,
        };
        if (simple[e] !== undefined) {
          bytes.push(simple[e]);
          this.pos += 2;
          continue;
        }
        if (e === 0x75) {
          const hex = String.fromCharCode(...this.buf.subarray(this.pos + 2, this.pos + 6));
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) return null;
          let cp = parseInt(hex, 16);
          this.pos += 6;
          if (cp >= 0xd800 && cp < 0xdc00 && this.buf[this.pos] === 0x5c && this.buf[this.pos + 1] === 0x75) {
            const lo = String.fromCharCode(...this.buf.subarray(this.pos + 2, this.pos + 6));
            if (/^[dD][c-fC-F][0-9a-fA-F]{2}$/.test(lo)) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(lo, 16) - 0xdc00);
              this.pos += 6;
            }
          }
          bytes.push(...new TextEncoder().encode(String.fromCodePoint(cp >= 0xd800 && cp < 0xe000 ? 0xfffd : cp)));
          continue;
        }
        return null;
      }
      bytes.push(c);
      this.pos++;
    }
    return null;
  }
}

function valueText(v: JValue): string {
  switch (v.kind) {
    case 'string':
      return v.text;
    case 'number':
      return v.text;
    case 'true':
    case 'false':
    case 'null':
      return v.kind;
    default:
      return '';
  }
}

function addValue(ctx: PacketContext, parent: ProtoNode[] | null, v: JValue, path: string, depth: number): void {
  switch (v.kind) {
    case 'object': {
      const node = ctx.add(parent, j.object, v.start, v.end - v.start, undefined);
      const c = ctx.children(node);
      for (const mem of v.members) {
        const mPath = `${path}/${mem.key}`;
        const mNode = ctx.add(c, j.member, mem.start, v.end - mem.start, mem.key, fitLabel(`Member: ${mem.key}`));
        if (mNode) mNode.length = mem.value.end - mem.start;
        const mc = ctx.children(mNode);
        if (mem.value.kind === 'object' || mem.value.kind === 'array') {
          addValue(ctx, mc, mem.value, mPath, depth + 1);
        } else {
          const t = valueText(mem.value);
          ctx.addGenerated(mc, j.pathWithValue, `${mPath}:${t}`, fitLabel(`Path with value: ${mPath}:${t}`));
          ctx.addGenerated(mc, j.memberWithValue, `${mem.key}:${t}`, fitLabel(`Member with value: ${mem.key}:${t}`));
          addValue(ctx, mc, mem.value, mPath, depth + 1);
        }
        ctx.add(mc, j.key, mem.keyStart + 1, mem.keyEnd - mem.keyStart - 2, mem.key, fitLabel(`Key: ${mem.key}`));
        ctx.addGenerated(mc, j.path, mPath, fitLabel(`Path: ${mPath}`));
      }
      return;
    }
    case 'array': {
      const node = ctx.add(parent, j.array, v.start, v.end - v.start, undefined);
      const c = ctx.children(node);
      const aPath = `${path}/[]`;
      for (const item of v.items) {
        if (item.kind !== 'object' && item.kind !== 'array') {
          const t = valueText(item);
          ctx.addGenerated(c, j.pathWithValue, `${aPath}:${t}`, fitLabel(`Path with value: ${aPath}:${t}`));
          ctx.addGenerated(c, j.memberWithValue, `[]:${t}`, fitLabel(`Member with value: []:${t}`));
        }
        addValue(ctx, c, item, aPath, depth + 1);
      }
      return;
    }
    case 'string':
      ctx.add(parent, j.string, v.start + 1, v.end - v.start - 2, v.text, fitLabel(`String value: ${v.text}`));
      return;
    case 'number':
      ctx.add(parent, j.number, v.start, v.end - v.start, Number(v.text), `Number value: ${v.text}`);
      return;
    case 'true':
      ctx.add(parent, j.vTrue, v.start, v.end - v.start, undefined, 'True value');
      return;
    case 'false':
      ctx.add(parent, j.vFalse, v.start, v.end - v.start, undefined, 'False value');
      return;
    case 'null':
      ctx.add(parent, j.vNull, v.start, v.end - v.start, undefined, 'Null value');
      return;
  }
}

export const dissectJson: MediaDissector = (ctx, buf, start, end, tree, mediaType, params) => {
  const parser = new Parser(buf, start, end);
  const root = parser.value(0);
  parser.ws();
  if (!root || parser.pos !== end) {
    // With no media type (a caller that only guesses JSON) the caller shows the bytes itself.
    return mediaType === '' ? false : dissectMediaType(ctx, buf, start, end, tree, mediaType, params);
  }
  ctx.enterProtocol('json');
  ctx.columns.protocol = ctx.columns.protocol ? `${ctx.columns.protocol}/JSON` : 'JSON';
  ctx.appendInfo(ctx.columns.info.length > 0 ? ', JavaScript Object Notation' : 'JavaScript Object Notation');
  // Called with no media type (e.g. by DB-LSP-DISC), Wireshark names none.
  if (mediaType !== '') ctx.appendInfo(` (${mediaType})`);
  const label = mediaType !== '' ? `JavaScript Object Notation: ${mediaType}` : 'JavaScript Object Notation';
  const node = ctx.add(tree, j.json, start, end - start, undefined, label);
  addValue(ctx, ctx.children(node), root, '', 0);
  return true;
};
