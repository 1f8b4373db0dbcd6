import { setTimeout as sleep } from 'node:timers/promises';

/** The calendar date (`YYYY-MM-DD`) in `timeZone` at `instant`. */
export function venueDate(timeZone: string, instant: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string): string => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** How long {@link clearOfVenueMidnight} may wait at most (add it to the hook's timeout). */
export const VENUE_MIDNIGHT_MARGIN_MS = 180_000;

/**
 * Waits, when the venue's day ends within the next three minutes, until it has ended: for a file
 * that reads the venue's today once, or adds up the orders its tests place over a day, so that
 * all of it runs within one business day whatever the hour of the run.
 */
export async function clearOfVenueMidnight(timeZone: string): Promise<void> {
  const now = Date.now();
  const today = venueDate(timeZone, new Date(now));
  if (venueDate(timeZone, new Date(now + VENUE_MIDNIGHT_MARGIN_MS)) === today) return;
  // The day changes between now and the margin: find when, to the second.
  let before = now;
  let after = now + VENUE_MIDNIGHT_MARGIN_MS;
  while (after - before > 1_000) {
    const middle = Math.floor((before + after) / 2);
    if (venueDate(timeZone, new Date(middle)) === today) before = middle;
    else after = middle;
  }
  await sleep(after - now + 1_000);
}
