/**
 * Statistics › I/O Graph: packets or bytes per interval of the current source, optionally of the
 * packets a display filter keeps, counted in the worker and drawn as SVG; saved as SVG or PNG.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../../store/context';
import { saveOutput } from '../../lib/desktop';
import { svgToPng } from '../../lib/screenshot';
import { IO_INTERVALS, MAX_IO_INTERVALS, type IoGraphResult } from '../../worker/io-graph-intervals';
import { ioGraphSvg } from './io-graph-svg';
import { trimmed } from './format';

const intervalLabel = (s: number) => (s < 1 ? `${Math.round(s * 1000)} ms` : `${s} s`);

export function IoGraphView() {
  const { t } = useTranslation();
  const store = useAppStore();
  const theme = useApp((s) => s.theme);
  const generation = useApp((s) => s.progress.generation);
  const [interval, setIntervalSeconds] = useState(1);
  const [draft, setDraft] = useState('');
  const [filter, setFilter] = useState('');
  const [metric, setMetric] = useState<'packets' | 'bytes'>('packets');
  const [state, setState] = useState<
    | { kind: 'loading'; done: number; total: number }
    | { kind: 'ready'; result: IoGraphResult }
    | { kind: 'error'; message: string }
  >({ kind: 'loading', done: 0, total: 0 });

  useEffect(() => {
    let live = true;
    setState({ kind: 'loading', done: 0, total: 0 });
    store
      .getState()
      .ioGraph(interval, filter, (done, total) => live && setState({ kind: 'loading', done, total }))
      .then(
        (result) => live && setState({ kind: 'ready', result }),
        (error: unknown) =>
          live && setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
      );
    return () => {
      live = false;
    };
  }, [interval, filter, generation, store]);

  const what = t(metric === 'packets' ? 'stats.io.packets' : 'stats.io.bytes');
  const title = t('stats.io.chart', { what, interval: intervalLabel(interval) });
  const svg = useMemo(
    () =>
      state.kind === 'ready'
        ? ioGraphSvg(state.result, { metric, title, xLabel: t('stats.io.time'), yLabel: what, theme })
        : '',
    [state, metric, title, what, theme, t],
  );
  const base = `${store.getState().fileBase()}-io-graph`;

  return (
    <div>
      <form
        className="stats-io-controls"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(draft.trim());
        }}
      >
        <label className="tb-field">
          <span>{t('stats.io.interval')}</span>
          <select
            aria-label={t('stats.io.interval')}
            value={interval}
            onChange={(e) => setIntervalSeconds(Number(e.target.value))}
          >
            {IO_INTERVALS.map((s) => (
              <option key={s} value={s}>
                {intervalLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label className="tb-field">
          <span>{t('stats.col.count')}</span>
          <select
            aria-label={t('stats.col.count')}
            value={metric}
            onChange={(e) => setMetric(e.target.value as 'packets' | 'bytes')}
          >
            <option value="packets">{t('stats.io.packets')}</option>
            <option value="bytes">{t('stats.io.bytes')}</option>
          </select>
        </label>
        <label className="tb-field">
          <span>{t('stats.io.filter')}</span>
          <input
            type="text"
            aria-label={t('stats.io.filter')}
            aria-invalid={state.kind === 'error' || undefined}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        <button type="submit" className="tb-button">
          {t('stats.io.apply')}
        </button>
      </form>
      {state.kind === 'loading' && (
        <p className="muted">{t('stats.loading', { done: state.done, total: state.total })}</p>
      )}
      {state.kind === 'error' && (
        <p className="status-error" role="alert">
          {t('stats.io.badFilter', { message: state.message })}
        </p>
      )}
      {state.kind === 'ready' && (
        <>
          <div className="stats-io-chart" dangerouslySetInnerHTML={{ __html: svg }} />
          <p className="muted">{t('stats.counted', { count: state.result.counted })}</p>
          {state.result.beyond > 0 && (
            <p className="form-warning" role="status" data-testid="io-beyond">
              {t('stats.io.beyond', {
                intervals: MAX_IO_INTERVALS,
                shown: trimmed(state.result.packets.length * state.result.interval, 3),
                duration: trimmed(state.result.duration, 3),
                count: state.result.beyond,
              })}
            </p>
          )}
          <div className="dialog-buttons">
            <button
              type="button"
              className="tb-button"
              onClick={() => void saveOutput('png', `${base}.svg`, svg, 'image/svg+xml')}
            >
              {t('stats.io.svg')}
            </button>
            <button
              type="button"
              className="tb-button"
              onClick={async () => {
                const png = await svgToPng(svg);
                await saveOutput('png', `${base}.png`, png.bytes, 'image/png');
              }}
            >
              {t('stats.io.png')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}
