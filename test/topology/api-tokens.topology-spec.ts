import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, bearer, signInNew } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { ThrowawayRedis } from '../support/redis-server.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';
import { NO_LIMITS, eventually, sharedInstanceEnv } from '../support/live-events.js';

const TOKEN_LIMIT = 20;

// An integration's requests land on whichever instance the load balancer picks: what one
// instance decides about a token (revoked, its owner gone, its budget spent) holds on the other.
describe('API tokens across two instances (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let redis: ThrowawayRedis;
  let admin: SignedIn;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await ThrowawayRedis.start();
    const env = {
      ...NO_LIMITS,
      ...sharedInstanceEnv(redis.url),
      RATE_LIMIT_TOKEN_PER_MINUTE: String(TOKEN_LIMIT),
    };
    a = await startTestApp({ database: db.target, env });
    b = await startTestApp({ database: db.target, env });
    admin = await signInNew(a, 'admin');
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
    await redis.stop();
  });

  async function newToken(
    owner: SignedIn,
    scopes: string[],
  ): Promise<{ id: string; token: string }> {
    const response = await request(`${a.url}/api/tokens`, {
      method: 'POST',
      headers: bearer(owner.accessToken),
      json: { name: 'Stock sync', scopes },
    });
    expect(response.status).toBe(201);
    return response.body;
  }

  const audit = (app: TestApp, token: string) =>
    request(`${app.url}/api/admin/audit?limit=1`, { headers: bearer(token) });

  it('refuses a token revoked on A on B’s next request, though B had it cached', async () => {
    const { id, token } = await newToken(admin, ['audit:read']);
    expect((await audit(b, token)).status).toBe(200);
    expect((await audit(b, token)).status).toBe(200);
    const revoked = await request(`${a.url}/api/tokens/${id}`, {
      method: 'DELETE',
      headers: bearer(admin.accessToken),
    });
    expect(revoked.status).toBe(204);
    const refused = await eventually(
      () => audit(b, token),
      (r) => r.status === 401,
      1_000,
    );
    expectErrorBody(refused, 401, 'TOKEN_INVALID');
  });

  it('refuses on B the token of an admin deactivated on A', async () => {
    const owner = await signInNew(a, 'admin');
    const { token } = await newToken(owner, ['audit:read']);
    expect((await audit(b, token)).status).toBe(200);
    const deactivated = await request(`${a.url}/api/admin/users/${owner.user.id}`, {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { active: false },
    });
    expect(deactivated.status).toBe(200);
    const refused = await eventually(
      () => audit(b, token),
      (r) => r.status === 401,
      1_000,
    );
    expectErrorBody(refused, 401, 'TOKEN_INVALID');
  });

  it('holds one token to its limit across both instances, under a burst', async () => {
    const { token } = await newToken(admin, ['audit:read']);
    const burst = await Promise.all(
      Array.from({ length: TOKEN_LIMIT + 10 }, (_, i) => audit(i % 2 === 0 ? a : b, token)),
    );
    const statuses = burst.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(TOKEN_LIMIT);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    // Another token of the same owner has a budget of its own.
    const { token: other } = await newToken(admin, ['audit:read']);
    expect((await audit(b, other)).status).toBe(200);
  });
});
