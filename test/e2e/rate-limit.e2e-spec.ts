import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, signInNew } from '../support/auth.js';
import { request } from '../support/http.js';
import { PublicProbeModule } from '../support/public-probe.module.js';
import { expectRateLimited, from } from '../support/rate-limit.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// Across instances through Redis: test/redis/rate-limit.redis-spec.ts.
describe('the anonymous limit, with no limit for signed-in users', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      imports: [PublicProbeModule],
      env: {
        TRUST_PROXY: '1',
        RATE_LIMIT_ANON_PER_MINUTE: '2',
        RATE_LIMIT_USER_PER_MINUTE: '0',
        RATE_LIMIT_WINDOW: '60',
      },
    });
  }, 60_000);
  afterAll(() => app.close());

  // Every request starts with `auth` declared: anonymous must still mean anonymous.
  it('still limits anonymous callers per IP', async () => {
    const ip = '198.51.100.200';
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) {
      statuses.push((await request(`${app.url}/api/public-probe`, { headers: from(ip) })).status);
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    const user = await signInNew(app, 'customer', 'customer', { headers: from('198.51.100.201') });
    for (let index = 0; index < 4; index++) {
      const me = await request(`${app.url}/api/auth/me`, {
        headers: { ...bearer(user.accessToken), ...from(ip) },
      });
      expect(me.status).toBe(200);
    }
  });
});

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

  it('counts a signed-in caller on a public route on their own budget, not their address’s', async () => {
    // A bar's Wi-Fi: one address for everyone there.
    const ip = '198.51.100.80';
    const guest = await signInNew(app, 'customer', 'customer', { headers: from('198.51.100.81') });
    const menu = (headers: Record<string, string>) =>
      request(`${app.url}/api/public-probe`, { headers: { ...headers, ...from(ip) } });
    for (let index = 0; index < 3; index++) {
      expect((await menu(bearer(guest.accessToken))).status).toBe(200);
    }
    expectRateLimited(await menu(bearer(guest.accessToken)), 3);
    // The others at that address still have all of theirs.
    expect((await menu({})).status).toBe(200);
    // A token that is not valid is not refused on a public route: the caller is anonymous.
    expect((await menu(bearer('not-a-token'))).status).toBe(200);
  });

  it('never limits the health probes, however often a load balancer asks', async () => {
    const ip = '198.51.100.90';
    for (let index = 0; index < 10; index++) {
      const live = await request(`${app.url}/api/health`, { headers: from(ip) });
      expect(live.status).toBe(200);
    }
    // The address's budget is untouched by them.
    expect((await request(`${app.url}/api/public-probe`, { headers: from(ip) })).status).toBe(200);
  });

  it('answers a limited request in the contract’s format, without X-RateLimit headers', async () => {
    const ip = '198.51.100.91';
    const first = await request(`${app.url}/api/public-probe`, { headers: from(ip) });
    expect([...first.headers.keys()].filter((name) => name.startsWith('x-ratelimit'))).toEqual([]);
    for (let index = 0; index < 2; index++) {
      await request(`${app.url}/api/public-probe`, { headers: from(ip) });
    }
    const limited = await request(`${app.url}/api/public-probe`, { headers: from(ip) });
    expectRateLimited(limited, 3);
    expect(limited.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
  });
});
