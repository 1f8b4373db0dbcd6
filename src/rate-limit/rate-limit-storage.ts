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

/** One counter of a {@link RateLimitStorage.reserveAll}: its key, window and limit. */
export interface LimitRule {
  readonly key: string;
  readonly windowMs: number;
  readonly limit: number;
}

/** What {@link RateLimitStorage.reserveAll} did: all counted, or none. */
export type Reservations =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** The index of the full rule that frees up last (the others may be full too). */
      readonly refused: number;
      readonly msToReset: number;
    };

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
   * Counts one hit on every rule's counter, unless any of them already holds its limit: then
   * nothing is counted. All or nothing, atomically (across instances too), so N parallel calls
   * never get more than each limit through, whichever rule they reach first.
   */
  abstract reserveAll(rules: readonly LimitRule[]): Promise<Reservations>;

  /** Reads the window without counting. */
  abstract peek(key: string): Promise<WindowCount>;

  /** Takes one hit back (never below zero), e.g. a reserved attempt that turned out fine. */
  abstract release(key: string): Promise<void>;

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
