/** Refresh this long before the access token expires, at most. */
const REFRESH_LEAD_MS = 60_000;
/** ...but never earlier than this share of its lifetime before expiry (short test TTLs). */
const REFRESH_LEAD_SHARE = 0.25;
/** A token this close to expiry is not worth sending: refresh first. */
const EXPIRY_SAFETY_MS = 2_000;

/** How long before expiry to refresh a token that lives `lifetimeMs`. */
export function refreshLeadMs(lifetimeMs: number): number {
  return Math.min(REFRESH_LEAD_MS, Math.max(0, lifetimeMs * REFRESH_LEAD_SHARE));
}

/** Delay from `nowMs` until the proactive refresh of a token expiring at `expiresAtMs`. */
export function refreshDelayMs(expiresAtMs: number, lifetimeMs: number, nowMs: number): number {
  return Math.max(0, expiresAtMs - refreshLeadMs(lifetimeMs) - nowMs);
}

/** True when the token is inside its refresh window (a tab coming back to focus refreshes then). */
export function isRefreshDue(expiresAtMs: number, lifetimeMs: number, nowMs: number): boolean {
  return refreshDelayMs(expiresAtMs, lifetimeMs, nowMs) === 0;
}

/** True when the token should not be sent any more. */
export function isExpiredOrAlmost(expiresAtMs: number, nowMs: number): boolean {
  return expiresAtMs - nowMs <= EXPIRY_SAFETY_MS;
}

/**
 * Activity-aware refresh: a proactive refresh keeps the session alive only if the person did
 * something (pointer, keyboard, focus) since the last refresh. Otherwise the token is left to
 * lapse, so an untouched tab idles out under the role's idle timeout instead of refreshing forever.
 */
export function shouldRefreshProactively(lastActivityMs: number, lastRefreshMs: number): boolean {
  return lastActivityMs > lastRefreshMs;
}

/** Reconnect delay for the n-th consecutive failure (0-based): 1 s, 2 s, 4 s … 30 s, ±20 % jitter. */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 5));
  const jitter = 1 + (random() * 2 - 1) * 0.2;
  return Math.round(base * jitter);
}
