/**
 * Follow TCP Stream / Follow HTTP Stream for the selected packet's stream: client text in red,
 * server text in blue (Wireshark's colours), whole conversation or one direction, ASCII or hex,
 * and "Save as…" for the text shown.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../store/context';
import { renderHttpStreamText, renderStreamText, type Direction } from '../../core/analysis/lab/stream';
import type { FollowResult } from '../worker/worker-messages';
import { saveOutput } from '../lib/desktop';

export type FollowDirection = 'both' | Direction;

/** The pieces shown for the chosen view: one per TCP chunk or HTTP message, with its side. */
export function followPieces(
  result: FollowResult,
  kind: 'tcp' | 'http',
  direction: FollowDirection,
  mode: 'ascii' | 'hex',
): { direction: Direction; frame: number; text: string }[] {
  const keep = (d: Direction) => direction === 'both' || d === direction;
  if (kind === 'http') {
    return result.messages
      .filter((m) => keep(m.direction))
      .map((m) => ({
        direction: m.direction,
        frame: m.frame,
        text: renderHttpStreamText([m]).split('\n').slice(1).join('\n'),
      }));
  }
  return result.chunks
    .filter((c) => keep(c.direction))
    .map((c) => ({
      direction: c.direction,
      frame: c.frame,
      text: renderStreamText([c], { mode: mode === 'hex' ? 'hex' : 'text', headers: false, maxChunkChars: 200_000 }),
    }));
}

export function FollowDialog() {
  const { t } = useTranslation();
  const store = useAppStore();
  const follow = useApp((s) => s.follow);
  const selectedIndex = useApp((s) => s.selectedIndex);
  const close = useApp((s) => s.closeFollow);
  const [kind, setKind] = useState<'tcp' | 'http'>(follow?.kind ?? 'tcp');
  const [direction, setDirection] = useState<FollowDirection>('both');
  const [mode, setMode] = useState<'ascii' | 'hex'>('ascii');
  const [result, setResult] = useState<FollowResult | null | 'loading'>('loading');
  const titleId = useId();

  useEffect(() => {
    if (follow) setKind(follow.kind);
  }, [follow]);
  useEffect(() => {
    if (!follow || selectedIndex === null) return;
    let live = true;
    setResult('loading');
    void store
      .getState()
      .followStream(selectedIndex)
      .then((r) => live && setResult(r));
    return () => {
      live = false;
    };
  }, [follow, selectedIndex, store]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && close();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);

  const pieces = useMemo(
    () => (result && result !== 'loading' ? followPieces(result, kind, direction, mode) : []),
    [result, kind, direction, mode],
  );
  if (!follow) return null;
  const ready = result && result !== 'loading' ? result : null;
  const title = ready
    ? t(kind === 'tcp' ? 'follow.titleTcp' : 'follow.titleHttp', { stream: ready.stream })
    : t('follow.title');
  const bytes = (d: Direction) =>
    ready ? ready.chunks.filter((c) => c.direction === d).reduce((n, c) => n + c.bytes.length, 0) : 0;
  const end = (e: { address: string; port: number }) =>
    e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`;

  const onSave = async () => {
    if (!ready) return;
    const text = pieces.map((p) => p.text).join('\n');
    const name = `${store.getState().fileBase()}-${kind}-stream-${ready.stream}.txt`;
    await saveOutput('dissection', name, text, 'text/plain;charset=utf-8');
  };

  return (
    <div className="dialog-backdrop">
      <div className="dialog follow-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>{title}</h2>
        <div className="follow-controls">
          <label className="tb-field">
            <span>{t('follow.kind')}</span>
            <select
              aria-label={t('follow.kind')}
              value={kind}
              onChange={(e) => setKind(e.target.value as 'tcp' | 'http')}
            >
              <option value="tcp">TCP</option>
              <option value="http">HTTP</option>
            </select>
          </label>
          <label className="tb-field">
            <span>{t('follow.direction')}</span>
            <select
              aria-label={t('follow.direction')}
              value={direction}
              onChange={(e) => setDirection(e.target.value as FollowDirection)}
            >
              <option value="both">{t('follow.both', { bytes: bytes('client') + bytes('server') })}</option>
              <option value="client">
                {ready ? `${end(ready.endpoints.client)} → ${end(ready.endpoints.server)}` : t('guide.c2s')} (
                {bytes('client')} B)
              </option>
              <option value="server">
                {ready ? `${end(ready.endpoints.server)} → ${end(ready.endpoints.client)}` : t('guide.s2c')} (
                {bytes('server')} B)
              </option>
            </select>
          </label>
          <label className="tb-field">
            <span>{t('follow.showAs')}</span>
            <select
              aria-label={t('follow.showAs')}
              value={mode}
              disabled={kind === 'http'}
              onChange={(e) => setMode(e.target.value as 'ascii' | 'hex')}
            >
              <option value="ascii">ASCII</option>
              <option value="hex">Hex Dump</option>
            </select>
          </label>
        </div>
        <div className="follow-text" role="document" aria-label={t('follow.content')} tabIndex={0}>
          {result === 'loading' && <div className="muted">{t('follow.loading')}</div>}
          {result === null && <div className="muted">{t('follow.notTcp')}</div>}
          {ready && pieces.length === 0 && <div className="muted">{t('follow.noData')}</div>}
          {pieces.map((p, i) => (
            <pre key={i} className={`follow-${p.direction}`} data-direction={p.direction} data-frame={p.frame}>
              {p.text}
            </pre>
          ))}
        </div>
        <p className="muted follow-legend">
          <span className="follow-client">{t('follow.clientLegend')}</span>{' '}
          <span className="follow-server">{t('follow.serverLegend')}</span>
        </p>
        <div className="dialog-buttons">
          <button type="button" className="tb-button" onClick={() => void onSave()} disabled={!ready}>
            {t('follow.save')}
          </button>
          <button type="button" className="tb-button" onClick={close}>
            {t('follow.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
