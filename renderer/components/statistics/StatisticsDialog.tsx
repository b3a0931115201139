/**
 * The open Statistics dialog (or File › Export Objects › HTTP): asks the worker for the
 * statistics of the current source (a pass over its packets there, with progress) and shows
 * the chosen view. Refresh asks again (a live capture grows).
 */
import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../../store/context';
import type { StatsDialogKind } from '../../store/app-store';
import type { StatisticsResult } from '../../worker/statistics-types';
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
      .statistics((done, total) => live && setLoaded({ state: 'loading', done, total }))
      .then((result) => {
        if (live) setLoaded(result ? { state: 'ready', result } : null);
      });
    return () => {
      live = false;
    };
    // A new source or Refresh: ask again. Switching dialogs reuses the worker's cached pass.
  }, [kind, generation, request, store]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);

  if (!kind) return null;
  let body: ReactNode;
  if (kind === 'io') body = <IoGraphView />;
  else if (!loaded) body = <p className="muted">{t('stats.empty')}</p>;
  else if (loaded.state === 'loading')
    body = (
      <div className="stats-progress">
        <p className="muted">{t('stats.loading', { done: loaded.done, total: loaded.total })}</p>
        <progress max={loaded.total || 1} value={loaded.done} aria-label={t('stats.loading', loaded)} />
      </div>
    );
  else {
    const result = loaded.result;
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
          {kind !== 'io' && loaded?.state === 'ready' && (
            <span className="muted stats-counted">{t('stats.counted', { count: loaded.result.packets })}</span>
          )}
          {kind !== 'io' && (
            <button type="button" className="tb-button" onClick={load} disabled={loaded?.state === 'loading'}>
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
