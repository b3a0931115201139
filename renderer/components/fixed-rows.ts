/**
 * Virtual rows of one fixed height, for the packet list. Everything is arithmetic on the
 * scroll position, so a list of a million rows costs the same as one of a hundred: a general
 * virtualizer (which measures rows of any height) keeps an object per row and rebuilds them
 * all whenever the row count changes, i.e. at every progress update while a file loads.
 */
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';

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
  /**
   * Keep the last row in view as rows are added (a live capture), unless the user scrolled away
   * from it (see `setFollowing`).
   */
  followEnd?: boolean;
}

export interface FixedRows {
  rows: FixedRow[];
  totalHeight: number;
  /** The viewport's height as last measured (never read from the DOM while rendering). */
  viewport: number;
  /** Scrolls so row `index` is visible: at the bottom ('end'), or only as far as needed ('auto'). */
  scrollToIndex(index: number, align: 'auto' | 'end'): void;
  /** Whether `followEnd` applies: a step to the last row turns it on, a step away off. */
  setFollowing(on: boolean): void;
}

/**
 * Rows drawn beyond the viewport's top while the list follows a live capture's end. Every update
 * replaces all the rows then, and rows drawn ahead for a scroll that is not coming were a third
 * of each frame's style and layout (the live bench's long tasks); a scroll up draws the rest.
 */
export const FOLLOWING_OVERSCAN = 2;

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
  // Row i spans headerHeight + i × rowHeight onwards in the scroll box; the sticky header covers
  // the viewport's first headerHeight pixels, so the first row showing under it is scrollTop / rowHeight.
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
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

/** The scrollTop that shows the last of `count` rows at the bottom (0 while they all fit). */
export function endScrollTop(count: number, rowHeight: number, headerHeight: number, viewport: number): number {
  return scrollTopFor(count - 1, 'end', rowHeight, headerHeight, 0, viewport) ?? 0;
}

/**
 * Whether a scroll position shows the end of the list (within 1.5 rows): where a user who
 * scrolls back down starts following again.
 */
export function showsEnd(
  scrollTop: number,
  viewport: number,
  count: number,
  rowHeight: number,
  headerHeight: number,
): boolean {
  return scrollTop + viewport >= headerHeight + count * rowHeight - rowHeight * 1.5;
}

/** One call per animation frame however often it is asked (setTimeout where there are no frames). */
function frameScheduler(): (run: () => void) => void {
  let pending: (() => void) | null = null;
  return (run) => {
    const first = pending === null;
    pending = run;
    if (!first) return;
    const flush = () => {
      const next = pending;
      pending = null;
      next?.();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
    else setTimeout(flush, 16);
  };
}

export function useFixedRows(options: FixedRowsOptions): FixedRows {
  const { count, rowHeight, headerHeight, overscan, scrollRef } = options;
  const initialHeight = options.initialHeight ?? 400;
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(initialHeight);
  const following = useRef(true);
  // What the scroll listener needs of the latest render, without reading the DOM for it.
  const latest = useRef({ count, height });
  latest.current = { count, height };
  /** The scrollTop this hook last set: the scroll event it fires is not the user's. */
  const ownScrollTop = useRef<number | null>(null);
  const [scheduleFrame] = useState(frameScheduler);
  /**
   * What the next frame does, once however often it is asked: read the scroll position (after a
   * scroll event), then scroll to the end (while following). Read and write in one place, a frame
   * lays the page out once; a read in each scroll event and a write in each frame laid it out
   * twice, and each was a forced layout of the rows just changed (the live bench's long frames).
   */
  const pending = useRef({ scrolled: false, follow: false });
  const frameWork = useRef(() => {});
  frameWork.current = () => {
    const el = scrollRef.current;
    const work = pending.current;
    if (!el) return;
    const { count: rows, height: viewport } = latest.current;
    if (work.scrolled) {
      work.scrolled = false;
      const top = el.scrollTop;
      setScrollTop(top);
      // A scroll that is not the one this hook made is the user's: it decides whether to follow.
      if (top !== ownScrollTop.current) {
        ownScrollTop.current = null;
        following.current = showsEnd(top, viewport, rows, rowHeight, headerHeight);
      }
    }
    if (work.follow) {
      work.follow = false;
      if (!following.current) return;
      const top = endScrollTop(rows, rowHeight, headerHeight, viewport);
      ownScrollTop.current = top;
      el.scrollTop = top;
      setScrollTop(top);
    }
  };
  const [runFrameWork] = useState(() => () => frameWork.current());

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight > 0 ? el.clientHeight : initialHeight);
    // Read only after scroll events, in the next frame: reading scrollTop after each render would
    // force a layout at every progress update. A list that gets shorter clamps scrollTop and
    // fires a scroll event.
    const onScroll = () => {
      pending.current.scrolled = true;
      scheduleFrame(runFrameWork);
    };
    measure();
    setScrollTop(el.scrollTop);
    el.addEventListener('scroll', onScroll, { passive: true });
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(measure);
    observer?.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      observer?.disconnect();
    };
  }, [scrollRef, initialHeight, scheduleFrame, runFrameWork]);

  const scrollToIndex = useCallback(
    (index: number, align: 'auto' | 'end') => {
      const el = scrollRef.current;
      if (!el) return;
      // Going to a row other than the last stops following the end (as selecting one with the
      // mouse does): the rows are then drawn where the box is scrolled, not at the end.
      following.current = index >= latest.current.count - 1;
      const viewport = el.clientHeight > 0 ? el.clientHeight : initialHeight;
      const next = scrollTopFor(index, align, rowHeight, headerHeight, el.scrollTop, viewport);
      if (next !== null) el.scrollTop = next;
      setScrollTop(el.scrollTop);
    },
    [scrollRef, rowHeight, headerHeight, initialHeight],
  );

  // Following: the rows are those of the end at once (one render per update, not two), and the
  // box is scrolled there in the next frame from the measured height, without reading the DOM.
  // A live capture updates the list several times a second; each scroll that read clientHeight
  // and scrollTop forced a layout of the whole page (the live bench's longest frames).
  const follows = options.followEnd === true && following.current && count > 0;
  const endTop = endScrollTop(count, rowHeight, headerHeight, height);
  useLayoutEffect(() => {
    if (!follows) return;
    pending.current.follow = true;
    scheduleFrame(runFrameWork);
  }, [follows, endTop, scheduleFrame, runFrameWork]);

  return {
    rows: follows
      ? visibleRows(count, rowHeight, headerHeight, endTop, height, Math.min(overscan, FOLLOWING_OVERSCAN))
      : visibleRows(count, rowHeight, headerHeight, scrollTop, height, overscan),
    totalHeight: count * rowHeight,
    viewport: height,
    scrollToIndex,
    setFollowing: useCallback((on: boolean) => {
      following.current = on;
    }, []),
  };
}
