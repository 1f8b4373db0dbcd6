import { describe, expect, it } from '@jest/globals';
import { addDays, businessDay, daysBetween, isCalendarDate } from './business-day.js';

describe('business days', () => {
  it('is the UTC date in UTC', () => {
    expect(businessDay(new Date('2026-11-27T23:59:59Z'), 'UTC')).toBe('2026-11-27');
    expect(businessDay(new Date('2026-11-28T00:00:00Z'), 'UTC')).toBe('2026-11-28');
  });

  it('follows the venue time zone across midnight', () => {
    // 23:30 UTC is already the next day in Berlin (UTC+1 in winter) and still the day in New York.
    const instant = new Date('2026-11-27T23:30:00Z');
    expect(businessDay(instant, 'Europe/Berlin')).toBe('2026-11-28');
    expect(businessDay(instant, 'America/New_York')).toBe('2026-11-27');
  });

  it.each(['2026-11-27', '2024-02-29', '2026-01-01', '0001-01-01'])(
    'accepts %p as a date',
    (text) => {
      expect(isCalendarDate(text)).toBe(true);
    },
  );

  it.each([
    '2026-02-29',
    '2026-13-01',
    '2026-11-31',
    '27.11.2026',
    '2026-1-1',
    '',
    '2026-11-27T00:00:00Z',
    // No year 0 in SQL: "date/time field value out of range", a 500, before this.
    '0000-01-01',
    '0000-12-31',
  ])('refuses %p', (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });

  it('counts and adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2026-11-01', '2026-11-30')).toBe(29);
    expect(daysBetween('2026-11-30', '2026-11-01')).toBe(-29);
  });
});
