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

/** The ISO instant at local midnight starting `YYYY-MM-DD`, or undefined for an empty field. */
export function startOfDay(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date).toISOString();
}

/** The ISO instant at the local midnight after `YYYY-MM-DD` (an exclusive upper bound). */
export function endOfDay(day: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, date + 1).toISOString();
}
