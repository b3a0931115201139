/** Electron: the application menu's actions (window.wirelab.desktop.onMenu) mapped to the UI. */
import { useEffect } from 'react';
import { useAppStore } from '../store/context';
import { desktopApi } from '../lib/desktop';
import type { MenuAction } from '../../bridge/desktop-api';
import { useExports } from './use-exports';
import { TIME_FORMATS, type TimeFormat } from '../../core/dissect/time-format';
import type { StatsDialogKind } from '../store/app-store';

const STATS_DIALOG = {
  'stats-properties': 'properties',
  'stats-hierarchy': 'hierarchy',
  'stats-conversations': 'conversations',
  'stats-endpoints': 'endpoints',
  'stats-expert': 'expert',
  'stats-io': 'io',
} as const satisfies Partial<Record<MenuAction, StatsDialogKind>>;

export function useDesktopMenu(): void {
  const store = useAppStore();
  const exports = useExports();
  useEffect(() => {
    const desktop = desktopApi();
    if (!desktop) return;
    const onAction = async (action: MenuAction) => {
      const state = store.getState();
      switch (action) {
        case 'open': {
          const file = await desktop.chooseCaptureFile();
          if (file) await state.openCapture(file);
          return;
        }
        case 'save':
        case 'save-as':
          await exports.capture('all');
          return;
        case 'export-dissections':
          await exports.dissections('displayed', true);
          return;
        case 'export-screenshot':
          await exports.screenshot('window');
          return;
        case 'start-lab':
          await state.startLab();
          return;
        case 'stop-lab':
          await state.stopLab();
          return;
        case 'capture-options':
          state.setCaptureOptionsOpen(true);
          return;
        case 'focus-filter':
          document.querySelector<HTMLInputElement>('.filter-field input')?.focus();
          return;
        case 'theme-light':
        case 'theme-dark':
          state.setTheme(action === 'theme-dark' ? 'dark' : 'light');
          return;
        case 'theme-system':
          state.setTheme(window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
          return;
        case 'language-en':
        case 'language-zh-CN':
          state.setLanguage(action === 'language-en' ? 'en' : 'zh-CN');
          return;
        case 'stats-properties':
        case 'stats-hierarchy':
        case 'stats-conversations':
        case 'stats-endpoints':
        case 'stats-expert':
        case 'stats-io':
          state.openStats(STATS_DIALOG[action]);
          return;
        case 'export-objects-http':
          state.openStats('http-objects');
          return;
        case 'find-packet':
          state.openFind();
          return;
        case 'toggle-mark':
          state.toggleMark();
          return;
        case 'unmark-all':
          state.unmarkAll();
          return;
        case 'toggle-time-reference':
          state.toggleTimeReference();
          return;
        case 'go-back':
          await state.goBack();
          return;
        case 'go-forward':
          await state.goForward();
          return;
        case 'toggle-diagram':
          state.setDiagramOpen(!state.diagramOpen);
          return;
        default:
          if (action.startsWith('time-format-')) {
            const format = action.slice('time-format-'.length);
            if ((TIME_FORMATS as string[]).includes(format)) state.setTimeFormat(format as TimeFormat);
          }
      }
    };
    return desktop.onMenu((action) => void onAction(action));
  }, [store, exports]);
}
