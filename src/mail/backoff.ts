/** The longest wait between two attempts of one message. */
const MAX_DELAY_SECONDS = 3600;

/**
 * Seconds to wait after the `attempt`-th failed attempt (1-based) before the next one:
 * `base`, `2·base`, `4·base`, … capped at an hour.
 */
export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  const exponent = Math.max(0, attempt - 1);
  return Math.min(MAX_DELAY_SECONDS, baseSeconds * 2 ** Math.min(exponent, 30));
}
