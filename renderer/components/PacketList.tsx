import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from '../store/context';
import type { SortColumn } from '../worker/protocol';

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
  const scrollRef = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [goTo, setGoTo] = useState<string | null>(null);

  const virtualizer = useVirtualizer({
    count: displayed,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1200, height: 400 },
    // The sticky column header sits above the rows inside the same scroll box.
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items.length ? items[0].index : 0;
  const last = items.length ? items[items.length - 1].index + 1 : 0;

  useEffect(() => {
    if (last > first) ensureRows(first, last);
  }, [first, last, rows, ensureRows]);

  // Follow new packets during a live capture, unless the user scrolled away.
  useEffect(() => {
    if (live && follow.current && displayed > 0) virtualizer.scrollToIndex(displayed - 1, { align: 'end' });
  }, [displayed, live, virtualizer]);

  useEffect(() => {
    if (selected !== null && scrollRequest > 0) virtualizer.scrollToIndex(selected, { align: 'auto' });
  }, [scrollRequest, selected, virtualizer]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT * 1.5;
  };

  const move = (position: number) => {
    if (displayed === 0) return;
    const p = Math.max(0, Math.min(displayed - 1, position));
    follow.current = p === displayed - 1;
    void selectPosition(p);
  };

  const pageRows = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 1);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const current = selected ?? -1;
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
        aria-colcount={COLUMNS.length}
        aria-multiselectable="false"
        tabIndex={0}
        onKeyDown={onKeyDown}
        onScroll={onScroll}
        aria-activedescendant={selected !== null ? `pkt-row-${selected}` : undefined}
      >
        <div className="pl-header" role="rowgroup">
          <div className="pl-row pl-header-row" role="row" aria-rowindex={1}>
            {COLUMNS.map((c) => {
              const sorted = sort?.column === c.key;
              return (
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
                </div>
              );
            })}
          </div>
        </div>
        <div role="rowgroup" className="pl-body" style={{ height: virtualizer.getTotalSize() }}>
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
                className={`pl-row${isSelected ? ' is-selected' : ''}`}
                title={row?.rule}
                style={{
                  transform: `translateY(${v.start - HEADER_HEIGHT}px)`,
                  background: !isSelected ? row?.background : undefined,
                  color: !isSelected ? row?.foreground : undefined,
                }}
                onMouseDown={() => {
                  follow.current = v.index === displayed - 1;
                  void selectPosition(v.index);
                }}
              >
                {row ? (
                  <>
                    <div role="gridcell" className="pl-cell c-no">
                      {row.number}
                    </div>
                    <div role="gridcell" className="pl-cell c-time">
                      {row.time.toFixed(6)}
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
                    <div role="gridcell" className="pl-cell c-info">
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
            if (Number.isFinite(n)) await goToPacket(n);
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
    </div>
  );
}
