/**
 * The toolbar's "View" menu (the browser shell's counterpart of Electron's View / Go / Edit
 * menu items): Packet Diagram, Time Display Format, time reference, marks, Back / Forward, Find.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../store/context';
import { TIME_FORMATS } from '../../core/dissect/time-format';
import { PopupMenu, type MenuEntry } from './PopupMenu';

export function ViewMenu() {
  const { t } = useTranslation();
  const store = useAppStore();
  const connected = useApp((s) => s.connected);
  const button = useRef<HTMLButtonElement>(null);
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);

  const entries = (): MenuEntry[] => {
    const s = store.getState();
    const none = s.selectedIndex === null;
    return [
      {
        key: 'diagram',
        label: t('view.diagram'),
        checked: s.diagramOpen,
        action: () => s.setDiagramOpen(!s.diagramOpen),
      },
      {
        key: 'time',
        label: t('view.timeFormat'),
        separator: true,
        submenu: TIME_FORMATS.map((f) => ({
          key: `time-${f}`,
          label: t(`view.formats.${f}`),
          radio: true,
          checked: s.timeFormat === f,
          action: () => s.setTimeFormat(f),
        })),
      },
      {
        key: 'ref',
        label: t('view.timeRef'),
        shortcut: 'Ctrl+T',
        disabled: none,
        action: () => s.toggleTimeReference(),
      },
      {
        key: 'mark',
        label: t('view.mark'),
        shortcut: 'Ctrl+M',
        separator: true,
        disabled: none,
        action: () => s.toggleMark(),
      },
      { key: 'unmark', label: t('view.unmarkAll'), disabled: s.marked.size === 0, action: () => s.unmarkAll() },
      {
        key: 'back',
        label: t('view.back'),
        shortcut: 'Alt+←',
        separator: true,
        disabled: s.historyAt <= 0,
        action: () => s.goBack(),
      },
      {
        key: 'forward',
        label: t('view.forward'),
        shortcut: 'Alt+→',
        disabled: s.historyAt >= s.history.length - 1,
        action: () => s.goForward(),
      },
      { key: 'find', label: t('view.find'), shortcut: 'Ctrl+F', separator: true, action: () => s.openFind() },
    ];
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="tb-button"
        aria-haspopup="menu"
        aria-expanded={at !== null}
        disabled={!connected}
        onClick={() => {
          if (at) {
            setAt(null);
            return;
          }
          const r = button.current?.getBoundingClientRect();
          setAt({ x: r?.left ?? 0, y: r?.bottom ?? 0 });
        }}
      >
        {t('view.menu')}
        <span aria-hidden="true">▾</span>
      </button>
      {at && (
        <PopupMenu
          label={t('view.menu')}
          x={at.x}
          y={at.y}
          entries={entries()}
          onClose={() => setAt(null)}
          restoreFocus={button.current}
        />
      )}
    </>
  );
}
