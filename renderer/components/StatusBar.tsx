import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import { findItem } from '../lib/tree-model';

export function StatusBar() {
  const { t } = useTranslation();
  const marked = useApp((s) => s.marked.size);
  const status = useApp((s) => s.status);
  const connected = useApp((s) => s.connected);
  const progress = useApp((s) => s.progress);
  const detail = useApp((s) => s.detail);
  const selectedItem = useApp((s) => s.selectedItem);

  const capture = status?.capture;
  const server = status?.server;
  const source = status?.source;
  const total = Math.max(progress.dissected, 0);
  const percent = total > 0 ? ((progress.displayed / total) * 100).toFixed(1) : '0.0';
  const loading = progress.dissected < progress.received;
  const item = detail && selectedItem !== null ? findItem(detail.tree, selectedItem) : null;

  return (
    <footer className="status-bar" role="status" aria-label={t('status.label')}>
      <span className={`status-led is-${capture?.state ?? 'idle'}`} aria-hidden="true" />
      <span className="status-item" data-testid="capture-state">
        {t('status.capture')}: {t(`status.captureStates.${capture?.state ?? 'idle'}`)}
        {capture?.backend ? ` (${capture.backend}${capture.device ? ` · ${capture.device}` : ''})` : ''}
      </span>
      <span className="status-item" data-testid="server-url">
        {server?.state === 'running' && server.url ? (
          <>
            {t('status.server')}:{' '}
            <a href={server.url} target="_blank" rel="noreferrer">
              {server.url}
            </a>
          </>
        ) : (
          t('status.serverStopped')
        )}
      </span>
      {source && source.kind !== 'none' && (
        <span className="status-item">
          {source.kind === 'file' ? t('status.file', { name: source.name ?? '' }) : t('status.live')}
        </span>
      )}
      {item?.field && <span className="status-item status-field">{item.field}</span>}
      <span className="status-spacer" />
      {loading && (
        <span className="status-item status-progress" data-testid="loading">
          {t('status.loading', { count: progress.dissected })}
        </span>
      )}
      {progress.filtering && (
        <span className="status-item status-progress">
          {t('status.filtering', { done: progress.filtering.done, total: progress.filtering.total })}
        </span>
      )}
      <span className="status-item" data-testid="packet-counts">
        {t('status.packets', { captured: progress.dissected, shown: progress.displayed, percent })}
      </span>
      {marked > 0 && (
        <span className="status-item" data-testid="marked-count">
          {t('mark.count', { count: marked })}
        </span>
      )}
      {capture && capture.dropped > 0 && (
        <span className="status-item">{t('status.dropped', { dropped: capture.dropped })}</span>
      )}
      {!connected && <span className="status-item status-error">●</span>}
    </footer>
  );
}
