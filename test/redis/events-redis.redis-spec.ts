import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventBus } from '../../src/events/event-bus.js';
import { type SignedIn, bearer, me, signInNew } from '../support/auth.js';
import { type OpenStream, mustOpenEvents } from '../support/event-stream.js';
import { request } from '../support/http.js';
import { ThrowawayRedis } from '../support/redis-server.js';
import type { TestApp } from '../support/test-app.js';
import {
  commitElsewhere,
  createMenuItem,
  eventually,
  placeOrder,
  readiness,
  startLiveEventsApp,
} from '../support/live-events.js';

describe('live events with Redis: one instance, Redis outage', () => {
  let redis: ThrowawayRedis;
  let app: TestApp;
  let admin: SignedIn;
  const streams: OpenStream[] = [];

  beforeAll(async () => {
    redis = await ThrowawayRedis.start();
    app = await startLiveEventsApp(redis);
    admin = await signInNew(app, 'admin');
  });

  afterAll(async () => {
    for (const stream of streams) stream.close();
    await app.close();
    await redis.stop();
  });

  it('reports redis "up" in readiness and delivers events through Redis', async () => {
    expect(app.app.get(EventBus).health()).toBe('up');
    const ready = await readiness(app);
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'up', redis: 'up' });

    const buyer = await signInNew(app, 'customer');
    const stream = await mustOpenEvents(app.url, buyer.accessToken);
    streams.push(stream);
    const item = await createMenuItem(app, admin);
    const order = await placeOrder(app, buyer, item.id);
    await stream.next((e) => e.event === 'order.created' && e.data.id === order.id);
  });

  it('relays an event that was committed but never published, exactly once', async () => {
    const buyer = await signInNew(app, 'customer');
    const stream = await mustOpenEvents(app.url, buyer.accessToken);
    streams.push(stream);
    // As if an instance crashed between its commit and its publish: in the log, not on Redis.
    const id = await commitElsewhere(app);
    const relayed = await stream.next((e) => e.id === id, 5_000);
    expect(relayed.event).toBe('menu.updated');
    // Several relay ticks later, still once.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(stream.events.filter((e) => e.id === id)).toHaveLength(1);
  });

  it('keeps serving while Redis is down: readiness 503 with redis "down", revocations enforced here, events delivered here', async () => {
    const buyer = await signInNew(app, 'customer');
    const stream = await mustOpenEvents(app.url, buyer.accessToken);
    streams.push(stream);
    const victim = await signInNew(app, 'customer');
    await redis.stop();

    const down = await eventually(
      () => readiness(app),
      (r) => r.status === 503,
    );
    expect(down.status).toBe(503);
    expect(down.body.checks).toEqual({ database: 'up', redis: 'down' });
    expect(down.body.code).toBe('SERVICE_UNAVAILABLE');

    const menu = await request(`${app.url}/api/menu`);
    expect(menu.status).toBe(200);

    const logout = await request(`${app.url}/api/auth/logout`, {
      method: 'POST',
      headers: bearer(victim.accessToken),
    });
    expect(logout.status).toBe(204);
    const refused = await me(app, victim.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('SESSION_REVOKED');

    const item = await createMenuItem(app, admin);
    const order = await placeOrder(app, buyer, item.id);
    await stream.next((e) => e.event === 'order.created' && e.data.id === order.id);

    await redis.start();
    const up = await eventually(
      () => readiness(app),
      (r) => r.status === 200,
      15_000,
    );
    expect(up.body.checks).toEqual({ database: 'up', redis: 'up' });
    // Caught up from the log, the instance does not deliver what it delivered itself again.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stream.events.filter((e) => e.data?.id === order.id)).toHaveLength(1);
  });
});
