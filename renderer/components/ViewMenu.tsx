/**
 * The toolbar's "View" menu (the browser shell's counterpart of Electron's View / Go / Edit
 * menu items): Packet Diagram, Time Display Format, time reference, marks, Back / Forward, Find.
 */
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../store/context';
import { TIME_FORMATS } from '../../core/dissect/time-format';
import type { MenuEntry } from './PopupMenu';
import { ToolbarMenu } from './ToolbarMenu';

export function ViewMenu() {
  const { t } = useTranslation();
  const store = useAppStore();
  const connected = useApp((s) => s.connected);

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

  return <ToolbarMenu label={t('view.menu')} disabled={!connected} entries={entries} />;
}
