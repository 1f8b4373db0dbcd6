import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { EventBus } from '../../src/events/event-bus.js';
import { EventStreams } from '../../src/events/event-streams.service.js';
import { EventLog } from '../../src/events/event-log.js';
import { type SignedIn, bearer, signInNew } from '../support/auth.js';
import {
  type OpenStream,
  abandonEvents,
  mustOpenEvents,
  openEvents,
} from '../support/event-stream.js';
import { request } from '../support/http.js';
import { eventually } from '../support/live-events.js';
import { startTestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import {
  type OrdersWorld,
  advance,
  createItem,
  customer,
  orderOf,
  startOrdersWorld,
} from './orders-support.js';

describe('GET /api/events', () => {
  let world: OrdersWorld;
  let itemId: string;
  const opened: OpenStream[] = [];

  async function open(who: SignedIn, lastEventId?: string): Promise<OpenStream> {
    const stream = await mustOpenEvents(world.app.url, who.accessToken, { lastEventId });
    opened.push(stream);
    return stream;
  }

  beforeAll(async () => {
    world = await startOrdersWorld({ EVENT_HEARTBEAT: '1' });
    itemId = (await createItem(world)).id;
  });

  afterAll(async () => {
    for (const stream of opened) stream.close();
    await world.close();
  });

  it('answers with an SSE stream and the headers nginx and browsers need', async () => {
    const buyer = await customer(world);
    const stream = await open(buyer);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toBe('no-store');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
    stream.close();
  });

  it('is documented in OpenAPI as a text/event-stream behind the bearer scheme', async () => {
    const docs = await request(`${world.app.url}/api/docs-json`);
    const operation = docs.body.paths['/api/events'].get;
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/event-stream']);
    expect(operation.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '429']));
  });

  it('refuses a missing token and never accepts one in the URL', async () => {
    const buyer = await customer(world);
    const anonymous = await fetch(`${world.app.url}/api/events`);
    expect(anonymous.status).toBe(401);
    await anonymous.body?.cancel();
    for (const query of ['access_token', 'token']) {
      const inUrl = await fetch(`${world.app.url}/api/events?${query}=${buyer.accessToken}`);
      expect(inUrl.status).toBe(401);
      await inUrl.body?.cancel();
    }
  });

  it('sends order.created to staff and the owning customer, never to another customer', async () => {
    const owner = await customer(world);
    const other = await customer(world);
    const [ownerStream, otherStream, barStream, adminStream] = await Promise.all([
      open(owner),
      open(other),
      open(world.bartender),
      open(world.admin),
    ]);
    const order = await orderOf(world, owner, [{ menuItemId: itemId, quantity: 1 }]);
    const isThisOrder = (e: { event: string; data: any }): boolean =>
      e.event === 'order.created' && e.data?.id === order.id;
    const seen = await Promise.all([
      ownerStream.next(isThisOrder),
      barStream.next(isThisOrder),
      adminStream.next(isThisOrder),
    ]);
    for (const event of seen) {
      expect(event.id).toMatch(/^\d+$/);
      expect(event.data).toMatchObject({ id: order.id, status: 'pending', number: order.number });
    }
    expect(new Set(seen.map((event) => event.id)).size).toBe(1);

    // Something everyone receives, after the order: once the other customer has it, the order
    // event (committed earlier) would have arrived before it.
    const menuChange = await request(`${world.app.url}/api/admin/menu-items/${itemId}`, {
      method: 'PATCH',
      headers: bearer(world.admin.accessToken),
      json: { priceCents: 550 },
    });
    expect(menuChange.status).toBe(200);
    const menuEvent = await otherStream.next((e) => e.event === 'menu.updated');
    expect(Number(menuEvent.id)).toBeGreaterThan(Number(seen[0].id));
    expect(menuEvent.data).toEqual({});
    expect(otherStream.events.filter((e) => e.event.startsWith('order.'))).toEqual([]);
  });

  it('sends order.updated to staff and the owner as the order moves', async () => {
    const owner = await customer(world);
    const other = await customer(world);
    const [ownerStream, otherStream, barStream] = await Promise.all([
      open(owner),
      open(other),
      open(world.bartender),
    ]);
    const order = await orderOf(world, owner, [{ menuItemId: itemId, quantity: 1 }]);
    await advance(world, world.bartender, order, 'preparing');
    for (const stream of [ownerStream, barStream]) {
      const preparing = await stream.next(
        (e) =>
          e.event === 'order.updated' && e.data.id === order.id && e.data.status === 'preparing',
      );
      expect(preparing.data.version).toBe(3);
    }
    const ids = ownerStream.events.filter((e) => e.id !== undefined).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // Once the other customer has an event that committed later, the order's would have come.
    await request(`${world.app.url}/api/admin/menu-items/${itemId}`, {
      method: 'PATCH',
      headers: bearer(world.admin.accessToken),
      json: { description: 'moved along' },
    });
    await otherStream.next((e) => e.event === 'menu.updated');
    expect(otherStream.events.filter((e) => e.event.startsWith('order.'))).toEqual([]);
  });

  it('sends menu.updated to everyone, whatever their role', async () => {
    const buyer = await customer(world);
    const streams = await Promise.all([open(buyer), open(world.bartender), open(world.admin)]);
    const response = await request(`${world.app.url}/api/admin/menu-items/${itemId}`, {
      method: 'PATCH',
      headers: bearer(world.admin.accessToken),
      json: { description: 'changed' },
    });
    expect(response.status).toBe(200);
    const received = await Promise.all(
      streams.map((s) => s.next((e) => e.event === 'menu.updated')),
    );
    expect(new Set(received.map((e) => e.id)).size).toBe(1);
  });

  it('replays what was missed after Last-Event-ID, filtered for the recipient, in order', async () => {
    const owner = await customer(world);
    const other = await customer(world);
    const first = await open(owner);
    const firstOrder = await orderOf(world, owner, [{ menuItemId: itemId, quantity: 1 }]);
    const seen = await first.next(
      (e) => e.event === 'order.created' && e.data.id === firstOrder.id,
    );
    first.close();
    await first.ended;

    const theirs = await orderOf(world, other, [{ menuItemId: itemId, quantity: 1 }]);
    const mine = await orderOf(world, owner, [{ menuItemId: itemId, quantity: 2 }]);
    await advance(world, world.bartender, mine, 'accepted');

    const again = await open(owner, seen.id);
    const accepted = await again.next(
      (e) => e.event === 'order.updated' && e.data.id === mine.id && e.data.status === 'accepted',
    );
    const replayed = again.events.filter((e) => Number(e.id) <= Number(accepted.id));
    expect(replayed.map((e) => [e.event, e.data?.id])).toEqual([
      ['order.created', mine.id],
      ['order.updated', mine.id],
    ]);
    expect(replayed.every((e) => Number(e.id) > Number(seen.id))).toBe(true);
    expect(again.events.some((e) => e.data?.id === theirs.id)).toBe(false);
    expect(again.events.some((e) => e.data?.id === firstOrder.id)).toBe(false);
  });

  it('sends resync when Last-Event-ID is unknown, malformed or older than the log keeps', async () => {
    const buyer = await customer(world);
    const [latest] = await world.app.sql<{ id: string }>(
      'SELECT max(id)::text AS id FROM event_log',
    );
    for (const lastEventId of [String(Number(latest?.id) + 1000), 'not-a-number']) {
      const stream = await open(buyer, lastEventId);
      const resync = await stream.next((e) => e.event === 'resync');
      expect(resync.data).toEqual({});
      expect(Number(resync.id)).toBeGreaterThanOrEqual(Number(latest?.id));
      stream.close();
    }

    const live = await open(buyer);
    await request(`${world.app.url}/api/admin/menu-items/${itemId}`, {
      method: 'PATCH',
      headers: bearer(world.admin.accessToken),
      json: { description: 'before pruning' },
    });
    const old = await live.next((e) => e.event === 'menu.updated');
    await request(`${world.app.url}/api/admin/menu-items/${itemId}`, {
      method: 'PATCH',
      headers: bearer(world.admin.accessToken),
      json: { description: 'after pruning' },
    });
    await live.next((e) => e.event === 'menu.updated' && e.id !== old.id);
    // Age everything up to that event past the retention, and prune.
    await world.app.sql(
      `UPDATE event_log SET created_at = now() - interval '2 days' WHERE id <= $1`,
      [old.id],
    );
    expect(await world.app.app.get(EventLog).prune()).toBeGreaterThan(0);
    const pruned = await open(buyer, old.id);
    await pruned.next((e) => e.event === 'resync');
    expect(pruned.events.filter((e) => e.event === 'menu.updated')).toEqual([]);
  });

  it('sends session.revoked to that session’s streams, which then close; other sessions keep theirs', async () => {
    const buyer = await customer(world);
    const revokedStream = await open(buyer);
    const bystander = await customer(world);
    const bystanderStream = await open(bystander);
    const logout = await request(`${world.app.url}/api/auth/logout`, {
      method: 'POST',
      headers: bearer(buyer.accessToken),
    });
    expect(logout.status).toBe(204);
    const revoked = await revokedStream.next((e) => e.event === 'session.revoked');
    expect(revoked.id).toMatch(/^\d+$/);
    expect(revoked.data).toEqual({ sessionId: buyer.session.id, reason: 'logout' });
    await revokedStream.ended;
    expect(revokedStream.isEnded).toBe(true);
    expect(bystanderStream.isEnded).toBe(false);
    expect(bystanderStream.events.some((e) => e.event === 'session.revoked')).toBe(false);

    const reopened = await openEvents(world.app.url, buyer.accessToken);
    expect(reopened.status).toBe(401);
    expect(reopened.body.code).toBe('SESSION_REVOKED');
  });

  it('allows 5 open streams per session; the 6th gets 429 RATE_LIMITED until one closes', async () => {
    const buyer = await customer(world);
    const five = await Promise.all([1, 2, 3, 4, 5].map(() => open(buyer)));
    const sixth = await openEvents(world.app.url, buyer.accessToken);
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe('RATE_LIMITED');
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(sixth.body.code).toBe('RATE_LIMITED');
    // Another session of the same user has its own five.
    const sameUserOtherSession = await signInNew(world.app, 'customer');
    const elsewhere = await open(sameUserOtherSession);
    expect(elsewhere.status).toBe(200);

    five[0]?.close();
    await five[0]?.ended;
    const deadline = Date.now() + 5_000;
    let reopened = await openEvents(world.app.url, buyer.accessToken);
    while (reopened.status === 429 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      reopened = await openEvents(world.app.url, buyer.accessToken);
    }
    expect(reopened.status).toBe(200);
    reopened.stream?.close();
  });

  it('gives back the slot of every client that leaves while its stream is being opened', async () => {
    const buyer = await customer(world);
    const streams = world.app.app.get(EventStreams);
    const before = streams.size;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => abandonEvents(world.app.url, buyer.accessToken, i)),
    );
    // Every abandoned request has been dealt with: none is still being set up, none stayed open.
    const settled = await eventually(
      () => Promise.resolve({ open: streams.size, opening: streams.opening }),
      (state) => state.open === before && state.opening === 0,
      5_000,
    );
    expect(settled).toEqual({ open: before, opening: 0 });
    // A token's first verification is asynchronous (@nestjs/passport's validate step), so an
    // abandoned request may still be in the guard when the count above settles; the slot it
    // takes then is given back once it finds its client gone. A slot never given back fails
    // every attempt.
    const five = await eventually(
      async () => {
        const results = await Promise.all(
          [1, 2, 3, 4, 5].map(() => openEvents(world.app.url, buyer.accessToken)),
        );
        const streams = results.flatMap((result) => (result.stream ? [result.stream] : []));
        if (streams.length < 5) for (const stream of streams) stream.close();
        return streams;
      },
      (streams) => streams.length === 5,
      5_000,
    );
    expect(five).toHaveLength(5);
    opened.push(...five);
    const sixth = await openEvents(world.app.url, buyer.accessToken);
    expect(sixth.status).toBe(429);
  });

  it('sends a heartbeat comment on an idle stream', async () => {
    const buyer = await customer(world);
    const stream = await open(buyer);
    const started = Date.now();
    await stream.nextComment((comment) => comment === 'heartbeat', 3_000);
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it('drops a client that stops reading once its backlog passes EVENT_STREAM_BUFFER', async () => {
    const streams = world.app.app.get(EventStreams);
    for (const stream of opened.splice(0)) stream.close();
    const deadline = Date.now() + 5_000;
    while (streams.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(streams.size).toBe(0);

    const slow = await customer(world);
    const reader = await open(slow);
    const port = new URL(world.app.url).port;
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      `GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${slow.accessToken}\r\n\r\n`,
    );
    const [head] = (await once(socket, 'data')) as [Buffer];
    expect(head.toString()).toMatch(/^HTTP\/1.1 200/);
    socket.pause(); // stops reading: the kernel buffers fill, then the server's
    expect(streams.size).toBe(2);

    const bus = world.app.app.get(EventBus);
    const note = 'x'.repeat(64 * 1024);
    let sent = 0;
    for (; sent < 1_000 && streams.size === 2; sent += 1) {
      const event = {
        type: 'order.updated',
        customerId: slow.user.id,
        order: { id: `big-${sent}`, note },
      } as const;
      // Logged first: the bus delivers logged events from the log.
      const [row] = await world.app.sql<{ id: string }>(
        `INSERT INTO event_log (type, payload, customer_id) VALUES ($1, $2::jsonb, $3)
         RETURNING id::text AS id`,
        [event.type, JSON.stringify(event), event.customerId],
      );
      if (!row) throw new Error('no id');
      await bus.publish({ ...event, id: row.id });
      await new Promise((resolve) => setImmediate(resolve));
    }
    // Dropped after a bounded backlog (kernel buffers plus the limit), not after everything.
    expect(streams.size).toBe(1);
    expect(sent).toBeLessThan(1_000);
    // The client that reads keeps its stream and got every event.
    await reader.next((e) => e.data?.id === `big-${sent - 1}`, 10_000);
    expect(reader.isEnded).toBe(false);
    socket.destroy();
  });

  it('gives events ids in commit order under concurrent writers', async () => {
    const dataSource = world.app.app.get(DataSource);
    const log = world.app.app.get(EventLog);
    const [start] = await world.app.sql<{ id: string }>(
      'SELECT coalesce(max(id), 0)::text AS id FROM event_log',
    );
    const observed: number[] = [];
    const state = { writing: true };
    // A reader that, like a replay, asks for "everything after the last id I saw", over and over.
    const reader = (async () => {
      let last = Number(start?.id);
      while (state.writing) {
        const rows = await world.app.sql<{ id: string }>(
          'SELECT id::text AS id FROM event_log WHERE id > $1 ORDER BY event_log.id',
          [last],
        );
        for (const row of rows) observed.push(Number(row.id));
        if (rows.length > 0) last = Number(rows.at(-1)?.id);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const writers = Array.from({ length: 24 }, (_, index) =>
      dataSource.transaction(async (manager) => {
        await log.append({ type: 'menu.updated' }, manager);
        // Hold the transaction open a little, longer for some, so commits interleave.
        await manager.query('SELECT pg_sleep($1)', [(index % 4) * 0.02]);
      }),
    );
    await Promise.all(writers);
    await new Promise((resolve) => setTimeout(resolve, 50));
    state.writing = false;
    await reader;
    const all = await world.app.sql<{ id: string }>(
      'SELECT id::text AS id FROM event_log WHERE id > $1 ORDER BY event_log.id',
      [start?.id],
    );
    // The reader saw every committed id exactly once: none committed behind its back.
    expect(observed).toEqual(all.map((row) => Number(row.id)));
    expect(observed.length).toBeGreaterThanOrEqual(24);
  });
});

describe('GET /api/events: session lifetime and shutdown', () => {
  it('closes a stream when its session’s absolute lifetime ends', async () => {
    const db = await createTestDatabase();
    const app = await startTestApp({
      database: db.target,
      env: { SESSION_ABSOLUTE_CUSTOMER: '3', RATE_LIMIT_USER_PER_MINUTE: '0' },
    });
    try {
      const buyer = await signInNew(app, 'customer');
      const stream = await mustOpenEvents(app.url, buyer.accessToken);
      const started = Date.now();
      await stream.ended;
      expect(stream.comments).toContain('session expired');
      const lived = Date.now() - started;
      expect(lived).toBeGreaterThan(500);
      expect(lived).toBeLessThan(5_000);

      // On shutdown, open streams get a last comment and end; close() does not wait on them.
      const bartender = await signInNew(app, 'bartender');
      const open = await mustOpenEvents(app.url, bartender.accessToken);
      const closing = Date.now();
      await app.close();
      await open.ended;
      expect(open.comments).toContain('server shutting down');
      expect(Date.now() - closing).toBeLessThan(5_000);
    } finally {
      await app.close();
      await db.drop();
    }
  });
});
