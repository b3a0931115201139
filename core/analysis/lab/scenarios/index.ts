/**
 * analyzeScenario(): the lab scenario a capture shows (from the captured page's
 * `<meta name="wirelab-scenario">`, else from the traffic), its checklist, explanation and
 * "check yourself" questions, all filled from the capture; checkAnswer() judges a typed answer.
 */
import type { DissectedPacket } from '../../../dissect/context';
import type { LabAnalysis } from '../types';
import { basicAuth } from './basic-auth';
import { conditionalGet } from './conditional-get';
import { bi, buildContext, header, isHtml, messageFrames } from './context';
import { embeddedObjects } from './embedded-objects';
import { longDocument } from './long-document';
import { isLabScenario, type LabScenario } from './names';
import { nonPersistent } from './non-persistent';
import { profile } from './profile';
import type { ScenarioAnalyzer, ScenarioContext, ScenarioQuestion, ScenarioResult } from './types';
import { upload, uploadTcp } from './upload';

export * from './names';
export type * from './types';
export { base64Decode } from './base64';

const ANALYZERS: Record<LabScenario, ScenarioAnalyzer> = {
  profile,
  'conditional-get': conditionalGet,
  'long-document': longDocument,
  'embedded-objects': embeddedObjects,
  'non-persistent': nonPersistent,
  'basic-auth': basicAuth,
  upload,
};

/** Names and one-line descriptions of the scenarios, for pickers and reports. */
export const SCENARIO_TITLES: Record<LabScenario, { 'zh-CN': string; en: string }> = {
  profile: bi('个人主页（握手、请求、挥手）', 'Profile page (handshake, request, teardown)'),
  'conditional-get': bi('条件 GET 与 304', 'Conditional GET and 304'),
  'long-document': bi('长文档与 TCP 重组', 'Long document and TCP reassembly'),
  'embedded-objects': bi('嵌入对象与并行连接', 'Embedded objects and parallel connections'),
  'non-persistent': bi('非持久连接', 'Non-persistent connections'),
  'basic-auth': bi('HTTP 基本认证', 'HTTP basic authentication'),
  upload: bi('上传大文件（TCP 分析）', 'Uploading a large file (TCP)'),
};

const META_RE = /<meta\s+name="wirelab-scenario"\s+content="([a-z-]+)"/i;

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&amp;/g, '&');
}

/** The student's fields from a captured WireLab page (`<dt>学号 Student ID</dt><dd>…</dd>`). */
function pageProfile(ctx: ScenarioContext): ScenarioResult['profile'] {
  for (const e of ctx.exchanges) {
    const html = isHtml(e.response) ? e.response?.bodyText : undefined;
    if (!html) continue;
    const field = (label: string) => {
      const m = new RegExp(`<dt>${label}</dt>\\s*<dd>([^<]*)</dd>`).exec(html);
      const v = m ? unescapeHtml(m[1]).trim() : null;
      return v === null ? null : v === '（未填写 not set）' ? '' : v;
    };
    const studentId = field('学号 Student ID');
    const name = field('姓名 Name');
    const major = field('专业 Major');
    if (studentId !== null || name !== null || major !== null)
      return { studentId: studentId ?? '', name: name ?? '', major: major ?? '' };
  }
  return undefined;
}

/** The scenario the traffic looks like, when the page does not say. */
function fromTraffic(ctx: ScenarioContext): LabScenario {
  const ex = ctx.exchanges;
  if (ex.some((e) => e.response?.code === 401)) return 'basic-auth';
  if (ex.some((e) => e.response?.code === 304)) return 'conditional-get';
  if (ex.some((e) => e.request.method === 'POST' && e.request.bodyBytes >= 10_000)) return 'upload';
  const streams = new Set(ex.map((e) => e.stream));
  if (
    ex.length >= 2 &&
    streams.size === ex.length &&
    ex.every((e) => !e.response || /\bclose\b/i.test(header(e.response, 'Connection') ?? ''))
  )
    return 'non-persistent';
  if (ex.filter((e) => /^image\//i.test(e.response?.contentType ?? '')).length >= 6) return 'embedded-objects';
  if (ex.some((e) => e.response && isHtml(e.response) && messageFrames(e.response).length >= 4)) return 'long-document';
  return 'profile';
}

export function detectScenario(ctx: ScenarioContext): { scenario: LabScenario; source: 'page' | 'traffic' } {
  for (const e of ctx.exchanges) {
    const m = META_RE.exec((isHtml(e.response) && e.response?.bodyText) || '');
    if (m && isLabScenario(m[1])) return { scenario: m[1], source: 'page' };
  }
  return { scenario: fromTraffic(ctx), source: 'traffic' };
}

/** The question every scenario shares: the raw sequence number of the first connection's SYN. */
function synQuestion(ctx: ScenarioContext): ScenarioQuestion | null {
  const first = ctx.exchanges[0];
  const syn = first ? ctx.connections.get(first.stream)?.handshake.segments.find((s) => s.step === 1) : undefined;
  if (!first || !syn) return null;
  return {
    id: 'syn-seq',
    prompt: bi(
      `打开第一个请求（${first.request.method} ${first.request.uri}）所用连接的 SYN 段的原始序号（Sequence Number (raw)）是多少？`,
      `What is the raw sequence number of the SYN that opens the connection of the first request (${first.request.method} ${first.request.uri})?`,
    ),
    answer: String(syn.seqRaw),
    kind: 'number',
    tolerance: 0,
    frame: syn.frame,
    field: 'tcp.seq_raw',
    where: bi(
      `帧 ${syn.frame}：Sequence Number (raw)（Wireshark 默认显示的相对序号是 0）`,
      `Frame ${syn.frame}: Sequence Number (raw) (the relative number Wireshark shows by default is 0)`,
    ),
  };
}

export interface ScenarioOptions {
  /** Analyse as this scenario instead of the one the capture shows. */
  scenario?: LabScenario;
}

export function analyzeScenario(
  packets: readonly DissectedPacket[],
  analysis: LabAnalysis,
  opts: ScenarioOptions = {},
): ScenarioResult {
  const ctx = buildContext(packets, analysis);
  const detected = detectScenario(ctx);
  const scenario = opts.scenario ?? detected.scenario;
  const a = ANALYZERS[scenario];
  const syn = synQuestion(ctx);
  const result: ScenarioResult = {
    scenario,
    source: opts.scenario && opts.scenario !== detected.scenario ? 'given' : detected.source,
    checks: a.checks(ctx),
    explanation: a.explain(ctx),
    questions: [...(syn ? [syn] : []), ...a.questions(ctx)],
    profile: pageProfile(ctx),
  };
  if (scenario === 'upload') result.upload = uploadTcp(ctx);
  return result;
}

export interface AnswerVerdict {
  correct: boolean;
  /** The capture's answer. */
  expected: string;
}

/** Judges a typed answer: numbers within the question's tolerance (commas and units ignored), text exactly (trimmed). */
export function checkAnswer(q: ScenarioQuestion, typed: string): AnswerVerdict {
  const given = typed.trim();
  if (q.kind === 'number') {
    const m = /^[-+]?(\d+\.?\d*|\.\d+)/.exec(given.replace(/[,\s]/g, ''));
    const n = m ? Number(m[0]) : NaN;
    const want = Number(q.answer);
    const ok = Number.isFinite(n) && Math.abs(n - want) <= Math.abs(want) * q.tolerance + 1e-9;
    return { correct: ok, expected: q.answer };
  }
  return { correct: given === q.answer, expected: q.answer };
}

export { buildContext, header, messageFrames } from './context';
export { stevensSvg } from './stevens';
