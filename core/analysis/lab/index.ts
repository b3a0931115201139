/** Lab analysis: handshake, HTTP, teardown, states, flow graph, time–sequence, follow stream, explanations. */
export * from './types';
export { analyzeLab, guessServerPort, DEFAULT_LAB_PORT, RTT_ALPHA, RTT_BETA } from './analyze';
export { tcpFacts, flagNames, httpSummary, type TcpFacts, type HttpFact } from './facts';
export {
  followTcpStream,
  followHttpStream,
  renderStreamText,
  renderHttpStreamText,
  streamEndpoints,
  streamFacts,
  decodeText,
  decodeLatin1,
  isValidUtf8,
  isTextType,
  type Direction,
  type StreamChunk,
  type StreamEndpoints,
  type StreamTextOptions,
  type HttpMessage,
  type HttpHeader,
} from './stream';
export {
  buildFlowGraph,
  flowGraphSvg,
  escapeXml,
  SVG_FONT_FAMILY,
  SVG_MONO_FAMILY,
  type FlowGraph,
  type FlowNode,
  type FlowArrow,
  type FlowArrowKind,
  type FlowGraphOptions,
  type FlowGraphSvgOptions,
} from './flow-graph';
export {
  explainLab,
  noteText,
  stepName,
  stepStatusText,
  formatDuration,
  type LabLang,
  type LabExplanation,
  type ExplainSection,
  type ExplainParagraph,
} from './explain';
