import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type OpenStream, mustOpenEvents } from '../support/event-stream.js';
import { type JsonResponse, request } from '../support/http.js';
import { NO_LIMITS, eventually, sharedInstanceEnv } from '../support/live-events.js';
import { ThrowawayPostgres } from '../support/postgres-server.js';
import { sharedRedisUrl } from '../support/redis-server.js';
import {
  type ServerProcess,
  freePort,
  startServerProcess,
  waitForHttp,
} from '../support/server-process.js';

jest.setTimeout(180_000);

/** A request that needs the database must fail this fast while it is down, not hang. */
const FAIL_FAST_MS = 5_000;

async function timed(call: () => Promise<JsonResponse>): Promise<JsonResponse & { ms: number }> {
  const started = Date.now();
  const response = await call();
  return { ...response, ms: Date.now() - started };
}

// A server process on its own throwaway PostgreSQL, which the test stops (as in a crash) and
// starts again, with live event streams open throughout; alone, and with the machine's Redis
// (whose event-log relay and stream leases must live through the outage).
describe.each([
  ['alone', {}],
  ['with Redis', sharedInstanceEnv(sharedRedisUrl)],
])('a PostgreSQL outage with open event streams (%s)', (_name, redisEnv) => {
  let pg: ThrowawayPostgres;
  let server: ServerProcess;
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    pg = await ThrowawayPostgres.start();
    server = startServerProcess(
      {
        ...NO_LIMITS,
        ...redisEnv,
        DATABASE_URL: pg.url,
        SEED_DEMO: 'true',
        EVENT_HEARTBEAT: '1',
      },
      await freePort(),
    );
    // A server that cannot start says why, at once, instead of a timeout a minute later.
    await Promise.race([
      waitForHttp(`${server.url}/api/health/ready`),
      server.exited.then((code) => {
        throw new Error(`the server exited (${String(code)}): ${server.output()}`);
      }),
    ]);
  });

  afterAll(async () => {
    try {
      for (const stream of streams) stream.close();
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
      await server.exited;
    } finally {
      await pg.destroy();
    }
  });

  async function login(email: string, password: string, app: string): Promise<string> {
    const response = await request(`${server.url}/api/auth/login`, {
      method: 'POST',
      json: { email, password, app, refreshTransport: 'body' },
    });
    if (response.status !== 200) throw new Error(`login: ${String(response.status)}`);
    return (response.body as { accessToken: string }).accessToken;
  }

  function placeOrder(token: string, menuItemId: string): Promise<JsonResponse> {
    return request(`${server.url}/api/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'idempotency-key': randomBytes(8).toString('hex'),
      },
      json: { items: [{ menuItemId, quantity: 1 }] },
    });
  }

  it('answers 503 fast while it is down, keeps streams open, and recovers without a restart', async () => {
    const admin = await login('admin@taproom.local', 'admin-demo-pass-2026', 'admin');
    const customer = await login('customer@taproom.local', 'customer-demo-pass-2026', 'customer');
    const bartender = await login(
      'bartender@taproom.local',
      'bartender-demo-pass-2026',
      'bartender',
    );
    const item = await request(`${server.url}/api/admin/menu-items`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      json: { name: 'Outage Ale', category: 'Test', priceCents: 500, stock: null },
    });
    expect(item.status).toBe(201);
    const itemId = (item.body as { id: string }).id;
    const customerStream = await mustOpenEvents(server.url, customer);
    const barStream = await mustOpenEvents(server.url, bartender);
    streams.push(customerStream, barStream);

    await pg.stop();

    // Requests that need the database: the contract's 503, quickly.
    for (const response of [
      await timed(() => placeOrder(customer, itemId)),
      await timed(() =>
        request(`${server.url}/api/orders`, { headers: { authorization: `Bearer ${customer}` } }),
      ),
    ]) {
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ statusCode: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(response.ms).toBeLessThan(FAIL_FAST_MS);
    }
    const ready = await timed(() => request(`${server.url}/api/health/ready`));
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', checks: { database: 'down' } });
    expect(ready.ms).toBeLessThan(FAIL_FAST_MS);
    const live = await request(`${server.url}/api/health`);
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });

    // Open streams need no database: they stay open, with heartbeats.
    const heartbeats = customerStream.comments.filter((c) => c === 'heartbeat').length;
    const later = await eventually(
      () => Promise.resolve(customerStream.comments.filter((c) => c === 'heartbeat').length),
      (count) => count >= heartbeats + 2,
      5_000,
    );
    expect(later).toBeGreaterThanOrEqual(heartbeats + 2);
    expect(customerStream.isEnded).toBe(false);
    expect(barStream.isEnded).toBe(false);

    await pg.start();

    // Without a restart of the API: ready again, and a new order reaches the open streams.
    const back = await eventually(
      () => request(`${server.url}/api/health/ready`),
      (response) => response.status === 200,
      15_000,
    );
    expect(back.body).toMatchObject({ status: 'ok', checks: { database: 'up' } });
    const order = await placeOrder(customer, itemId);
    expect(order.status).toBe(201);
    const orderId = (order.body as { id: string }).id;
    await customerStream.next((e) => e.event === 'order.created' && e.data.id === orderId);
    await barStream.next((e) => e.event === 'order.created' && e.data.id === orderId);
    expect(server.child.exitCode).toBeNull();
  });
});
