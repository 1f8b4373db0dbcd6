/**
 * An amount split into `parts` shares that differ by at most a cent and add up to it exactly;
 * the first shares take the leftover cents.
 *
 * Deliberately the same pure function as the server's `splitEvenly` (src/orders/money.ts): the
 * apps cannot import server code and the server cannot import the apps', so each side keeps its
 * copy of these few lines and tests it. Both must give the same shares, so a tab split on the bar's
 * tablet adds up to the balance the server holds, to the cent.
 */
export function splitEvenly(totalCents: number, parts: number): number[] {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) {
    throw new RangeError(
      `totalCents must be a non-negative integer number of cents, got ${String(totalCents)}`,
    );
  }
  if (!Number.isInteger(parts) || parts < 1) {
    throw new RangeError(`parts must be a positive integer, got ${String(parts)}`);
  }
  const base = Math.floor(totalCents / parts);
  const leftover = totalCents - base * parts;
  return Array.from({ length: parts }, (_, index) => base + (index < leftover ? 1 : 0));
}
