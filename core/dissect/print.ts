/**
 * Plain-text renderings shared by the CLI (-V, -x) and "Export Packet Dissections → As Plain
 * Text": the detail tree indented by 4 spaces per level, and tshark's hex/ASCII dump.
 */
import type { DissectedPacket, DataSource } from './context';
import { nodeLabel, type ProtoNode } from './tree';
import { hex2 } from './format';

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

/** tshark -x: offset, 16 bytes in hex, ASCII. */
export function formatHexDump(data: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < data.length; offset += 16) {
    const end = Math.min(offset + 16, data.length);
    let hexPart = hex2(data[offset]);
    let ascii = PRINTABLE[data[offset]];
    for (let i = offset + 1; i < end; i++) {
      hexPart += ' ' + hex2(data[i]);
      ascii += PRINTABLE[data[i]];
    }
    lines.push(`${offset.toString(16).padStart(4, '0')}  ${hexPart.padEnd(47, ' ')}   ${ascii}`);
  }
  return lines.join('\n');
}

/** Each byte as the dump's text column shows it: printable ASCII as itself, others as ".". */
const PRINTABLE: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.',
);

/** Every data source of a packet; with more than one, each dump is headed by its name, as tshark does. */
export function formatPacketBytes(packet: DissectedPacket): string {
  const sources: readonly DataSource[] = packet.sources;
  if (sources.length === 1) return formatHexDump(sources[0].data);
  return sources.map((s) => `${s.name}:\n${formatHexDump(s.data)}`).join('\n');
}
