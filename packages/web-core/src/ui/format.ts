const formatters = new Map<string, Intl.NumberFormat>();

/** Integer cents as money, e.g. `450` → `€4.50`. */
export function formatMoney(cents: number, currency = 'EUR', locale?: string): string {
  const key = `${locale ?? ''}|${currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter.format(cents / 100);
}

/** A short local time, e.g. `21:04`. */
export function formatTime(iso: string, locale?: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

/** A local date and time, e.g. `27 Nov, 21:04`. */
export function formatDateTime(iso: string, locale?: string): string {
  return new Date(iso).toLocaleString(locale, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** How many a list holds, as `GET` list endpoints give it: exact, or an estimate above 10,000. */
export interface ListTotal {
  total: number;
  totalIsEstimate: boolean;
}

/**
 * A list's total as a person reads it: `1,234`, or for the server's estimate, rounded to two
 * significant digits and said to be one, `about 1,000,000`.
 */
export function formatTotal({ total, totalIsEstimate }: ListTotal, locale?: string): string {
  if (!totalIsEstimate) return total.toLocaleString(locale);
  const step = 10 ** Math.max(0, Math.floor(Math.log10(Math.max(total, 1))) - 1);
  return `about ${(Math.round(total / step) * step).toLocaleString(locale)}`;
}
