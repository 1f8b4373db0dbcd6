/**
 * Money as a person types it into a field, and back: `12.50`, `12,5` or `12` are cents; anything
 * else (a sign, three decimals, letters, an empty field) is not an amount.
 */
export function parseMoneyInput(text: string): number | null {
  const normalised = text.trim().replace(',', '.');
  if (!/^\d{1,7}(\.\d{0,2})?$/.test(normalised)) return null;
  const [whole = '0', fraction = ''] = normalised.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Cents as a field shows them to edit: `1250` → `12.50`. */
export function moneyInputOf(cents: number): string {
  const whole = Math.floor(cents / 100);
  return `${String(whole)}.${String(cents - whole * 100).padStart(2, '0')}`;
}
