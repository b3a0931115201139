/** Toolbar "Export" menu: screenshots, capture (pcapng), dissections (text), flow graph, lab report. */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import { useExports, type ShotTarget } from './use-exports';
import type { ExportScope } from '../store/app-store';

const SHOTS: ShotTarget[] = ['window', 'list', 'details', 'bytes', 'flow', 'guide'];
const SCOPES: ExportScope[] = ['all', 'displayed', 'selected', 'marked'];

export function ExportMenu() {
  const { t } = useTranslation();
  const connected = useApp((s) => s.connected);
  const received = useApp((s) => s.progress.received);
  const selected = useApp((s) => s.selectedIndex);
  const markedCount = useApp((s) => s.marked.size);
  const exports = useExports();
  const openStats = useApp((s) => s.openStats);
  const [open, setOpen] = useState(false);
  const [withBytes, setWithBytes] = useState(true);
  const root = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    menu.current?.querySelector<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])')?.focus();
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  const run = (action: () => Promise<unknown>) => () => {
    setOpen(false);
    // Let the menu close before a screenshot is taken.
    requestAnimationFrame(() => requestAnimationFrame(() => void action()));
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      setOpen(false);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = Array.from(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    const next = items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
    next?.focus();
  };
  const none = received === 0;
  const item = (key: string, label: string, action: () => Promise<unknown>, disabled = false) => (
    <button
      key={key}
      type="button"
      role="menuitem"
      className="menu-item"
      disabled={disabled}
      aria-disabled={disabled || undefined}
      onClick={run(action)}
    >
      {label}
    </button>
  );

  return (
    <div className="menu-root" ref={root} onKeyDown={onKeyDown}>
      <button
        type="button"
        className="tb-button"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={!connected}
        title={t('toolbar.exportTitle')}
        onClick={() => setOpen((o) => !o)}
      >
        {t('toolbar.export')}
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="menu" role="menu" aria-label={t('toolbar.export')} ref={menu}>
          <div role="group" aria-label={t('exports.screenshots')}>
            <div className="menu-heading">{t('exports.screenshots')}</div>
            {SHOTS.map((s) =>
              item(`shot-${s}`, t(`exports.shotItem.${s}`), () => exports.screenshot(s), s !== 'window' && none),
            )}
          </div>
          <div role="separator" className="menu-sep" />
          <div role="group" aria-label={t('exports.capture')}>
            <div className="menu-heading">{t('exports.capture')}</div>
            {SCOPES.map((s) =>
              item(
                `cap-${s}`,
                t(`exports.captureItem.${s}`),
                () => exports.capture(s),
                none || (s === 'selected' && selected === null) || (s === 'marked' && markedCount === 0),
              ),
            )}
          </div>
          <div role="separator" className="menu-sep" />
          <div role="group" aria-label={t('exports.dissections')}>
            <div className="menu-heading">{t('exports.dissections')}</div>
            {(['selected', 'displayed', 'all', 'marked'] as ExportScope[]).map((s) =>
              item(
                `txt-${s}`,
                t(`exports.textItem.${s}`),
                () => exports.dissections(s, withBytes),
                none || (s === 'selected' && selected === null) || (s === 'marked' && markedCount === 0),
              ),
            )}
            <button
              type="button"
              role="menuitemcheckbox"
              aria-checked={withBytes}
              className="menu-item"
              onClick={() => setWithBytes((b) => !b)}
            >
              {withBytes ? '☑' : '☐'} {t('exports.includeBytes')}
            </button>
          </div>
          <div role="separator" className="menu-sep" />
          <div role="group" aria-label={t('exports.lab')}>
            <div className="menu-heading">{t('exports.lab')}</div>
            {item('flow-svg', t('exports.flowSvg'), () => exports.flowGraph('svg'), none)}
            {item('flow-png', t('exports.flowPng'), () => exports.flowGraph('png'), none)}
            {item('report-html', t('exports.reportHtml'), () => exports.report('html'), none)}
            {item('report-md', t('exports.reportMd'), () => exports.report('markdown'), none)}
          </div>
          <div role="separator" className="menu-sep" />
          <div role="group" aria-label={t('stats.exportObjects')}>
            <div className="menu-heading">{t('stats.exportObjects')}</div>
            {item('objects-http', t('stats.httpObjects'), async () => openStats('http-objects'), none)}
          </div>
        </div>
      )}
    </div>
  );
}
