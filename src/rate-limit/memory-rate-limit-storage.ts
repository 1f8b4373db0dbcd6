import type { OnModuleDestroy } from '@nestjs/common';
import {
  ATTEMPT_IN_FLIGHT_MS,
  type AttemptReservation,
  type LimitRule,
  RateLimitStorage,
  type Reservation,
  type WindowCount,
} from './rate-limit-storage.js';

interface Window {
  count: number;
  resetsAt: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/** Counters in this process's memory: right for a single instance (and the fallback for Redis). */
export class MemoryRateLimitStorage extends RateLimitStorage implements OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  /** Sign-in failure times per key, oldest first, and the window they count in. */
  private readonly failures = new Map<string, { windowMs: number; times: number[] }>();
  /** Sign-in attempts in flight per key: attempt id → until when it counts. */
  private readonly inFlight = new Map<string, Map<string, number>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly attemptInFlightMs: number = ATTEMPT_IN_FLIGHT_MS,
  ) {
    super();
    this.sweeper = setInterval(() => {
      this.sweep();
    }, SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  hit(key: string, windowMs: number): Promise<WindowCount> {
    const window = this.current(key, windowMs);
    window.count += 1;
    return Promise.resolve(this.view(window));
  }

  reserve(key: string, windowMs: number, limit: number): Promise<Reservation> {
    const window = this.current(key, windowMs);
    const allowed = window.count < limit;
    if (allowed) window.count += 1;
    return Promise.resolve({ ...this.view(window), allowed });
  }

  reserveAttempt(rules: readonly LimitRule[], attempt: string): Promise<AttemptReservation> {
    // One synchronous pass: nothing else in this process runs between the checks and the counts.
    const now = this.now();
    let refusal: { refused: number; msToReset: number } | undefined;
    let busy: number | undefined;
    for (const [index, rule] of rules.entries()) {
      const failures = this.failuresSince(rule.key, now - rule.windowMs);
      if (failures.length >= rule.limit) {
        // The failure that must leave the window for the count to drop below the limit.
        const nth = failures[failures.length - rule.limit] ?? now;
        const msToReset = nth + rule.windowMs - now;
        if (refusal === undefined || msToReset > refusal.msToReset) {
          refusal = { refused: index, msToReset };
        }
      } else if (busy === undefined) {
        if (failures.length + this.inFlightCount(rule.key, now) >= rule.limit) busy = index;
      }
    }
    if (refusal) return Promise.resolve({ state: 'refused', ...refusal });
    if (busy !== undefined) return Promise.resolve({ state: 'busy', busy });
    for (const rule of rules) {
      this.inFlightAt(rule.key, now).set(attempt, now + this.attemptInFlightMs);
    }
    return Promise.resolve({ state: 'reserved' });
  }

  settleAttempt(rules: readonly LimitRule[], attempt: string, failed: boolean): Promise<void> {
    const now = this.now();
    for (const rule of rules) {
      const attempts = this.inFlight.get(rule.key);
      attempts?.delete(attempt);
      if (attempts?.size === 0) this.inFlight.delete(rule.key);
      if (failed) {
        const times = this.failuresSince(rule.key, now - rule.windowMs);
        this.failures.set(rule.key, { windowMs: rule.windowMs, times: [...times, now] });
      }
    }
    return Promise.resolve();
  }

  failuresWithin(key: string, windowMs: number): Promise<number> {
    return Promise.resolve(this.failuresSince(key, this.now() - windowMs).length);
  }

  /** The key's failure times after `since`, oldest first (older ones are dropped). */
  private failuresSince(key: string, since: number): number[] {
    const held = this.failures.get(key);
    if (!held) return [];
    const times = held.times.filter((at) => at > since);
    if (times.length > 0) this.failures.set(key, { windowMs: held.windowMs, times });
    else this.failures.delete(key);
    return times;
  }

  /** How many attempts are in flight on a key at `now`, without keeping anything for it. */
  private inFlightCount(key: string, now: number): number {
    return this.inFlight.has(key) ? this.inFlightAt(key, now).size : 0;
  }

  /** The key's attempts in flight at `now` (expired ones are dropped), by id. */
  private inFlightAt(key: string, now: number): Map<string, number> {
    let attempts = this.inFlight.get(key);
    if (!attempts) {
      attempts = new Map();
      this.inFlight.set(key, attempts);
    }
    for (const [id, until] of attempts) if (until <= now) attempts.delete(id);
    return attempts;
  }

  peek(key: string): Promise<WindowCount> {
    const window = this.live(key);
    return Promise.resolve(window ? this.view(window) : { count: 0, msToReset: 0 });
  }

  /** Number of keys held (windows, failures, attempts in flight), for tests. */
  get size(): number {
    return this.windows.size + this.failures.size + this.inFlight.size;
  }

  /** Forgets windows that have ended, failures out of their window, attempts no longer in flight. */
  sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) {
      if (window.resetsAt <= now) this.windows.delete(key);
    }
    for (const [key, { windowMs }] of this.failures) this.failuresSince(key, now - windowMs);
    for (const key of this.inFlight.keys()) {
      if (this.inFlightAt(key, now).size === 0) this.inFlight.delete(key);
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    this.windows.clear();
    this.failures.clear();
    this.inFlight.clear();
  }

  private live(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && window.resetsAt <= this.now()) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }

  private current(key: string, windowMs: number): Window {
    let window = this.live(key);
    if (!window) {
      window = { count: 0, resetsAt: this.now() + windowMs };
      this.windows.set(key, window);
    }
    return window;
  }

  private view(window: Window): WindowCount {
    return { count: window.count, msToReset: Math.max(0, window.resetsAt - this.now()) };
  }
}
