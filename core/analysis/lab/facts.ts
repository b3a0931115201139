/**
 * Per-packet TCP/HTTP facts read from the dissection tree (never by re-parsing bytes): the
 * fields the lab analysis, flow graph and report need, with Wireshark's names as the source.
 */
import type { DissectedPacket } from '../../dissect/context';
import { formatFieldValue, walkTree, type ProtoNode } from '../../dissect/tree';
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

/**
 * The first node of each field under `nodes`, in the tree's order (what findFieldNodes(nodes,
 * abbrev)[0] finds), from one walk: a walk per field read was most of the lab facts' time.
 */
function firstNodes(nodes: readonly ProtoNode[]): Map<string, ProtoNode> {
  const found = new Map<string, ProtoNode>();
  walkTree(nodes, (node) => {
    const abbrev = node.field?.abbrev;
    if (abbrev !== undefined && !found.has(abbrev)) found.set(abbrev, node);
  });
  return found;
}

/** What tcpFacts reads outside TCP's item: the last of each (the innermost layer), and every HTTP message. */
interface Layers {
  tcp?: ProtoNode;
  ipSrc?: ProtoNode;
  ipDst?: ProtoNode;
  ipv6Src?: ProtoNode;
  ipv6Dst?: ProtoNode;
  http: ProtoNode[];
}

function layersOf(tree: readonly ProtoNode[]): Layers {
  const layers: Layers = { http: [] };
  walkTree(tree, (node) => {
    switch (node.field?.abbrev) {
      case 'tcp':
        layers.tcp = node;
        break;
      case 'ip.src':
        layers.ipSrc = node;
        break;
      case 'ip.dst':
        layers.ipDst = node;
        break;
      case 'ipv6.src':
        layers.ipv6Src = node;
        break;
      case 'ipv6.dst':
        layers.ipv6Dst = node;
        break;
      case 'http':
        layers.http.push(node);
        break;
    }
  });
  return layers;
}

function num(v: FieldValue | undefined): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

function str(node: ProtoNode | undefined): string | undefined {
  if (!node || node.value === undefined) return undefined;
  if (typeof node.value === 'string') return node.value;
  return node.field ? formatFieldValue(node.field, node.value) : String(node.value);
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
const MARKER_FIELDS = ANALYSIS_MARKERS.map((marker) => [marker, `tcp.analysis.${marker}`] as const);

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
function httpFacts(httpNodes: readonly ProtoNode[]): HttpFact[] {
  const out: HttpFact[] = [];
  for (const node of httpNodes) {
    const kids = firstNodes(node.children ?? []);
    const method = str(kids.get('http.request.method'));
    const codeNode = kids.get('http.response.code');
    if (method !== undefined) {
      out.push({
        kind: 'request',
        method,
        uri: str(kids.get('http.request.uri')),
        version: str(kids.get('http.request.version')),
        contentType: str(kids.get('http.content_type')),
      });
    } else if (codeNode) {
      out.push({
        kind: 'response',
        code: num(codeNode.value) ?? undefined,
        phrase: str(kids.get('http.response.phrase')),
        version: str(kids.get('http.response.version')),
        contentType: str(kids.get('http.content_type')),
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
  const layers = layersOf(tree);
  const tcp = layers.tcp;
  if (!tcp || !tcp.children) return null;
  const t = firstNodes(tcp.children);
  const numField = (abbrev: string): number | null => {
    const node = t.get(abbrev);
    return node ? num(node.value) : null;
  };
  const srcPort = numField('tcp.srcport');
  const dstPort = numField('tcp.dstport');
  const stream = numField('tcp.stream');
  if (srcPort === null || dstPort === null || stream === null) return null;
  const flags = numField('tcp.flags') ?? 0;
  const protos = packet.protocols;
  const lastV6 = protos.lastIndexOf('ipv6');
  const lastV4 = protos.lastIndexOf('ip');
  const ipVersion: 4 | 6 | 0 = lastV6 > lastV4 ? 6 : lastV4 >= 0 ? 4 : lastV6 >= 0 ? 6 : 0;
  const src = str(ipVersion === 6 ? layers.ipv6Src : layers.ipSrc) ?? packet.columns.source;
  const dst = str(ipVersion === 6 ? layers.ipv6Dst : layers.ipDst) ?? packet.columns.destination;
  const markers = MARKER_FIELDS.filter(([, abbrev]) => t.has(abbrev)).map(([marker]) => marker);
  const payloadNode = t.get('tcp.payload');
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
    seq: numField('tcp.seq') ?? 0,
    ack: numField('tcp.ack') ?? 0,
    seqRaw: numField('tcp.seq_raw') ?? numField('tcp.seq') ?? 0,
    ackRaw: numField('tcp.ack_raw') ?? numField('tcp.ack') ?? 0,
    nextSeq: numField('tcp.nxtseq'),
    len: numField('tcp.len') ?? 0,
    flags,
    syn: (flags & TCP_FLAG.SYN) !== 0,
    ackFlag: (flags & TCP_FLAG.ACK) !== 0,
    fin: (flags & TCP_FLAG.FIN) !== 0,
    rst: (flags & TCP_FLAG.RST) !== 0,
    psh: (flags & TCP_FLAG.PSH) !== 0,
    windowValue: numField('tcp.window_size_value') ?? 0,
    window: numField('tcp.window_size') ?? numField('tcp.window_size_value') ?? 0,
    mss: numField('tcp.options.mss_val'),
    wscaleShift: numField('tcp.options.wscale.shift'),
    wscaleMultiplier: numField('tcp.options.wscale.multiplier'),
    sackPerm: t.has('tcp.options.sack_perm'),
    tsval: numField('tcp.options.timestamp.tsval'),
    retransmission: markers.some((m) => m.endsWith('retransmission') || m === 'out_of_order'),
    analysisFlags: markers,
    acksFrame: numField('tcp.analysis.acks_frame'),
    ackRtt: numField('tcp.analysis.ack_rtt'),
    initialRtt: numField('tcp.analysis.initial_rtt'),
    payload,
    http: httpFacts(layers.http),
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
