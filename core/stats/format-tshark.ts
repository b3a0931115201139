/**
 * The statistics as tshark 4.0 prints them (ui/cli/tap-iousers.c, tap-endpoints.c,
 * tap-protohierstat.c, tap-expert.c, tap-follow.c), so scripts can compare with tshark directly.
 * Plain text out; the numbers come from the tables of this folder.
 */
import { EXPERT_GROUPS } from '../dissect/expert';
import {
  CONVERSATION_TYPE_NAMES,
  type ConversationRow,
  type ConversationType,
  type EndpointRow,
} from './conversations';
import type { ExpertSummaryRow } from './expert-summary';
import type { FollowResult } from './follow-stream';
import type { ProtocolHierarchyNode } from './protocol-hierarchy';

const RULE80 = '='.repeat(80);
const RULE67 = '='.repeat(67);

const padEnd = (s: string, n: number) => s.padEnd(n, ' ');
const padStart = (s: string | number, n: number) => String(s).padStart(n, ' ');

/** wsutil's format_size(n, FORMAT_SIZE_UNIT_BYTES, 0): "2449 bytes", "15 kB", "19 MB". */
export function formatSize(n: number): string {
  const units = ['k', 'M', 'G', 'T', 'P', 'E'];
  for (let i = units.length; i >= 1; i--) {
    const power = 1000 ** i;
    if (n / power >= 10) return `${Math.floor(n / power)} ${units[i - 1]}B`;
  }
  return `${n} bytes`;
}

function hasPorts(type: ConversationType): boolean {
  return type === 'tcp' || type === 'udp';
}

function end(address: string, port: number | null): string {
  return port === null ? address : `${address}:${port}`;
}

/** `-z conv,TYPE[,FILTER]`. */
export function formatConversations(
  type: ConversationType,
  rows: readonly ConversationRow[],
  filter: string | null,
): string {
  const ports = hasPorts(type);
  const indent = ports ? ' '.repeat(12) : '';
  const lines = [
    RULE80,
    `${CONVERSATION_TYPE_NAMES[type]} Conversations`,
    `Filter:${filter ?? '<No Filter>'}`,
    `${indent}                                               |       <-      | |       ->      | |     Total     |    Relative    |   Duration   |`,
    `${indent}                                               | Frames  Bytes | | Frames  Bytes | | Frames  Bytes |      Start     |              |`,
  ];
  const width = ports ? 26 : 20;
  for (const r of rows) {
    lines.push(
      `${padEnd(end(r.addressA, r.portA), width)} <-> ${padEnd(end(r.addressB, r.portB), width)}` +
        `  ${padStart(r.framesBtoA, 6)} ${padEnd(formatSize(r.bytesBtoA), 9)}` +
        `  ${padStart(r.framesAtoB, 6)} ${padEnd(formatSize(r.bytesAtoB), 9)}` +
        `  ${padStart(r.framesAtoB + r.framesBtoA, 6)} ${padEnd(formatSize(r.bytesAtoB + r.bytesBtoA), 9)}  ` +
        `${padStart(r.relStart.toFixed(9), 14)}   ${padStart(r.duration.toFixed(4), 12)}`,
    );
  }
  lines.push(RULE80);
  return lines.join('\n') + '\n';
}

/** `-z endpoints,TYPE[,FILTER]`. */
export function formatEndpoints(type: ConversationType, rows: readonly EndpointRow[], filter: string | null): string {
  const ports = hasPorts(type);
  const lines = [
    RULE80,
    `${CONVERSATION_TYPE_NAMES[type]} Endpoints`,
    `Filter:${filter ?? '<No Filter>'}`,
    `                       |  ${ports ? 'Port  ||  ' : ''}Packets  | |  Bytes  | | Tx Packets | | Tx Bytes | | Rx Packets | | Rx Bytes |`,
  ];
  for (const r of rows) {
    lines.push(
      padEnd(r.address, 20) +
        (ports ? `      ${padStart(r.port ?? 0, 5)}     ` : '      ') +
        `${padStart(r.txFrames + r.rxFrames, 6)}     ${padStart(r.txBytes + r.rxBytes, 9)}` +
        `     ${padStart(r.txFrames, 6)}       ${padStart(r.txBytes, 9)}` +
        `      ${padStart(r.rxFrames, 6)}       ${padStart(r.rxBytes, 9)}   `,
    );
  }
  lines.push(RULE80);
  return lines.join('\n') + '\n';
}

/** `-z io,phs[,FILTER]`. */
export function formatProtocolHierarchy(roots: readonly ProtocolHierarchyNode[], filter: string | null): string {
  const lines = ['', RULE67, 'Protocol Hierarchy Statistics', `Filter: ${filter ?? ''}`, ''];
  const draw = (nodes: readonly ProtocolHierarchyNode[], depth: number): void => {
    for (const n of nodes) {
      let indent = '';
      for (let i = 0; i < depth; i++) {
        if (i > 15) {
          indent += '...';
          break;
        }
        indent += '  ';
      }
      // tap-protohierstat.c formats the name into an 80-byte buffer.
      const name = (indent + n.protocol).slice(0, 79);
      lines.push(`${padEnd(name, 40)} frames:${n.frames} bytes:${n.bytes}`);
      draw(n.children, depth + 1);
    }
  };
  draw(roots, 0);
  lines.push(RULE67);
  return lines.join('\n') + '\n';
}

const SEVERITY_TITLES = {
  error: 'Errors',
  warning: 'Warns',
  note: 'Notes',
  chat: 'Chats',
  comment: 'Comments',
} as const;

/** `-z expert`. */
export function formatExpertSummary(rows: readonly ExpertSummaryRow[]): string {
  const lines: string[] = [];
  for (const severity of ['error', 'warning', 'note', 'chat', 'comment'] as const) {
    const items = rows.filter((r) => r.severity === severity);
    if (items.length === 0) continue;
    const total = items.reduce((sum, r) => sum + r.count, 0);
    lines.push(
      '',
      `${SEVERITY_TITLES[severity]} (${total})`,
      '=============',
      '   Frequency      Group           Protocol  Summary',
    );
    for (const r of items) {
      lines.push(
        `${padStart(r.count, 12)} ${padStart(EXPERT_GROUPS[r.group].name, 10)} ${padStart(r.protocol, 18)}  ${r.summary}`,
      );
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}

export type FollowMode = 'ascii' | 'hex' | 'raw';

const HEX = '0123456789abcdef';

function isPrint(b: number): boolean {
  return b >= 0x20 && b < 0x7f;
}

/** tap-follow.c's follow_print_hex: offset, 16 bytes in two groups of 8, their ASCII. */
function hexLines(prefix: string, offset: number, data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i += 16) {
    const row = data.subarray(i, i + 16);
    let hex = '';
    let ascii = '';
    for (let j = 0; j < row.length; j++) {
      hex += HEX[row[j] >> 4] + HEX[row[j] & 15] + ' ';
      ascii += isPrint(row[j]) ? String.fromCharCode(row[j]) : '.';
      if (j === 7) {
        hex += ' ';
        ascii += ' ';
      }
    }
    const line =
      (offset + i).toString(16).toUpperCase().padStart(8, '0') +
      '  ' +
      hex.padEnd(16 * 3 + 1, ' ') +
      ' ' +
      ascii.replace(/ $/, '');
    out += prefix + line + '\n';
  }
  return out;
}

/** `-z follow,tcp,MODE,N`. */
export function formatFollow(result: FollowResult, mode: FollowMode): string {
  const rule = RULE67 + '\n';
  const node = (e: FollowResult['client'], ipv6: boolean) =>
    e === null ? ':0' : ipv6 ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
  const ipv6 = result.client?.ipv6 ?? false;
  let out = `\n${rule}Follow: tcp,${mode}\nFilter: tcp.stream eq ${result.stream}\n`;
  out += `Node 0: ${node(result.client, ipv6)}\nNode 1: ${node(result.server, ipv6)}\n`;
  const pos = [0, 0];
  for (const chunk of result.chunks) {
    const side = chunk.fromServer ? 1 : 0;
    const tab = chunk.fromServer ? '\t' : '';
    const d = chunk.data;
    if (mode === 'hex') {
      out += hexLines(tab, pos[side], d);
    } else if (mode === 'ascii') {
      let text = '';
      for (const b of d) text += b === 0x0d || b === 0x0a || isPrint(b) ? String.fromCharCode(b) : '.';
      out += `${tab}${d.length}\n${text}\n`;
    } else {
      let text = '';
      for (const b of d) text += HEX[b >> 4] + HEX[b & 15];
      out += `${tab}${text}\n`;
    }
    pos[side] += d.length;
  }
  return out + rule;
}
