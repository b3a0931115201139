/**
 * The SEQ/ACK analysis as the tree and the Info column show it: "[TCP Retransmission] " markers
 * and the "SEQ/ACK analysis" item with its expert items (analysis.ts computes them).
 */
import type { PacketContext } from '../../context';
import type { FieldDef } from '../../fields';
import type { ProtoNode } from '../../tree';
import { tcpFields as f, tcpExpert as ei } from './fields';
import { TcpA, type TcpConversation, type TcpSegmentAnalysis } from './analysis';

export function analysisPrefix(ta: TcpSegmentAnalysis): string {
  const fl = ta.flags;
  if (!fl) return '';
  // Wireshark prepends each marker in this order, so the last one ends up first. (Prepended
  // in place: a closure per flagged segment was a twentieth of what a filter's re-dissection
  // allocated.)
  let p = '';
  if (fl & TcpA.REUSED_PORTS) p = '[TCP Port numbers reused] ' + p;
  if (fl & TcpA.RETRANSMISSION) p = '[TCP Retransmission] ' + p;
  if (fl & TcpA.FAST_RETRANSMISSION) p = '[TCP Fast Retransmission] ' + p;
  if (fl & TcpA.SPURIOUS_RETRANSMISSION) p = '[TCP Spurious Retransmission] ' + p;
  if (fl & TcpA.OUT_OF_ORDER) p = '[TCP Out-Of-Order] ' + p;
  if (fl & TcpA.LOST_PACKET) p = '[TCP Previous segment not captured] ' + p;
  if (fl & TcpA.ACK_LOST_PACKET) p = '[TCP ACKed unseen segment] ' + p;
  if (fl & TcpA.WINDOW_UPDATE) p = '[TCP Window Update] ' + p;
  if (fl & TcpA.WINDOW_FULL) p = '[TCP Window Full] ' + p;
  if (fl & TcpA.KEEP_ALIVE) p = '[TCP Keep-Alive] ' + p;
  if (fl & TcpA.KEEP_ALIVE_ACK) p = '[TCP Keep-Alive ACK] ' + p;
  if (ta.dupAckNum && fl & TcpA.DUPLICATE_ACK) p = `[TCP Dup ACK ${ta.dupAckFrame}#${ta.dupAckNum}] ` + p;
  if (fl & TcpA.ZERO_WINDOW_PROBE) p = '[TCP ZeroWindowProbe] ' + p;
  if (fl & TcpA.ZERO_WINDOW) p = '[TCP ZeroWindow] ' + p;
  if (fl & TcpA.ZERO_WINDOW_PROBE_ACK) p = '[TCP ZeroWindowProbeAck] ' + p;
  return p;
}

/**
 * A number of the SEQ/ACK analysis: its item, and the same number told to the packet-numbers
 * listener, where the item is whether the tree keeps it or not (as dissectTcp tells the header's).
 */
function addNumber(ctx: PacketContext, parent: ProtoNode[] | null, field: FieldDef, value: number): void {
  ctx.addGenerated(parent, field, value);
  ctx.state.packetNumbersListener?.packetNumber(field, value);
}

export function printAnalysis(ctx: PacketContext, t: ProtoNode[], ta: TcpSegmentAnalysis, conv: TcpConversation): void {
  const node = ctx.addGenerated(t, f.analysis, undefined, 'SEQ/ACK analysis');
  const a = ctx.children(node);
  if (ta.frameAcked) {
    addNumber(ctx, a, f.acksFrame, ta.frameAcked);
    if (ta.ackRttNs) addNumber(ctx, a, f.ackRtt, ta.ackRttNs / 1e9);
  }
  if (conv.firstRttNs !== 0) addNumber(ctx, a, f.initialRtt, conv.firstRttNs / 1e9);
  if (ta.bytesInFlight) {
    addNumber(ctx, a, f.bytesInFlight, ta.bytesInFlight);
    addNumber(ctx, a, f.pushBytesSent, ta.pushBytesSent);
  }
  const fl = ta.flags;
  if (!fl) return;
  const flagsNode = ctx.addGenerated(a, f.analysisFlags, undefined, 'TCP Analysis Flags');
  const ft = ctx.children(flagsNode);
  if (fl & TcpA.REUSED_PORTS) ctx.expert(ft, ei.reusedPorts);
  if (fl & TcpA.RETRANSMISSION) {
    ctx.expert(ft, ei.retransmission);
    if (ta.rtoNs) {
      ctx.addGenerated(ft, f.rto, ta.rtoNs / 1e9);
      ctx.addGenerated(ft, f.rtoFrame, ta.rtoFrame);
    }
  }
  if (fl & TcpA.FAST_RETRANSMISSION) {
    ctx.expert(ft, ei.fastRetransmission);
    ctx.expert(ft, ei.retransmission);
  }
  if (fl & TcpA.SPURIOUS_RETRANSMISSION) {
    ctx.expert(ft, ei.spuriousRetransmission);
    ctx.expert(ft, ei.retransmission);
  }
  if (fl & TcpA.OUT_OF_ORDER) ctx.expert(ft, ei.outOfOrder);
  if (fl & TcpA.LOST_PACKET) ctx.expert(ft, ei.lostSegment);
  if (fl & TcpA.ACK_LOST_PACKET) ctx.expert(ft, ei.ackLostSegment);
  if (fl & TcpA.WINDOW_UPDATE) ctx.expert(ft, ei.windowUpdate);
  if (fl & TcpA.WINDOW_FULL) ctx.expert(ft, ei.windowFull);
  if (fl & TcpA.KEEP_ALIVE) ctx.expert(ft, ei.keepAlive);
  if (fl & TcpA.KEEP_ALIVE_ACK) ctx.expert(ft, ei.keepAliveAck);
  if (ta.dupAckNum) {
    if (fl & TcpA.DUPLICATE_ACK) ctx.addGenerated(ft, f.duplicateAck, undefined, 'This is a TCP duplicate ack');
    ctx.addGenerated(a, f.duplicateAckNum, ta.dupAckNum);
    const df = ctx.addGenerated(a, f.duplicateAckFrame, ta.dupAckFrame);
    ctx.expert(ctx.children(df), ei.duplicateAck, ta.dupAckNum);
  }
  if (fl & TcpA.ZERO_WINDOW_PROBE) ctx.expert(ft, ei.zeroWindowProbe);
  if (fl & TcpA.ZERO_WINDOW) ctx.expert(ft, ei.zeroWindow);
  if (fl & TcpA.ZERO_WINDOW_PROBE_ACK) ctx.expert(ft, ei.zeroWindowProbeAck);
}
