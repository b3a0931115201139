/**
 * Virtual rows of one fixed height, for the packet list. Everything is arithmetic on the
 * scroll position, so a list of a million rows costs the same as one of a hundred: a general
 * virtualizer (which measures rows of any height) keeps an object per row and rebuilds them
 * all whenever the row count changes, i.e. at every progress update while a file loads.
 */
import { useCallback, useLayoutEffect, useState, type RefObject } from 'react';

export interface FixedRow {
  index: number;
  /** Top of the row inside the rows' box (index × row height). */
  top: number;
}

export interface FixedRowsOptions {
  count: number;
  rowHeight: number;
  /** Height of the sticky header above the rows, inside the same scroll box. */
  headerHeight: number;
  /** Rows rendered beyond each edge of the viewport. */
  overscan: number;
  scrollRef: RefObject<HTMLElement | null>;
  /** Viewport height to assume until the element is measured (jsdom never measures). */
  initialHeight?: number;
}

export interface FixedRows {
  rows: FixedRow[];
  totalHeight: number;
  /** Scrolls so row `index` is visible: at the bottom ('end'), or only as far as needed ('auto'). */
  scrollToIndex(index: number, align: 'auto' | 'end'): void;
}

/** The rows to render for a viewport: pure, so it is tested without a DOM. */
export function visibleRows(
  count: number,
  rowHeight: number,
  headerHeight: number,
  scrollTop: number,
  viewport: number,
  overscan: number,
): FixedRow[] {
  if (count <= 0) return [];
  const first = Math.max(0, Math.floor((scrollTop - headerHeight) / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport - headerHeight) / rowHeight) + overscan);
  const rows: FixedRow[] = [];
  for (let index = first; index < end; index++) rows.push({ index, top: index * rowHeight });
  return rows;
}

/** The scrollTop that shows row `index`, or null when it is visible already ('auto'). */
export function scrollTopFor(
  index: number,
  align: 'auto' | 'end',
  rowHeight: number,
  headerHeight: number,
  scrollTop: number,
  viewport: number,
): number | null {
  const top = headerHeight + index * rowHeight;
  const bottom = top + rowHeight;
  const toEnd = Math.max(0, bottom - viewport);
  if (align === 'end') return toEnd;
  // The sticky header covers the first headerHeight pixels of the viewport.
  if (top < scrollTop + headerHeight) return Math.max(0, top - headerHeight);
  if (bottom > scrollTop + viewport) return toEnd;
  return null;
}

export function useFixedRows(options: FixedRowsOptions): FixedRows {
  const { count, rowHeight, headerHeight, overscan, scrollRef } = options;
  const initialHeight = options.initialHeight ?? 400;
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(initialHeight);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight > 0 ? el.clientHeight : initialHeight);
    // Read only on scroll events: reading scrollTop after each render would force a layout at
    // every progress update. A list that gets shorter clamps scrollTop and fires a scroll event.
    const onScroll = () => setScrollTop(el.scrollTop);
    measure();
    onScroll();
    el.addEventListener('scroll', onScroll, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      observer?.disconnect();
    };
  }, [scrollRef, initialHeight]);

  const scrollToIndex = useCallback(
    (index: number, align: 'auto' | 'end') => {
      const el = scrollRef.current;
      if (!el) return;
      const viewport = el.clientHeight > 0 ? el.clientHeight : initialHeight;
      const next = scrollTopFor(index, align, rowHeight, headerHeight, el.scrollTop, viewport);
      if (next === null) return;
      el.scrollTop = next;
      setScrollTop(el.scrollTop);
    },
    [scrollRef, rowHeight, headerHeight, initialHeight],
  );

  return {
    rows: visibleRows(count, rowHeight, headerHeight, scrollTop, height, overscan),
    totalHeight: count * rowHeight,
    scrollToIndex,
  };
}
