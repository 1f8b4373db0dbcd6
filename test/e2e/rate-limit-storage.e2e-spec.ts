import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { MemoryRateLimitStorage } from '../../src/rate-limit/memory-rate-limit-storage.js';
import type { RateLimitStorage } from '../../src/rate-limit/rate-limit-storage.js';
import { RedisRateLimitStorage } from '../../src/rate-limit/redis-rate-limit-storage.js';

/** The machine's Redis; every run writes under its own key prefix and deletes it afterwards. */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `taproom-test-${randomBytes(6).toString('hex')}:`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Subject {
  name: string;
  create(): Promise<RateLimitStorage & { onModuleDestroy(): unknown }>;
}

const subjects: Subject[] = [
  { name: 'in memory', create: () => Promise.resolve(new MemoryRateLimitStorage()) },
  {
    name: 'in Redis',
    create: async () => {
      const storage = new RedisRateLimitStorage(redisUrl, prefix);
      await storage.connect();
      return storage;
    },
  },
];

afterAll(async () => {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

describe.each(subjects)('rate limit storage $name', (subject) => {
  let storage: RateLimitStorage & { onModuleDestroy(): unknown };
  let n = 0;
  const key = (): string => `k${++n}-${randomBytes(4).toString('hex')}`;

  it('connects', async () => {
    storage = await subject.create();
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
    const counts = await Promise.all(Array.from({ length: 40 }, () => storage.hit(shared, 60_000)));
    expect(counts.map((hit) => hit.count).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 40 }, (_, index) => index + 1),
    );
  });

  it('takes a hit back on release, never below zero', async () => {
    const k = key();
    await storage.reserve(k, 60_000, 2);
    await storage.reserve(k, 60_000, 2);
    expect((await storage.reserve(k, 60_000, 2)).allowed).toBe(false);
    await storage.release(k);
    expect((await storage.peek(k)).count).toBe(1);
    expect((await storage.reserve(k, 60_000, 2)).allowed).toBe(true);
    const empty = key();
    await storage.release(empty);
    expect((await storage.peek(empty)).count).toBe(0);
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

describe('Redis rate limit storage', () => {
  it('keeps its keys under the configured prefix, shared by every instance', async () => {
    const one = new RedisRateLimitStorage(redisUrl, prefix);
    const two = new RedisRateLimitStorage(redisUrl, prefix);
    await Promise.all([one.connect(), two.connect()]);
    try {
      await one.hit('shared', 60_000);
      await two.hit('shared', 60_000);
      expect((await one.peek('shared')).count).toBe(2);
      const redis = new Redis(redisUrl);
      expect(await redis.get(`${prefix}rl:shared`)).toBe('2');
      await redis.quit();
    } finally {
      await Promise.all([one.onModuleDestroy(), two.onModuleDestroy()]);
    }
  });

  it('counts in memory, without hanging, while Redis cannot be reached', async () => {
    const storage = new RedisRateLimitStorage('redis://127.0.0.1:1', prefix);
    await storage.connect();
    try {
      const started = Date.now();
      expect((await storage.hit('down', 60_000)).count).toBe(1);
      expect((await storage.reserve('down', 60_000, 2)).allowed).toBe(true);
      expect((await storage.reserve('down', 60_000, 2)).allowed).toBe(false);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await storage.onModuleDestroy();
    }
  });
});
