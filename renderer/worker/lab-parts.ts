/**
 * A lab result sent in parts (the lab worker to the UI thread), and put together again. Small on
 * purpose: the UI bundle imports it, not the analysis.
 */
import type { LabResult, LabResultPart } from './worker-messages';

/** Items per part: a few hundred KB each on the live bench's capture (1,429 connections, 20,000 arrows). */
const PART_ITEMS = { connections: 40, arrows: 2_000 } as const;

/**
 * A lab result as a head (the result with its long lists empty) and parts of those lists, for
 * sending as separate messages: the UI thread takes each message in a task of its own. Sent as
 * one, a 20,000-packet analysis of a fast live capture (15 MB) took the UI thread 300–480 ms
 * to receive, and the list stopped scrolling meanwhile. (The guide's own result is now one part:
 * see LabAnalysisCarried; the time–sequence graph and "Show all" still carry every connection.)
 * joinLabResult undoes it.
 */
export function splitLabResult(result: LabResult): { head: LabResult; parts: LabResultPart[] } {
  const { analysis, graph } = result;
  const head: LabResult = {
    ...result,
    analysis: { ...analysis, connections: [] },
    graph: { ...graph, arrows: [] },
  };
  const parts: LabResultPart[] = [];
  const cut = <T>(items: readonly T[], size: number, make: (items: T[]) => LabResultPart) => {
    for (let i = 0; i < items.length; i += size) parts.push(make(items.slice(i, i + size)));
  };
  cut(analysis.connections, PART_ITEMS.connections, (items) => ({ list: 'connections', items }));
  cut(graph.arrows, PART_ITEMS.arrows, (items) => ({ list: 'arrows', items }));
  return { head, parts };
}

/** The lab result splitLabResult cut into `head` and `parts` (in their order). */
export function joinLabResult(head: LabResult, parts: readonly LabResultPart[]): LabResult {
  const connections = [...head.analysis.connections];
  const arrows = [...head.graph.arrows];
  for (const part of parts) {
    if (part.list === 'connections') connections.push(...part.items);
    else arrows.push(...part.items);
  }
  return { ...head, analysis: { ...head.analysis, connections }, graph: { ...head.graph, arrows } };
}
