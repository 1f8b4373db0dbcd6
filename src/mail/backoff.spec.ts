import { describe, expect, it } from '@jest/globals';
import { retryDelaySeconds } from './backoff.js';

describe('retryDelaySeconds', () => {
  it('doubles from the base after each failed attempt', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => retryDelaySeconds(attempt, 30))).toEqual([
      30, 60, 120, 240, 480,
    ]);
  });

  it('never waits more than an hour, however many attempts', () => {
    expect(retryDelaySeconds(8, 30)).toBe(3600);
    expect(retryDelaySeconds(1000, 30)).toBe(3600);
  });
});
