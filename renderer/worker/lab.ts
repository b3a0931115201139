/**
 * The lab views' data, computed in the worker over the packets with trees: the lab analysis and
 * flow graph (guide, flow graph, time–sequence and RTT views), Follow TCP/HTTP Stream for one
 * packet's stream, and the lab report draft. Pure functions of the packets: unit-tested directly.
 */
import type { DissectedPacket } from '../../core/dissect/context';
import { analyzeLab } from '../../core/analysis/lab/analyze';
import { buildFlowGraph } from '../../core/analysis/lab/flow-graph';
import { analyzeScenario } from '../../core/analysis/lab/scenarios';
import { tcpFacts } from '../../core/analysis/lab/facts';
import { followHttpStream, followTcpStream, streamEndpoints, streamFacts } from '../../core/analysis/lab/stream';
import { buildLabReport, type LabReport } from '../../core/report';
import type { FollowResult, LabRequestOptions, LabResult, ReportRequestOptions } from './worker-messages';

export function labResult(packets: readonly DissectedPacket[], total: number, options: LabRequestOptions): LabResult {
  const analysis = analyzeLab(packets, { serverPort: options.serverPort, host: options.host });
  const graph = buildFlowGraph(packets, { analysis });
  const scenario = analyzeScenario(packets, analysis);
  return { analysis, graph, analysed: packets.length, total, truncated: total > packets.length, scenario };
}

/** Follow the TCP stream of `packet` (null when it is not TCP). */
export function followResult(
  packets: readonly DissectedPacket[],
  packet: DissectedPacket | null,
  serverPort?: number,
): FollowResult | null {
  const facts = packet ? tcpFacts(packet) : null;
  if (!facts) return null;
  const stream = facts.stream;
  const all = streamFacts(packets, stream);
  const endpoints = streamEndpoints(all, serverPort);
  if (!endpoints) return null;
  return {
    stream,
    endpoints,
    chunks: followTcpStream(all, stream, serverPort),
    messages: followHttpStream(all, stream, serverPort),
  };
}

export function reportResult(packets: readonly DissectedPacket[], options: ReportRequestOptions): LabReport {
  const analysis = analyzeLab(packets, { serverPort: options.serverPort, host: options.host });
  return buildLabReport({
    analysis,
    packets,
    lang: options.lang,
    profile: options.profile,
    screenshots: options.screenshots,
    flowGraphFile: options.flowGraphFile,
  });
}
