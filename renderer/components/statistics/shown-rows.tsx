/**
 * A statistics table's rows drawn a page at a time. The 1,000,000-packet bench capture has
 * 142,858 TCP conversations and as many HTTP objects: drawn at once, a table of them is millions
 * of elements, and the dialog froze; the 2,858 of a 20,000-packet capture took two seconds. The
 * rows come in tshark's order (most packets first), so the first pages are the ones read.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Rows drawn at first, and added by each "Show more". */
export const STATS_ROWS_PAGE = 500;

/**
 * The first `shown` of `rows`, and `more` to draw another page; back to the first page when
 * `resetOn` changes (another tab of the dialog).
 */
export function useShownRows<T>(rows: readonly T[], resetOn?: unknown): { shown: readonly T[]; more: () => void } {
  const [pages, setPages] = useState({ of: resetOn, count: STATS_ROWS_PAGE });
  // Another tab: start again (state adjusted while rendering, as React's docs do it for a prop change).
  if (pages.of !== resetOn) setPages({ of: resetOn, count: STATS_ROWS_PAGE });
  const count = pages.of === resetOn ? pages.count : STATS_ROWS_PAGE;
  return {
    shown: rows.length > count ? rows.slice(0, count) : rows,
    more: () => setPages({ of: resetOn, count: count + STATS_ROWS_PAGE }),
  };
}

/** Under a table cut short: how many rows are drawn of how many, and the button for more. */
export function MoreRows({ shown, total, onMore }: { shown: number; total: number; onMore: () => void }) {
  const { t } = useTranslation();
  if (shown >= total) return null;
  return (
    <p className="stats-more">
      {t('stats.rowsShown', { shown, total })}{' '}
      <button type="button" className="mini-button" onClick={onMore}>
        {t('stats.showMoreRows', { count: Math.min(STATS_ROWS_PAGE, total - shown) })}
      </button>
    </p>
  );
}
