/**
 * TCP, as Wireshark 4.0 shows it (`tshark -V` is the spec): header, flags, options, stream
 * index, conversation completeness, relative sequence numbers, window scaling, SEQ/ACK
 * analysis, Info column, and desegmentation for the application protocol consumers
 * registered in `tcpPayloadConsumers` (see context.ts). This file is the dissector proper: the
 * header, flags, stream and analysis items, in the order Wireshark adds them; its fields are in
 * fields.ts, the options in options.ts, the SEQ/ACK analysis in analysis.ts (state) and
 * analysis-tree.ts (items), the payload and desegmentation in desegment.ts.
 */
import { type PacketContext, type SessionState, type TcpPayloadConsumer, type TcpPayloadInfo } from '../../context';
import type { ProtoNode } from '../../tree';
import type { FieldDef } from '../../fields';
import { byteCount, decimal } from '../../format';
import { TcpInfo } from '../tcp-info';
import {
  TcpA,
  TH,
  TcpCompleteness,
  TcpConversationTable,
  analyzeSequenceNumber,
  deltaNs,
  newSegmentAnalysis,
  resetSegmentAnalysis,
  u32,
  type TcpFlow,
  type TcpSegmentAnalysis,
} from './analysis';
import { analysisPrefix, printAnalysis } from './analysis-tree';
import { addData, addResetCause, completeReassembly, flowPayload, handlePayload, type Header } from './desegment';
import { TCP_FLAG_LEAVES, tcpFields as f, tcpExpert as ei, tcpFlagsLetters, tcpFlagsText } from './fields';
import { dissectOptions } from './options';

/** The session's conversations (kept in its state as they are, in no object around them: see segmentAnalysis). */
function sessionConversations(state: SessionState): TcpConversationTable {
  return state.state<TcpConversationTable>('tcp', newConversationTable);
}

// Named once: an arrow written in the call above is a new function object for every segment.
function newConversationTable(): TcpConversationTable {
  return new TcpConversationTable();
}

/**
 * The analysis of the segment being dissected, reset at its start and read only while it is
 * (engines never interleave within a packet), so one serves every engine. One per session, in
 * an object beside the table, made each new engine (a filter's, after the load pass) deoptimize
 * the TCP dissector: V8 had recorded the maps of the first session's table and analysis there,
 * and a later session's objects did not have them (node --trace-generalization).
 */
const segmentAnalysis: TcpSegmentAnalysis = newSegmentAnalysis();

/** The next new conversation of this session gets stream index `next` (DissectionEngine.seek). */
export function seekTcpStreams(state: SessionState, next: number): void {
  sessionConversations(state).count = next;
}

/** The conversation table of the capture (for the lab guide and statistics). */
export function tcpConversations(ctx: PacketContext): TcpConversationTable {
  return sessionConversations(ctx.state);
}

/** "src → dst": how the Info of a segment starts. */
export function portsText(srcPort: number, dstPort: number): string {
  return decimal(srcPort) + ' \u2192 ' + decimal(dstPort);
}

// ---------------------------------------------------------------------------------------------
// The dissector

function dissectTcp(ctx: PacketContext, buf: Uint8Array, offset: number, end: number, tree: ProtoNode[] | null): void {
  const start = offset;
  const packet = ctx.packet;
  const record = packet.record;
  const frame = packet.number;

  ctx.enterProtocol('tcp', 'TCP');
  ctx.need(buf, start, 4, end);
  const srcPort = (buf[start] << 8) | buf[start + 1];
  const dstPort = (buf[start + 2] << 8) | buf[start + 3];
  if (start + 20 > end || start + 20 > buf.length) {
    // Cut short: the Info column shows just the ports (ctx.need below ends the layer).
    ctx.setInfo(portsText(srcPort, dstPort));
  }

  const tcpNode = tree ? ctx.add(tree, f.tcp, start, Math.max(0, end - start)) : null;
  const t = ctx.children(tcpNode);
  if (t) {
    ctx.add(t, f.srcport, start, 2, srcPort);
    ctx.add(t, f.dstport, start + 2, 2, dstPort);
    ctx.addHidden(t, f.port, start, 2, srcPort);
    ctx.addHidden(t, f.port, start + 2, 2, dstPort);
  }
  // The top line is only built when it is read (summary lines and the packet list's load pass never show it).
  const topNode = tcpNode !== null && ctx.labelled(f.tcp) ? tcpNode : null;
  let topText = topNode ? `Transmission Control Protocol, Src Port: ${srcPort}, Dst Port: ${dstPort}` : '';
  if (topNode) topNode.text = topText;

  ctx.need(buf, start, 20, end);
  const rawSeq = ((buf[start + 4] << 24) | (buf[start + 5] << 16) | (buf[start + 6] << 8) | buf[start + 7]) >>> 0;
  const rawAck = ((buf[start + 8] << 24) | (buf[start + 9] << 16) | (buf[start + 10] << 8) | buf[start + 11]) >>> 0;
  const flags = ((buf[start + 12] << 8) | buf[start + 13]) & 0x0fff;
  const rawWindow = (buf[start + 14] << 8) | buf[start + 15];
  const checksum = (buf[start + 16] << 8) | buf[start + 17];
  const urgent = (buf[start + 18] << 8) | buf[start + 19];
  const hlen = (buf[start + 12] >> 4) * 4;
  if (!ctx.state.tcpConversationsKept) {
    addHeaderItems(ctx, t, tcpNode, start, end, rawSeq, rawAck, flags, rawWindow, checksum, urgent, hlen);
    return;
  }

  // Conversation lookup / creation.
  const net = ctx.net;
  const srcAddr = net ? net.srcText : '';
  const dstAddr = net ? net.dstText : '';
  const hash = TcpConversationTable.hash(net ? net.src : null, srcPort, net ? net.dst : null, dstPort);
  const table = sessionConversations(ctx.state);
  const ta = segmentAnalysis;
  resetSegmentAnalysis(ta);
  let conv = table.find(hash, srcAddr, srcPort, dstAddr, dstPort);
  let isNew = false;
  if (!conv) {
    conv = table.create(hash, frame, srcAddr, srcPort, dstAddr, dstPort);
    conv.firstSec = conv.prevSec = record.tsSec;
    conv.firstNsec = conv.prevNsec = record.tsNsec;
    isNew = true;
  }
  let dir = conv.direction(srcAddr, srcPort);
  let fwd = conv.flows[dir];
  if ((flags & (TH.SYN | TH.ACK)) === TH.SYN && fwd.baseSeqSet && rawSeq !== fwd.baseSeq) {
    // A new SYN on a used 4-tuple: a new stream (Wireshark: "TCP Port numbers reused").
    // No later packet can reach the old one: its payload consumer may forget it.
    (conv.consumer as TcpPayloadConsumer | undefined)?.release?.(ctx, conv.stream);
    conv = table.create(hash, frame, srcAddr, srcPort, dstAddr, dstPort);
    conv.firstSec = conv.prevSec = record.tsSec;
    conv.firstNsec = conv.prevNsec = record.tsNsec;
    conv.completeness = TcpCompleteness.SYNSENT;
    dir = 0;
    fwd = conv.flows[0];
    ta.present = true;
    ta.flags |= TcpA.REUSED_PORTS;
  } else if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK) && fwd.baseSeqSet && rawSeq !== fwd.baseSeq) {
    fwd.baseSeq = rawSeq;
    ta.present = true;
    ta.flags |= TcpA.REUSED_PORTS;
  }
  const rev = conv.flows[dir === 0 ? 1 : 0];
  conv.lastFrame = frame;
  const fwdPayload = flowPayload(fwd);

  const completenessShown = conv.completeness;
  if (t) {
    ctx.addGenerated(t, f.stream, conv.stream);
    ctx.addGenerated(t, f.completeness, completenessShown);
  }
  fwd.numSackRanges = 0;

  // Timestamps relative to the conversation.
  const tsRelNs = deltaNs(record.tsSec, record.tsNsec, conv.firstSec, conv.firstNsec);
  const tsDeltaNs = deltaNs(record.tsSec, record.tsNsec, conv.prevSec, conv.prevNsec);
  conv.prevSec = record.tsSec;
  conv.prevNsec = record.tsNsec;

  const reportedLen = end - start;
  let seglen = 0;
  let haveSeglen = false;
  let relSeq = rawSeq;
  let relAck = rawAck;
  let window = rawWindow;
  let nxtseq = 0;
  if (reportedLen < hlen) {
    if (t) {
      ctx.expert(t, ei.shortSegment);
    }
  } else {
    seglen = reportedLen - hlen;
    haveSeglen = true;
    if (t) ctx.addGenerated(t, f.len, seglen);
    analyzeSequenceNumber(
      conv,
      fwd,
      rev,
      ta,
      frame,
      record.tsSec,
      record.tsNsec,
      rawSeq,
      rawAck,
      seglen,
      flags,
      rawWindow,
    );
    relSeq = u32(rawSeq - fwd.baseSeq);
    if (flags & TH.ACK) relAck = u32(rawAck - rev.baseSeq);
    if (!(flags & TH.SYN)) {
      if (fwd.winScale >= 0) window = rawWindow * (1 << fwd.winScale); // shift ≤ 14
    }
    nxtseq = u32(relSeq + seglen);
  }

  const flagsText = tcpFlagsText(flags);
  const info = new TcpInfo(srcPort, dstPort, flags, flagsText, relSeq, flags & TH.ACK ? relAck : -1, window);
  if (topNode) topText += `, Seq: ${relSeq}`;

  // A pruned tree keeps few of the header's leaves: each group is skipped at once when it keeps none.
  if (t && ctx.keepsAny(SEQ_ITEMS)) {
    ctx.add(t, f.seq, start + 4, 4, relSeq);
    ctx.add(t, f.seqRaw, start + 4, 4, rawSeq);
  }
  // Told where the whole tree has the items, kept or not (each call below mirrors its item's).
  const numbers = t ? ctx.state.packetNumbersListener : null;
  numbers?.packetNumber(f.seq, relSeq);

  if (hlen < 20) {
    info.append(`, bogus TCP header length (${hlen}, must be at least 20)`);
    ctx.deferInfo(info);
    if (topNode) topNode.text = topText;
    if (t) {
      const n = ctx.add(t, f.hdrLen, start + 12, 1, hlen);
      ctx.expert(ctx.children(n), ei.bogusHeaderLength, hlen);
    }
    return;
  }

  // Conversation completeness moves forward.
  let completeness = conv.completeness;
  if (isNew) {
    completeness = 0;
    if ((flags & (TH.SYN | TH.ACK)) === TH.SYN) {
      completeness |= TcpCompleteness.SYNSENT;
      if (seglen > 0) completeness |= TcpCompleteness.DATA;
    }
  } else {
    if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK)) completeness |= TcpCompleteness.SYNACK;
    if ((flags & (TH.SYN | TH.ACK)) === TH.ACK) completeness |= seglen > 0 ? TcpCompleteness.DATA : TcpCompleteness.ACK;
    if ((flags & (TH.FIN | TH.ACK)) === (TH.FIN | TH.ACK)) completeness |= TcpCompleteness.FIN;
    if (flags & TH.RST) completeness |= TcpCompleteness.RST;
  }
  conv.completeness = completeness;

  if (topNode) {
    if (flags & TH.ACK) topText += `, Ack: ${relAck}`;
    if (haveSeglen) topText += `, Len: ${seglen}`;
    topNode.text = topText;
  }
  if (tcpNode) tcpNode.length = hlen;

  let synNode: ProtoNode | null = null;
  let finNode: ProtoNode | null = null;
  let rstNode: ProtoNode | null = null;
  let flagsStrNode: ProtoNode | null = null;
  if (t) {
    if (haveSeglen) {
      const nx = flags & (TH.SYN | TH.FIN) ? u32(nxtseq + 1) : nxtseq;
      ctx.addGenerated(t, f.nxtseq, nx);
      numbers?.packetNumber(f.nxtseq, nx);
    }
    // A pruned tree (filters, -e, the packet list's load pass) skips labels it does not keep.
    const ackNode = ctx.add(
      t,
      f.ack,
      start + 8,
      4,
      relAck,
      !ctx.labelled(f.ack)
        ? undefined
        : flags & TH.ACK
          ? `Acknowledgment Number: ${relAck}    (relative ack number)`
          : `Acknowledgment Number: ${relAck}`,
    );
    numbers?.packetNumber(f.ack, relAck);
    ctx.add(t, f.ackRaw, start + 8, 4, rawAck);
    if (!(flags & TH.ACK) && rawAck !== 0) {
      ctx.expert(ctx.children(ackNode), ei.ackNonzero);
    }
    // A SYN-ACK acknowledging more than the SYN acknowledges data the SYN carried (TCP Fast Open).
    if ((flags & (TH.SYN | TH.ACK)) === (TH.SYN | TH.ACK) && relAck > 1) {
      ctx.expert(ctx.children(ackNode), ei.tfoAck);
    }
    ctx.add(t, f.hdrLen, start + 12, 1, hlen);
    addFlagItems(ctx, ctx.children(ctx.add(t, f.flags, start + 12, 2, flags)), start, flags);
    rstNode = flagNodes.reset;
    synNode = flagNodes.syn;
    finNode = flagNodes.fin;
    flagsStrNode = flagNodes.letters;

    if (numbers) {
      numbers.packetNumber(f.windowValue, rawWindow);
      numbers.packetNumber(f.windowSize, window);
    }
    if (ctx.keepsAny(WINDOW_ITEMS)) {
      ctx.add(t, f.windowValue, start + 14, 2, rawWindow);
      ctx.addGenerated(t, f.windowSize, window);
      if (!(flags & TH.SYN)) {
        const ws = fwd.winScale;
        // A shift, not `2 ** ws`, which V8 computes as a floating-point pow (an eighth of this
        // function's time in a filter on the window). winScale is at most 14 (options.ts).
        ctx.addGenerated(t, f.windowScale, ws >= 0 ? 1 << ws : ws);
      }
    }
  }

  // Expert info on SYN / FIN / RST (with the tree only) and what SYNs teach the conversation.
  if (flags & TH.SYN) {
    const synAck = (flags & TH.ACK) !== 0;
    if (t) {
      if (synAck) ctx.expert(ctx.children(synNode), ei.connSynAck, srcPort);
      else ctx.expert(ctx.children(synNode), ei.connSyn, dstPort);
    }
    if (synAck) {
      conv.serverPort = srcPort;
      conv.clientFlow = dir === 0 ? 1 : 0;
    } else {
      conv.serverPort = dstPort;
      conv.clientFlow = dir;
      conv.mruSynSec = record.tsSec;
      conv.mruSynNsec = record.tsNsec;
    }
    fwd.isFirstAck = true;
  }
  if (flags & TH.FIN) {
    ctx.expert(ctx.children(finNode), ei.connFin);
    if (!rev.closingInitiator) {
      fwd.closingInitiator = true;
      ctx.expert(ctx.children(flagsStrNode), ei.finActive);
    } else {
      ctx.expert(ctx.children(flagsStrNode), ei.finPassive);
    }
  }
  if (flags & TH.RST) ctx.expert(ctx.children(rstNode), ei.connRst);

  if ((flags & (TH.SYN | TH.ACK)) === TH.ACK) {
    if (conv.mruSynSec >= 0 && conv.firstRttNs === 0) {
      conv.firstRttNs = deltaNs(record.tsSec, record.tsNsec, conv.mruSynSec, conv.mruSynNsec);
    }
    if (fwd.isFirstAck) fwd.isFirstAck = false;
  }

  // Checksum (not verified, as tshark by default) and urgent pointer.
  const capturedAll = buf.length >= end;
  if (t) {
    ctx.add(t, f.checksum, start + 16, 2, checksum);
    ctx.addGenerated(t, f.checksumStatus, 2, 'Checksum Status: Unverified');
    const urgNode = ctx.add(t, f.urgentPointer, start + 18, 2, urgent);
    if (!(flags & TH.URG) && urgent) ctx.expert(ctx.children(urgNode), ei.urgentNonzero);
  }
  if (flags & TH.URG) info.urgent = urgent;
  if (haveSeglen) info.length = seglen;

  // Options.
  const optlen = hlen - 20;
  let optionsTree: ProtoNode[] | null = null;
  let optionsNode: ProtoNode | null = null;
  if (optlen > 0 && t && ctx.builds(f.options)) {
    const captured = Math.max(0, Math.min(optlen, buf.length - (start + 20)));
    optionsNode = ctx.add(
      t,
      f.options,
      start + 20,
      captured,
      ctx.keeps(f.options) ? buf.subarray(start + 20, start + 20 + captured) : undefined,
      ctx.labelled(f.options) ? `Options: (${optlen} bytes)` : undefined,
    );
    optionsTree = ctx.children(optionsNode);
  }

  // [Timestamps]
  if (t && ctx.builds(f.timestamps)) {
    const tsNode = ctx.addGenerated(t, f.timestamps, undefined, 'Timestamps');
    const tt = ctx.children(tsNode);
    ctx.addGenerated(tt, f.timeRelative, tsRelNs / 1e9);
    ctx.addGenerated(tt, f.timeDelta, tsDeltaNs / 1e9);
  }
  if (numbers) {
    numbers.packetNumber(f.timeRelative, tsRelNs / 1e9);
    numbers.packetNumber(f.timeDelta, tsDeltaNs / 1e9);
  }

  ctx.deferInfo(info);
  // Each option adds its text as it is read, as Wireshark's do: a cut-short option keeps those before it.
  if (optlen > 0)
    dissectOptions(ctx, buf, start + 20, optlen, end, optionsTree, optionsNode, info, fwd, rev, flags, rawAck);

  // SEQ/ACK analysis (tree) and the Info prefixes.
  const prefix = analysisPrefix(ta);
  // printAnalysis also tells the packet-numbers listener the SEQ/ACK analysis's numbers.
  if (t && ta.present) printAnalysis(ctx, t, ta, conv);
  if (prefix) ctx.prependInfo(prefix);

  // Window scaling is settled once both SYNs are seen.
  if (flags & TH.SYN) verifyWindowScaling((flags & TH.ACK) !== 0, fwd, rev);

  // Payload.
  if (!haveSeglen || seglen === 0) {
    // A FIN ends a PDU collected "until FIN" (an HTTP body without length): dissect it now.
    const pending = fwdPayload.msp;
    if (flags & TH.FIN && pending?.untilFin && conv.consumer) {
      const finInfo: TcpPayloadInfo = {
        stream: conv.stream,
        fromClient: dir === conv.clientFlow,
        srcPort,
        dstPort,
        relSeq,
        outOfOrder: false,
        fin: true,
      };
      const at = start + hlen;
      completeReassembly(
        ctx,
        tree,
        conv,
        fwd,
        conv.consumer as TcpPayloadConsumer,
        pending,
        buf,
        at,
        at,
        rawSeq,
        finInfo,
        prefix,
      );
    }
    return;
  }
  const pOff = start + hlen;
  const pEnd = end;
  const capEnd = Math.min(pEnd, buf.length);
  if (flags & TH.RST) {
    // Wireshark shows an RST's payload as the reset cause (a text, up to the first NUL).
    if (pOff < capEnd) addResetCause(ctx, t, buf, pOff, capEnd);
    return;
  }
  if (t && ctx.keeps(f.payload)) {
    ctx.add(
      t,
      f.payload,
      pOff,
      Math.max(0, capEnd - pOff),
      buf.subarray(pOff, capEnd),
      `TCP payload (${byteCount(seglen)})`,
    );
  }
  // A filter on the layers below the payload (EngineOptions.stopAtTcpPayload) needs nothing above TCP.
  if (!ctx.state.tcpPayloadDissected) return;
  const hdr: Header = {
    srcPort,
    dstPort,
    seq: rawSeq,
    ack: rawAck,
    relSeq,
    relAck,
    flags,
    hlen,
    rawWindow,
    window,
    seglen,
    haveSeglen,
  };
  const payloadInfo: TcpPayloadInfo = {
    stream: conv.stream,
    fromClient: dir === conv.clientFlow,
    srcPort,
    dstPort,
    relSeq,
    outOfOrder: (ta.flags & (TcpA.RETRANSMISSION | TcpA.OUT_OF_ORDER | TcpA.SPURIOUS_RETRANSMISSION)) !== 0,
  };
  if (!capturedAll) {
    // Snapped: the consumer dissects the captured bytes, knowing more were on the wire.
    payloadInfo.canDesegment = false;
    payloadInfo.reportedEnd = pEnd;
  }
  if (pOff >= capEnd) return;

  if (ta.flags & TcpA.KEEP_ALIVE) {
    addData(ctx, tree, buf, pOff, capEnd);
    return;
  }
  if (ta.flags & (TcpA.RETRANSMISSION | TcpA.OUT_OF_ORDER | TcpA.SPURIOUS_RETRANSMISSION)) {
    // tshark 4.0 shows a retransmission's payload as "Retransmitted TCP segment data", and that of a
    // spurious retransmission (its bytes were acknowledged already) or an out-of-order segment not
    // at all: "TCP payload (N bytes)" is its last line.
    const shown = (ta.flags & (TcpA.OUT_OF_ORDER | TcpA.SPURIOUS_RETRANSMISSION)) === 0;
    if (t && shown && ctx.keeps(f.segmentData))
      ctx.add(
        t,
        f.segmentData,
        pOff,
        capEnd - pOff,
        buf.subarray(pOff, capEnd),
        `Retransmitted TCP segment data (${byteCount(capEnd - pOff)})`,
      );
    return;
  }

  const canDesegment = capturedAll;
  handlePayload(ctx, tree, t, conv, fwd, hdr, buf, pOff, capEnd, payloadInfo, canDesegment, prefix);
}

/**
 * The items of TCP_HEADER_FIELDS, as dissectTcp adds them (same places, same order, same
 * early end on a bogus header length), and nothing else: no conversation, no Info, no options,
 * no payload (EngineOptions.tcpHeaderOnly). The ports are added before, by dissectTcp.
 */
function addHeaderItems(
  ctx: PacketContext,
  t: ProtoNode[] | null,
  tcpNode: ProtoNode | null,
  start: number,
  end: number,
  rawSeq: number,
  rawAck: number,
  flags: number,
  rawWindow: number,
  checksum: number,
  urgent: number,
  hlen: number,
): void {
  if (!t) return;
  const reportedLen = end - start;
  if (reportedLen >= hlen) ctx.addGenerated(t, f.len, reportedLen - hlen);
  ctx.add(t, f.seqRaw, start + 4, 4, rawSeq);
  if (hlen < 20) {
    ctx.add(t, f.hdrLen, start + 12, 1, hlen);
    return;
  }
  if (tcpNode) tcpNode.length = hlen;
  ctx.add(t, f.ackRaw, start + 8, 4, rawAck);
  ctx.add(t, f.hdrLen, start + 12, 1, hlen);
  addFlagItems(ctx, ctx.children(ctx.add(t, f.flags, start + 12, 2, flags)), start, flags);
  ctx.add(t, f.windowValue, start + 14, 2, rawWindow);
  ctx.add(t, f.checksum, start + 16, 2, checksum);
  ctx.addGenerated(t, f.checksumStatus, 2, 'Checksum Status: Unverified');
  ctx.add(t, f.urgentPointer, start + 18, 2, urgent);
}

/**
 * The flags' items under `ft` (the Flags item's children, or null), in Wireshark's order. The
 * nodes that dissectTcp hangs the connection's expert items under are left in `flagNodes`.
 */
function addFlagItems(ctx: PacketContext, ft: ProtoNode[] | null, start: number, flags: number): void {
  // A pruned tree keeps few of them: the seven without expert items are skipped at once then.
  if (ft && ctx.keepsAny(TCP_FLAG_LEAVES)) {
    ctx.add(ft, f.flagsRes, start + 12, 1, (flags & 0xe00) !== 0);
    ctx.add(ft, f.flagsAe, start + 12, 1, (flags & 0x100) !== 0);
    ctx.add(ft, f.flagsCwr, start + 13, 1, (flags & 0x80) !== 0);
    ctx.add(ft, f.flagsEce, start + 13, 1, (flags & 0x40) !== 0);
    ctx.add(ft, f.flagsUrg, start + 13, 1, (flags & 0x20) !== 0);
    ctx.add(ft, f.flagsAck, start + 13, 1, (flags & 0x10) !== 0);
    ctx.add(ft, f.flagsPush, start + 13, 1, (flags & 0x08) !== 0);
  }
  flagNodes.reset = ctx.add(ft, f.flagsReset, start + 13, 1, (flags & 0x04) !== 0);
  flagNodes.syn = ctx.add(ft, f.flagsSyn, start + 13, 1, (flags & 0x02) !== 0);
  flagNodes.fin = ctx.add(ft, f.flagsFin, start + 13, 1, (flags & 0x01) !== 0);
  const letters = ctx.add(ft, f.flagsStr, start + 12, 2, ctx.keeps(f.flagsStr) ? tcpFlagsLetters(flags) : undefined);
  if (letters) letters.generated = true;
  flagNodes.letters = letters;
}

/** What addFlagItems last added, read right after it (one object, not one per segment). */
const flagNodes: { reset: ProtoNode | null; syn: ProtoNode | null; fin: ProtoNode | null; letters: ProtoNode | null } =
  { reset: null, syn: null, fin: null, letters: null };

/** Leaf groups of the header (see dissectTcp). */
const SEQ_ITEMS: readonly FieldDef[] = [f.seq, f.seqRaw];
const WINDOW_ITEMS: readonly FieldDef[] = [f.windowValue, f.windowSize, f.windowScale];

function verifyWindowScaling(isSynAck: boolean, fwd: TcpFlow, rev: TcpFlow): void {
  if (fwd.winScale === -1) {
    fwd.winScale = -2;
    rev.winScale = -2;
  } else if (isSynAck && rev.winScale === -2) {
    fwd.winScale = -2;
  }
}

export { dissectTcp };
