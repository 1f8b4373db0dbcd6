import { describe, expect, it } from '@jest/globals';
import { readCursor } from './list-cursor.js';
import { cutPage, totalWithCursorPage, totalWithPage } from './pagination.js';

describe('totalWithPage', () => {
  const estimate = { total: 10_001, totalIsEstimate: true };

  it('keeps an exact total as it is', () => {
    const exact = { total: 35, totalIsEstimate: false };
    expect(totalWithPage(exact, { skip: 20, take: 20 }, 15)).toEqual(exact);
  });

  it('raises a low estimate to the rows a full page proves, and one more', () => {
    expect(totalWithPage(estimate, { skip: 14_900, take: 100 }, 100)).toEqual({
      total: 15_001,
      totalIsEstimate: true,
    });
  });

  it('keeps an estimate that is already above the page', () => {
    const high = { total: 900_000, totalIsEstimate: true };
    expect(totalWithPage(high, { skip: 0, take: 20 }, 20)).toEqual(high);
  });

  it('makes the total exact when a page that is not full ends the list', () => {
    expect(totalWithPage(estimate, { skip: 14_900, take: 100 }, 37)).toEqual({
      total: 14_937,
      totalIsEstimate: false,
    });
  });

  it('keeps the estimate for a page past the end', () => {
    expect(totalWithPage(estimate, { skip: 50_000, take: 100 }, 0)).toEqual(estimate);
  });
});

describe('totalWithCursorPage', () => {
  const estimate = { total: 10_001, totalIsEstimate: true };

  it('keeps an exact total as it is, whatever the page shows', () => {
    const exact = { total: 35, totalIsEstimate: false };
    expect(totalWithCursorPage(exact, 15, false)).toEqual(exact);
  });

  it('keeps an estimate flagged even on the last page: the rows before the cursor are not counted', () => {
    expect(totalWithCursorPage(estimate, 7, false)).toEqual(estimate);
  });

  it('never answers an estimate below the page and the row after it', () => {
    const low = { total: 10, totalIsEstimate: true };
    expect(totalWithCursorPage(low, 20, true)).toEqual({ total: 21, totalIsEstimate: true });
    expect(totalWithCursorPage(low, 20, false)).toEqual({ total: 20, totalIsEstimate: true });
  });
});

describe('cutPage', () => {
  const rows = [1, 2, 3].map((n) => ({
    id: `0b8f3c1e-2f5a-4c6d-9e7f-00000000000${String(n)}`,
    at: `2026-12-07T12:00:0${String(n)}.000000Z`,
  }));
  const keyOf = (row: { id: string; at: string }) => ({ at: row.at, tie: row.id });

  it('answers the cursor of the page’s last row when the extra row shows there is more', () => {
    const page = cutPage(rows, 2, 'orders.createdAt', keyOf);
    expect(page.rows).toEqual(rows.slice(0, 2));
    expect(page.nextCursor).not.toBeNull();
    expect(readCursor(page.nextCursor, 'orders.createdAt')).toEqual({
      key: { at: rows[1]?.at, tie: rows[1]?.id },
    });
  });

  it('answers null when the page ends the list, full or not', () => {
    expect(cutPage(rows, 3, 'orders.createdAt', keyOf)).toEqual({ rows, nextCursor: null });
    expect(cutPage(rows, 5, 'orders.createdAt', keyOf).nextCursor).toBeNull();
    expect(cutPage([], 5, 'orders.createdAt', keyOf)).toEqual({ rows: [], nextCursor: null });
  });
});
