/**
 * The lab guide's scenario part: pick an assignment of the HTTP/TCP lab (one click: the
 * server switches, a fresh capture starts, then the page opens), the scenario's checklist and
 * explanation filled from the capture (analyzeScenario, in the worker), and "Check yourself":
 * the handouts' questions, each answered by typing a value and checked against this capture,
 * with a link to where the answer is (frame and tree item).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../store/context';
import { LAB_SCENARIOS, SCENARIO_TITLES, checkAnswer, type LabScenario } from '../../core/analysis/lab/scenarios';
import type { AnswerVerdict, ScenarioQuestion, ScenarioResult } from '../../core/analysis/lab/scenarios';
import { findFirst } from '../lib/tree-model';
import { FrameLinks } from './FrameLink';

const ICON = { done: '✓', partial: '◐', missing: '✗' } as const;

/** Selects `frame` and, in its detail tree, the item showing `field` (its parents expanded). */
function useShowAnswer(): (frame: number, field?: string) => Promise<void> {
  const store = useAppStore();
  return async (frame, field) => {
    if (!(await store.getState().goToPacket(frame)) || !field) return;
    const item = findFirst(store.getState().detail?.tree ?? [], (i) => i.field === field);
    if (item) store.getState().revealItem(item.id);
  };
}

function Question({ q, lang }: { q: ScenarioQuestion; lang: 'zh-CN' | 'en' }) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [verdict, setVerdict] = useState<AnswerVerdict | null>(null);
  const show = useShowAnswer();
  const id = `quiz-${q.id}`;
  return (
    <li data-question={q.id} data-verdict={verdict ? (verdict.correct ? 'right' : 'wrong') : undefined}>
      <label htmlFor={id}>{q.prompt[lang]}</label>
      <form
        className="quiz-answer"
        onSubmit={(e) => {
          e.preventDefault();
          setVerdict(checkAnswer(q, typed));
        }}
      >
        <input id={id} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        {q.unit && <span className="muted"> {q.unit[lang]} </span>}
        <button type="submit" className="mini-button">
          {t('scenario.check')}
        </button>
      </form>
      {verdict && (
        <p className={`quiz-verdict ${verdict.correct ? 'right' : 'wrong'}`} role="status">
          {verdict.correct ? t('scenario.right') : t('scenario.wrong', { answer: verdict.expected })} {q.where[lang]}{' '}
          {q.frame !== null && (
            <button type="button" className="mini-button" onClick={() => void show(q.frame as number, q.field)}>
              {t('scenario.showWhere', { frame: q.frame })}
            </button>
          )}
        </p>
      )}
    </li>
  );
}

export function ScenarioGuide({ result }: { result: ScenarioResult | undefined }) {
  const { t } = useTranslation();
  const language = useApp((s) => s.language);
  const startLab = useApp((s) => s.startLab);
  const running = useApp((s) => s.status?.server.state === 'running');
  const connected = useApp((s) => s.connected);
  const lang = language === 'zh-CN' ? 'zh-CN' : 'en';
  const [picked, setPicked] = useState<LabScenario | null>(null);
  const current = picked ?? result?.scenario ?? 'profile';
  return (
    <section className="guide-scenario" aria-label={t('scenario.label')} data-scenario={result?.scenario}>
      <div className="scenario-picker">
        <label htmlFor="scenario-select">{t('scenario.picker')}</label>{' '}
        <select id="scenario-select" value={current} onChange={(e) => setPicked(e.target.value as LabScenario)}>
          {LAB_SCENARIOS.map((s) => (
            <option key={s} value={s}>
              {SCENARIO_TITLES[s][lang]}
            </option>
          ))}
        </select>{' '}
        <button
          type="button"
          className="mini-button"
          disabled={!connected}
          onClick={() => void startLab({ scenario: current })}
        >
          {running ? t('scenario.switch') : t('scenario.run')}
        </button>
        <p className="muted scenario-todo">{t(`scenario.todo.${current}`)}</p>
      </div>
      {result && (
        <>
          <p className="scenario-shown" data-source={result.source}>
            {t(`scenario.shown.${result.source}`, { title: SCENARIO_TITLES[result.scenario][lang] })}
          </p>
          {result.checks.length > 0 && (
            <>
              <h3>{t('scenario.checklist')}</h3>
              <ol className="guide-steps" aria-label={t('scenario.checklist')}>
                {result.checks.map((c) => (
                  <li key={c.id} data-check={c.id} data-status={c.status} className={`step step-${c.status}`}>
                    <span className="step-icon" aria-hidden="true">
                      {ICON[c.status]}
                    </span>
                    <span className="step-name">{c.text[lang]}</span> <FrameLinks frames={c.frames.slice(0, 10)} />
                  </li>
                ))}
              </ol>
            </>
          )}
          {result.explanation.length > 0 && (
            <section className="guide-explain" aria-label={t('scenario.explanation')} lang={lang}>
              <h3>{t('scenario.explanation')}</h3>
              {result.explanation.map((p, i) => (
                <p key={i}>
                  {p.text[lang]} <FrameLinks frames={p.frames.slice(0, 8)} />
                </p>
              ))}
            </section>
          )}
          {result.questions.length > 0 && (
            <section className="guide-quiz" aria-label={t('scenario.quiz')}>
              <h3>{t('scenario.quiz')}</h3>
              <ol>
                {result.questions.map((q) => (
                  <Question key={`${result.scenario}-${q.id}`} q={q} lang={lang} />
                ))}
              </ol>
            </section>
          )}
        </>
      )}
    </section>
  );
}
