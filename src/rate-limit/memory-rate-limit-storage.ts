import type { OnModuleDestroy } from '@nestjs/common';
import {
  type LimitRule,
  RateLimitStorage,
  type Reservation,
  type Reservations,
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

  reserveAll(rules: readonly LimitRule[]): Promise<Reservations> {
    // One synchronous pass: nothing else in this process runs between the checks and the counts.
    let refusal: { refused: number; msToReset: number } | undefined;
    rules.forEach((rule, index) => {
      const window = this.live(rule.key);
      if (window === undefined || window.count < rule.limit) return;
      const msToReset = this.view(window).msToReset;
      if (refusal === undefined || msToReset > refusal.msToReset) {
        refusal = { refused: index, msToReset };
      }
    });
    if (refusal) return Promise.resolve({ allowed: false, ...refusal });
    for (const rule of rules) this.current(rule.key, rule.windowMs).count += 1;
    return Promise.resolve({ allowed: true });
  }

  peek(key: string): Promise<WindowCount> {
    const window = this.live(key);
    return Promise.resolve(window ? this.view(window) : { count: 0, msToReset: 0 });
  }

  release(key: string): Promise<void> {
    const window = this.live(key);
    if (window && window.count > 0) window.count -= 1;
    return Promise.resolve();
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
