import type { OrderLineOption } from '../api/contracts';
import { formatMoney } from './format';

/** A price change of a choice: `+€0.50`, `−€2.50` (a real minus sign), `''` for none. */
export function formatDelta(cents: number, currency = 'EUR', locale?: string): string {
  if (cents === 0) return '';
  return `${cents > 0 ? '+' : '−'}${formatMoney(Math.abs(cents), currency, locale)}`;
}

/** A VAT rate in basis points as a person reads it: `2000` → `20%`, `750` → `7.5%`. */
export function formatVatRate(basisPoints: number): string {
  return `${(basisPoints / 100).toLocaleString('en', { maximumFractionDigits: 2 })}%`;
}

/** The symbol of a currency as money is shown here (`EUR` → `€`). */
export function currencySymbol(currency = 'EUR', locale?: string): string {
  const parts = new Intl.NumberFormat(locale, { style: 'currency', currency }).formatToParts(0);
  return parts.find((part) => part.type === 'currency')?.value ?? currency;
}

/** A line's choices by group, in the order they were given: `[["Size", ["Half"]], …]`. */
export function optionsByGroup(
  options: readonly Pick<OrderLineOption, 'groupName' | 'name'>[],
): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const option of options) {
    const names = groups.get(option.groupName) ?? [];
    names.push(option.name);
    groups.set(option.groupName, names);
  }
  return [...groups];
}

/** A line's choices in one line of text: `Size: Half · Extras: Bacon, Cheese`. */
export function optionsText(
  options: readonly Pick<OrderLineOption, 'groupName' | 'name'>[],
): string {
  return optionsByGroup(options)
    .map(([group, names]) => `${group}: ${names.join(', ')}`)
    .join(' · ');
}

/** A line's item with its choices in brackets, for one-line summaries: `Pilsner (Half, Lime)`. */
export function nameWithOptions(line: {
  name: string;
  options: readonly Pick<OrderLineOption, 'name'>[];
}): string {
  return line.options.length === 0
    ? line.name
    : `${line.name} (${line.options.map((option) => option.name).join(', ')})`;
}
