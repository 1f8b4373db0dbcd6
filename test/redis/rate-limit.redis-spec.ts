import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { expectErrorBody, request } from '../support/http.js';
import { PublicProbeModule } from '../support/public-probe.module.js';
import { expectRateLimited, from } from '../support/rate-limit.js';
import { sharedRedisUrl as redisUrl } from '../support/redis-server.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

// On one instance: test/e2e/rate-limit.e2e-spec.ts.
describe('rate limits shared across instances through Redis', () => {
  const prefix = `taproom-test-${randomBytes(6).toString('hex')}:`;
  let dbs: TestDatabase[];
  let apps: TestApp[];

  beforeAll(async () => {
    dbs = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const env = {
      TRUST_PROXY: '1',
      RATE_LIMIT_ANON_PER_MINUTE: '4',
      RATE_LIMIT_LOGIN_ACCOUNT: '3',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
    };
    apps = await Promise.all(
      dbs.map((db) => startTestApp({ database: db.target, env, imports: [PublicProbeModule] })),
    );
  }, 90_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(dbs.map((db) => db.drop()));
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

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
    const keys = await redis.keys(`${prefix}rl:req:ip:*`);
    await redis.quit();
    expect(keys).toEqual([`${prefix}rl:req:ip:${ip}`]);
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
  const prefix = `taproom-test-${randomBytes(6).toString('hex')}:`;
  let dbs: TestDatabase[];
  let apps: TestApp[];

  beforeAll(async () => {
    dbs = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const env = {
      TRUST_PROXY: '1',
      RATE_LIMIT_ANON_PER_MINUTE: '0',
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
    };
    apps = await Promise.all(dbs.map((db) => startTestApp({ database: db.target, env })));
  }, 90_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all(dbs.map((db) => db.drop()));
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

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
