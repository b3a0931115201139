/**
 * XML bodies (an SVG image, an XML document), as Wireshark 4.0's packet-xml.c shows them: each
 * element an item ("<svg") holding its attributes (the last one with the ">" or "/>" that ends
 * the tag), its text, its child elements and its closing tag; the XML declaration, DOCTYPE and
 * comments as items of their own. The Protocol column gets "/XML" ("HTTP/XML").
 *
 * Not done here (as packet-xml.c does): DTD-driven field names (a document's own elements as
 * filterable fields) and DOCTYPEs with an internal subset ("[...]"), shown as one item.
 */
import { defineFields, type FieldDef } from '../../fields';
import type { PacketContext } from '../../context';
import type { ProtoNode } from '../../tree';
import { bytesEqual, formatText, fitLabel, utf8String } from './text';
import type { MediaDissector } from './media-type';

export const xmlFields = defineFields({
  xml: { abbrev: 'xml', name: 'eXtensible Markup Language', type: 'protocol' },
  tag: { abbrev: 'xml.tag', name: 'Tag', type: 'string' },
  attribute: { abbrev: 'xml.attribute', name: 'Attribute', type: 'string' },
  cdata: { abbrev: 'xml.cdata', name: 'CDATA', type: 'string' },
  comment: { abbrev: 'xml.comment', name: 'Comment', type: 'string' },
  dtdTag: { abbrev: 'xml.dtdtag', name: 'DTD Tag', type: 'string' },
  xmlPi: { abbrev: 'xml.xmlpi', name: 'XMLPI', type: 'string' },
  xmlDeclaration: { abbrev: 'xml.xmlpi.xml', name: 'xml.xmlpi.xml', type: 'string' },
  xmlVersion: { abbrev: 'xml.xmlpi.xml.version', name: 'version', type: 'string' },
  xmlEncoding: { abbrev: 'xml.xmlpi.xml.encoding', name: 'encoding', type: 'string' },
  xmlStandalone: { abbrev: 'xml.xmlpi.xml.standalone', name: 'standalone', type: 'string' },
});
const f = xmlFields;

/** The XML declaration's attributes with fields of their own. */
const DECLARATION_ATTRIBUTES = new Map<string, FieldDef>([
  ['version', f.xmlVersion],
  ['encoding', f.xmlEncoding],
  ['standalone', f.xmlStandalone],
]);

/** An element whose closing tag has not come yet. */
interface OpenElement {
  name: string;
  node: ProtoNode | null;
  children: ProtoNode[] | null;
}

export const dissectXml: MediaDissector = (ctx, buf, start, end, tree) => {
  ctx.enterProtocol('xml');
  ctx.columns.protocol += '/XML';
  const stop = Math.min(end, buf.length);
  const node = ctx.add(tree, f.xml, start, stop - start, undefined);
  const top = ctx.children(node);
  if (!top) return true;
  const open: OpenElement[] = [];
  const parent = () => (open.length > 0 ? open[open.length - 1].children : top);
  let pos = start;
  while (pos < stop) {
    pos = skipSpace(buf, pos, stop);
    if (pos >= stop) break;
    if (buf[pos] !== 0x3c) {
      // Text up to the next tag: its leading white space dropped, as Wireshark's tokenizer does.
      const textEnd = indexOf(buf, 0x3c, pos, stop);
      ctx.add(
        parent(),
        f.cdata,
        pos,
        textEnd - pos,
        utf8String(buf, pos, textEnd),
        fitLabel(formatText(buf, pos, textEnd)),
      );
      pos = textEnd;
    } else if (bytesEqual(buf, pos, stop, '<!--')) {
      pos = rawItem(ctx, parent(), f.comment, buf, pos, findAfter(buf, pos + 4, stop, '-->'));
    } else if (bytesEqual(buf, pos, stop, '<!')) {
      pos = rawItem(ctx, parent(), f.dtdTag, buf, pos, findAfter(buf, pos + 2, stop, '>'));
    } else if (bytesEqual(buf, pos, stop, '<?')) {
      pos = processingInstruction(ctx, parent(), buf, pos, stop);
    } else if (bytesEqual(buf, pos, stop, '</')) {
      const tagEnd = findAfter(buf, pos + 2, stop, '>');
      const name = utf8String(buf, pos + 2, tagEnd - 1).trim();
      // The closing tag closes the innermost element of its name (and any left open inside it).
      const at = open.map((e) => e.name).lastIndexOf(name);
      ctx.add(
        at >= 0 ? open[at].children : parent(),
        undefined,
        pos,
        tagEnd - pos,
        undefined,
        fitLabel(formatText(buf, pos, tagEnd)),
      );
      if (at >= 0) {
        for (const element of open.splice(at)) if (element.node) element.node.length = tagEnd - element.node.start;
      }
      pos = tagEnd;
    } else {
      const element = startTag(ctx, parent(), buf, pos, stop);
      if (element.open) open.push(element.open);
      pos = element.next;
    }
  }
  return true;
};

/** A comment or DOCTYPE: one item of its text. */
function rawItem(
  ctx: PacketContext,
  parent: ProtoNode[] | null,
  field: FieldDef,
  buf: Uint8Array,
  start: number,
  end: number,
): number {
  ctx.add(parent, field, start, end - start, utf8String(buf, start, end), fitLabel(formatText(buf, start, end)));
  return end;
}

/** "<?xml version="1.0"?>": its name, its attributes, then "?>" as an item of its own. */
function processingInstruction(
  ctx: PacketContext,
  parent: ProtoNode[] | null,
  buf: Uint8Array,
  start: number,
  stop: number,
): number {
  const end = findAfter(buf, start + 2, stop, '?>');
  const nameEnd = nameEndAt(buf, start + 2, end);
  const name = utf8String(buf, start + 2, nameEnd);
  const field = name === 'xml' ? f.xmlDeclaration : f.xmlPi;
  const node = ctx.add(parent, field, start, end - start, utf8String(buf, start, end), `<?${name}`);
  const children = ctx.children(node);
  for (const attribute of attributes(buf, nameEnd, end - 2)) {
    const own = name === 'xml' ? DECLARATION_ATTRIBUTES.get(attribute.name) : undefined;
    const label = utf8String(buf, attribute.start, attribute.end);
    if (own)
      ctx.add(children, own, attribute.valueStart, attribute.valueEnd - attribute.valueStart, attribute.value, label);
    else ctx.add(children, f.attribute, attribute.start, attribute.end - attribute.start, label, label);
  }
  if (end - 2 >= start + 2) ctx.add(children, undefined, end - 2, 2, undefined, '?>');
  return end;
}

/** A start tag: its item, and the element left open unless the tag was empty ("/>"). */
function startTag(
  ctx: PacketContext,
  parent: ProtoNode[] | null,
  buf: Uint8Array,
  start: number,
  stop: number,
): { next: number; open: OpenElement | null } {
  const end = tagEnd(buf, start + 1, stop);
  const empty = end - 2 > start && buf[end - 2] === 0x2f;
  const closer = empty ? '/>' : '>';
  const nameEnd = nameEndAt(buf, start + 1, end);
  const name = utf8String(buf, start + 1, nameEnd);
  const list = attributes(buf, nameEnd, end - closer.length);
  const label = list.length === 0 ? `<${name}${closer}` : `<${name}`;
  const node = ctx.add(parent, f.tag, start, end - start, utf8String(buf, start, end), fitLabel(label));
  const children = ctx.children(node);
  list.forEach((attribute, i) => {
    const text = utf8String(buf, attribute.start, attribute.end);
    const shown = i === list.length - 1 ? text + closer : text;
    ctx.add(children, f.attribute, attribute.start, attribute.end - attribute.start, text, fitLabel(shown));
  });
  return { next: end, open: empty ? null : { name, node, children } };
}

interface Attribute {
  name: string;
  value: string;
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

/** The name="value" (or name='value') pairs of a tag's bytes [from, to). */
function attributes(buf: Uint8Array, from: number, to: number): Attribute[] {
  const out: Attribute[] = [];
  let pos = from;
  while (pos < to) {
    pos = skipSpace(buf, pos, to);
    if (pos >= to) break;
    const nameEnd = nameEndAt(buf, pos, to);
    if (nameEnd === pos) {
      pos++;
      continue;
    }
    let eq = skipSpace(buf, nameEnd, to);
    if (eq >= to || buf[eq] !== 0x3d) {
      pos = nameEnd;
      continue;
    }
    eq = skipSpace(buf, eq + 1, to);
    const quote = buf[eq];
    if (quote !== 0x22 && quote !== 0x27) {
      pos = eq + 1;
      continue;
    }
    const close = indexOf(buf, quote, eq + 1, to);
    const end = Math.min(to, close + 1);
    out.push({
      name: utf8String(buf, pos, nameEnd),
      value: utf8String(buf, eq + 1, close),
      start: pos,
      end,
      valueStart: eq + 1,
      valueEnd: close,
    });
    pos = end;
  }
  return out;
}

/** Where a tag that starts before `from` ends: after its ">", quoted ">" skipped. */
function tagEnd(buf: Uint8Array, from: number, stop: number): number {
  let quote = 0;
  for (let i = from; i < stop; i++) {
    const ch = buf[i];
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (ch === 0x22 || ch === 0x27) quote = ch;
    else if (ch === 0x3e) return i + 1;
  }
  return stop;
}

/** Where a name starting at `from` ends (white space, "=", "/", ">", "?"). */
function nameEndAt(buf: Uint8Array, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const ch = buf[i];
    if (ch <= 0x20 || ch === 0x3d || ch === 0x2f || ch === 0x3e || ch === 0x3f) break;
    i++;
  }
  return i;
}

function skipSpace(buf: Uint8Array, pos: number, stop: number): number {
  while (pos < stop && (buf[pos] === 0x20 || buf[pos] === 0x09 || buf[pos] === 0x0a || buf[pos] === 0x0d)) pos++;
  return pos;
}

function indexOf(buf: Uint8Array, byte: number, from: number, stop: number): number {
  const at = buf.subarray(from, stop).indexOf(byte);
  return at < 0 ? stop : from + at;
}

/** The end of the first `text` at or after `from` (or `stop` when there is none). */
function findAfter(buf: Uint8Array, from: number, stop: number, text: string): number {
  for (let i = from; i + text.length <= stop; i++) if (bytesEqual(buf, i, stop, text)) return i + text.length;
  return stop;
}
