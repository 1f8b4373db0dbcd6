import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { expectErrorBody, request } from '../support/http.js';
import { PublicProbeModule } from '../support/public-probe.module.js';
import { expectRateLimited, from } from '../support/rate-limit.js';
import { sharedRedisUrl as redisUrl } from '../support/redis-server.js';
import { type TestApp, type TestAppOptions, startTestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';

/**
 * Two instances, each on a database of its own, sharing Redis under a key prefix of their own
 * (which `close` deletes), as the two instances of one deployment share it.
 */
async function startPair(
  env: Record<string, string>,
  imports: TestAppOptions['imports'] = [],
): Promise<{ apps: [TestApp, TestApp]; prefix: string; close(): Promise<void> }> {
  const prefix = `taproom-test-${randomBytes(6).toString('hex')}:`;
  const dbs = await Promise.all([createTestDatabase(), createTestDatabase()]);
  const shared = { TRUST_PROXY: '1', REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix, ...env };
  const [one, two] = await Promise.all(
    dbs.map((db) => startTestApp({ database: db.target, env: shared, imports })),
  );
  return {
    apps: [one!, two!],
    prefix,
    async close() {
      await Promise.all([one!.close(), two!.close()]);
      await Promise.all(dbs.map((db) => db.drop()));
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}

// On one instance: test/e2e/rate-limit.e2e-spec.ts.
describe('rate limits shared across instances through Redis', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  let apps: TestApp[];

  beforeAll(async () => {
    pair = await startPair({ RATE_LIMIT_ANON_PER_MINUTE: '4', RATE_LIMIT_LOGIN_ACCOUNT: '3' }, [
      PublicProbeModule,
    ]);
    apps = pair.apps;
  }, 90_000);
  afterAll(() => pair.close());

  it('counts requests to either instance against one budget', async () => {
    const [one, two] = apps as [TestApp, TestApp];
    const ip = '203.0.113.50';
    expect((await request(`${one.url}/api/public-probe`, { headers: from(ip) })).status).toBe(200);
    expect((await request(`${two.url}/api/public-probe`, { headers: from(ip) })).status).toBe(200);
    expect((await request(`${one.url}/api/public-probe`, { headers: from(ip) })).status).toBe(200);
    expect((await request(`${two.url}/api/public-probe`, { headers: from(ip) })).status).toBe(200);
    expectRateLimited(await request(`${one.url}/api/public-probe`, { headers: from(ip) }), 60);
    expectRateLimited(await request(`${two.url}/api/public-probe`, { headers: from(ip) }), 60);
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${pair.prefix}rl:req:ip:*`);
    await redis.quit();
    expect(keys).toEqual([`${pair.prefix}rl:req:ip:${ip}`]);
  });

  it('counts sign-in failures of one account on either instance against one limit', async () => {
    const [one, two] = apps as [TestApp, TestApp];
    const email = `ghost-${randomBytes(4).toString('hex')}@example.com`;
    const attempt = (target: TestApp, ip: string) =>
      request(`${target.url}/api/auth/login`, {
        method: 'POST',
        headers: from(ip),
        json: { email, password: 'wrong-password-1', app: 'customer', refreshTransport: 'body' },
      });
    expectErrorBody(await attempt(one, '203.0.113.61'), 401, 'INVALID_CREDENTIALS');
    expectErrorBody(await attempt(two, '203.0.113.62'), 401, 'INVALID_CREDENTIALS');
    expectErrorBody(await attempt(one, '203.0.113.63'), 401, 'INVALID_CREDENTIALS');
    expectRateLimited(await attempt(two, '203.0.113.64'), 3600);
    expectRateLimited(await attempt(one, '203.0.113.65'), 3600);
  });
});

describe('sign-in limits reserved before the password check, across instances', () => {
  let pair: Awaited<ReturnType<typeof startPair>>;
  let apps: TestApp[];

  beforeAll(async () => {
    pair = await startPair({ RATE_LIMIT_ANON_PER_MINUTE: '0' });
    apps = pair.apps;
  }, 90_000);
  afterAll(() => pair.close());

  it('checks no more parallel guesses from one IP than its limit (50), split over both instances', async () => {
    const [one, two] = apps as [TestApp, TestApp];
    const ip = '203.0.113.70';
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        request(`${(index % 2 === 0 ? one : two).url}/api/auth/login`, {
          method: 'POST',
          headers: from(ip),
          json: {
            email: `burst-${index}-${randomBytes(3).toString('hex')}@example.com`,
            password: 'wrong-password-1',
            app: 'customer',
          },
        }),
      ),
    );
    const codes = answers.map((answer) => answer.body.code as string);
    expect(codes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(50);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(10);
  });
});
