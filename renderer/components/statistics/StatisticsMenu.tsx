/** Toolbar "Statistics" menu (Wireshark's Statistics menu): one item per dialog. */
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../../store/context';
import type { StatsDialogKind } from '../../store/app-store';
import { ToolbarMenu } from '../ToolbarMenu';

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
  const store = useAppStore();
  const connected = useApp((s) => s.connected);
  return (
    <ToolbarMenu
      label={t('stats.menu')}
      title={t('stats.menuTitle')}
      disabled={!connected}
      entries={() => {
        const s = store.getState();
        return STATISTICS_ITEMS.map(({ kind, key }) => ({
          key: kind,
          label: t(key),
          disabled: s.progress.received === 0,
          action: () => s.openStats(kind),
        }));
      }}
    />
  );
}
