import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** The state of one key's fixed window. */
export interface WindowCount {
  /** Hits counted in the current window (0 when there is none). */
  readonly count: number;
  /** Milliseconds until the window ends and the count starts over (0 when there is none). */
  readonly msToReset: number;
}

export interface Reservation extends WindowCount {
  /** False when the window already held `limit` hits; nothing was added then. */
  readonly allowed: boolean;
}

/** One failure counter of a sign-in attempt: its key, window and limit. */
export interface LimitRule {
  readonly key: string;
  readonly windowMs: number;
  readonly limit: number;
}

/** What {@link RateLimitStorage.reserveAttempt} did. */
export type AttemptReservation =
  /** Counted as in flight on every counter. */
  | { readonly state: 'reserved' }
  /**
   * A counter's failures alone are at its limit: the one that frees up last, and when (the
   * failure that must leave its window for the count to drop below the limit).
   */
  | { readonly state: 'refused'; readonly refused: number; readonly msToReset: number }
  /** A counter's failures plus attempts in flight are at its limit: ask again soon. */
  | { readonly state: 'busy'; readonly busy: number };

/**
 * How long an attempt counts as in flight at most: one whose instance died before settling it,
 * or whose settling never reached the store, stops counting after this, on its own.
 */
export const ATTEMPT_IN_FLIGHT_MS = 30_000;

/**
 * Fixed-window counters shared by every instance: in memory for one instance, in Redis when
 * `REDIS_URL` is set. A window starts with its key's first hit and lasts `windowMs`. Every
 * operation is atomic per key. It is also `@nestjs/throttler`'s storage (`increment`).
 */
export abstract class RateLimitStorage implements ThrottlerStorage {
  /** Counts one hit. */
  abstract hit(key: string, windowMs: number): Promise<WindowCount>;

  /** Counts one hit unless the window already holds `limit`. */
  abstract reserve(key: string, windowMs: number, limit: number): Promise<Reservation>;

  /**
   * Starts the sign-in attempt `attempt` (an id of the caller's) on several failure counters at
   * once, atomically (across instances too). A counter's failures are those of the last
   * `windowMs` (a sliding window: never more than `limit` failures checked within any window).
   * Refused when a counter's failures are at its limit; busy when its failures plus the
   * attempts in flight are (those may still fail); otherwise counted as in flight on every
   * counter, for at most {@link ATTEMPT_IN_FLIGHT_MS}. So N parallel guesses never get more than
   * a limit checked, and a right password is never refused for attempts merely in flight.
   */
  abstract reserveAttempt(
    rules: readonly LimitRule[],
    attempt: string,
  ): Promise<AttemptReservation>;

  /**
   * Ends an attempt that {@link reserveAttempt} reserved: no longer in flight, and when it
   * `failed`, a failure of this moment on each counter.
   */
  abstract settleAttempt(
    rules: readonly LimitRule[],
    attempt: string,
    failed: boolean,
  ): Promise<void>;

  /** The failures a counter holds in the last `windowMs` (for inspection and tests). */
  abstract failuresWithin(key: string, windowMs: number): Promise<number>;

  /** Reads the window without counting. */
  abstract peek(key: string): Promise<WindowCount>;

  /** `@nestjs/throttler`'s contract: `ttl` and `blockDuration` in ms, a block lasts the window. */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    _blockDuration?: number,
    _throttlerName?: string,
  ): Promise<ThrottlerStorageRecord> {
    const { count, msToReset } = await this.hit(key, ttl);
    const seconds = retryAfterSeconds(msToReset);
    const isBlocked = count > limit;
    return {
      totalHits: count,
      timeToExpire: seconds,
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds : 0,
    };
  }
}

/** `Retry-After` in whole seconds, at least 1. */
export function retryAfterSeconds(msToReset: number): number {
  return Math.max(1, Math.ceil(msToReset / 1000));
}
