import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type SignedIn, bearer } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type BrowserKeys,
  type TestPushService,
  browserKeys,
  decryptPush,
  startTestPushService,
  verifyVapid,
} from '../support/push-service.js';
import {
  type OrdersWorld,
  advance,
  cancelOrder,
  createItem,
  customer,
  moveOrder,
  orderOf,
  startOrdersWorld,
} from './orders-support.js';

jest.setTimeout(60_000);

describe('ready alerts (Web Push)', () => {
  let world: OrdersWorld;
  let pushService: TestPushService;
  let beer: { id: string };
  let publicKey: string;
  let endpointCounter = 0;

  beforeAll(async () => {
    [world, pushService] = await Promise.all([startOrdersWorld(), startTestPushService()]);
    beer = await createItem(world, { name: 'Pilsner', priceCents: 500 });
    publicKey = (await request(`${world.app.url}/api/push/key`)).body.publicKey;
  }, 60_000);
  afterAll(async () => {
    await world.close();
    await pushService.close();
  });

  const url = (path: string): string => `${world.app.url}/api${path}`;

  /** A fresh endpoint path on the test push service. */
  function newPath(): string {
    endpointCounter += 1;
    return `/push/${String(endpointCounter)}-${Math.random().toString(36).slice(2)}`;
  }

  function subscribe(who: SignedIn, body: unknown) {
    return request(url('/push/subscriptions'), {
      method: 'POST',
      headers: bearer(who.accessToken),
      json: body,
    });
  }

  /** Subscribes `who`'s session on a new endpoint; returns the path and the browser's keys. */
  async function subscribed(who: SignedIn): Promise<{ path: string; keys: BrowserKeys }> {
    const path = newPath();
    const keys = browserKeys();
    const response = await subscribe(who, { endpoint: pushService.origin + path, keys: keys.json });
    expect(response.status).toBe(201);
    return { path, keys };
  }

  async function subscriptionsOf(sessionId: string): Promise<number> {
    const [row] = await world.app.sql<{ n: string }>(
      'SELECT count(*) AS n FROM push_subscriptions WHERE session_id = $1',
      [sessionId],
    );
    return Number(row?.n);
  }

  async function newOrder(who: SignedIn): Promise<any> {
    return orderOf(world, who, [{ menuItemId: beer.id, quantity: 1 }]);
  }

  it('publishes its VAPID key to anyone', async () => {
    const response = await request(url('/push/key'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ publicKey: expect.stringMatching(/^[\w-]{87}$/) });
    expect(Buffer.from(response.body.publicKey, 'base64url')[0]).toBe(4);
  });

  it('sends an encrypted, VAPID-signed message when the order becomes ready', async () => {
    const alice = await customer(world);
    const { path, keys } = await subscribed(alice);
    const order = await newOrder(alice);
    await advance(world, world.bartender, order, 'ready');

    const push = await pushService.nth(path, 1);
    expect(JSON.parse(decryptPush(push.body, keys))).toEqual({
      title: `Your order #${order.number} is ready`,
      body: `Collect it at the bar with number ${String(order.number)}.`,
      url: `/orders/${order.id}`,
      orderId: order.id,
      status: 'ready',
      number: order.number,
    });
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(push.headers.ttl).toBe('600');
    expect(push.headers.urgency).toBe('high');
    const claims = verifyVapid(push.headers.authorization, publicKey);
    expect(claims.aud).toBe(pushService.origin);
    expect(claims.sub).toMatch(/^(mailto:|https:)/);
    expect(claims.exp * 1000).toBeGreaterThan(Date.now());
    expect(claims.exp * 1000).toBeLessThanOrEqual(Date.now() + 24 * 3600 * 1000);
    // The earlier moves (accepted, preparing) sent nothing.
    expect(pushService.received.filter((received) => received.path === path)).toHaveLength(1);
  });

  it('sends the reason when staff cancel, and nothing when the customer cancels', async () => {
    const bob = await customer(world);
    const { path, keys } = await subscribed(bob);
    const own = await newOrder(bob);
    expect((await cancelOrder(world, bob, own.id)).status).toBe(200);
    const order = await newOrder(bob);
    const cancelled = await cancelOrder(world, world.bartender, order.id, {
      reason: 'We ran out of Pilsner',
    });
    expect(cancelled.status).toBe(200);

    // Messages go out in event order: had the customer's cancel sent one, it would be first.
    const push = await pushService.nth(path, 1);
    expect(JSON.parse(decryptPush(push.body, keys))).toMatchObject({
      orderId: order.id,
      status: 'cancelled',
      body: `Your order #${order.number} was cancelled: We ran out of Pilsner`,
      url: `/orders/${order.id}`,
    });
  });

  it("sends to the order's owner and no one else", async () => {
    const carol = await customer(world);
    const dave = await customer(world);
    const carolSub = await subscribed(carol);
    const daveSub = await subscribed(dave);
    const order = await newOrder(carol);
    await advance(world, world.admin, order, 'ready');
    await pushService.nth(carolSub.path, 1);
    // Dave's order goes ready after Carol's: his first message must be about his own.
    const his = await newOrder(dave);
    await advance(world, world.bartender, his, 'ready');
    const push = await pushService.nth(daveSub.path, 1);
    expect(JSON.parse(decryptPush(push.body, daveSub.keys)).orderId).toBe(his.id);
  });

  it('deletes a subscription whose push service answers 410, and sends it nothing more', async () => {
    const erin = await customer(world);
    const gone = await subscribed(erin);
    const kept = await subscribed(erin);
    pushService.answer(gone.path, 410);
    await advance(world, world.bartender, await newOrder(erin), 'ready');
    await pushService.nth(gone.path, 1);
    await pushService.nth(kept.path, 1);
    const deadline = Date.now() + 5_000;
    while ((await subscriptionsOf(erin.session.id)) !== 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await subscriptionsOf(erin.session.id)).toBe(1);

    await advance(world, world.bartender, await newOrder(erin), 'ready');
    await pushService.nth(kept.path, 2);
    expect(pushService.received.filter((received) => received.path === gone.path)).toHaveLength(1);
  });

  it('keeps one row per endpoint: subscribing again moves it to the current session', async () => {
    const frank = await customer(world);
    const again = await customer(world);
    const path = newPath();
    const keys = browserKeys();
    const body = { endpoint: pushService.origin + path, keys: keys.json };
    expect((await subscribe(frank, body)).status).toBe(201);
    const second = await subscribe(frank, body);
    expect(second.status).toBe(201);
    expect(second.body).toEqual({
      id: expect.any(String),
      endpoint: body.endpoint,
      createdAt: expect.any(String),
    });
    expect(await subscriptionsOf(frank.session.id)).toBe(1);
    expect((await subscribe(again, body)).status).toBe(201);
    expect(await subscriptionsOf(frank.session.id)).toBe(0);
    expect(await subscriptionsOf(again.session.id)).toBe(1);
  });

  it('deletes the subscriptions of a session that signs out', async () => {
    const grace = await customer(world);
    await subscribed(grace);
    expect(await subscriptionsOf(grace.session.id)).toBe(1);
    const logout = await request(url('/auth/logout'), {
      method: 'POST',
      headers: bearer(grace.accessToken),
    });
    expect(logout.status).toBe(204);
    expect(await subscriptionsOf(grace.session.id)).toBe(0);
  });

  it('deletes the subscriptions of a session an admin ends, and sends to it no more', async () => {
    const heidi = await customer(world);
    const other = await customer(world);
    const ended = await subscribed(heidi);
    const witness = await subscribed(other);
    const hers = await newOrder(heidi);
    const revoke = await request(url(`/admin/sessions/${heidi.session.id}`), {
      method: 'DELETE',
      headers: bearer(world.admin.accessToken),
    });
    expect(revoke.status).toBe(204);
    expect(await subscriptionsOf(heidi.session.id)).toBe(0);
    // Her order goes ready (the bar still makes it), then the witness's: only the witness hears.
    await advance(world, world.bartender, hers, 'ready');
    await advance(world, world.bartender, await newOrder(other), 'ready');
    await pushService.nth(witness.path, 1);
    expect(pushService.received.filter((received) => received.path === ended.path)).toHaveLength(0);
  });

  it('deletes the subscriptions of a session that expires (maintenance job)', async () => {
    const liz = await customer(world);
    await subscribed(liz);
    await world.app.sql(
      `UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE id = $1`,
      [liz.session.id],
    );
    const { SessionMaintenance } = await import('../../src/sessions/session-maintenance.js');
    expect((await world.app.app.get(SessionMaintenance).run()).expired).toBeGreaterThanOrEqual(1);
    expect(await subscriptionsOf(liz.session.id)).toBe(0);
  });

  it('stops sending to an endpoint the customer unsubscribes', async () => {
    const ivan = await customer(world);
    const { path } = await subscribed(ivan);
    const removed = await request(url('/push/subscriptions'), {
      method: 'DELETE',
      headers: bearer(ivan.accessToken),
      json: { endpoint: pushService.origin + path },
    });
    expect(removed.status).toBe(204);
    expect(await subscriptionsOf(ivan.session.id)).toBe(0);
    const again = await request(url('/push/subscriptions'), {
      method: 'DELETE',
      headers: bearer(ivan.accessToken),
      json: { endpoint: pushService.origin + path },
    });
    expect(again.status).toBe(204);
  });

  it('refuses a bad subscription with 400 VALIDATION_FAILED and saves nothing', async () => {
    const judy = await customer(world);
    const keys = browserKeys().json;
    const endpoint = `${pushService.origin}${newPath()}`;
    const cases: [unknown, string][] = [
      [{ endpoint: 'not a url', keys }, 'endpoint'],
      [{ endpoint: 'http://push.example.com/send/abc', keys }, 'endpoint'],
      [{ endpoint: 'ftp://push.example.com/abc', keys }, 'endpoint'],
      [{ endpoint }, 'keys'],
      [{ endpoint, keys: { auth: keys.auth } }, 'keys.p256dh'],
      [{ endpoint, keys: { p256dh: keys.p256dh } }, 'keys.auth'],
      [{ endpoint, keys: { ...keys, p256dh: 'short' } }, 'keys.p256dh'],
      [{ endpoint, keys: { ...keys, auth: Buffer.alloc(32).toString('base64url') } }, 'keys.auth'],
      // 65 bytes, but not an uncompressed point.
      [
        { endpoint, keys: { ...keys, p256dh: Buffer.alloc(65, 1).toString('base64url') } },
        'keys.p256dh',
      ],
      // Shaped like an uncompressed point (0x04, x, y), but not on the curve.
      [
        { endpoint, keys: { ...keys, p256dh: Buffer.alloc(65, 4).toString('base64url') } },
        'keys.p256dh',
      ],
      [{ keys }, 'endpoint'],
      // The server posts to endpoints: only the browsers' push services, never an inside address.
      ...[
        'https://169.254.169.254/latest/meta-data/',
        'https://10.0.0.1/send',
        'https://[::1]/send',
        'https://127.0.0.1:5432/',
        'https://metadata.google.internal/computeMetadata/v1/',
        'https://fcm.googleapis.com.evil.example/fcm/send/abc',
        'https://evilfcm.googleapis.com.example/abc',
        'http://fcm.googleapis.com/fcm/send/abc',
        'http://[::1]/push',
      ].map((bad): [unknown, string] => [{ endpoint: bad, keys }, 'endpoint']),
    ];
    for (const [body, field] of cases) {
      const response = await subscribe(judy, body);
      const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect((error.details as { field: string }[]).map((detail) => detail.field)).toContain(field);
    }
    expect(await subscriptionsOf(judy.session.id)).toBe(0);
  });

  it("takes endpoints at the browsers' push services, subdomains included", async () => {
    const kim = await customer(world);
    const keys = browserKeys().json;
    for (const endpoint of [
      'https://fcm.googleapis.com/fcm/send/abc',
      'https://updates.push.services.mozilla.com/wpush/v2/abc',
      'https://db5p.notify.windows.com/w/?token=abc',
      'https://web.push.apple.com/abc',
    ]) {
      expect((await subscribe(kim, { endpoint, keys })).status).toBe(201);
    }
    // Nothing is sent to them from here: the session ends before any order of Kim's.
    await request(url('/auth/logout'), { method: 'POST', headers: bearer(kim.accessToken) });
    expect(await subscriptionsOf(kim.session.id)).toBe(0);
  });

  it("still reaches the user's other devices when one subscription cannot be used", async () => {
    const lee = await customer(world);
    const good = await subscribed(lee);
    // A row that validation would refuse today (an older server, a hand edit): it fails alone.
    await world.app.sql(
      `INSERT INTO push_subscriptions (id, session_id, user_id, endpoint, p256dh, auth, created_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, now() - interval '1 minute')`,
      [
        lee.session.id,
        lee.user.id,
        `${pushService.origin}${newPath()}`,
        Buffer.alloc(65, 4).toString('base64url'),
        Buffer.alloc(16, 1).toString('base64url'),
      ],
    );
    const order = await newOrder(lee);
    await advance(world, world.bartender, order, 'ready');
    const push = await pushService.nth(good.path, 1);
    expect(JSON.parse(decryptPush(push.body, good.keys)).orderId).toBe(order.id);
  });

  it('is for the customer app: staff tokens get 403 FORBIDDEN, no token 401', async () => {
    const body = { endpoint: `${pushService.origin}${newPath()}`, keys: browserKeys().json };
    for (const who of [world.bartender, world.admin]) {
      expectErrorBody(await subscribe(who, body), 403, 'FORBIDDEN');
      expectErrorBody(
        await request(url('/push/subscriptions'), {
          method: 'DELETE',
          headers: bearer(who.accessToken),
          json: { endpoint: body.endpoint },
        }),
        403,
        'FORBIDDEN',
      );
    }
    const anonymous = await request(url('/push/subscriptions'), { method: 'POST', json: body });
    expect(anonymous.status).toBe(401);
  });

  it('sends each order change once, however many instances hear it', async () => {
    const { PushSubscriptionsRepository } =
      await import('../../src/push/push-subscriptions.repository.js');
    const repository = world.app.app.get(PushSubscriptionsRepository);
    const key = `test:${Math.random()}`;
    expect(
      await Promise.all([repository.claimDelivery(key), repository.claimDelivery(key)]),
    ).toEqual(expect.arrayContaining([true, false]));
  });

  it('does not push a move that is not to ready (a recall to preparing)', async () => {
    const kim = await customer(world);
    const { path } = await subscribed(kim);
    const ready = await advance(world, world.bartender, await newOrder(kim), 'ready');
    await pushService.nth(path, 1);
    const back = await moveOrder(world, world.bartender, ready.id, {
      status: 'preparing',
      version: ready.version,
    });
    expect(back.status).toBe(200);
    const again = await advance(world, world.bartender, back.body, 'ready');
    await pushService.nth(path, 2);
    expect(again.status).toBe('ready');
    expect(pushService.received.filter((received) => received.path === path)).toHaveLength(2);
  });
});
