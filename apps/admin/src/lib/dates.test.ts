import { describe, expect, it } from 'vitest';
import { DATE_PRESETS, daysBefore, endOfDay, isoDate, presetRange, startOfDay } from './dates';

describe('report and filter dates', () => {
  it('writes local dates as YYYY-MM-DD and counts days back across months', () => {
    expect(isoDate(new Date(2026, 0, 5))).toBe('2026-01-05');
    expect(daysBefore(new Date(2026, 2, 1), 1)).toBe('2026-02-28');
    expect(daysBefore(new Date(2026, 11, 31), -1)).toBe('2027-01-01');
  });

  it('turns a day into the instants at its start and at the next midnight, or nothing', () => {
    expect(startOfDay('2026-11-27')).toBe(new Date(2026, 10, 27).toISOString());
    expect(endOfDay('2026-11-30')).toBe(new Date(2026, 11, 1).toISOString());
    expect(startOfDay('')).toBeUndefined();
    // Not 1912: the Date constructor reads years below 100 as 19xx.
    expect(startOfDay('0012-01-01')?.slice(0, 4)).toMatch(/^001[12]$/);
    expect(new Date(startOfDay('0012-06-15') ?? '').getFullYear()).toBe(12);
    expect(endOfDay('27/11/2026')).toBeUndefined();
  });

  it('gives each preset its days, weeks from Monday, across month ends', () => {
    // Sunday 1 March 2026.
    const sunday = new Date(2026, 2, 1, 22, 30);
    expect(presetRange('today', sunday)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    expect(presetRange('yesterday', sunday)).toEqual({ from: '2026-02-28', to: '2026-02-28' });
    expect(presetRange('this week', sunday)).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(presetRange('last 7 days', sunday)).toEqual({ from: '2026-02-23', to: '2026-03-01' });
    expect(presetRange('last 30 days', sunday)).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(presetRange('this month', sunday)).toEqual({ from: '2026-03-01', to: '2026-03-01' });
    // Monday 2 March: the week is that one day so far.
    expect(presetRange('this week', new Date(2026, 2, 2, 9))).toEqual({
      from: '2026-03-02',
      to: '2026-03-02',
    });
    expect(presetRange('this month', new Date(2026, 11, 31))).toEqual({
      from: '2026-12-01',
      to: '2026-12-31',
    });
    expect(DATE_PRESETS).toHaveLength(6);
  });
});
