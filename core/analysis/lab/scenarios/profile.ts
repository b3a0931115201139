/** profile: today's lab — its checklist is analyzeLab's steps; here only the handouts' questions. */
import { bi } from './context';
import type { ScenarioAnalyzer } from './types';

export const profile: ScenarioAnalyzer = {
  checks: () => [],
  explain: () => [],
  questions(ctx) {
    const main = ctx.analysis.connections.find((c) => c.stream === ctx.analysis.mainStream);
    const tx = main?.transactions.find((t) => t.kind === 'page');
    const qs = [];
    if (tx?.response)
      qs.push({
        id: 'page-status-frame',
        prompt: bi('哪一帧携带了页面的 200 OK 响应？', 'Which frame carries the page’s 200 OK response?'),
        answer: String(tx.response.frame),
        kind: 'number' as const,
        tolerance: 0,
        frame: tx.response.frame,
        field: 'http.response.code',
        where: bi(`帧 ${tx.response.frame}`, `Frame ${tx.response.frame}`),
      });
    return qs;
  },
};
