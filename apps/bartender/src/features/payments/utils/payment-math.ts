/**
 * The sums the bar's payment form shows, in integer cents. None of them is sent: the server
 * records the amount and the tip; the change is for the person at the till.
 */

/** The quick tips on offer. */
export type TipChoice = 'none' | 'ten' | 'fifteen' | 'roundUp' | 'custom';

/** `percent` of `amountCents`, rounded half up to the cent. */
export function percentTip(amountCents: number, percent: number): number {
  return Math.floor((amountCents * percent + 50) / 100);
}

/**
 * The tip that takes the amount up to the next whole unit (€12.40 → €13.00, a tip of €0.60); an
 * amount that is already whole goes up by one (€13.00 → €14.00).
 */
export function roundUpTip(amountCents: number): number {
  return (Math.floor(amountCents / 100) + 1) * 100 - amountCents;
}

/** The tip a quick choice gives on `amountCents` (custom: what was typed, or 0). */
export function tipFor(choice: TipChoice, amountCents: number, customCents: number | null): number {
  switch (choice) {
    case 'none':
      return 0;
    case 'ten':
      return percentTip(amountCents, 10);
    case 'fifteen':
      return percentTip(amountCents, 15);
    case 'roundUp':
      return roundUpTip(amountCents);
    case 'custom':
      return customCents ?? 0;
  }
}

/** Cash handed over, less the amount and the tip: negative when it is not enough. */
export function changeDue(tenderedCents: number, amountCents: number, tipCents: number): number {
  return tenderedCents - amountCents - tipCents;
}

/** Notes a customer is likely to hand over for `dueCents`: the exact sum, then round sums above it. */
export function tenderSuggestions(dueCents: number, count = 3): number[] {
  const out: number[] = [];
  for (const step of [500, 1000, 2000, 5000, 10_000]) {
    const next = (Math.floor(dueCents / step) + 1) * step;
    if (next > dueCents && !out.includes(next)) out.push(next);
    if (out.length === count) break;
  }
  return out.sort((a, b) => a - b);
}
