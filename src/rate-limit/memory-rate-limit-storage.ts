import type { OnModuleDestroy } from '@nestjs/common';
import {
  ATTEMPT_IN_FLIGHT_MS,
  type AttemptReservation,
  type LimitRule,
  RateLimitStorage,
  type Reservation,
  type WindowCount,
  inFlightKey,
} from './rate-limit-storage.js';

interface Window {
  count: number;
  resetsAt: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/** Counters in this process's memory: right for a single instance (and the fallback for Redis). */
export class MemoryRateLimitStorage extends RateLimitStorage implements OnModuleDestroy {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
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

  reserveAttempt(rules: readonly LimitRule[]): Promise<AttemptReservation> {
    // One synchronous pass: nothing else in this process runs between the checks and the counts.
    let refusal: { refused: number; msToReset: number } | undefined;
    let busy = false;
    for (const [index, rule] of rules.entries()) {
      const failures = this.live(rule.key);
      const failed = failures?.count ?? 0;
      if (failures !== undefined && failed >= rule.limit) {
        const msToReset = this.view(failures).msToReset;
        if (refusal === undefined || msToReset > refusal.msToReset) {
          refusal = { refused: index, msToReset };
        }
      } else if (failed + (this.live(inFlightKey(rule.key))?.count ?? 0) >= rule.limit) {
        busy = true;
      }
    }
    if (refusal) return Promise.resolve({ state: 'refused', ...refusal });
    if (busy) return Promise.resolve({ state: 'busy' });
    for (const rule of rules) {
      const inFlight = this.current(inFlightKey(rule.key), ATTEMPT_IN_FLIGHT_MS);
      inFlight.count += 1;
      inFlight.resetsAt = this.now() + ATTEMPT_IN_FLIGHT_MS;
    }
    return Promise.resolve({ state: 'reserved' });
  }

  settleAttempt(rules: readonly LimitRule[], failed: boolean): Promise<void> {
    for (const rule of rules) {
      const inFlight = this.live(inFlightKey(rule.key));
      if (inFlight && inFlight.count > 0) inFlight.count -= 1;
      if (failed) this.current(rule.key, rule.windowMs).count += 1;
    }
    return Promise.resolve();
  }

  peek(key: string): Promise<WindowCount> {
    const window = this.live(key);
    return Promise.resolve(window ? this.view(window) : { count: 0, msToReset: 0 });
  }

  /** Number of keys held, for tests of the sweep. */
  get size(): number {
    return this.windows.size;
  }

  /** Forgets windows that have ended. */
  sweep(): void {
    const now = this.now();
    for (const [key, window] of this.windows) {
      if (window.resetsAt <= now) this.windows.delete(key);
    }
  }

  onModuleDestroy(): void {
    clearInterval(this.sweeper);
    this.windows.clear();
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
