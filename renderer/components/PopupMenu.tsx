/**
 * A context / drop-down menu with submenus, after the WAI-ARIA menu pattern: ↑/↓ move, → opens
 * a submenu, ← closes it, Enter/Space activate, Escape or a click elsewhere closes.
 */
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface MenuEntry {
  key: string;
  label: string;
  action?: () => void | Promise<unknown>;
  disabled?: boolean;
  /** menuitemcheckbox / menuitemradio when set. */
  checked?: boolean;
  radio?: boolean;
  shortcut?: string;
  submenu?: MenuEntry[];
  /** A separator before this entry. */
  separator?: boolean;
}

interface Props {
  entries: MenuEntry[];
  label: string;
  /** Viewport position of the top-left corner. */
  x: number;
  y: number;
  onClose(): void;
  /** Return focus here when the menu closes by keyboard. */
  restoreFocus?: HTMLElement | null;
}

export function PopupMenu({ entries, label, x, y, onClose, restoreFocus }: Props) {
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) onClose();
    };
    const onBlur = () => onClose();
    window.addEventListener('mousedown', onDown, true);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('mousedown', onDown, true);
      window.removeEventListener('blur', onBlur);
    };
  }, [onClose]);
  const close = () => {
    onClose();
    restoreFocus?.focus();
  };
  return (
    <div ref={root} className="popup-root">
      <MenuList entries={entries} label={label} x={x} y={y} onDone={close} onBack={close} autoFocus />
    </div>
  );
}

function MenuList({
  entries,
  label,
  x,
  y,
  onDone,
  onBack,
  autoFocus,
}: {
  entries: MenuEntry[];
  label: string;
  x: number;
  y: number;
  onDone(): void;
  onBack(): void;
  autoFocus?: boolean;
}) {
  const menu = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [pos, setPos] = useState({ x, y });
  const [sub, setSub] = useState<{ x: number; y: number } | null>(null);

  // Keep the menu inside the window.
  useLayoutEffect(() => {
    const el = menu.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    const nx = Math.max(0, Math.min(x, window.innerWidth - r.width - 4));
    const ny = Math.max(0, Math.min(y, window.innerHeight - r.height - 4));
    if (nx !== pos.x || ny !== pos.y) setPos({ x: nx, y: ny });
  }, [x, y, pos.x, pos.y]);

  useEffect(() => {
    if (autoFocus) menu.current?.querySelector<HTMLElement>('[role^="menuitem"]:not([aria-disabled="true"])')?.focus();
  }, [autoFocus]);

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLElement>(':scope > [role^="menuitem"]') ?? []);

  const openSub = (entry: MenuEntry, el: HTMLElement, focus: boolean) => {
    const r = el.getBoundingClientRect();
    setSub({ x: r.right - 2, y: r.top - 4 });
    setOpen(entry.key);
    if (focus)
      requestAnimationFrame(() =>
        menu.current?.querySelector<HTMLElement>(`[data-sub="${entry.key}"] [role^="menuitem"]`)?.focus(),
      );
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.target instanceof HTMLElement && !e.target.parentElement?.isSameNode(menu.current)) return;
    const list = items();
    const i = list.indexOf(document.activeElement as HTMLElement);
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        const n = list.length;
        for (let k = 1; k <= n; k++) {
          const next = list[(i + (e.key === 'ArrowDown' ? k : n - k) + n) % n];
          if (next.getAttribute('aria-disabled') !== 'true') {
            next.focus();
            break;
          }
        }
        break;
      }
      case 'ArrowRight': {
        const entry = entries.find((en) => en.key === list[i]?.dataset.key);
        if (entry?.submenu && list[i]) openSub(entry, list[i], true);
        break;
      }
      case 'ArrowLeft':
      case 'Escape':
        onBack();
        break;
      case 'Tab':
        onDone();
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      ref={menu}
      className="menu popup-menu"
      role="menu"
      aria-label={label}
      style={{ position: 'fixed', left: pos.x, top: pos.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {entries.map((entry) => {
        const role = entry.checked === undefined ? 'menuitem' : entry.radio ? 'menuitemradio' : 'menuitemcheckbox';
        const isOpen = open === entry.key;
        return [
          entry.separator ? <div key={`${entry.key}-sep`} role="separator" className="menu-sep" /> : null,
          <button
            key={entry.key}
            type="button"
            role={role}
            data-key={entry.key}
            className={`menu-item${isOpen ? ' is-open' : ''}`}
            aria-checked={entry.checked}
            aria-disabled={entry.disabled || undefined}
            aria-haspopup={entry.submenu ? 'menu' : undefined}
            aria-expanded={entry.submenu ? isOpen : undefined}
            tabIndex={-1}
            onMouseEnter={(e) => {
              if (entry.submenu && !entry.disabled) openSub(entry, e.currentTarget, false);
              else setOpen(null);
            }}
            onClick={(e) => {
              if (entry.disabled) return;
              if (entry.submenu) {
                openSub(entry, e.currentTarget, true);
                return;
              }
              onDone();
              void entry.action?.();
            }}
          >
            {entry.checked !== undefined && (
              <span className="menu-check" aria-hidden="true">
                {entry.checked ? (entry.radio ? '●' : '✓') : ''}
              </span>
            )}
            <span className="menu-label">{entry.label}</span>
            {entry.shortcut && <span className="menu-shortcut">{entry.shortcut}</span>}
            {entry.submenu && (
              <span className="menu-arrow" aria-hidden="true">
                ▸
              </span>
            )}
          </button>,
          isOpen && entry.submenu && sub ? (
            <div key={`${entry.key}-sub`} data-sub={entry.key} className="submenu-slot">
              <MenuList
                entries={entry.submenu}
                label={entry.label}
                x={sub.x}
                y={sub.y}
                onDone={onDone}
                onBack={() => {
                  setOpen(null);
                  menu.current?.querySelector<HTMLElement>(`[data-key="${entry.key}"]`)?.focus();
                }}
              />
            </div>
          ) : null,
        ];
      })}
    </div>
  );
}
