import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { MemoryRateLimitStorage } from '../../src/rate-limit/memory-rate-limit-storage.js';
import { RedisRateLimitStorage } from '../../src/rate-limit/redis-rate-limit-storage.js';
import { describeRateLimitStorage } from '../support/rate-limit-storage-behaviour.js';

// The same tests on Redis: test/redis/rate-limit-storage.redis-spec.ts.
describeRateLimitStorage('in memory', (attemptInFlightMs) =>
  Promise.resolve(new MemoryRateLimitStorage(Date.now, attemptInFlightMs)),
);

describe('Redis rate limit storage', () => {
  // Needs no Redis: port 1 is closed.
  it('counts in memory, without hanging, while Redis cannot be reached', async () => {
    const prefix = `taproom-test-${randomBytes(6).toString('hex')}:`;
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
