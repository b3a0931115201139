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
import { explainLab, type LabLang } from '../../core/analysis/lab/explain';
import type { FlowGraph } from '../../core/analysis/lab/flow-graph';
import type { ScenarioResult } from '../../core/analysis/lab/scenarios';
import type { LabAnalysis } from '../../core/analysis/lab/types';
import {
  ALL_LAB_VIEWS,
  GUIDE_CONNECTIONS,
  type FollowResult,
  type LabRequestOptions,
  type LabResult,
  type LabViews,
  type ReportRequestOptions,
} from './worker-messages';

/** Everything the lab views read of some packets: labResultForViews makes what an ask carries. */
export interface WholeLabResult {
  analysis: LabAnalysis;
  graph: FlowGraph;
  analysed: number;
  total: number;
  truncated: boolean;
  scenario?: ScenarioResult;
}

export function labResult(
  packets: readonly DissectedPacket[],
  total: number,
  options: LabRequestOptions,
): WholeLabResult {
  const analysis = analyzeLab(packets, { serverPort: options.serverPort, host: options.host });
  const graph = buildFlowGraph(packets, { analysis });
  const scenario = analyzeScenario(packets, analysis);
  return { analysis, graph, analysed: packets.length, total, truncated: total > packets.length, scenario };
}

/**
 * What `views` read of `result` (see LabViews, LabAnalysisCarried): the arrows for the flow
 * graph; each connection's points, and every connection, for the time–sequence graph; every
 * connection for the guide's "Show all", else the guide's first GUIDE_CONNECTIONS; and the
 * explanation of the whole analysis in both languages (5 ms for both with 20 connections
 * described: less than asking again when the student switches language). On the live bench's
 * 20,000 packets (1,429 connections) the guide's result went from 9.4 MB to 0.27 MB.
 */
export function labResultForViews(result: WholeLabResult, views: LabViews): LabResult {
  const { analysis } = result;
  const main = analysis.connections.find((c) => c.stream === analysis.mainStream);
  const shown = new Set(analysis.connections.filter((c) => c !== main).slice(0, GUIDE_CONNECTIONS - (main ? 1 : 0)));
  if (main) shown.add(main);
  // The page's connection and the first others, in the analysis's order (the guide puts the page's first).
  const carried =
    views.allConnections || views.timeSequence
      ? analysis.connections
      : analysis.connections.filter((c) => shown.has(c));
  const connectionsDescribed = views.allConnections ? undefined : GUIDE_CONNECTIONS;
  const explain = (lang: LabLang) => explainLab(analysis, lang, { connectionsDescribed });
  // The flat list of transactions is left out (LabAnalysisCarried).
  const { transactions: _transactions, ...rest } = analysis;
  return {
    analysis: {
      ...rest,
      connections: views.timeSequence ? carried : carried.map((connection) => ({ ...connection, timeSequence: [] })),
    },
    connectionCount: analysis.connections.length,
    explanation: { 'zh-CN': explain('zh-CN'), en: explain('en') },
    graph: views.flowGraph ? result.graph : { ...result.graph, arrows: [] },
    analysed: result.analysed,
    total: result.total,
    truncated: result.truncated,
    scenario: result.scenario,
    views,
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
  private last: { key: string; first: DissectedPacket | undefined; result: WholeLabResult } | null = null;

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
