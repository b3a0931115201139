/** Builds the scenario context (HTTP exchanges with their headers) and a few helpers the modules share. */
import type { DissectedPacket } from '../../../dissect/context';
import { followHttpStream, type HttpMessage } from '../stream';
import type { LabAnalysis } from '../types';
import type { Bilingual, Exchange, ScenarioCheck, ScenarioContext, ScenarioCheckStatus } from './types';

export function buildContext(packets: readonly DissectedPacket[], analysis: LabAnalysis): ScenarioContext {
  const connections = new Map(analysis.connections.map((c) => [c.stream, c]));
  const exchanges: Exchange[] = [];
  for (const c of analysis.connections) {
    if (c.transactions.length === 0) continue;
    const messages = followHttpStream(packets, c.stream, analysis.serverPort ?? undefined);
    const requests = messages.filter((m) => m.kind === 'request');
    // Interim 1xx answers (100 Continue to a POST with Expect) are not the request's response.
    const responses = messages.filter((m) => m.kind === 'response' && !((m.code ?? 0) >= 100 && (m.code ?? 0) < 200));
    requests.forEach((request, i) => exchanges.push({ stream: c.stream, request, response: responses[i] ?? null }));
  }
  exchanges.sort((a, b) => a.request.frame - b.request.frame);
  return { packets, analysis, connections, exchanges };
}

export function header(m: HttpMessage | null | undefined, name: string): string | undefined {
  const lower = name.toLowerCase();
  return m?.headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

export const bi = (zh: string, en: string): Bilingual => ({ 'zh-CN': zh, en });

/** Lists longer than this name their first items and count the rest (a class capture has thousands). */
export const LISTED_AT_MOST = 12;

/**
 * `items` joined, in each language: a longer list's first LISTED_AT_MOST and how many more
 * ("1, 2, 3, and 108 more" / "1、2、3……（另有 108 个）").
 */
export function listed(items: readonly (string | number)[], zhSeparator = '、'): Bilingual {
  const shown = items.slice(0, LISTED_AT_MOST);
  const rest = items.length - shown.length;
  return bi(
    shown.join(zhSeparator) + (rest > 0 ? `……（另有 ${rest} 个）` : ''),
    shown.join(', ') + (rest > 0 ? `, and ${rest} more` : ''),
  );
}

/** Each distinct item once, in order of first sight, with `×n` when it came n > 1 times. */
export function counted(items: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => (n > 1 ? `${item} ×${n}` : item));
}

export function check(
  id: string,
  ok: boolean | ScenarioCheckStatus,
  text: Bilingual,
  frames: (number | null | undefined)[],
  field?: string,
): ScenarioCheck {
  const status: ScenarioCheckStatus = typeof ok === 'string' ? ok : ok ? 'done' : 'missing';
  return { id, status, text, frames: frames.filter((f): f is number => typeof f === 'number'), field };
}

export const isImage = (m: HttpMessage | null): boolean => /^image\//i.test(m?.contentType ?? '');
export const isHtml = (m: HttpMessage | null): boolean => /html/i.test(m?.contentType ?? '');

/** The frames of a message in capture order, and the one that completed it. */
export function messageFrames(m: HttpMessage): number[] {
  return [...new Set([...m.frames, m.frame])].sort((a, b) => a - b);
}

/** "1.234 ms" with three decimals. */
export const ms = (seconds: number): string => (seconds * 1000).toFixed(3);

/** Time spans of connections: when each started and ended. */
export function spans(
  ctx: ScenarioContext,
  streams: Iterable<number>,
): { stream: number; start: number; end: number }[] {
  const out: { stream: number; start: number; end: number }[] = [];
  for (const s of streams) {
    const c = ctx.connections.get(s);
    if (c) out.push({ stream: s, start: c.startTime, end: c.endTime });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The most connections open at one moment, and the streams that overlapped another one. */
export function overlap(list: { stream: number; start: number; end: number }[]): {
  max: number;
  overlapping: number[];
} {
  let max = list.length > 0 ? 1 : 0;
  const overlapping = new Set<number>();
  for (const a of list) {
    const open = list.filter((b) => b.start <= a.start && a.start < b.end);
    max = Math.max(max, open.length);
    if (open.length > 1) for (const b of open) overlapping.add(b.stream);
  }
  return { max, overlapping: [...overlapping].sort((x, y) => x - y) };
}

/** The first SYN of the connection that carried `stream`'s first request. */
export function synOf(ctx: ScenarioContext, stream: number): { frame: number; seqRaw: number } | null {
  const s = ctx.connections.get(stream)?.handshake.segments.find((h) => h.step === 1);
  return s ? { frame: s.frame, seqRaw: s.seqRaw } : null;
}
