/**
 * The SEQ/ACK analysis as the tree and the Info column show it: "[TCP Retransmission] " markers
 * and the "SEQ/ACK analysis" item with its expert items (analysis.ts computes them).
 */
import type { PacketContext } from '../../context';
import type { ProtoNode } from '../../tree';
import { tcpFields as f, tcpExpert as ei } from './fields';
import { TcpA, type TcpConversation, type TcpSegmentAnalysis } from './analysis';

export function analysisPrefix(ta: TcpSegmentAnalysis): string {
  const fl = ta.flags;
  if (!fl) return '';
  // Wireshark prepends each marker in this order, so the last one ends up first.
  let p = '';
  const pre = (s: string) => {
    p = s + p;
  };
  if (fl & TcpA.REUSED_PORTS) pre('[TCP Port numbers reused] ');
  if (fl & TcpA.RETRANSMISSION) pre('[TCP Retransmission] ');
  if (fl & TcpA.FAST_RETRANSMISSION) pre('[TCP Fast Retransmission] ');
  if (fl & TcpA.SPURIOUS_RETRANSMISSION) pre('[TCP Spurious Retransmission] ');
  if (fl & TcpA.OUT_OF_ORDER) pre('[TCP Out-Of-Order] ');
  if (fl & TcpA.LOST_PACKET) pre('[TCP Previous segment not captured] ');
  if (fl & TcpA.ACK_LOST_PACKET) pre('[TCP ACKed unseen segment] ');
  if (fl & TcpA.WINDOW_UPDATE) pre('[TCP Window Update] ');
  if (fl & TcpA.WINDOW_FULL) pre('[TCP Window Full] ');
  if (fl & TcpA.KEEP_ALIVE) pre('[TCP Keep-Alive] ');
  if (fl & TcpA.KEEP_ALIVE_ACK) pre('[TCP Keep-Alive ACK] ');
  if (ta.dupAckNum && fl & TcpA.DUPLICATE_ACK) pre(`[TCP Dup ACK ${ta.dupAckFrame}#${ta.dupAckNum}] `);
  if (fl & TcpA.ZERO_WINDOW_PROBE) pre('[TCP ZeroWindowProbe] ');
  if (fl & TcpA.ZERO_WINDOW) pre('[TCP ZeroWindow] ');
  if (fl & TcpA.ZERO_WINDOW_PROBE_ACK) pre('[TCP ZeroWindowProbeAck] ');
  return p;
}

export function printAnalysis(ctx: PacketContext, t: ProtoNode[], ta: TcpSegmentAnalysis, conv: TcpConversation): void {
  const node = ctx.addGenerated(t, f.analysis, undefined, 'SEQ/ACK analysis');
  const a = ctx.children(node);
  if (ta.frameAcked) {
    ctx.addGenerated(a, f.acksFrame, ta.frameAcked);
    if (ta.ackRttNs) ctx.addGenerated(a, f.ackRtt, ta.ackRttNs / 1e9);
  }
  if (conv.firstRttNs !== 0) ctx.addGenerated(a, f.initialRtt, conv.firstRttNs / 1e9);
  if (ta.bytesInFlight) {
    ctx.addGenerated(a, f.bytesInFlight, ta.bytesInFlight);
    ctx.addGenerated(a, f.pushBytesSent, ta.pushBytesSent);
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
