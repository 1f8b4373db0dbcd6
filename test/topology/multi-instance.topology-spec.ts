import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, bearer, me, signInNew } from '../support/auth.js';
import { type OpenStream, mustOpenEvents } from '../support/event-stream.js';
import { request } from '../support/http.js';
import { ThrowawayRedis, sharedRedisUrl } from '../support/redis-server.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';
import {
  NO_LIMITS,
  createMenuItem,
  eventually,
  placeOrder,
  readiness,
  sharedInstanceEnv,
  uniquePrefix,
} from '../support/live-events.js';

// Two processes need a database both can reach (PGlite is one process's): the machine's
// PostgreSQL, with Redis, as in a real deployment.
describe('live events across two instances (PostgreSQL + Redis)', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let redis: ThrowawayRedis;
  let admin: SignedIn;
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await ThrowawayRedis.start();
    // Instances behind one load balancer share their secrets, database and Redis.
    const env = {
      ...NO_LIMITS,
      ...sharedInstanceEnv(redis.url),
    };
    a = await startTestApp({ database: db.target, env });
    b = await startTestApp({ database: db.target, env });
    admin = await signInNew(a, 'admin');
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await a.close();
    await b.close();
    await db.drop();
    await redis.stop();
  });

  it('delivers an order created on A to streams on B, to staff and its owner only', async () => {
    const owner = await signInNew(a, 'customer');
    const other = await signInNew(a, 'customer');
    const bartender = await signInNew(a, 'bartender');
    const [ownerOnB, otherOnB, barOnB] = await Promise.all(
      [owner, other, bartender].map((who) => mustOpenEvents(b.url, who.accessToken)),
    );
    streams.push(ownerOnB!, otherOnB!, barOnB!);
    const item = await createMenuItem(a, admin);
    await otherOnB!.next((e) => e.event === 'menu.updated');
    const order = await placeOrder(a, owner, item.id);
    const started = Date.now();
    await ownerOnB!.next((e) => e.event === 'order.created' && e.data.id === order.id);
    await barOnB!.next((e) => e.event === 'order.created' && e.data.id === order.id);
    expect(Date.now() - started).toBeLessThan(1_000);
    await request(`${a.url}/api/admin/menu-items/${item.id}`, {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { description: 'later' },
    });
    // The second menu.updated committed after the order: once it is here, the order would be.
    await eventually(
      () => Promise.resolve(otherOnB!.events.filter((e) => e.event === 'menu.updated').length),
      (n) => n >= 2,
    );
    expect(otherOnB!.events.filter((e) => e.event === 'menu.updated')).toHaveLength(2);
    expect(otherOnB!.events.some((e) => e.event.startsWith('order.'))).toBe(false);
  });

  it('refuses a session revoked on A on B’s next request, and closes its stream on B', async () => {
    const victim = await signInNew(a, 'customer');
    expect((await me(b, victim.accessToken)).status).toBe(200);
    const streamOnB = await mustOpenEvents(b.url, victim.accessToken);
    streams.push(streamOnB);
    const logout = await request(`${a.url}/api/auth/logout`, {
      method: 'POST',
      headers: bearer(victim.accessToken),
    });
    expect(logout.status).toBe(204);
    const refused = await eventually(
      () => me(b, victim.accessToken),
      (r) => r.status === 401,
      1_000,
    );
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('SESSION_REVOKED');
    const revoked = await streamOnB.next((e) => e.event === 'session.revoked');
    expect(revoked.data).toEqual({ sessionId: victim.session.id, reason: 'logout' });
    await streamOnB.ended;
  });

  it('fails closed while Redis is down: a session revoked on A is refused on B at once', async () => {
    const victim = await signInNew(a, 'customer');
    const bystander = await signInNew(a, 'customer');
    expect((await me(b, victim.accessToken)).status).toBe(200);
    await redis.stop();
    await eventually(
      () => readiness(b),
      (r) => r.status === 503,
    );
    const logout = await request(`${a.url}/api/auth/logout`, {
      method: 'POST',
      headers: bearer(victim.accessToken),
    });
    expect(logout.status).toBe(204);
    const refused = await me(b, victim.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('SESSION_REVOKED');
    expect((await me(b, bystander.accessToken)).status).toBe(200);

    await redis.start();
    await eventually(
      () => readiness(b),
      (r) => r.status === 200,
      15_000,
    );
    expect((await me(b, victim.accessToken)).status).toBe(401);
    expect((await me(b, bystander.accessToken)).status).toBe(200);
  });

  it('answers me on B with a rename made on A while Redis was down', async () => {
    const user = await signInNew(a, 'customer');
    const cached = await me(b, user.accessToken);
    expect(cached.body.user.name).toBe(user.user.name);
    await redis.stop();
    await eventually(
      () => readiness(b),
      (r) => r.status === 503,
    );
    const rename = await request(`${a.url}/api/admin/users/${user.user.id}`, {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { name: 'Renamed During Outage' },
    });
    expect(rename.status).toBe(200);
    expect((await me(b, user.accessToken)).body.user.name).toBe('Renamed During Outage');
    await redis.start();
    await eventually(
      () => readiness(b),
      (r) => r.status === 200,
      15_000,
    );
    expect((await me(b, user.accessToken)).body.user.name).toBe('Renamed During Outage');
  });

  it('serves on B the stock an order on A took within a second, and during an outage at once', async () => {
    const item = await createMenuItem(a, admin, 5);
    const stockOn = async (app: TestApp) => {
      const menu = await request<{ id: string; stock: number | null }[]>(`${app.url}/api/menu`);
      return menu.body.find((entry) => entry.id === item.id)?.stock;
    };
    expect(
      await eventually(
        () => stockOn(b),
        (stock) => stock === 5,
        1_000,
      ),
    ).toBe(5);
    const buyer = await signInNew(a, 'customer');
    await placeOrder(a, buyer, item.id);
    // B holds its snapshot from the read above; A's menu.updated drops it.
    expect(
      await eventually(
        () => stockOn(b),
        (stock) => stock === 4,
        1_000,
      ),
    ).toBe(4);

    await redis.stop();
    await eventually(
      () => readiness(b),
      (r) => r.status === 503,
    );
    await placeOrder(a, buyer, item.id);
    // Cut off from A's events, B keeps no snapshot: it reads the database every time.
    expect(await stockOn(b)).toBe(3);
    await redis.start();
    await eventually(
      () => readiness(b),
      (r) => r.status === 200,
      15_000,
    );
    expect(await stockOn(b)).toBe(3);
  });

  it('relays from the event log while Redis is down: what A writes meanwhile reaches B, exactly once', async () => {
    const owner = await signInNew(a, 'customer');
    const streamOnB = await mustOpenEvents(b.url, owner.accessToken);
    streams.push(streamOnB);
    const item = await createMenuItem(a, admin);
    await streamOnB.next((e) => e.event === 'menu.updated');

    await redis.stop();
    await eventually(
      () => readiness(b),
      (r) => r.status === 503,
    );
    const order = await placeOrder(a, owner, item.id);
    // Pub/sub cannot carry it; B's relay reads it from the log within a few seconds (the
    // relay reads every second; the margin is for a busy machine).
    const created = await streamOnB.next(
      (e) => e.event === 'order.created' && e.data.id === order.id,
      10_000,
    );
    expect(created.id).toMatch(/^\d+$/);
    expect((await readiness(b)).status).toBe(503);

    await redis.start();
    // The catch-up on reconnect reads it again, and delivers it no second time.
    await eventually(
      () => readiness(b),
      (r) => r.status === 200,
      15_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(streamOnB.events.filter((e) => e.data?.id === order.id)).toHaveLength(1);
  });

  it('relays an event A committed but never published (a crash in between), exactly once', async () => {
    const watcher = await signInNew(a, 'customer');
    const streamOnB = await mustOpenEvents(b.url, watcher.accessToken);
    streams.push(streamOnB);
    const [row] = await a.sql<{ id: string }>(
      `INSERT INTO event_log (type, payload) VALUES ('menu.updated', $1::jsonb)
       RETURNING id::text AS id`,
      [JSON.stringify({ type: 'menu.updated' })],
    );
    await streamOnB.next((e) => e.id === row?.id, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(streamOnB.events.filter((e) => e.id === row?.id)).toHaveLength(1);
  });
});

describe('live events on the shared Redis', () => {
  it('works against the machine’s Redis with its own key prefix', async () => {
    const db = await createTestDatabase();
    const app = await startTestApp({
      database: db.target,
      env: { ...NO_LIMITS, REDIS_URL: sharedRedisUrl, REDIS_KEY_PREFIX: uniquePrefix() },
    });
    try {
      expect((await readiness(app)).body.checks.redis).toBe('up');
      const buyer = await signInNew(app, 'customer');
      const stream = await mustOpenEvents(app.url, buyer.accessToken);
      const admin = await signInNew(app, 'admin');
      await createMenuItem(app, admin);
      await stream.next((e) => e.event === 'menu.updated');
      stream.close();
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
