/**
 * The report's scenario section: the scenario's checklist and explanation, then what its
 * handout asks to show, with the real frames and values — the 304 and its headers, the
 * reassembly list, the connection timeline, the 401/Authorization pair, the upload's RTT table
 * and its Stevens graph.
 */
import type { DissectedPacket } from '../dissect/context';
import type { LabLang } from '../analysis/lab/explain';
import type { HttpMessage } from '../analysis/lab/stream';
import type { LabAnalysis } from '../analysis/lab/types';
import {
  analyzeScenario,
  buildContext,
  header,
  messageFrames,
  SCENARIO_TITLES,
  stevensSvg,
  type ScenarioResult,
} from '../analysis/lab/scenarios';

/** The report blocks this section uses (the same shapes as build-report.ts's blocks). */
export type ScenarioBlock =
  | { t: 'h2' | 'h3'; text: string; id?: string }
  | { t: 'p'; text: string }
  | { t: 'list'; items: string[]; ordered?: boolean }
  | { t: 'code'; text: string }
  | { t: 'svg'; svg: string; file: string; caption: string };

function messageText(m: HttpMessage): string {
  return [m.startLine, ...m.headers.map((h) => `${h.name}: ${h.value}`)].join('\n');
}

export function scenarioSection(
  packets: readonly DissectedPacket[],
  analysis: LabAnalysis,
  lang: LabLang,
  result: ScenarioResult = analyzeScenario(packets, analysis),
): ScenarioBlock[] {
  if (result.scenario === 'profile') return [];
  const zh = lang === 'zh-CN';
  const p = (a: string, b: string) => (zh ? a : b);
  const ctx = buildContext(packets, analysis);
  const byNumber = new Map(packets.map((pk) => [pk.number, pk]));
  const frameLine = (n: number) => {
    const pk = byNumber.get(n);
    return pk
      ? `${pk.number}\t${pk.timeRelative.toFixed(6)}\t${pk.columns.protocol}\t${pk.record.originalLength}\t${pk.columns.info}`
      : `${n}`;
  };
  const out: ScenarioBlock[] = [
    {
      t: 'h2',
      text: p(
        `五、场景：${SCENARIO_TITLES[result.scenario][lang]}`,
        `5. Scenario: ${SCENARIO_TITLES[result.scenario][lang]}`,
      ),
      id: 'scenario',
    },
    {
      t: 'list',
      items: result.checks.map(
        (c) =>
          `${c.status === 'done' ? '✓' : c.status === 'partial' ? '◐' : '✗'} ${c.text[lang]}${c.frames.length ? ` (${p('帧', 'frames')} ${c.frames.slice(0, 12).join(', ')})` : ''}`,
      ),
    },
    ...result.explanation.map((e): ScenarioBlock => ({ t: 'p', text: e.text[lang] })),
  ];
  const ex = ctx.exchanges;
  switch (result.scenario) {
    case 'conditional-get': {
      const cond = ex.find((e) => e.response?.code === 304);
      if (cond?.response) {
        out.push({
          t: 'h3',
          text: p(
            `5.1 条件 GET（帧 ${cond.request.frame}）与 304 响应（帧 ${cond.response.frame}）`,
            `5.1 The conditional GET (frame ${cond.request.frame}) and the 304 (frame ${cond.response.frame})`,
          ),
        });
        out.push({ t: 'code', text: `${messageText(cond.request)}\n\n${messageText(cond.response)}` });
        out.push({
          t: 'p',
          text: p(
            `304 之后没有实体主体（${cond.response.bodyBytes} 字节）。`,
            `Nothing follows the 304's headers (${cond.response.bodyBytes} body bytes).`,
          ),
        });
      }
      break;
    }
    case 'long-document': {
      const doc = ex
        .filter((e) => e.response)
        .sort((a, b) => (b.response?.totalBytes ?? 0) - (a.response?.totalBytes ?? 0))[0]?.response;
      if (doc) {
        const frames = messageFrames(doc);
        out.push({
          t: 'h3',
          text: p(
            `5.1 重组：${frames.length} 个 TCP 段，共 ${doc.totalBytes} 字节`,
            `5.1 Reassembly: ${frames.length} TCP segments, ${doc.totalBytes} bytes`,
          ),
        });
        out.push({ t: 'code', text: frames.map(frameLine).join('\n') });
      }
      break;
    }
    case 'embedded-objects':
    case 'non-persistent': {
      const streams = [...new Set(ex.map((e) => e.stream))];
      const rows = streams.map((s) => {
        const c = ctx.connections.get(s);
        const reqs = ex.filter((e) => e.stream === s).map((e) => e.request.uri);
        return `${s}\t${c?.client.port ?? ''}\t${(c?.startTime ?? 0).toFixed(6)}\t${(c?.endTime ?? 0).toFixed(6)}\t${reqs.join(' ')}`;
      });
      out.push({ t: 'h3', text: p('5.1 连接时间线', '5.1 Connection timeline') });
      out.push({
        t: 'code',
        text: [
          p('连接\t客户端端口\t开始(秒)\t结束(秒)\t请求', 'stream\tclient port\tstart (s)\tend (s)\trequests'),
          ...rows,
        ].join('\n'),
      });
      break;
    }
    case 'basic-auth': {
      const denied = ex.find((e) => e.response?.code === 401);
      const retry = ex.find((e) => header(e.request, 'Authorization') !== undefined);
      if (denied?.response && retry) {
        out.push({
          t: 'h3',
          text: p('5.1 401 与带 Authorization 的重试', '5.1 The 401 and the retry with Authorization'),
        });
        out.push({ t: 'code', text: `${messageText(denied.request)}\n\n${messageText(denied.response)}` });
        const cred = result.questions.find((q) => q.id === 'credentials')?.answer;
        out.push({ t: 'code', text: `${messageText(retry.request)}${cred ? `\n    Credentials: ${cred}` : ''}` });
      }
      break;
    }
    case 'upload': {
      const up = result.upload;
      if (up) {
        out.push({ t: 'h3', text: p('5.1 RTT 与 EstimatedRTT', '5.1 RTT and EstimatedRTT') });
        out.push({
          t: 'code',
          text: [
            p(
              '数据段\t序号\t长度\tACK 帧\tSampleRTT(毫秒)\tEstimatedRTT(毫秒)',
              'segment\tseq\tlength\tACK frame\tSampleRTT (ms)\tEstimatedRTT (ms)',
            ),
            ...up.rtt.map(
              (r) =>
                `${r.segmentFrame}\t${r.seq}\t${r.len}\t${r.ackFrame}\t${r.sampleMs.toFixed(3)}\t${r.estimatedMs.toFixed(3)}`,
            ),
          ].join('\n'),
        });
        out.push({
          t: 'p',
          text: p(
            `吞吐量：${up.bytes} 字节 ÷ ${up.seconds.toFixed(6)} 秒 ≈ ${Math.round(up.throughput)} 字节/秒。`,
            `Throughput: ${up.bytes} bytes / ${up.seconds.toFixed(6)} s ≈ ${Math.round(up.throughput)} bytes/s.`,
          ),
        });
        const svg = stevensSvg(up, lang);
        out.push({
          t: 'svg',
          svg,
          file: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`,
          caption: p('时间–序号图（Stevens）', 'Time–sequence graph (Stevens)'),
        });
      }
      break;
    }
  }
  if (result.questions.length) {
    out.push({ t: 'h3', text: p('自我检测（答案来自本次抓包）', 'Check yourself (answers from this capture)') });
    out.push({
      t: 'list',
      ordered: true,
      items: result.questions.map(
        (q) => `${q.prompt[lang]} — ${q.answer}${q.unit ? ` ${q.unit[lang]}` : ''} (${q.where[lang]})`,
      ),
    });
  }
  return out;
}
