import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp } from '../store/context';
import { expandKey, findItem, treeKeyAction, visibleItems, type TreeKey } from '../lib/tree-model';
import type { TreeItem } from '../worker/worker-messages';
import { PopupMenu } from './PopupMenu';
import { treeMenuEntries } from './tree-menu';

const TREE_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End']);

/** The packet-details tree (ARIA tree, flat items with aria-level). */
export function DetailTree() {
  const { t } = useTranslation();
  const detail = useApp((s) => s.detail);
  const expanded = useApp((s) => s.expanded);
  const selectedItem = useApp((s) => s.selectedItem);
  const selectItem = useApp((s) => s.selectItem);
  const toggleItem = useApp((s) => s.toggleItem);
  const setExpanded = useApp((s) => s.setExpanded);
  const expandAll = useApp((s) => s.expandAll);
  const collapseAll = useApp((s) => s.collapseAll);
  const listRef = useRef<HTMLDivElement>(null);
  const useAsFilter = useApp((s) => s.useAsFilter);
  const addColumn = useApp((s) => s.addColumn);
  const notify = useApp((s) => s.notify);
  const goToPacket = useApp((s) => s.goToPacket);
  const [menu, setMenu] = useState<{ item: TreeItem; x: number; y: number } | null>(null);

  /** Double-click / Enter on a link (`[Response in frame: 12]`) jumps there; elsewhere it expands. */
  const activate = (item: TreeItem) => {
    if (item.frameRef !== undefined) void goToPacket(item.frameRef);
    else toggleItem(item.id);
  };
  const openMenuAtSelection = () => {
    const item = detail && selectedItem !== null ? findItem(detail.tree, selectedItem) : null;
    if (!item) return;
    const r = document.getElementById(`tree-item-${item.id}`)?.getBoundingClientRect();
    setMenu({ item, x: (r?.left ?? 0) + 40, y: r?.bottom ?? 0 });
  };

  const visible = useMemo(() => (detail ? visibleItems(detail.tree, expanded) : []), [detail, expanded]);

  useEffect(() => {
    if (selectedItem === null) return;
    document.getElementById(`tree-item-${selectedItem}`)?.scrollIntoView?.({ block: 'nearest' });
  }, [selectedItem, visible]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      openMenuAtSelection();
      e.preventDefault();
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'i') {
      const item = detail && selectedItem !== null ? findItem(detail.tree, selectedItem) : null;
      if (item?.field) addColumn(item.field, item.name ?? item.field);
      e.preventDefault();
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      const item = detail && selectedItem !== null ? findItem(detail.tree, selectedItem) : null;
      if (item) {
        if (e.key === 'Enter') activate(item);
        else toggleItem(item.id);
      }
      e.preventDefault();
      return;
    }
    if (e.key === '*' && detail) {
      expandAll();
      e.preventDefault();
      return;
    }
    if (!TREE_KEYS.has(e.key)) return;
    e.preventDefault();
    const action = treeKeyAction(visible, expanded, selectedItem, e.key as TreeKey);
    if (action.kind === 'select') selectItem(action.id);
    else if (action.kind === 'expand') setExpanded(action.key, true);
    else if (action.kind === 'collapse') setExpanded(action.key, false);
  };

  return (
    <section className="pane detail-pane">
      <div className="pane-toolbar">
        <button type="button" className="mini-button" onClick={expandAll} disabled={!detail}>
          {t('details.expandAll')}
        </button>
        <button type="button" className="mini-button" onClick={collapseAll} disabled={!detail}>
          {t('details.collapseAll')}
        </button>
      </div>
      <div
        ref={listRef}
        className="tree"
        role="tree"
        aria-label={t('details.label')}
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={selectedItem !== null ? `tree-item-${selectedItem}` : undefined}
      >
        {!detail && <div className="pane-empty">{t('details.empty')}</div>}
        {visible.map(({ item, depth }) => {
          const hasChildren = Boolean(item.children);
          const open = hasChildren && expanded.has(expandKey(item));
          const isSelected = item.id === selectedItem;
          return (
            <div
              key={item.id}
              id={`tree-item-${item.id}`}
              role="treeitem"
              aria-level={depth + 1}
              aria-expanded={hasChildren ? open : undefined}
              aria-selected={isSelected}
              data-field={item.field}
              data-frame-ref={item.frameRef}
              className={`tree-item${isSelected ? ' is-selected' : ''}${item.generated ? ' is-generated' : ''}${item.frameRef !== undefined ? ' is-link' : ''}`}
              style={{ paddingLeft: 4 + depth * 16 }}
              onMouseDown={(e) => {
                if (e.button !== 0) return;
                selectItem(item.id);
                listRef.current?.focus();
                e.preventDefault();
              }}
              onDoubleClick={() => activate(item)}
              onContextMenu={(e) => {
                e.preventDefault();
                selectItem(item.id);
                setMenu({ item, x: e.clientX, y: e.clientY });
              }}
            >
              <span
                className={`tree-twisty${hasChildren ? '' : ' is-leaf'}`}
                aria-hidden="true"
                onMouseDown={(e) => {
                  if (!hasChildren) return;
                  e.stopPropagation();
                  e.preventDefault();
                  selectItem(item.id);
                  toggleItem(item.id);
                  listRef.current?.focus();
                }}
              >
                {hasChildren ? (open ? '▾' : '▸') : ''}
              </span>
              <span className="tree-label">{item.label}</span>
            </div>
          );
        })}
      </div>
      {menu && (
        <PopupMenu
          label={t('ctx.details')}
          x={menu.x}
          y={menu.y}
          entries={treeMenuEntries(menu.item, t, { useAsFilter, addColumn, notify, goToPacket })}
          onClose={() => setMenu(null)}
          restoreFocus={listRef.current}
        />
      )}
    </section>
  );
}
