import { describe, expect, it } from 'vitest';
import { endScrollTop, scrollTopFor, visibleRows } from './fixed-rows';

describe('fixed-height virtual rows', () => {
  it('renders the rows under the viewport (below the sticky header) plus the overscan', () => {
    // 20 px rows under a 24 px header, 400 px viewport scrolled to 1,000 px.
    const rows = visibleRows(1_000_000, 20, 24, 1000, 400, 2);
    // The header covers 1,000–1,024: row 49 (1,004–1,024) is under it, row 50 (1,024–1,044) the
    // first in view; row 68 ends at 24 + 1,380 = 1,404 (partly visible at the bottom).
    expect(rows[0]).toEqual({ index: 48, top: 960 });
    expect(rows.at(-1)).toEqual({ index: 70, top: 1400 });
    expect(rows).toHaveLength(23);
    // Scrolled by part of a row: the row partly under the header is drawn.
    expect(visibleRows(1_000_000, 20, 24, 1010, 400, 0)[0]).toEqual({ index: 50, top: 1000 });
  });

  it('stops at the list ends and has nothing to show when empty', () => {
    expect(visibleRows(5, 20, 24, 0, 400, 12).map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
    expect(visibleRows(0, 20, 24, 0, 400, 12)).toEqual([]);
    const last = visibleRows(1_000_000, 20, 24, 24 + 1_000_000 * 20 - 400, 400, 3);
    expect(last.at(-1)?.index).toBe(999_999);
  });

  it('scrolls a row into view only as far as needed, or to the bottom', () => {
    // Visible already: no scroll.
    expect(scrollTopFor(10, 'auto', 20, 24, 0, 400)).toBeNull();
    // Below the viewport: its bottom at the viewport's bottom.
    expect(scrollTopFor(100, 'auto', 20, 24, 0, 400)).toBe(24 + 101 * 20 - 400);
    // Above (hidden under the header): its top right under the header.
    expect(scrollTopFor(5, 'auto', 20, 24, 1000, 400)).toBe(100);
    expect(scrollTopFor(999_999, 'end', 20, 24, 0, 400)).toBe(24 + 1_000_000 * 20 - 400);
  });

  it('a list that follows its end is scrolled to its last row, or not at all while every row fits', () => {
    expect(endScrollTop(1_000_000, 20, 24, 400)).toBe(24 + 1_000_000 * 20 - 400);
    expect(endScrollTop(5, 20, 24, 400)).toBe(0);
    expect(endScrollTop(0, 20, 24, 400)).toBe(0);
  });
});
