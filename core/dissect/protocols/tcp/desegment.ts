/**
 * TCP payload: the application protocol consumer chosen for a stream (port, then heuristic),
 * desegmentation of PDUs that span segments (Wireshark's tcp_multisegment_pdu, the
 * "Reassembled TCP" data source), and payload nobody claims ("Data").
 */
import {
  DESEGMENT_UNTIL_FIN,
  tcpPayloadConsumers,
  type PacketContext,
  type TcpPayloadConsumer,
  type TcpPayloadInfo,
  type DesegmentRequest,
} from '../../context';
import type { ProtoNode } from '../../tree';
import { byteCount, formatBytesHex } from '../../format';
import { dataFields as d } from '../common';
import { tcpFields as f, tcpExpert as ei } from './fields';
import { TH, TcpConversation, TcpFlow, u32, GT_SEQ, LT_SEQ } from './analysis';

/** The parsed header of the segment being dissected. */
export interface Header {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  relSeq: number;
  relAck: number;
  flags: number;
  hlen: number;
  rawWindow: number;
  window: number;
  seglen: number;
  haveSeglen: boolean;
}

interface SegmentPart {
  frame: number;
  data: Uint8Array;
}

/** A PDU being reassembled in one direction (Wireshark's tcp_multisegment_pdu). */
interface Msp {
  /** Absolute sequence number of the PDU's first byte. */
  seq: number;
  /** Absolute sequence number just past the PDU (when known). */
  nxtpdu: number;
  /** The consumer asked for "one more segment" (length unknown). */
  oneMore: boolean;
  /** The consumer asked for everything up to the sender's FIN (DESEGMENT_UNTIL_FIN: a body without length). */
  untilFin?: boolean;
  parts: SegmentPart[];
  length: number;
}

interface FlowPayloadState {
  msp: Msp | null;
}

export function flowPayload(flow: TcpFlow): FlowPayloadState {
  let st = flow.payload as FlowPayloadState | undefined;
  if (!st) {
    st = { msp: null };
    flow.payload = st;
  }
  return st;
}

const SEGMENT_OF_PDU = ' [TCP segment of a reassembled PDU]';
export function addResetCause(
  ctx: PacketContext,
  t: ProtoNode[] | null,
  buf: Uint8Array,
  pOff: number,
  capEnd: number,
): void {
  if (!t) return;
  let text = '';
  let i = pOff;
  for (; i < capEnd && buf[i] !== 0; i++) text += buf[i] < 0x80 ? String.fromCharCode(buf[i]) : '\ufffd';
  const n = ctx.add(t, f.resetCause, pOff, capEnd - pOff, text, `Reset cause: ${text}`);
  if (i < capEnd - 1) ctx.expert(ctx.children(n), ei.rstTrailing);
}

/** Unclaimed payload, as Wireshark's "data" dissector shows it. */
export function addData(
  ctx: PacketContext,
  tree: ProtoNode[] | null,
  buf: Uint8Array,
  pOff: number,
  pEnd: number,
): void {
  ctx.enterProtocol('data');
  if (!tree) return;
  const n = pEnd - pOff;
  const node = ctx.add(tree, d.proto, pOff, n, undefined, `Data (${byteCount(n)})`);
  const c = ctx.children(node);
  const bytes = buf.subarray(pOff, pEnd);
  ctx.add(
    c,
    d.data,
    pOff,
    n,
    bytes,
    `Data: ${formatBytesHex(bytes.subarray(0, Math.min(bytes.length, 36)))}${bytes.length > 36 ? '\u2026' : ''}`,
  );
  ctx.addGenerated(c, d.len, n, `Length: ${n}`);
}

function chooseConsumer(
  conv: TcpConversation,
  buf: Uint8Array,
  pOff: number,
  pEnd: number,
  info: TcpPayloadInfo,
): TcpPayloadConsumer | null {
  if (conv.consumer) return conv.consumer as TcpPayloadConsumer;
  if (tcpPayloadConsumers.length === 0) return null;
  const low = Math.min(info.srcPort, info.dstPort);
  const high = Math.max(info.srcPort, info.dstPort);
  for (const port of [low, high]) {
    for (const c of tcpPayloadConsumers) {
      if (c.ports.includes(port)) {
        conv.consumer = c;
        return c;
      }
    }
  }
  for (const c of tcpPayloadConsumers) {
    let ok: boolean;
    try {
      ok = c.heuristic(buf, pOff, pEnd, info);
    } catch {
      ok = false;
    }
    if (ok) {
      conv.consumer = c;
      return c;
    }
  }
  return null;
}

interface CallResult {
  request: DesegmentRequest | null;
  /** The consumer consumed nothing and asked for more: its output was rolled back. */
  rolledBack: boolean;
}

/**
 * Calls the consumer on buf[off, end). If it consumed nothing and asked for more, everything
 * it added (protocols, nodes, sources, expert info) is rolled back, as Wireshark shows such a
 * segment as plain TCP.
 */
function callConsumer(
  ctx: PacketContext,
  consumer: TcpPayloadConsumer,
  buf: Uint8Array,
  off: number,
  end: number,
  tree: ProtoNode[] | null,
  info: TcpPayloadInfo,
  prefix: string,
): CallResult {
  const packet = ctx.packet;
  const protoLen = packet.protocols.length;
  const treeLen = tree ? tree.length : 0;
  const srcLen = packet.sources.length;
  const expertLen = packet.expert.length;
  const malformed = packet.malformed;
  let request: DesegmentRequest | null;
  try {
    request = consumer.dissect(ctx, buf, off, end, tree, info) ?? null;
  } catch (error) {
    ctx.markMalformed(tree, consumer.name.toUpperCase(), error);
    request = null;
  }
  if (request && request.offset <= off) {
    packet.protocols.length = protoLen;
    if (tree) tree.length = treeLen;
    packet.sources.length = srcLen;
    packet.expert.length = expertLen;
    packet.malformed = malformed;
    packet.columns.protocol = 'TCP';
    applyPrefix(ctx, prefix);
    return { request: { offset: off, needMore: request.needMore }, rolledBack: true };
  }
  applyPrefix(ctx, prefix);
  return { request, rolledBack: false };
}

/** Keeps the TCP analysis markers in front of whatever the consumer wrote (Wireshark's column fence). */
function applyPrefix(ctx: PacketContext, prefix: string): void {
  if (prefix && !ctx.columns.info.startsWith(prefix)) ctx.setInfo(prefix + ctx.columns.info);
}

export function handlePayload(
  ctx: PacketContext,
  tree: ProtoNode[] | null,
  t: ProtoNode[] | null,
  conv: TcpConversation,
  fwd: TcpFlow,
  hdr: Header,
  buf: Uint8Array,
  pOff: number,
  pEnd: number,
  info: TcpPayloadInfo,
  canDesegment: boolean,
  prefix: string,
): void {
  const ps = flowPayload(fwd);
  const seq = hdr.seq;
  const nxtseq = u32(seq + (pEnd - pOff));
  const msp = ps.msp;
  const consumer = msp ? (conv.consumer as TcpPayloadConsumer) : chooseConsumer(conv, buf, pOff, pEnd, info);
  if (!consumer) {
    addData(ctx, tree, buf, pOff, pEnd);
    return;
  }

  if (msp && canDesegment && !LT_SEQ(seq, msp.seq) && LT_SEQ(seq, u32(msp.seq + msp.length + 1))) {
    // Part of a PDU being reassembled.
    const have = u32(msp.seq + msp.length);
    const skip = GT_SEQ(have, seq) ? u32(have - seq) : 0;
    const segLen = pEnd - pOff;
    if (skip >= segLen) {
      if (t)
        ctx.add(
          t,
          f.segmentData,
          pOff,
          segLen,
          buf.subarray(pOff, pEnd),
          `Retransmitted TCP segment data (${byteCount(segLen)})`,
        );
      return;
    }
    const atFin = (hdr.flags & TH.FIN) !== 0;
    const complete = msp.untilFin ? atFin : msp.oneMore || !LT_SEQ(nxtseq, msp.nxtpdu);
    const useLen = msp.oneMore ? segLen - skip : Math.min(segLen - skip, u32(msp.nxtpdu - have));
    msp.parts.push({ frame: ctx.packet.number, data: buf.subarray(pOff + skip, pOff + skip + useLen) });
    msp.length += useLen;
    if (t)
      ctx.add(
        t,
        f.segmentData,
        pOff + skip,
        useLen,
        buf.subarray(pOff + skip, pOff + skip + useLen),
        `TCP segment data (${byteCount(useLen)})`,
      );
    if (!complete) {
      ctx.appendInfo(SEGMENT_OF_PDU);
      return;
    }
    const finInfo = msp.untilFin ? { ...info, fin: true } : info;
    completeReassembly(ctx, tree, conv, fwd, consumer, msp, buf, pOff + skip + useLen, pEnd, nxtseq, finInfo, prefix);
    return;
  }

  // Not in a PDU being reassembled: hand the segment over as it is.
  ps.msp = null;
  const r = callConsumer(ctx, consumer, buf, pOff, pEnd, tree, info, prefix);
  if (!r.request || !canDesegment) return;
  startMsp(ctx, t, ps, buf, r.request, pOff, pEnd, seq, nxtseq, r.rolledBack);
}

function startMsp(
  ctx: PacketContext,
  t: ProtoNode[] | null,
  ps: FlowPayloadState,
  buf: Uint8Array,
  request: DesegmentRequest,
  pOff: number,
  pEnd: number,
  seq: number,
  nxtseq: number,
  rolledBack: boolean,
): void {
  const dOff = Math.max(pOff, Math.min(request.offset, pEnd));
  const oneMore = request.needMore < 0;
  ps.msp = {
    seq: u32(seq + (dOff - pOff)),
    nxtpdu: oneMore ? u32(nxtseq + 1) : u32(nxtseq + request.needMore),
    oneMore,
    untilFin: request.needMore === DESEGMENT_UNTIL_FIN,
    parts: [{ frame: ctx.packet.number, data: buf.subarray(dOff, pEnd) }],
    length: pEnd - dOff,
  };
  if (t)
    ctx.add(
      t,
      f.segmentData,
      dOff,
      pEnd - dOff,
      buf.subarray(dOff, pEnd),
      `TCP segment data (${byteCount(pEnd - dOff)})`,
    );
  if (rolledBack) ctx.appendInfo(SEGMENT_OF_PDU);
}

export function completeReassembly(
  ctx: PacketContext,
  tree: ProtoNode[] | null,
  conv: TcpConversation,
  fwd: TcpFlow,
  consumer: TcpPayloadConsumer,
  msp: Msp,
  buf: Uint8Array,
  restOff: number,
  pEnd: number,
  nxtseq: number,
  info: TcpPayloadInfo,
  prefix: string,
): void {
  const ps = flowPayload(fwd);
  const total = msp.length;
  const data = new Uint8Array(total);
  let o = 0;
  for (const part of msp.parts) {
    data.set(part.data, o);
    o += part.data.length;
  }
  const packet = ctx.packet;
  const sourceIndex = packet.sources.length;
  packet.sources.push({ name: `Reassembled TCP (${total} bytes)`, data });
  const savedSource = ctx.source;
  ctx.source = sourceIndex;
  const treeLen = tree ? tree.length : 0;
  const reInfo: TcpPayloadInfo = { ...info, relSeq: u32(msp.seq - fwd.baseSeq) };
  const r = callConsumer(ctx, consumer, data, 0, total, tree, reInfo, prefix);
  ctx.source = savedSource;
  if (r.request && r.rolledBack) {
    // Still incomplete: keep collecting (the consumer saw the whole buffer).
    msp.oneMore = r.request.needMore < 0;
    msp.untilFin = r.request.needMore === DESEGMENT_UNTIL_FIN;
    msp.nxtpdu = msp.oneMore ? u32(nxtseq + 1) : u32(msp.seq + total + r.request.needMore);
    ctx.appendInfo(SEGMENT_OF_PDU);
    return;
  }
  // The reassembled PDU was dissected: show where it came from.
  if (tree) {
    const parts = msp.parts;
    let list = '';
    for (let i = 0; i < parts.length; i++) list += `${i ? ', ' : ''}#${parts[i].frame}(${parts[i].data.length})`;
    const saved = ctx.source;
    ctx.source = sourceIndex;
    const holder: ProtoNode[] = [];
    const segNode = ctx.add(
      holder,
      f.segments,
      0,
      total,
      undefined,
      `[${parts.length} Reassembled TCP Segments (${total} bytes): ${list}]`,
    );
    const c = ctx.children(segNode);
    let pos = 0;
    for (const part of parts) {
      const len = part.data.length;
      ctx.add(
        c,
        f.segment,
        pos,
        len,
        part.frame,
        `[Frame: ${part.frame}, payload: ${pos}-${pos + len - 1} (${len} bytes)]`,
      );
      pos += len;
    }
    ctx.addGenerated(c, f.segmentCount, parts.length, `[Segment count: ${parts.length}]`);
    ctx.addGenerated(c, f.reassembledLength, total, `[Reassembled TCP length: ${total}]`);
    const shown = data.subarray(0, Math.min(36, total));
    ctx.addGenerated(
      c,
      f.reassembledData,
      data,
      `[Reassembled TCP Data: ${formatBytesHex(shown)}${total > 36 ? '\u2026' : ''}]`,
    );
    ctx.source = saved;
    tree.splice(treeLen, 0, ...holder);
  }
  ps.msp = null;
  if (r.request) {
    // The consumer finished some PDUs and needs more for the next one.
    const from = Math.max(0, Math.min(r.request.offset, total));
    const oneMore = r.request.needMore < 0;
    const leftover = data.subarray(from);
    ps.msp = {
      seq: u32(msp.seq + from),
      nxtpdu: oneMore ? u32(nxtseq + 1) : u32(msp.seq + total + r.request.needMore),
      oneMore,
      untilFin: r.request.needMore === DESEGMENT_UNTIL_FIN,
      parts: leftover.length ? [{ frame: ctx.packet.number, data: leftover }] : [],
      length: leftover.length,
    };
  }
  // Bytes of this segment past the PDU start the next one.
  if (restOff < pEnd) {
    if (ps.msp) {
      ps.msp.parts.push({ frame: ctx.packet.number, data: buf.subarray(restOff, pEnd) });
      ps.msp.length += pEnd - restOff;
      return;
    }
    const restSeq = u32(nxtseq - (pEnd - restOff));
    const r2 = callConsumer(
      ctx,
      consumer,
      buf,
      restOff,
      pEnd,
      tree,
      { ...info, relSeq: u32(restSeq - fwd.baseSeq) },
      prefix,
    );
    if (r2.request) startMsp(ctx, null, ps, buf, r2.request, restOff, pEnd, restSeq, nxtseq, false);
  }
}
