/** The detail tree's context menu (Wireshark's): Apply as Column, Apply / Prepare as Filter, Copy, Go to Linked Packet. */
import type { TFunction } from 'i18next';
import type { FilterCombine } from '../../core/filter/match-selected';
import type { TreeItem } from '../worker/worker-messages';
import type { AppActions } from '../store/app-store';
import type { MenuEntry } from './PopupMenu';

export const FILTER_COMBINES: FilterCombine[] = ['selected', 'not', 'and', 'or', 'and_not', 'or_not'];

/** Copy → Value: what the item shows after its name (`Set`, `46062`, `/`). */
export function itemValueText(item: TreeItem): string {
  const label = item.label.replace(/^\[|\]$/g, '');
  if (item.name) {
    const at = label.indexOf(`${item.name}: `);
    if (at >= 0) return label.slice(at + item.name.length + 2);
  }
  return item.value ?? label;
}

export async function copyText(text: string, notify: AppActions['notify'], t: TFunction): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    notify('info', t('ctx.copied', { text, interpolation: { escapeValue: false } }));
  } catch {
    notify('error', t('ctx.copyFailed', { text, interpolation: { escapeValue: false } }));
  }
}

export function filterSubmenu(
  key: string,
  filter: string | undefined,
  apply: boolean,
  t: TFunction,
  use: AppActions['useAsFilter'],
): MenuEntry[] {
  return FILTER_COMBINES.map((how) => ({
    key: `${key}-${how}`,
    label: t(`ctx.${how}`),
    disabled: !filter,
    action: () => (filter ? use(filter, how, apply) : undefined),
  }));
}

export function treeMenuEntries(
  item: TreeItem,
  t: TFunction,
  actions: Pick<AppActions, 'useAsFilter' | 'addColumn' | 'notify' | 'goToPacket'>,
): MenuEntry[] {
  const entries: MenuEntry[] = [
    {
      key: 'column',
      label: t('ctx.applyAsColumn'),
      shortcut: 'Ctrl+Shift+I',
      disabled: !item.field || item.field.startsWith('_ws.'),
      action: () => {
        if (item.field) actions.addColumn(item.field, item.name ?? item.field);
      },
    },
    {
      key: 'apply',
      label: t('ctx.applyAsFilter'),
      separator: true,
      disabled: !item.filter,
      submenu: filterSubmenu('apply', item.filter, true, t, actions.useAsFilter),
    },
    {
      key: 'prepare',
      label: t('ctx.prepareAsFilter'),
      disabled: !item.filter,
      submenu: filterSubmenu('prepare', item.filter, false, t, actions.useAsFilter),
    },
    {
      key: 'copy',
      label: t('ctx.copy'),
      separator: true,
      submenu: [
        { key: 'copy-summary', label: t('ctx.copySummary'), action: () => copyText(item.label, actions.notify, t) },
        {
          key: 'copy-field',
          label: t('ctx.copyFieldName'),
          disabled: !item.field,
          action: () => (item.field ? copyText(item.field, actions.notify, t) : undefined),
        },
        {
          key: 'copy-value',
          label: t('ctx.copyValue'),
          action: () => copyText(itemValueText(item), actions.notify, t),
        },
        {
          key: 'copy-filter',
          label: t('ctx.copyAsFilter'),
          disabled: !item.filter,
          action: () => (item.filter ? copyText(item.filter, actions.notify, t) : undefined),
        },
      ],
    },
  ];
  if (item.frameRef !== undefined) {
    const frame = item.frameRef;
    entries.push({
      key: 'linked',
      label: t('ctx.goToLinked', { frame }),
      separator: true,
      action: () => actions.goToPacket(frame),
    });
  }
  return entries;
}
