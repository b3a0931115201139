/**
 * Flow graph data (Wireshark's Statistics → Flow Graph, "TCP Flows"): one column per endpoint,
 * one arrow per packet in capture order, labelled with the TCP flags and length or the HTTP
 * summary, with "Seq = … Ack = …" as the comment — and a standalone SVG rendering of it.
 */
import type { DissectedPacket } from '../../dissect/context';
import { flagNames, httpSummary, packetListFacts } from './facts';
import type { LabAnalysis } from './types';

export interface FlowNode {
  address: string;
  port: number;
  role: 'client' | 'server' | 'endpoint';
}

export type FlowArrowKind = 'syn' | 'fin' | 'rst' | 'http' | 'data' | 'ack';

export interface FlowArrow {
  frame: number;
  /** Seconds since the first packet of the capture. */
  time: number;
  stream: number;
  /** Indexes into FlowGraph.nodes. */
  from: number;
  to: number;
  /** "GET /logo.jpg HTTP/1.1", "SYN", "PSH, ACK - Len: 644". */
  label: string;
  /** "Seq = 0 Ack = 1". */
  comment: string;
  flags: string;
  seq: number;
  ack: number;
  len: number;
  kind: FlowArrowKind;
  /** A second copy of a packet captured on two interfaces, or a retransmission. */
  duplicate: boolean;
}

export interface FlowGraph {
  nodes: FlowNode[];
  arrows: FlowArrow[];
}

export interface FlowGraphOptions {
  /** Only these TCP streams (default: the analysis' lab connections, else every TCP stream). */
  streams?: readonly number[];
  /** Supplies the server side and HTTP summaries when the tree has no HTTP layer. */
  analysis?: LabAnalysis;
}

/** Flow graph of the TCP packets of a capture, in capture order. */
export function buildFlowGraph(packets: readonly DissectedPacket[], options: FlowGraphOptions = {}): FlowGraph {
  const analysis = options.analysis;
  const streams = options.streams ?? analysis?.connections.map((c) => c.stream);
  const wanted = streams ? new Set(streams) : null;
  const facts = packetListFacts(packets).all.filter((f) => !wanted || wanted.has(f.stream));
  const serverKeys = new Set<string>();
  const clientKeys = new Set<string>();
  const dupFrames = new Set<number>();
  const httpByFrame = new Map<number, string[]>();
  if (analysis) {
    for (const c of analysis.connections) {
      serverKeys.add(`${c.server.address}|${c.server.port}`);
      clientKeys.add(`${c.client.address}|${c.client.port}`);
      for (const d of c.duplicateFrames) dupFrames.add(d);
      for (const t of c.transactions) {
        const rq = `${t.request.method} ${t.request.uri} ${t.request.version}`;
        httpByFrame.set(t.request.frame, [...(httpByFrame.get(t.request.frame) ?? []), rq]);
        if (t.response) {
          const r = t.response;
          const ct = r.contentType ? `  (${r.contentType.split(';')[0]})` : '';
          httpByFrame.set(r.frame, [...(httpByFrame.get(r.frame) ?? []), `${r.version} ${r.code} ${r.phrase}${ct}`]);
        }
      }
    }
  } else {
    for (const f of facts) if (f.syn && !f.ackFlag) serverKeys.add(`${f.dst}|${f.dstPort}`);
  }
  // Columns: clients in order of appearance, then servers.
  // A Set, not order.includes: a load of hundreds of connections has as many client ports, and the
  // scan per packet made the graph of 20,000 packets half a second of the lab worker's time.
  const seen = new Set<string>();
  for (const f of facts) {
    seen.add(`${f.src}|${f.srcPort}`);
    seen.add(`${f.dst}|${f.dstPort}`);
  }
  const order = [...seen];
  const keys = [...order.filter((k) => !serverKeys.has(k)), ...order.filter((k) => serverKeys.has(k))];
  const nodes: FlowNode[] = keys.map((k) => {
    const bar = k.lastIndexOf('|');
    return {
      address: k.slice(0, bar),
      port: Number(k.slice(bar + 1)),
      role: serverKeys.has(k) ? 'server' : clientKeys.has(k) || serverKeys.size > 0 ? 'client' : 'endpoint',
    };
  });
  const index = new Map(keys.map((k, i) => [k, i]));
  const arrows: FlowArrow[] = facts.map((f) => {
    const flags = flagNames(f.flags);
    const http = f.http.length ? f.http.map(httpSummary) : httpByFrame.get(f.frame);
    const kind: FlowArrowKind = f.rst
      ? 'rst'
      : f.syn
        ? 'syn'
        : f.fin
          ? 'fin'
          : http && http.length
            ? 'http'
            : f.len > 0
              ? 'data'
              : 'ack';
    const label =
      http && http.length && !f.syn && !f.fin && !f.rst
        ? http.join(' ')
        : f.len > 0
          ? `${flags} - Len: ${f.len}`
          : flags;
    return {
      frame: f.frame,
      time: f.time,
      stream: f.stream,
      from: index.get(`${f.src}|${f.srcPort}`) ?? 0,
      to: index.get(`${f.dst}|${f.dstPort}`) ?? 0,
      label,
      comment: f.ackFlag ? `Seq = ${f.seq} Ack = ${f.ack}` : `Seq = ${f.seq}`,
      flags,
      seq: f.seq,
      ack: f.ack,
      len: f.len,
      kind,
      duplicate: dupFrames.has(f.frame) || f.retransmission,
    };
  });
  return { nodes, arrows };
}

export interface FlowGraphSvgOptions {
  lang: 'zh-CN' | 'en';
  theme?: 'light' | 'dark';
  title?: string;
}

/** XML text/attribute escaping. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;',
  );
}

/** Fonts that render CJK on Windows, macOS and Linux, with generic fallbacks. */
export const SVG_FONT_FAMILY =
  "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei','WenQuanYi Micro Hei','Segoe UI',Arial,sans-serif";
export const SVG_MONO_FAMILY = "'Noto Sans Mono CJK SC','Cascadia Mono',Consolas,Menlo,'DejaVu Sans Mono',monospace";

const THEMES = {
  light: {
    bg: '#ffffff',
    fg: '#1f2328',
    muted: '#656d76',
    lifeline: '#b6bcc4',
    syn: '#6e7781',
    fin: '#6e7781',
    rst: '#cf222e',
    http: '#1a7f37',
    data: '#0969da',
    ack: '#57606a',
    band: '#f6f8fa',
    dup: '#bf8700',
  },
  dark: {
    bg: '#0d1117',
    fg: '#e6edf3',
    muted: '#8d96a0',
    lifeline: '#3d444d',
    syn: '#9198a1',
    fin: '#9198a1',
    rst: '#ff7b72',
    http: '#3fb950',
    data: '#58a6ff',
    ack: '#9198a1',
    band: '#161b22',
    dup: '#d29922',
  },
} as const;

/** A standalone SVG document of the flow graph (pure string building). */
export function flowGraphSvg(graph: FlowGraph, options: FlowGraphSvgOptions): string {
  const zh = options.lang === 'zh-CN';
  const th = THEMES[options.theme ?? 'light'];
  const left = 150;
  const spacing = 230;
  const commentWidth = 230;
  const top = options.title === '' ? 20 : 56;
  const headerH = 44;
  const rowH = 30;
  const n = Math.max(graph.nodes.length, 1);
  const width = left + spacing * Math.max(n - 1, 1) + 40 + commentWidth;
  const height = top + headerH + rowH * graph.arrows.length + 24;
  const x = (i: number) => left + 20 + spacing * i;
  const title = options.title ?? (zh ? '流量图（TCP 流）' : 'Flow Graph (TCP flows)');
  const roleName = (r: FlowNode['role']) =>
    r === 'server'
      ? zh
        ? '服务器'
        : 'Server'
      : r === 'client'
        ? zh
          ? '浏览器'
          : 'Browser'
        : zh
          ? '端点'
          : 'Endpoint';
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(SVG_FONT_FAMILY)}" font-size="12" role="img" aria-label="${escapeXml(title)}">`,
  );
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="${th.bg}"/>`);
  if (options.title !== '')
    out.push(`<text x="16" y="30" font-size="16" font-weight="bold" fill="${th.fg}">${escapeXml(title)}</text>`);
  const hy = top;
  out.push(`<text x="16" y="${hy + 16}" fill="${th.muted}">${escapeXml(zh ? '时间 / 帧' : 'Time / Frame')}</text>`);
  out.push(
    `<text x="${width - commentWidth + 10}" y="${hy + 16}" fill="${th.muted}">${escapeXml(zh ? '注释' : 'Comment')}</text>`,
  );
  graph.nodes.forEach((node, i) => {
    const cx = x(i);
    const addr = node.address.includes(':') ? `[${node.address}]:${node.port}` : `${node.address}:${node.port}`;
    out.push(
      `<text x="${cx}" y="${hy + 14}" text-anchor="middle" font-weight="bold" fill="${th.fg}">${escapeXml(roleName(node.role))}</text>`,
    );
    out.push(
      `<text x="${cx}" y="${hy + 32}" text-anchor="middle" font-family="${escapeXml(SVG_MONO_FAMILY)}" font-size="11" fill="${th.fg}">${escapeXml(addr)}</text>`,
    );
    out.push(
      `<line x1="${cx}" y1="${hy + headerH}" x2="${cx}" y2="${height - 10}" stroke="${th.lifeline}" stroke-dasharray="4 3"/>`,
    );
  });
  graph.arrows.forEach((a, row) => {
    const y = top + headerH + rowH * row + rowH / 2 + 6;
    if (row % 2 === 1)
      out.push(
        `<rect x="0" y="${y - rowH / 2 - 4}" width="${width}" height="${rowH}" fill="${th.band}" opacity="0.6"/>`,
      );
    const color = a.duplicate ? th.dup : th[a.kind];
    out.push(
      `<text x="16" y="${y + 4}" font-family="${escapeXml(SVG_MONO_FAMILY)}" font-size="11" fill="${th.muted}">${a.time.toFixed(6)}  #${a.frame}</text>`,
    );
    const x1 = x(a.from);
    const x2 = x(a.to);
    const dirSign = x2 >= x1 ? 1 : -1;
    const tip = x2 - dirSign * 2;
    out.push(
      `<g class="arrow" data-frame="${a.frame}"><line x1="${x1}" y1="${y}" x2="${tip - dirSign * 8}" y2="${y}" stroke="${color}" stroke-width="1.6"${a.duplicate ? ' stroke-dasharray="5 3"' : ''}/>` +
        `<path d="M${tip} ${y} L${tip - dirSign * 10} ${y - 5} L${tip - dirSign * 10} ${y + 5} Z" fill="${color}"/>` +
        `<text x="${(x1 + x2) / 2}" y="${y - 5}" text-anchor="middle" font-size="11" fill="${th.fg}">${escapeXml(truncate(a.label, 44))}</text></g>`,
    );
    out.push(
      `<text x="${width - commentWidth + 10}" y="${y + 4}" font-family="${escapeXml(SVG_MONO_FAMILY)}" font-size="11" fill="${th.muted}">${escapeXml(a.comment)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function truncate(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
