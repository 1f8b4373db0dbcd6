/** `YYYY-MM-DD` of a local date. */
export function isoDate(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${String(date.getFullYear())}-${month}-${day}`;
}

/** `YYYY-MM-DD`, `days` days before (negative: after) the given local date. */
export function daysBefore(date: Date, days: number): string {
  const copy = new Date(date);
  copy.setDate(copy.getDate() - days);
  return isoDate(copy);
}

/** Local midnight `days` after `YYYY-MM-DD`; years below 100 as written, not as 19xx. */
function localMidnight(day: string, days: number): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const midnight = new Date(2000, month - 1, date + days);
  midnight.setFullYear(year, month - 1, date + days);
  return midnight;
}

/** The ISO instant at local midnight starting `YYYY-MM-DD`, or undefined for an empty field. */
export function startOfDay(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return localMidnight(day, 0).toISOString();
}

/** The ISO instant at the local midnight after `YYYY-MM-DD` (an exclusive upper bound). */
export function endOfDay(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  return localMidnight(day, 1).toISOString();
}

/** The report ranges a manager asks for most. */
export const DATE_PRESETS = [
  'today',
  'yesterday',
  'this week',
  'last 7 days',
  'last 30 days',
  'this month',
] as const;
export type DatePreset = (typeof DATE_PRESETS)[number];

/** A preset's days (`YYYY-MM-DD`, both included) as of `now`; weeks start on Monday. */
export function presetRange(preset: DatePreset, now: Date): { from: string; to: string } {
  const today = isoDate(now);
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const yesterday = daysBefore(now, 1);
      return { from: yesterday, to: yesterday };
    }
    case 'this week':
      return { from: daysBefore(now, (now.getDay() + 6) % 7), to: today };
    case 'last 7 days':
      return { from: daysBefore(now, 6), to: today };
    case 'last 30 days':
      return { from: daysBefore(now, 29), to: today };
    case 'this month':
      return { from: isoDate(new Date(now.getFullYear(), now.getMonth(), 1)), to: today };
  }
}
