import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { bearer, signInNew } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { PublicProbeModule } from '../support/public-probe.module.js';
import { type TestApp, startAppOnNewDatabase, startTestApp } from '../support/test-app.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A client behind the trusted proxy (TRUST_PROXY=1), so each test can be its own address. */
const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });

function expectRateLimited(response: Awaited<ReturnType<typeof request>>, maxSeconds: number) {
  expectErrorBody(response, 429, 'RATE_LIMITED');
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
}

describe('general rate limit', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      imports: [PublicProbeModule],
      env: {
        TRUST_PROXY: '1',
        RATE_LIMIT_ANON_PER_MINUTE: '3',
        RATE_LIMIT_USER_PER_MINUTE: '3',
        RATE_LIMIT_WINDOW: '3',
      },
    });
  }, 60_000);
  afterAll(() => app.close());

  it('limits anonymous requests per IP with 429 RATE_LIMITED and Retry-After, then lets them through again', async () => {
    const ip = '198.51.100.10';
    for (let index = 0; index < 3; index++) {
      expect((await request(`${app.url}/api/public-probe`, { headers: from(ip) })).status).toBe(
        200,
      );
    }
    const limited = await request(`${app.url}/api/public-probe`, { headers: from(ip) });
    expectRateLimited(limited, 3);
    expectRateLimited(await request(`${app.url}/api/public-probe`, { headers: from(ip) }), 3);
    // Another address has its own budget.
    expect(
      (await request(`${app.url}/api/public-probe`, { headers: from('198.51.100.11') })).status,
    ).toBe(200);
    await sleep(Number(limited.headers.get('retry-after')) * 1000 + 100);
    expect((await request(`${app.url}/api/public-probe`, { headers: from(ip) })).status).toBe(200);
  });

  it('limits signed-in users per user, apart from each other and from anonymous callers', async () => {
    const ip = '198.51.100.77';
    const one = await signInNew(app, 'bartender', 'bartender', { headers: from('198.51.100.78') });
    const two = await signInNew(app, 'bartender', 'bartender', { headers: from('198.51.100.79') });
    const meFrom = (token: string) =>
      request(`${app.url}/api/auth/me`, { headers: { ...bearer(token), ...from(ip) } });
    for (let index = 0; index < 3; index++)
      expect((await meFrom(one.accessToken)).status).toBe(200);
    expectRateLimited(await meFrom(one.accessToken), 3);
    expect((await meFrom(two.accessToken)).status).toBe(200);
    expect((await request(`${app.url}/api/public-probe`, { headers: from(ip) })).status).toBe(200);
  });
});

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
