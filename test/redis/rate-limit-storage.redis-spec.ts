import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { RedisRateLimitStorage } from '../../src/rate-limit/redis-rate-limit-storage.js';
import { describeRateLimitStorage } from '../support/rate-limit-storage-behaviour.js';
import { sharedRedisUrl as redisUrl } from '../support/redis-server.js';

// The machine's Redis (TEST_REDIS_URL): every run writes under its own key prefix and deletes it
// afterwards.
const prefix = `taproom-test-${randomBytes(6).toString('hex')}:`;

afterAll(async () => {
  const redis = new Redis(redisUrl);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

// The same tests in memory, and Redis out of reach: test/e2e/rate-limit-storage.e2e-spec.ts.
describeRateLimitStorage('in Redis', async (attemptInFlightMs) => {
  const storage = new RedisRateLimitStorage(redisUrl, prefix, attemptInFlightMs);
  await storage.connect();
  return storage;
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
});
