import { describe, expect, it } from '@jest/globals';
import { totalWithPage } from './pagination.js';

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
