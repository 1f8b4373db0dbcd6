import { describe, expect, it } from 'vitest';
import { changeDue, percentTip, roundUpTip, tenderSuggestions, tipFor } from './payment-math';

describe('the bar’s payment sums', () => {
  it('takes percentage tips half up to the cent', () => {
    expect(percentTip(1250, 10)).toBe(125);
    expect(percentTip(1255, 10)).toBe(126); // 125.5 → 126
    expect(percentTip(1254, 10)).toBe(125); // 125.4 → 125
    expect(percentTip(1230, 15)).toBe(185); // 184.5 → 185
    expect(percentTip(0, 15)).toBe(0);
  });

  it('rounds up to the next whole unit, a whole amount by one more', () => {
    expect(roundUpTip(1240)).toBe(60);
    expect(roundUpTip(1299)).toBe(1);
    expect(roundUpTip(1300)).toBe(100);
    expect(roundUpTip(1)).toBe(99);
  });

  it('gives the tip of each quick choice', () => {
    expect(tipFor('none', 1240, 300)).toBe(0);
    expect(tipFor('ten', 1240, null)).toBe(124);
    expect(tipFor('fifteen', 1240, null)).toBe(186);
    expect(tipFor('roundUp', 1240, null)).toBe(60);
    expect(tipFor('custom', 1240, 300)).toBe(300);
    expect(tipFor('custom', 1240, null)).toBe(0);
  });

  it('works out the change: tendered less amount and tip, negative when short', () => {
    expect(changeDue(2000, 1240, 60)).toBe(700);
    expect(changeDue(1300, 1240, 60)).toBe(0);
    expect(changeDue(1000, 1240, 0)).toBe(-240);
  });

  it('suggests the notes a customer would hand over, above what is due', () => {
    expect(tenderSuggestions(1360)).toEqual([1500, 2000, 5000]);
    expect(tenderSuggestions(2000)).toEqual([2500, 3000, 4000]);
    expect(tenderSuggestions(4720)).toEqual([5000, 6000, 10_000]);
    expect(tenderSuggestions(12_345)).toEqual([12_500, 13_000, 14_000]);
    for (const due of [1, 499, 500, 9999, 123_456]) {
      for (const note of tenderSuggestions(due)) expect(note).toBeGreaterThan(due);
    }
  });
});
