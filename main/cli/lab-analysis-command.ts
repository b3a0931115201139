/**
 * `wirelab -r FILE -z lab`: the lab analysis as plain text — the checklist with its frames,
 * each connection's handshake, HTTP, teardown and both ends' TCP states, and the notes.
 */
import type { DissectedPacket } from '../../core/dissect/context';
import { analyzeLab } from '../../core/analysis/lab/analyze';
import { explainLab, stepName, stepStatusText, type LabLang } from '../../core/analysis/lab/explain';
import type { LabAnalysis, LabConnection } from '../../core/analysis/lab/types';
import { analyzeScenario, SCENARIO_TITLES, type ScenarioResult } from '../../core/analysis/lab/scenarios';

const RULE = '='.repeat(80);

function ep(e: { address: string; port: number }): string {
  return e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;
}

function connectionText(c: LabConnection, lang: LabLang): string[] {
  const zh = lang === 'zh-CN';
  const p = (a: string, b: string) => (zh ? a : b);
  const out: string[] = [];
  const role =
    c.role === 'page'
      ? p('HTTP', 'HTTP')
      : c.role === 'unused'
        ? c.unusedKind === 'closed-at-once'
          ? p('未使用（立即关闭）', 'unused (closed at once)')
          : p('未使用（预连接）', 'unused (preconnect)')
        : p('其他数据', 'other data');
  out.push(`${p('连接', 'Connection')} ${c.stream}: ${ep(c.client)} -> ${ep(c.server)}  IPv${c.ipVersion}  [${role}]`);
  const dir = (d: string) =>
    d === 'client' ? p('浏览器→服务器', 'client->server') : p('服务器→浏览器', 'server->client');
  out.push(
    `  ${p('握手', 'Handshake')}:${c.handshake.segments.length ? '' : ' ' + p('（抓包中没有）', '(not captured)')}`,
  );
  for (const s of c.handshake.segments) {
    const opts = [
      s.mss !== null ? `MSS=${s.mss}` : '',
      s.wscaleMultiplier !== null ? `WS=${s.wscaleMultiplier}` : '',
      s.sackPerm ? 'SACK_PERM' : '',
    ]
      .filter(Boolean)
      .join(' ');
    out.push(
      `    ${s.step}. #${s.frame} ${dir(s.direction)} [${s.flags}] seq=${s.seq} (raw ${s.seqRaw}) ack=${s.ack} (raw ${s.ackRaw}) win=${s.window}${opts ? ' ' + opts : ''}  -> ${s.states.client}/${s.states.server}`,
    );
  }
  if (c.transactions.length) out.push(`  HTTP:`);
  for (const t of c.transactions) {
    const r = t.response;
    out.push(
      `    #${t.request.frame} ${t.request.method} ${t.request.uri}` +
        (r
          ? `  ->  #${r.frame} ${r.code} ${r.phrase}${r.contentType ? ` (${r.contentType})` : ''} ${r.bodyBytes} B, ${((t.duration ?? 0) * 1000).toFixed(3)} ms`
          : `  -> ${p('无响应', 'no response')}`),
    );
  }
  const td = c.teardown;
  out.push(
    `  ${p('挥手', 'Teardown')}: ${td.kind}${td.initiator ? `, ${p('先关闭', 'first FIN by')} ${td.initiator}` : ''}${td.kind !== 'none' ? `, ${p('原因', 'reason')} ${td.reason}` : ''}${td.idleBeforeClose !== null ? `, ${p('空闲', 'idle')} ${td.idleBeforeClose.toFixed(3)} s` : ''}`,
  );
  for (const s of td.segments) {
    out.push(
      `    ${s.step}. #${s.frame} ${dir(s.direction)} [${s.flags}] ${s.role} seq=${s.seq} (raw ${s.seqRaw}) ack=${s.ack} (raw ${s.ackRaw})  -> ${s.states.client}/${s.states.server}`,
    );
  }
  out.push(
    `  ${p('状态', 'States')} (${p('浏览器/服务器', 'client/server')}): ${c.initialStates.client}/${c.initialStates.server}`,
  );
  let prev = `${c.initialStates.client}/${c.initialStates.server}`;
  for (const s of c.states) {
    const now = `${s.states.client}/${s.states.server}`;
    if (now === prev) continue;
    out.push(`    #${s.frame} [${s.flags}] -> ${now}`);
    prev = now;
  }
  if (c.duplicateFrames.length) out.push(`  ${p('重复帧', 'Duplicate frames')}: ${c.duplicateFrames.join(', ')}`);
  return out;
}

/** Text for `-z lab`, in the chosen language. */
export function formatLabAnalysisText(analysis: LabAnalysis, lang: LabLang): string {
  const zh = lang === 'zh-CN';
  const p = (a: string, b: string) => (zh ? a : b);
  const out: string[] = [
    RULE,
    p(
      `实验分析（服务器端口 ${analysis.serverPort ?? '?'}）`,
      `Lab analysis (server port ${analysis.serverPort ?? '?'})`,
    ),
    RULE,
  ];
  out.push(p('步骤:', 'Steps:'));
  for (const s of analysis.steps) {
    const mark = s.status === 'done' ? '[x]' : s.status === 'partial' ? '[~]' : s.status === 'unknown' ? '[?]' : '[ ]';
    out.push(
      `  ${mark} ${stepName(s.id, lang)}: ${stepStatusText(s.status, lang)}${s.frames.length ? `  (${p('帧', 'frames')} ${s.frames.join(', ')})` : ''}`,
    );
  }
  out.push('');
  for (const c of analysis.connections) {
    out.push(...connectionText(c, lang));
    out.push('');
  }
  const explanation = explainLab(analysis, lang);
  const notes = explanation.sections.filter(
    (s) => s.id === 'notes' || s.id.startsWith('connection-') || s.id === 'overview',
  );
  for (const s of notes) {
    out.push(`${s.title}:`);
    for (const para of s.paragraphs) out.push(`  ${para.text}`);
  }
  out.push(RULE);
  return out.join('\n') + '\n';
}

/** The scenario part: which assignment the capture shows, its checklist, explanation and questions (no answers). */
export function formatScenarioText(result: ScenarioResult, lang: LabLang): string {
  const p = (a: string, b: string) => (lang === 'zh-CN' ? a : b);
  const title = SCENARIO_TITLES[result.scenario][lang];
  const how = {
    page: p('抓到的页面标明', 'the captured page says so'),
    traffic: p('根据流量判断', 'from its traffic'),
    given: p('指定', 'as asked'),
  };
  const out = [`${p('场景', 'Scenario')}: ${result.scenario} — ${title} (${how[result.source]})`];
  for (const c of result.checks) {
    const mark = c.status === 'done' ? '[x]' : c.status === 'partial' ? '[~]' : '[ ]';
    out.push(
      `  ${mark} ${c.text[lang]}${c.frames.length ? `  (${p('帧', 'frames')} ${c.frames.slice(0, 12).join(', ')})` : ''}`,
    );
  }
  for (const e of result.explanation) out.push(`  ${e.text[lang]}`);
  if (result.questions.length) {
    out.push(`${p('自我检测', 'Check yourself')}:`);
    result.questions.forEach((q, i) => out.push(`  ${i + 1}. ${q.prompt[lang]}`));
  }
  out.push(RULE);
  return out.join('\n') + '\n';
}

/** Convenience for the CLI: analyse dissected packets and format the text (the lab, then its scenario). */
export function labAnalysisText(packets: readonly DissectedPacket[], lang: LabLang, serverPort?: number): string {
  const analysis = analyzeLab(packets, serverPort === undefined ? {} : { serverPort });
  return formatLabAnalysisText(analysis, lang) + formatScenarioText(analyzeScenario(packets, analysis), lang);
}

/** zh-CN where the system locale is Chinese (or WIRELAB_LANG says so), English otherwise. */
export function labLanguage(): LabLang {
  const wanted = process.env.WIRELAB_LANG ?? Intl.DateTimeFormat().resolvedOptions().locale;
  return /^zh/i.test(wanted) ? 'zh-CN' : 'en';
}
