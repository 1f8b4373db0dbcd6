const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const DURATION = /^(\d+)\s*(s|m|h|d)?$/;

/**
 * Parses a configured duration: a whole number of seconds (`600`) or a number with a unit
 * (`30s`, `10m`, `12h`, `90d`). Returns seconds, or `undefined` when the text is not a duration.
 */
export function parseDurationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  return Number(amount) * UNIT_SECONDS[(unit ?? 's') as keyof typeof UNIT_SECONDS];
}
