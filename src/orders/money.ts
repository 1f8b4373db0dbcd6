/**
 * The money rules every order, receipt and report follows. Amounts are integer cents; prices
 * include VAT.
 *
 * VAT is worked out per order line (unit price with its options × quantity) and rounded half up
 * to the cent; the net is what is left. So for every line, and for any sum of lines, net + VAT is
 * the gross to the cent, and a breakdown per rate adds up to the order's total exactly.
 */

/** A line's gross amount and the VAT rate it was sold at. */
export interface TaxedAmount {
  readonly grossCents: number;
  /** 2000 = 20 %. */
  readonly rateBasisPoints: number;
}

/** The VAT contained in one rate's share of a sum. */
export interface VatShare {
  readonly rateBasisPoints: number;
  readonly netCents: number;
  readonly vatCents: number;
}

/** Highest VAT rate accepted: 100 %. */
export const MAX_VAT_RATE_BASIS_POINTS = 10_000;

/**
 * The VAT contained in a VAT-inclusive amount: `gross × rate / (10000 + rate)`, half up.
 * Integer arithmetic only: `floor((2·g·r + d) / 2d)` with `d = 10000 + r` is the half-up quotient.
 */
export function vatIncluded(grossCents: number, rateBasisPoints: number): number {
  assertCents(grossCents, 'grossCents');
  if (!Number.isInteger(rateBasisPoints) || rateBasisPoints < 0) {
    throw new RangeError(`rateBasisPoints must be a non-negative integer, got ${rateBasisPoints}`);
  }
  const divisor = 10_000 + rateBasisPoints;
  // Safe for gross up to ~4.5e11 cents at 100 %, far above any order (30 lines × 20 × price).
  return Math.floor((2 * grossCents * rateBasisPoints + divisor) / (2 * divisor));
}

/**
 * VAT per rate over some lines, lowest rate first. Each line is rounded on its own, so the shares
 * add up to the lines' gross exactly.
 */
export function vatBreakdown(lines: readonly TaxedAmount[]): VatShare[] {
  const byRate = new Map<number, { netCents: number; vatCents: number }>();
  for (const line of lines) {
    const vatCents = vatIncluded(line.grossCents, line.rateBasisPoints);
    const share = byRate.get(line.rateBasisPoints) ?? { netCents: 0, vatCents: 0 };
    share.netCents += line.grossCents - vatCents;
    share.vatCents += vatCents;
    byRate.set(line.rateBasisPoints, share);
  }
  return [...byRate.entries()]
    .sort(([a], [b]) => a - b)
    .map(([rateBasisPoints, share]) => ({ rateBasisPoints, ...share }));
}

/**
 * An amount split into `parts` shares that differ by at most a cent and add up to it exactly;
 * the first shares take the leftover cents.
 */
export function splitEvenly(totalCents: number, parts: number): number[] {
  assertCents(totalCents, 'totalCents');
  if (!Number.isInteger(parts) || parts < 1) {
    throw new RangeError(`parts must be a positive integer, got ${parts}`);
  }
  const base = Math.floor(totalCents / parts);
  const leftover = totalCents - base * parts;
  return Array.from({ length: parts }, (_, index) => base + (index < leftover ? 1 : 0));
}

function assertCents(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer number of cents, got ${value}`);
  }
}
