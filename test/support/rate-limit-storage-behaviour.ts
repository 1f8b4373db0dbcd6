/**
 * What every rate limit storage must do, for each kind: in memory (e2e) and in Redis (redis).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import type { RateLimitStorage } from '../../src/rate-limit/rate-limit-storage.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export type StorageUnderTest = RateLimitStorage & { onModuleDestroy(): unknown };

/** How long a sign-in attempt counts as in flight in the storages these tests make. */
const IN_FLIGHT_MS = 800;

/**
 * Declares "rate limit storage <name>" on the storage that `create` makes (and then closes), with
 * `attemptInFlightMs` as the time an attempt counts as in flight at most.
 */
export function describeRateLimitStorage(
  name: string,
  create: (attemptInFlightMs: number) => Promise<StorageUnderTest>,
): void {
  describe(`rate limit storage ${name}`, () => {
    let storage: StorageUnderTest;
    let n = 0;
    const key = (): string => `k${++n}-${randomBytes(4).toString('hex')}`;

    it('connects', async () => {
      storage = await create(IN_FLIGHT_MS);
    });
    afterAll(async () => {
      await storage.onModuleDestroy();
    });

    it('counts hits in a window that starts with the first hit', async () => {
      const k = key();
      expect(await storage.peek(k)).toEqual({ count: 0, msToReset: 0 });
      const first = await storage.hit(k, 60_000);
      expect(first.count).toBe(1);
      expect(first.msToReset).toBeGreaterThan(59_000);
      expect(first.msToReset).toBeLessThanOrEqual(60_000);
      await storage.hit(k, 60_000);
      const third = await storage.hit(k, 60_000);
      expect(third.count).toBe(3);
      expect((await storage.peek(k)).count).toBe(3);
    });

    it('starts over when the window ends', async () => {
      const k = key();
      await storage.hit(k, 300);
      await storage.hit(k, 300);
      expect((await storage.peek(k)).count).toBe(2);
      await sleep(400);
      expect(await storage.peek(k)).toEqual({ count: 0, msToReset: 0 });
      const again = await storage.hit(k, 300);
      expect(again.count).toBe(1);
    });

    it('reserves up to the limit and refuses beyond it without counting', async () => {
      const k = key();
      const results = [];
      for (let index = 0; index < 5; index++) results.push(await storage.reserve(k, 60_000, 3));
      expect(results.map((result) => result.allowed)).toEqual([true, true, true, false, false]);
      expect(results.map((result) => result.count)).toEqual([1, 2, 3, 3, 3]);
      expect(results[4]?.msToReset).toBeGreaterThan(0);
    });

    it('is atomic under concurrency: exactly the limit of 50 parallel reservations succeeds', async () => {
      const k = key();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => storage.reserve(k, 60_000, 7)),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(7);
      const hits = await Promise.all(Array.from({ length: 40 }, () => storage.hit(key(), 60_000)));
      expect(hits.every((hit) => hit.count === 1)).toBe(true);
      const shared = key();
      const counts = await Promise.all(
        Array.from({ length: 40 }, () => storage.hit(shared, 60_000)),
      );
      expect(counts.map((hit) => hit.count).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 40 }, (_, index) => index + 1),
      );
    });

    it('counts a sign-in attempt in flight on every counter, then as a failure or not at all', async () => {
      const [a, b] = [key(), key()];
      const rules = [
        { key: a, windowMs: 60_000, limit: 3 },
        { key: b, windowMs: 600_000, limit: 2 },
      ];
      expect(await storage.reserveAttempt(rules, 'one')).toEqual({ state: 'reserved' });
      expect(await storage.reserveAttempt(rules, 'two')).toEqual({ state: 'reserved' });
      // b's limit of 2 is taken by attempts in flight: they may still fail, so wait.
      expect(await storage.reserveAttempt(rules, 'three')).toEqual({ state: 'busy', busy: 1 });
      await storage.settleAttempt(rules, 'one', false);
      // A right password left no failure, and freed its place.
      expect(await storage.failuresWithin(a, 60_000)).toBe(0);
      expect(await storage.reserveAttempt(rules, 'three')).toEqual({ state: 'reserved' });
      await storage.settleAttempt(rules, 'two', true);
      await storage.settleAttempt(rules, 'three', true);
      expect(await storage.failuresWithin(a, 60_000)).toBe(2);
      // b's failures alone are at its limit: refused, until its first failure leaves its window.
      const refused = await storage.reserveAttempt(rules, 'four');
      expect(refused).toMatchObject({ state: 'refused', refused: 1 });
      expect(refused.state === 'refused' ? refused.msToReset : 0).toBeGreaterThan(590_000);
      expect(await storage.reserveAttempt([], 'five')).toEqual({ state: 'reserved' });
    });

    it('lets exactly the limit of parallel attempts through, on every counter at once', async () => {
      const [shared, other] = [key(), key()];
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          storage.reserveAttempt(
            [
              { key: shared, windowMs: 60_000, limit: 9 },
              { key: `${other}-${index % 4}`, windowMs: 60_000, limit: 2 },
            ],
            `attempt-${index}`,
          ),
        ),
      );
      // 4 other counters of 2 each allow 8; the shared one would allow 9: 8 get through.
      expect(results.filter((result) => result.state === 'reserved')).toHaveLength(8);
      expect(results.filter((result) => result.state === 'busy')).toHaveLength(32);
    });

    it('stops counting an attempt never settled after its time in flight, whatever else comes', async () => {
      const rules = [{ key: key(), windowMs: 60_000, limit: 2 }];
      // As if its instance died mid-check: reserved, never settled.
      expect(await storage.reserveAttempt(rules, 'lost')).toEqual({ state: 'reserved' });
      for (let index = 0; index < 6; index++) {
        expect(await storage.reserveAttempt(rules, `ok-${index}`)).toEqual({ state: 'reserved' });
        await storage.settleAttempt(rules, `ok-${index}`, false);
        await sleep(IN_FLIGHT_MS / 4);
      }
      // Both places are free again: the lost attempt no longer counts.
      expect(await storage.reserveAttempt(rules, 'x')).toEqual({ state: 'reserved' });
      expect(await storage.reserveAttempt(rules, 'y')).toEqual({ state: 'reserved' });
    });

    it('counts failures in a sliding window: never more than the limit within any window', async () => {
      // Long enough that a busy machine's late timers (CI runs suites side by side) cannot move
      // a failure across a window's edge; the waits are read off the clock, not assumed.
      const windowMs = 2_000;
      const rules = [{ key: key(), windowMs, limit: 2 }];
      const fail = async (attempt: string): Promise<number> => {
        expect(await storage.reserveAttempt(rules, attempt)).toEqual({ state: 'reserved' });
        const at = Date.now();
        await storage.settleAttempt(rules, attempt, true);
        return at;
      };
      const msToReset = (answer: Awaited<ReturnType<typeof storage.reserveAttempt>>) =>
        answer.state === 'refused' ? answer.msToReset : -1;
      const aAt = await fail('a');
      await sleep(1_300);
      const bAt = await fail('b');
      // Refused until 'a' leaves its window.
      const refused = await storage.reserveAttempt(rules, 'c');
      expect(msToReset(refused)).toBeGreaterThan(0);
      expect(Math.abs(msToReset(refused) - (windowMs - (Date.now() - aAt)))).toBeLessThan(250);
      await sleep(Math.max(0, aAt + windowMs + 100 - Date.now()));
      // 'a' has left its window, 'b' has not: one more, where a fixed window starting anew at
      // 2,000 ms would allow two (four failures within 1,300 ms of each other's windows).
      await fail('c');
      const again = await storage.reserveAttempt(rules, 'd');
      expect(again.state).toBe('refused');
      // Until 'b' leaves its window.
      expect(Math.abs(msToReset(again) - (windowMs - (Date.now() - bAt)))).toBeLessThan(250);
    });

    it('answers @nestjs/throttler’s increment with blocking past the limit and seconds to wait', async () => {
      const k = key();
      const first = await storage.increment(k, 30_000, 2, 30_000, 'default');
      expect(first).toEqual({
        totalHits: 1,
        timeToExpire: 30,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
      await storage.increment(k, 30_000, 2, 30_000, 'default');
      const third = await storage.increment(k, 30_000, 2, 30_000, 'default');
      expect(third.isBlocked).toBe(true);
      expect(third.timeToBlockExpire).toBeGreaterThanOrEqual(29);
      expect(third.timeToBlockExpire).toBeLessThanOrEqual(30);
    });
  });
}
