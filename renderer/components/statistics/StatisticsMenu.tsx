/** Toolbar "Statistics" menu (Wireshark's Statistics menu): one item per dialog. */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../../store/context';
import type { StatsDialogKind } from '../../store/app-store';

export const STATISTICS_ITEMS: { kind: StatsDialogKind; key: string }[] = [
  { kind: 'properties', key: 'stats.properties' },
  { kind: 'hierarchy', key: 'stats.hierarchy' },
  { kind: 'conversations', key: 'stats.conversations' },
  { kind: 'endpoints', key: 'stats.endpoints' },
  { kind: 'expert', key: 'stats.expert' },
  { kind: 'io', key: 'stats.ioGraph' },
];

export function StatisticsMenu() {
  const { t } = useTranslation();
  const connected = useApp((s) => s.connected);
  const received = useApp((s) => s.progress.received);
  const openStats = useApp((s) => s.openStats);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('mousedown', onDown);
    menu.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
    return () => window.removeEventListener('mousedown', onDown);
  }, [open]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      setOpen(false);
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    e.preventDefault();
    const items = Array.from(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const i = items.indexOf(document.activeElement as HTMLElement);
    items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
  };

  return (
    <div className="menu-root" ref={root} onKeyDown={onKeyDown}>
      <button
        type="button"
        className="tb-button"
        aria-haspopup="menu"
        aria-expanded={open}
        disabled={!connected}
        title={t('stats.menuTitle')}
        onClick={() => setOpen((o) => !o)}
      >
        {t('stats.menu')}
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <div className="menu" role="menu" aria-label={t('stats.menu')} ref={menu}>
          {STATISTICS_ITEMS.map(({ kind, key }) => (
            <button
              key={kind}
              type="button"
              role="menuitem"
              className="menu-item"
              disabled={received === 0}
              aria-disabled={received === 0 || undefined}
              onClick={() => {
                setOpen(false);
                openStats(kind);
              }}
            >
              {t(key)}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
