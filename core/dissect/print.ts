/**
 * Plain-text renderings shared by the CLI (-V, -x) and "Export Packet Dissections → As Plain
 * Text": the detail tree indented by 4 spaces per level, and tshark's hex/ASCII dump.
 */
import type { DissectedPacket, DataSource } from './context';
import { nodeLabel, type ProtoNode } from './tree';
import { asciiText, hexDigit, scratchBytes, writeHexByte } from './bytes-out';

/**
 * The detail tree as tshark -V prints it (hidden nodes omitted). With the packet's data sources
 * (tshark -V without -x), each "Data" protocol item is followed by a blank line and the hex dump
 * of its bytes, as tshark 4.0's print.c does for uninterpreted data.
 */
export function formatTreeText(tree: readonly ProtoNode[], sources?: readonly DataSource[]): string {
  const lines: string[] = [];
  const visit = (nodes: readonly ProtoNode[], depth: number) => {
    for (const node of nodes) {
      if (node.hidden) continue;
      lines.push(indentOf(depth) + nodeLabel(node));
      if (sources !== undefined && node.field?.abbrev === 'data' && node.length > 0) {
        const bytes = sources[node.source]?.data.subarray(node.start, node.start + node.length);
        if (bytes !== undefined && bytes.length > 0) lines.push('', formatHexDump(bytes));
      }
      if (node.children) visit(node.children, depth + 1);
    }
  };
  visit(tree, 0);
  return lines.join('\n');
}

/** Four spaces a level, made once per depth: a tree's every line has one. */
const indents: string[] = [''];
function indentOf(depth: number): string {
  while (indents.length <= depth) indents.push(indents[indents.length - 1] + '    ');
  return indents[depth];
}

/** The most bytes writeHexDump writes for `length` bytes of data: 77 a line (an 8-digit offset), rounded up. */
export function hexDumpBound(length: number): number {
  return Math.ceil(length / 16) * 80;
}

const SPACE = 32;
const NEWLINE = 10;
const DOT = 46;

/**
 * tshark -x's dump of `data` as ASCII bytes written into `out` from `at` (room: hexDumpBound):
 * per 16 bytes the offset (4 hex digits, more past 0xffff), the bytes in hex, and the printable
 * ones as themselves, the others as ".". Lines end with a newline but the last. Returns the end.
 * Bytes, not a string: `wirelab -x` writes them straight to its output buffer, where a string
 * made by concatenation was a rope of a hundred pieces a packet to flatten and encode.
 */
export function writeHexDump(data: Uint8Array, out: Uint8Array, at: number): number {
  for (let offset = 0; offset < data.length; offset += 16) {
    if (offset > 0) out[at++] = NEWLINE;
    let digits = 4;
    while (digits < 8 && offset >= 2 ** (4 * digits)) digits++;
    for (let d = digits - 1; d >= 0; d--) out[at++] = hexDigit(Math.floor(offset / 2 ** (4 * d)) & 15);
    out[at++] = SPACE;
    out[at++] = SPACE;
    const end = Math.min(offset + 16, data.length);
    for (let i = offset; i < end; i++) {
      if (i > offset) out[at++] = SPACE;
      at = writeHexByte(out, at, data[i]);
    }
    // The hex column is 47 wide (16 bytes), then three spaces before the text.
    for (let k = (end - offset) * 3 - 1; k < 50; k++) out[at++] = SPACE;
    for (let i = offset; i < end; i++) {
      const b = data[i];
      out[at++] = b >= 0x20 && b < 0x7f ? b : DOT;
    }
  }
  return at;
}

/** tshark -x: offset, 16 bytes in hex, ASCII (as text; see writeHexDump). */
export function formatHexDump(data: Uint8Array): string {
  const out = scratchBytes(hexDumpBound(data.length));
  return asciiText(out.subarray(0, writeHexDump(data, out, 0)));
}

/** Every data source of a packet; with more than one, each dump is headed by its name, as tshark does. */
export function formatPacketBytes(packet: DissectedPacket): string {
  const sources: readonly DataSource[] = packet.sources;
  return sources.map((s, k) => sourceHeading(sources, k) + formatHexDump(s.data)).join('');
}

/** What goes before source `k`'s dump: nothing for a lone source, else its name (after a newline past the first). */
export function sourceHeading(sources: readonly DataSource[], k: number): string {
  if (sources.length === 1) return '';
  return `${k > 0 ? '\n' : ''}${sources[k].name}:\n`;
}
