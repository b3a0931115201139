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
import {
  ALL_LAB_VIEWS,
  type FollowResult,
  type LabRequestOptions,
  type LabResult,
  type LabViews,
  type ReportRequestOptions,
} from './worker-messages';

/** The whole lab result (every view's lists); LabResults.get sends what the asker's views read. */
export function labResult(packets: readonly DissectedPacket[], total: number, options: LabRequestOptions): LabResult {
  const analysis = analyzeLab(packets, { serverPort: options.serverPort, host: options.host });
  const graph = buildFlowGraph(packets, { analysis });
  const scenario = analyzeScenario(packets, analysis);
  const views = ALL_LAB_VIEWS;
  return { analysis, graph, analysed: packets.length, total, truncated: total > packets.length, scenario, views };
}

/**
 * `result` with only the lists `views` read: the arrows for the flow graph, each connection's
 * points for the time–sequence graph. On the live bench's 20,000 packets those were 3.2 MB and
 * 2.3 MB of a 13.6 MB result, which the UI thread takes in (structured clone) at every re-run of
 * a live capture's guide, whichever tab shows.
 */
export function labResultForViews(result: LabResult, views: LabViews): LabResult {
  const flowGraph = views.flowGraph && result.views.flowGraph;
  const timeSequence = views.timeSequence && result.views.timeSequence;
  return {
    ...result,
    graph: flowGraph ? result.graph : { ...result.graph, arrows: [] },
    analysis: timeSequence
      ? result.analysis
      : {
          ...result.analysis,
          connections: result.analysis.connections.map((connection) => ({ ...connection, timeSequence: [] })),
        },
    views: { flowGraph, timeSequence },
  };
}

/**
 * labResult, remembered for the packets it last analysed. The lab guide asks again as a live
 * capture grows; once LAB_PACKET_LIMIT packets are dissected its input no longer changes, and
 * analysing the same 20,000 packets again at each ask took the worker seconds, during which the
 * packet list stopped growing (live bench: frozen for 10 s, the lag past 14 s). The first
 * `packets.length` packets of a source (`generation`) are always the same packets.
 */
export class LabResults {
  private last: { key: string; first: DissectedPacket | undefined; result: LabResult } | null = null;

  get(generation: number, packets: readonly DissectedPacket[], total: number, options: LabRequestOptions): LabResult {
    const key = JSON.stringify([generation, packets.length, options.serverPort ?? null, options.host ?? null]);
    // The first packet's object too: a new source, whatever its generation number, has new ones.
    const first = packets[0];
    if (this.last?.key !== key || this.last.first !== first)
      this.last = { key, first, result: labResult(packets, total, options) };
    const result = labResultForViews(this.last.result, options.views ?? ALL_LAB_VIEWS);
    return { ...result, total, truncated: total > result.analysed };
  }
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
