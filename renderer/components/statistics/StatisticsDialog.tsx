/**
 * The open Statistics dialog (or File › Export Objects › HTTP): asks the worker for the
 * statistics of the current source (a pass over its packets there, with progress) and shows
 * the chosen view. Refresh asks again (a live capture grows).
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../../store/context';
import type { StatsDialogKind } from '../../store/app-store';
import { scopeAnswers, type StatisticsResult, type StatisticsScope } from '../../worker/statistics-types';
import { ConversationsView } from './ConversationsView';
import { HierarchyView } from './HierarchyView';
import { ExpertView } from './ExpertView';
import { PropertiesView } from './PropertiesView';
import { HttpObjectsView } from './HttpObjectsView';
import { IoGraphView } from './IoGraphView';
import './statistics.css';

const TITLE_KEYS: Record<StatsDialogKind, string> = {
  properties: 'stats.properties',
  hierarchy: 'stats.hierarchy',
  conversations: 'stats.conversations',
  endpoints: 'stats.endpoints',
  expert: 'stats.expert',
  io: 'stats.ioGraph',
  'http-objects': 'stats.httpObjectsTitle',
};

/** The pass each dialog reads: only Export Objects (the HTTP bodies) needs whole trees (StatisticsScope). */
const SCOPES: Record<Exclude<StatsDialogKind, 'io'>, StatisticsScope> = {
  properties: 'tables',
  conversations: 'tables',
  endpoints: 'tables',
  hierarchy: 'protocols',
  expert: 'protocols',
  'http-objects': 'all',
};

type Loaded = { state: 'loading'; done: number; total: number } | { state: 'ready'; result: StatisticsResult } | null;

export function StatisticsDialog() {
  const { t } = useTranslation();
  const store = useAppStore();
  const kind = useApp((s) => s.statsDialog);
  const generation = useApp((s) => s.progress.generation);
  const close = useApp((s) => s.closeStats);
  const [loaded, setLoaded] = useState<Loaded>(null);
  const [request, setRequest] = useState(0);
  const titleId = useId();

  const load = useCallback(() => setRequest((n) => n + 1), []);
  useEffect(() => {
    if (!kind || kind === 'io') return;
    let live = true;
    setLoaded({ state: 'loading', done: 0, total: 0 });
    void store
      .getState()
      .statistics(SCOPES[kind], (done, total) => live && setLoaded({ state: 'loading', done, total }))
      .then((result) => {
        if (live) setLoaded(result ? { state: 'ready', result } : null);
      });
    return () => {
      live = false;
    };
    // A new source or Refresh: ask again. Switching dialogs reuses the worker's cached pass when
    // it has what the dialog reads.
  }, [kind, generation, request, store]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);

  if (!kind) return null;
  // Until the effect above asks again, a dialog just switched to still holds the last result,
  // which may lack what it reads (a 'tables' result, opened on Protocol Hierarchy).
  const shown =
    loaded?.state === 'ready' && kind !== 'io' && !scopeAnswers(loaded.result.scope, SCOPES[kind])
      ? ({ state: 'loading', done: 0, total: 0 } as const)
      : loaded;
  let body: ReactNode;
  if (kind === 'io') body = <IoGraphView />;
  else if (!shown) body = <p className="muted">{t('stats.empty')}</p>;
  else if (shown.state === 'loading')
    body = (
      <div className="stats-progress">
        <p className="muted">{t('stats.loading', { done: shown.done, total: shown.total })}</p>
        <progress max={shown.total || 1} value={shown.done} aria-label={t('stats.loading', shown)} />
      </div>
    );
  else {
    const result = shown.result;
    if (result.packets === 0) body = <p className="muted">{t('stats.empty')}</p>;
    else if (kind === 'conversations' || kind === 'endpoints')
      body = <ConversationsView result={result} endpoints={kind === 'endpoints'} />;
    else if (kind === 'hierarchy') body = <HierarchyView result={result} />;
    else if (kind === 'expert') body = <ExpertView result={result} />;
    else if (kind === 'properties') body = <PropertiesView result={result} />;
    else body = <HttpObjectsView result={result} />;
  }

  return (
    <div className="dialog-backdrop stats-backdrop">
      <div className={`dialog stats-dialog stats-${kind}`} role="dialog" aria-modal="false" aria-labelledby={titleId}>
        <h2 id={titleId}>{t(TITLE_KEYS[kind])}</h2>
        <div className="stats-body">{body}</div>
        <div className="dialog-buttons">
          {kind !== 'io' && shown?.state === 'ready' && (
            <span className="muted stats-counted">{t('stats.counted', { count: shown.result.packets })}</span>
          )}
          {kind !== 'io' && (
            <button type="button" className="tb-button" onClick={load} disabled={shown?.state === 'loading'}>
              {t('stats.refresh')}
            </button>
          )}
          <button type="button" className="tb-button" onClick={close}>
            {t('stats.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
