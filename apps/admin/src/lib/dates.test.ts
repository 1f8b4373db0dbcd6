import { describe, expect, it } from 'vitest';
import { daysBefore, endOfDay, isoDate, startOfDay } from './dates';

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
    expect(endOfDay('27/11/2026')).toBeUndefined();
  });
});
