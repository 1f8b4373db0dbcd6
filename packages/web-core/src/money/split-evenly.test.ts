import { describe, expect, it } from 'vitest';
import { splitEvenly } from './split-evenly';

describe('splitEvenly (the same rule as the server’s src/orders/money.ts)', () => {
  it('splits into shares a cent apart at most, the first shares taking the leftover cents', () => {
    expect(splitEvenly(1000, 3)).toEqual([334, 333, 333]);
    expect(splitEvenly(1001, 3)).toEqual([334, 334, 333]);
    expect(splitEvenly(999, 3)).toEqual([333, 333, 333]);
    expect(splitEvenly(5, 1)).toEqual([5]);
    expect(splitEvenly(2, 4)).toEqual([1, 1, 0, 0]);
    expect(splitEvenly(0, 2)).toEqual([0, 0]);
  });

  it('always adds up to the amount exactly', () => {
    for (const total of [0, 1, 7, 99, 100, 1234, 98_765, 1_000_001]) {
      for (let parts = 1; parts <= 25; parts += 1) {
        const shares = splitEvenly(total, parts);
        expect(shares).toHaveLength(parts);
        expect(shares.reduce((sum, share) => sum + share, 0)).toBe(total);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        // Never increasing: the cents left over go to the first shares.
        for (let i = 1; i < shares.length; i += 1) {
          expect(shares[i]).toBeLessThanOrEqual(shares[i - 1] ?? 0);
        }
      }
    }
  });

  it('refuses what is not cents or not a number of parts', () => {
    expect(() => splitEvenly(-1, 2)).toThrow(RangeError);
    expect(() => splitEvenly(10.5, 2)).toThrow(RangeError);
    expect(() => splitEvenly(Number.NaN, 2)).toThrow(RangeError);
    expect(() => splitEvenly(100, 0)).toThrow(RangeError);
    expect(() => splitEvenly(100, 1.5)).toThrow(RangeError);
  });
});
