/**
 * Per-packet TCP/HTTP facts read from the dissection tree (never by re-parsing bytes): the
 * fields the lab analysis, flow graph and report need, with Wireshark's names as the source.
 */
import type { DissectedPacket } from '../../dissect/context';
import { findFieldNodes, formatFieldValue, type ProtoNode } from '../../dissect/tree';
import type { FieldValue } from '../../dissect/fields';

/** One HTTP message the HTTP dissector finished in this frame (tshark shows http.* there). */
export interface HttpFact {
  kind: 'request' | 'response';
  method?: string;
  uri?: string;
  version?: string;
  code?: number;
  phrase?: string;
  contentType?: string;
}

export interface TcpFacts {
  frame: number;
  /** Seconds since the first packet of the capture. */
  time: number;
  ipVersion: 4 | 6 | 0;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  stream: number;
  /** Relative (tcp.seq / tcp.ack) and absolute (tcp.seq_raw / tcp.ack_raw) numbers. */
  seq: number;
  ack: number;
  seqRaw: number;
  ackRaw: number;
  nextSeq: number | null;
  len: number;
  /** The 12-bit flags field (tcp.flags). */
  flags: number;
  syn: boolean;
  ackFlag: boolean;
  fin: boolean;
  rst: boolean;
  psh: boolean;
  /** tcp.window_size_value (header) and tcp.window_size (calculated with the scale factor). */
  windowValue: number;
  window: number;
  mss: number | null;
  wscaleShift: number | null;
  wscaleMultiplier: number | null;
  sackPerm: boolean;
  tsval: number | null;
  /** tcp.analysis.* markers. */
  retransmission: boolean;
  analysisFlags: string[];
  acksFrame: number | null;
  ackRtt: number | null;
  initialRtt: number | null;
  payload: Uint8Array | null;
  http: HttpFact[];
  /** Frame length on the wire, the Info column. */
  frameLen: number;
  interfaceId: number;
  info: string;
  protocol: string;
}

export const TCP_FLAG = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;

function first(tree: readonly ProtoNode[], abbrev: string): ProtoNode | undefined {
  return findFieldNodes(tree, abbrev)[0];
}

function num(v: FieldValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function numField(tree: readonly ProtoNode[], abbrev: string): number | null {
  const node = first(tree, abbrev);
  return node ? num(node.value) : null;
}

function str(node: ProtoNode | undefined): string | undefined {
  if (!node || node.value === undefined) return undefined;
  if (typeof node.value === 'string') return node.value;
  return node.field ? formatFieldValue(node.field, node.value) : String(node.value);
}

function addressOf(tree: readonly ProtoNode[], abbrev: string): string | undefined {
  const nodes = findFieldNodes(tree, abbrev);
  const node = nodes[nodes.length - 1];
  return str(node);
}

const ANALYSIS_MARKERS = [
  'retransmission',
  'fast_retransmission',
  'spurious_retransmission',
  'out_of_order',
  'duplicate_ack',
  'lost_segment',
  'ack_lost_segment',
  'keep_alive',
  'keep_alive_ack',
  'window_update',
  'window_full',
  'zero_window',
  'zero_window_probe',
  'zero_window_probe_ack',
  'reused_ports',
];

/**
 * Every field tcpFacts reads. A tree pruned to these (DissectionEngine's keptFields) gives the
 * same facts as the whole tree, checked on every fixture in facts.test.ts. The lab worker builds
 * only these: a whole tree per packet cost it most of its time and 25 KB of heap each.
 */
export const LAB_FACT_FIELDS: readonly string[] = [
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.stream',
  'tcp.flags',
  'tcp.seq',
  'tcp.ack',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.nxtseq',
  'tcp.len',
  'tcp.window_size_value',
  'tcp.window_size',
  'tcp.options.mss_val',
  'tcp.options.wscale.shift',
  'tcp.options.wscale.multiplier',
  'tcp.options.sack_perm',
  'tcp.options.timestamp.tsval',
  'tcp.analysis.acks_frame',
  'tcp.analysis.ack_rtt',
  'tcp.analysis.initial_rtt',
  'tcp.payload',
  ...ANALYSIS_MARKERS.map((marker) => `tcp.analysis.${marker}`),
  'http',
  'http.request.method',
  'http.request.uri',
  'http.request.version',
  'http.response.code',
  'http.response.phrase',
  'http.response.version',
  'http.content_type',
];

/** HTTP messages of a frame: one per `http` protocol node. */
function httpFacts(tree: readonly ProtoNode[]): HttpFact[] {
  const out: HttpFact[] = [];
  const httpNodes = findFieldNodes(tree, 'http');
  for (const node of httpNodes) {
    const kids = node.children ?? [];
    const method = str(first(kids, 'http.request.method'));
    const codeNode = first(kids, 'http.response.code');
    if (method !== undefined) {
      out.push({
        kind: 'request',
        method,
        uri: str(first(kids, 'http.request.uri')),
        version: str(first(kids, 'http.request.version')),
        contentType: str(first(kids, 'http.content_type')),
      });
    } else if (codeNode) {
      out.push({
        kind: 'response',
        code: num(codeNode.value) ?? undefined,
        phrase: str(first(kids, 'http.response.phrase')),
        version: str(first(kids, 'http.response.version')),
        contentType: str(first(kids, 'http.content_type')),
      });
    }
  }
  return out;
}

/** The TCP facts of a packet list: every TCP packet's, in capture order, and the same by stream. */
export interface PacketListFacts {
  all: readonly TcpFacts[];
  byStream: ReadonlyMap<number, readonly TcpFacts[]>;
}

// Kept per list, by its first packet: the lab analysis, the scenario checks and the report each
// look up streams in the same list, and walking every tree once per stream made them quadratic
// (a load of 3,000 connections held the worker for minutes). A list that grew (a live capture's
// next ask, a new array of the same packets and more) continues from the facts of its prefix.
const listFacts = new WeakMap<DissectedPacket, PacketListFacts & { length: number; last: DissectedPacket }>();

/** The TCP facts of `packets` (in capture order), each packet's tree walked once however many streams are looked up. */
export function packetListFacts(packets: readonly DissectedPacket[]): PacketListFacts {
  const length = packets.length;
  if (length === 0) return { all: [], byStream: new Map() };
  const cached = listFacts.get(packets[0]);
  // The same prefix: lists in capture order that share their first packet and the one at the
  // prefix's end share every packet between (each packet is one object).
  const prefix = cached && cached.length <= length && packets[cached.length - 1] === cached.last ? cached : null;
  if (prefix && prefix.length === length) return prefix;
  // New arrays (copied on write per stream): lists already handed out do not change.
  const all: TcpFacts[] = prefix ? prefix.all.slice() : [];
  const byStream = new Map<number, readonly TcpFacts[]>(prefix?.byStream ?? []);
  const grown = new Map<number, TcpFacts[]>();
  for (let i = prefix ? prefix.length : 0; i < length; i++) {
    const f = tcpFacts(packets[i]);
    if (!f) continue;
    all.push(f);
    let stream = grown.get(f.stream);
    if (!stream) {
      stream = [...(byStream.get(f.stream) ?? [])];
      grown.set(f.stream, stream);
      byStream.set(f.stream, stream);
    }
    stream.push(f);
  }
  const facts = { all, byStream, length, last: packets[length - 1] };
  listFacts.set(packets[0], facts);
  return facts;
}

/** TCP facts of a packet, or null when it carries no TCP header (or no tree was built). */
export function tcpFacts(packet: DissectedPacket): TcpFacts | null {
  const tree = packet.tree;
  if (!tree) return null;
  const tcpNodes = findFieldNodes(tree, 'tcp');
  const tcp = tcpNodes[tcpNodes.length - 1];
  if (!tcp || !tcp.children) return null;
  const t = tcp.children;
  const srcPort = numField(t, 'tcp.srcport');
  const dstPort = numField(t, 'tcp.dstport');
  const stream = numField(t, 'tcp.stream');
  if (srcPort === null || dstPort === null || stream === null) return null;
  const flags = numField(t, 'tcp.flags') ?? 0;
  const v6src = addressOf(tree, 'ipv6.src');
  const v4src = addressOf(tree, 'ip.src');
  const protos = packet.protocols;
  const lastV6 = protos.lastIndexOf('ipv6');
  const lastV4 = protos.lastIndexOf('ip');
  const ipVersion: 4 | 6 | 0 = lastV6 > lastV4 ? 6 : lastV4 >= 0 ? 4 : lastV6 >= 0 ? 6 : 0;
  const src = (ipVersion === 6 ? v6src : v4src) ?? packet.columns.source;
  const dst = (ipVersion === 6 ? addressOf(tree, 'ipv6.dst') : addressOf(tree, 'ip.dst')) ?? packet.columns.destination;
  const markers = ANALYSIS_MARKERS.filter((m) => findFieldNodes(t, `tcp.analysis.${m}`).length > 0);
  const payloadNode = first(t, 'tcp.payload');
  const payload = payloadNode && payloadNode.value instanceof Uint8Array ? payloadNode.value : null;
  return {
    frame: packet.number,
    time: packet.timeRelative,
    ipVersion,
    src,
    dst,
    srcPort,
    dstPort,
    stream,
    seq: numField(t, 'tcp.seq') ?? 0,
    ack: numField(t, 'tcp.ack') ?? 0,
    seqRaw: numField(t, 'tcp.seq_raw') ?? numField(t, 'tcp.seq') ?? 0,
    ackRaw: numField(t, 'tcp.ack_raw') ?? numField(t, 'tcp.ack') ?? 0,
    nextSeq: numField(t, 'tcp.nxtseq'),
    len: numField(t, 'tcp.len') ?? 0,
    flags,
    syn: (flags & TCP_FLAG.SYN) !== 0,
    ackFlag: (flags & TCP_FLAG.ACK) !== 0,
    fin: (flags & TCP_FLAG.FIN) !== 0,
    rst: (flags & TCP_FLAG.RST) !== 0,
    psh: (flags & TCP_FLAG.PSH) !== 0,
    windowValue: numField(t, 'tcp.window_size_value') ?? 0,
    window: numField(t, 'tcp.window_size') ?? numField(t, 'tcp.window_size_value') ?? 0,
    mss: numField(t, 'tcp.options.mss_val'),
    wscaleShift: numField(t, 'tcp.options.wscale.shift'),
    wscaleMultiplier: numField(t, 'tcp.options.wscale.multiplier'),
    sackPerm: findFieldNodes(t, 'tcp.options.sack_perm').length > 0,
    tsval: numField(t, 'tcp.options.timestamp.tsval'),
    retransmission: markers.some((m) => m.endsWith('retransmission') || m === 'out_of_order'),
    analysisFlags: markers,
    acksFrame: numField(t, 'tcp.analysis.acks_frame'),
    ackRtt: numField(t, 'tcp.analysis.ack_rtt'),
    initialRtt: numField(t, 'tcp.analysis.initial_rtt'),
    payload,
    http: httpFacts(tree),
    frameLen: packet.record.originalLength,
    interfaceId: packet.record.interfaceId,
    info: packet.columns.info,
    protocol: packet.columns.protocol,
  };
}

/** "SYN", "SYN, ACK", "FIN, PSH, ACK": Wireshark's flag list order (as in the Info column). */
export function flagNames(flags: number): string {
  const names: [number, string][] = [
    [0x01, 'FIN'],
    [0x02, 'SYN'],
    [0x04, 'RST'],
    [0x08, 'PSH'],
    [0x10, 'ACK'],
    [0x20, 'URG'],
    [0x40, 'ECE'],
    [0x80, 'CWR'],
    [0x100, 'AE'],
    [0x800, 'Reserved'],
  ];
  const out = names.filter(([bit]) => (flags & bit) !== 0).map(([, n]) => n);
  return out.length ? out.join(', ') : '<None>';
}

/** Short one-line summary of an HTTP message ("GET /logo.jpg HTTP/1.1", "HTTP/1.1 200 OK"). */
export function httpSummary(h: HttpFact): string {
  if (h.kind === 'request') return `${h.method ?? ''} ${h.uri ?? ''} ${h.version ?? 'HTTP/1.1'}`.trim();
  return `${h.version ?? 'HTTP/1.1'} ${h.code ?? ''} ${h.phrase ?? ''}`.trim();
}
