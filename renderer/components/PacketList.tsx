import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApp, useAppStore } from '../store/context';
import type { SortColumn } from '../worker/worker-messages';
import type { TimeFormat } from '../../core/dissect/time-format';
import { conversationFilters } from '../../core/filter/match-selected';
import { PopupMenu, type MenuEntry } from './PopupMenu';
import { useFixedRows } from './fixed-rows';
import { filterSubmenu } from './tree-menu';
import { findItem } from '../lib/tree-model';

export const ROW_HEIGHT = 20;
export const HEADER_HEIGHT = 24;

const COLUMNS: { key: SortColumn; label: string; className: string }[] = [
  { key: 'number', label: 'columns.number', className: 'c-no' },
  { key: 'time', label: 'columns.time', className: 'c-time' },
  { key: 'source', label: 'columns.source', className: 'c-src' },
  { key: 'destination', label: 'columns.destination', className: 'c-dst' },
  { key: 'protocol', label: 'columns.protocol', className: 'c-proto' },
  { key: 'length', label: 'columns.length', className: 'c-len' },
  { key: 'info', label: 'columns.info', className: 'c-info' },
];

/** Width of the Time column for each Time Display Format (dates need more room). */
const TIME_WIDTH: Record<TimeFormat, number> = {
  relative: 96,
  delta: 96,
  delta_displayed: 96,
  time_of_day: 140,
  date_time: 215,
  utc_time_of_day: 140,
  utc_date_time: 215,
  epoch: 175,
};

/** The Info column's least width: it takes the rest of the row. */
const INFO_MIN_WIDTH = 300;

/** Wireshark shows marked packets white on black. */
const MARKED = { background: '#000000', color: '#ffffff' };

/** The packet list: a virtualised ARIA grid, coloured by the coloring rules. */
export function PacketList() {
  const { t } = useTranslation();
  const displayed = useApp((s) => s.progress.displayed);
  const rows = useApp((s) => s.rows);
  const sort = useApp((s) => s.sort);
  const selected = useApp((s) => s.selectedPosition);
  const scrollRequest = useApp((s) => s.scrollRequest);
  const live = useApp((s) => s.status?.capture.state === 'running');
  const filterApplied = useApp((s) => s.filterApplied);
  const ensureRows = useApp((s) => s.ensureRows);
  const selectPosition = useApp((s) => s.selectPosition);
  const setSort = useApp((s) => s.setSort);
  const goToPacket = useApp((s) => s.goToPacket);
  const timeFormat = useApp((s) => s.timeFormat);
  const customColumns = useApp((s) => s.customColumns);
  const store = useAppStore();
  const [menu, setMenu] = useState<{ entries: MenuEntry[]; label: string; x: number; y: number } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [goTo, setGoTo] = useState<string | null>(null);

  // Fixed-height rows: O(visible rows) whatever the list's length (see fixed-rows.ts).
  const {
    rows: items,
    totalHeight,
    viewport,
    scrollToIndex,
    setFollowing,
  } = useFixedRows({
    count: displayed,
    rowHeight: ROW_HEIGHT,
    // The sticky column header sits above the rows inside the same scroll box.
    headerHeight: HEADER_HEIGHT,
    overscan: 12,
    scrollRef,
    // Follow new packets during a live capture, unless the user scrolled away.
    followEnd: live,
  });
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index + 1 : 0;

  useEffect(() => {
    if (last > first) ensureRows(first, last);
  }, [first, last, rows, ensureRows]);

  useEffect(() => {
    if (selected !== null && scrollRequest > 0) scrollToIndex(selected, 'auto');
  }, [scrollRequest, selected, scrollToIndex]);

  const move = (position: number) => {
    if (displayed === 0) return;
    const p = Math.max(0, Math.min(displayed - 1, position));
    setFollowing(p === displayed - 1);
    void selectPosition(p);
  };

  const pageRows = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);

  const fixedWidths = [64, TIME_WIDTH[timeFormat], 150, 150, 78, 64, ...customColumns.map((c) => c.width)];
  const gridTemplateColumns = [...fixedWidths.map((w) => `${w}px`), `minmax(${INFO_MIN_WIDTH}px, 1fr)`].join(' ');
  // The rows are as wide as the list (or as their columns, if wider): a long Info is cut at the
  // edge, as in Wireshark. A row sized by its text (max-content) made every new row measure its
  // cells' text, and a row's layout reach the whole list: most of a live capture's frames.
  const rowsWidth = `max(100%, ${fixedWidths.reduce((a, b) => a + b, INFO_MIN_WIDTH)}px)`;

  const rowMenu = async (position: number, x: number, y: number) => {
    await selectPosition(position);
    const state = store.getState();
    const conversations = conversationFilters(state.detail?.tree ?? []);
    // As Wireshark's packet list: Apply / Prepare as Filter use the field selected in the details.
    const field = state.detail && state.selectedItem !== null ? findItem(state.detail.tree, state.selectedItem) : null;
    const use = store.getState().useAsFilter;
    const entries: MenuEntry[] = [
      { key: 'mark', label: t('view.mark'), shortcut: 'Ctrl+M', action: () => store.getState().toggleMark() },
      {
        key: 'ref',
        label: t('view.timeRef'),
        shortcut: 'Ctrl+T',
        action: () => store.getState().toggleTimeReference(),
      },
      {
        key: 'apply',
        label: t('ctx.applyAsFilter'),
        separator: true,
        disabled: !field?.filter,
        submenu: filterSubmenu('apply', field?.filter, true, t, use),
      },
      {
        key: 'prepare',
        label: t('ctx.prepareAsFilter'),
        disabled: !field?.filter,
        submenu: filterSubmenu('prepare', field?.filter, false, t, use),
      },
      {
        key: 'conversation',
        label: t('ctx.conversationFilter'),
        disabled: conversations.length === 0,
        submenu: conversations.map((c) => ({
          key: `conv-${c.name}`,
          label: c.name,
          action: () => store.getState().useAsFilter(c.filter, 'selected', true),
        })),
      },
    ];
    setMenu({ entries, label: t('ctx.list'), x, y });
  };

  const headerMenu = (index: number, x: number, y: number) => {
    const entries: MenuEntry[] = [
      {
        key: 'left',
        label: t('ctx.moveLeft'),
        disabled: index === 0,
        action: () => store.getState().moveColumn(index, -1),
      },
      {
        key: 'right',
        label: t('ctx.moveRight'),
        disabled: index === customColumns.length - 1,
        action: () => store.getState().moveColumn(index, 1),
      },
      {
        key: 'remove',
        label: t('ctx.removeColumn'),
        separator: true,
        action: () => store.getState().removeColumn(index),
      },
    ];
    setMenu({ entries, label: t('ctx.header'), x, y });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = selected ?? -1;
    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
      e.preventDefault();
      if (selected === null) return;
      const r = document.getElementById(`pkt-row-${selected}`)?.getBoundingClientRect();
      void rowMenu(selected, (r?.left ?? 0) + 60, r?.bottom ?? 0);
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'g') {
      e.preventDefault();
      setGoTo('');
      return;
    }
    switch (e.key) {
      case 'ArrowDown':
        move(current + 1);
        break;
      case 'ArrowUp':
        move(current < 0 ? 0 : current - 1);
        break;
      case 'PageDown':
        move(current + pageRows);
        break;
      case 'PageUp':
        move(current - pageRows);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(displayed - 1);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div className="packet-list">
      <div
        ref={scrollRef}
        className="packet-list-scroll"
        role="grid"
        aria-label={t('list.label')}
        aria-rowcount={displayed + 1}
        aria-colcount={COLUMNS.length + customColumns.length}
        aria-multiselectable="false"
        tabIndex={0}
        onKeyDown={onKeyDown}
        aria-activedescendant={selected !== null ? `pkt-row-${selected}` : undefined}
      >
        <div className="pl-header" role="rowgroup">
          <div className="pl-row pl-header-row" role="row" aria-rowindex={1} style={{ gridTemplateColumns }}>
            {COLUMNS.map((c) => {
              const sorted = sort?.column === c.key;
              const custom =
                c.key === 'info'
                  ? customColumns.map((col, i) => (
                      <div
                        key={`custom-${col.field}`}
                        role="columnheader"
                        className="pl-cell c-custom"
                        data-field={col.field}
                        title={col.field}
                        onContextMenu={(e) => {
                          e.preventDefault();
                          headerMenu(i, e.clientX, e.clientY);
                        }}
                      >
                        <span className="pl-custom-title">{col.title}</span>
                        <ColumnResizer
                          label={t('ctx.resize', { title: col.title })}
                          width={col.width}
                          onResize={(w) => store.getState().resizeColumn(i, w)}
                        />
                      </div>
                    ))
                  : null;
              return [
                custom,
                <div
                  key={c.key}
                  role="columnheader"
                  className={`pl-cell ${c.className}`}
                  aria-sort={sorted ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" className="pl-sort" onClick={() => void setSort(c.key)} tabIndex={-1}>
                    {t(c.label)}
                    {sorted && <span aria-hidden="true">{sort.descending ? ' ▼' : ' ▲'}</span>}
                  </button>
                </div>,
              ];
            })}
          </div>
        </div>
        <div role="rowgroup" className="pl-body" style={{ height: totalHeight, width: rowsWidth }}>
          {items.map((v) => {
            const row = rows.get(v.index);
            const isSelected = v.index === selected;
            return (
              <div
                key={v.index}
                id={`pkt-row-${v.index}`}
                role="row"
                aria-rowindex={v.index + 2}
                aria-selected={isSelected}
                data-index={v.index}
                data-number={row?.number}
                data-marked={row?.marked ? 'true' : undefined}
                data-ref={row?.ref ? 'true' : undefined}
                className={`pl-row${isSelected ? ' is-selected' : ''}${row?.marked ? ' is-marked' : ''}`}
                title={row?.rule}
                style={{
                  gridTemplateColumns,
                  transform: `translateY(${v.top}px)`,
                  background: isSelected ? undefined : row?.marked ? MARKED.background : row?.background,
                  color: isSelected ? undefined : row?.marked ? MARKED.color : row?.foreground,
                }}
                onMouseDown={(e) => {
                  if (e.button !== 0) return;
                  setFollowing(v.index === displayed - 1);
                  void selectPosition(v.index);
                }}
                onContextMenu={(e) => {
                  e.preventDefault();
                  setFollowing(false);
                  void rowMenu(v.index, e.clientX, e.clientY);
                }}
              >
                {row ? (
                  <>
                    <div role="gridcell" className="pl-cell c-no">
                      {row.number}
                    </div>
                    <div role="gridcell" className="pl-cell c-time">
                      {row.timeText ?? row.time.toFixed(6)}
                    </div>
                    <div role="gridcell" className="pl-cell c-src">
                      {row.source}
                    </div>
                    <div role="gridcell" className="pl-cell c-dst">
                      {row.destination}
                    </div>
                    <div role="gridcell" className="pl-cell c-proto">
                      {row.protocol}
                    </div>
                    <div role="gridcell" className="pl-cell c-len">
                      {row.length}
                    </div>
                    {customColumns.map((c, i) => (
                      <div key={`custom-${c.field}`} role="gridcell" className="pl-cell c-custom" data-field={c.field}>
                        {row.custom?.[i] ?? ''}
                      </div>
                    ))}
                    {/* Cut at the row's edge: the whole Info on hover. */}
                    <div role="gridcell" className="pl-cell c-info" title={row.info}>
                      {row.info}
                    </div>
                  </>
                ) : (
                  <div role="gridcell" className="pl-cell c-loading" aria-busy="true" />
                )}
              </div>
            );
          })}
        </div>
        {displayed === 0 && (
          <div className="pane-empty">{filterApplied ? t('list.emptyFiltered') : t('list.empty')}</div>
        )}
      </div>
      {goTo !== null && (
        <form
          className="goto"
          onSubmit={async (e) => {
            e.preventDefault();
            const n = Number.parseInt(goTo, 10);
            setGoTo(null);
            if (Number.isFinite(n)) await goToPacket(n, 'report');
            scrollRef.current?.focus();
          }}
        >
          <label>
            {t('list.goToPrompt')}
            <input
              autoFocus
              inputMode="numeric"
              aria-label={t('list.goTo')}
              value={goTo}
              onChange={(e) => setGoTo(e.target.value.replace(/\D/g, ''))}
              onKeyDown={(e) => {
                if (e.key === 'Escape') {
                  setGoTo(null);
                  scrollRef.current?.focus();
                }
              }}
            />
          </label>
          <button type="submit" className="tb-button">
            {t('list.goTo')}
          </button>
        </form>
      )}
      {menu && (
        <PopupMenu
          label={menu.label}
          x={menu.x}
          y={menu.y}
          entries={menu.entries}
          onClose={() => setMenu(null)}
          restoreFocus={scrollRef.current}
        />
      )}
    </div>
  );
}

/** A column's right edge: drag (or ←/→ when focused) to resize; the width is remembered. */
function ColumnResizer({ label, width, onResize }: { label: string; width: number; onResize(width: number): void }) {
  return (
    <span
      className="pl-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={width}
      aria-valuemin={40}
      aria-valuemax={800}
      tabIndex={0}
      onMouseDown={(e) => {
        e.preventDefault();
        e.stopPropagation();
        const startX = e.clientX;
        const move = (m: MouseEvent) => onResize(width + m.clientX - startX);
        const up = () => {
          window.removeEventListener('mousemove', move);
          window.removeEventListener('mouseup', up);
        };
        window.addEventListener('mousemove', move);
        window.addEventListener('mouseup', up);
      }}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        e.preventDefault();
        e.stopPropagation();
        onResize(width + (e.key === 'ArrowRight' ? 10 : -10));
      }}
    />
  );
}
