import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DomainEvent } from '../../src/events/domain-event.js';
import { EventBus } from '../../src/events/event-bus.js';
import { type SignedIn, bearer, signInNew } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type OrdersWorld,
  advance,
  cancelOrder,
  createItem,
  customer,
  moveOrder,
  orderOf,
  startOrdersWorld,
  stockOf,
} from './orders-support.js';

// Real HTTP, a real database and concurrent requests: slow machines need more than 5 s.
jest.setTimeout(60_000);

const STATUSES = ['pending', 'accepted', 'preparing', 'ready', 'completed', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];
const STAFF_MOVES: Record<Status, Status[]> = {
  pending: ['accepted', 'cancelled'],
  accepted: ['preparing', 'cancelled'],
  preparing: ['accepted', 'ready', 'cancelled'],
  ready: ['preparing', 'completed', 'cancelled'],
  completed: ['ready'],
  cancelled: [],
};

describe('order life cycle', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let bob: SignedIn;
  let beer: { id: string; name: string };

  beforeAll(async () => {
    world = await startOrdersWorld();
    [alice, bob] = await Promise.all([customer(world), customer(world)]);
    beer = await createItem(world, { name: 'Pilsner', priceCents: 500 });
  }, 60_000);
  afterAll(() => world.close());

  const url = (path: string): string => `${world.app.url}/api${path}`;

  /** An order of Alice's, moved by the bartender to `status`. */
  async function orderIn(status: Status): Promise<any> {
    const order = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
    if (status === 'pending') return order;
    if (status === 'cancelled') {
      return (await cancelOrder(world, alice, order.id)).body;
    }
    return advance(world, world.bartender, order, status);
  }

  it('moves forward with history, and whoever accepts becomes the assignee', async () => {
    const order = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 2 }]);
    const accepted = await moveOrder(world, world.bartender, order.id, {
      status: 'accepted',
      version: 1,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      status: 'accepted',
      version: 2,
      assignee: { id: world.bartender.user.id, name: world.bartender.user.name },
    });
    // An admin finishes it; the assignee stays the one who accepted.
    const done = await advance(world, world.admin, accepted.body, 'completed');
    expect(done).toMatchObject({ status: 'completed', version: 5 });
    expect(done.assignee.id).toBe(world.bartender.user.id);
    expect(done.history.map((entry: any) => [entry.status, entry.by.role])).toEqual([
      ['pending', 'customer'],
      ['accepted', 'bartender'],
      ['preparing', 'admin'],
      ['ready', 'admin'],
      ['completed', 'admin'],
    ]);
    expect(done.history[1].by).toEqual({
      id: world.bartender.user.id,
      name: world.bartender.user.name,
      role: 'bartender',
    });
    const times = done.history.map((entry: any) => Date.parse(entry.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(done.updatedAt).toBe(done.history[4].at);
  });

  it('publishes order.created and order.updated with the order and its customer', async () => {
    const seen: DomainEvent[] = [];
    const unsubscribe = world.app.app.get(EventBus).subscribe((event) => seen.push(event));
    try {
      const order = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
      const accepted = await advance(world, world.bartender, order, 'accepted');
      expect(seen.filter((event) => event.type.startsWith('order.'))).toEqual([
        expect.objectContaining({ type: 'order.created', order, customerId: alice.user.id }),
        expect.objectContaining({
          type: 'order.updated',
          order: accepted,
          customerId: alice.user.id,
        }),
      ]);
    } finally {
      unsubscribe();
    }
  });

  it('lets staff recall one step back among accepted, preparing and ready', async () => {
    const ready = await orderIn('ready');
    const back = await moveOrder(world, world.bartender, ready.id, {
      status: 'preparing',
      version: ready.version,
    });
    expect(back.status).toBe(200);
    const backAgain = await moveOrder(world, world.bartender, ready.id, {
      status: 'accepted',
      version: back.body.version,
    });
    expect(backAgain.status).toBe(200);
    expect(backAgain.body.history.map((entry: any) => entry.status)).toEqual([
      'pending',
      'accepted',
      'preparing',
      'ready',
      'preparing',
      'accepted',
    ]);
    expect(backAgain.body.assignee.id).toBe(world.bartender.user.id);
  });

  describe('every forbidden staff move is 409 INVALID_TRANSITION and changes nothing', () => {
    const forbidden = STATUSES.flatMap((from) =>
      STATUSES.filter((to) => !STAFF_MOVES[from].includes(to)).map((to) => [from, to] as const),
    );
    it.each(forbidden)('%s → %s', async (from, to) => {
      const order = await orderIn(from);
      const response = await moveOrder(world, world.bartender, order.id, {
        status: to,
        version: order.version,
        reason: 'because',
      });
      const body = expectErrorBody(response, 409, 'INVALID_TRANSITION');
      expect(body.details).toMatchObject({ from, to, allowed: STAFF_MOVES[from] });
      const now = await request(url(`/orders/${order.id}`), { headers: bearer(alice.accessToken) });
      expect(now.body).toEqual(order);
    });
  });

  it('gives one of two bartenders with the same version the move, the other VERSION_CONFLICT with the current order', async () => {
    const order = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
    const second = await signInNew(world.app, 'bartender');
    const [a, b] = await Promise.all([
      moveOrder(world, world.bartender, order.id, { status: 'accepted', version: 1 }),
      moveOrder(world, second, order.id, { status: 'accepted', version: 1 }),
    ]);
    const winner = a.status === 200 ? a : b;
    const loser = a.status === 200 ? b : a;
    expect(winner.status).toBe(200);
    const body = expectErrorBody(loser, 409, 'VERSION_CONFLICT');
    expect((body.details as any).current).toEqual(winner.body);
    expect(winner.body.history.filter((entry: any) => entry.status === 'accepted')).toHaveLength(1);
  });

  it('lets exactly one of 10 concurrent moves with one version through', async () => {
    const order = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        moveOrder(world, world.bartender, order.id, { status: 'accepted', version: 1 }),
      ),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 200)) {
      expectErrorBody(response, 409, 'VERSION_CONFLICT');
    }
    const [row] = await world.app.sql<{ version: number; moves: string }>(
      `SELECT o.version, (SELECT count(*) FROM order_history h WHERE h.order_id = o.id) AS moves
         FROM orders o WHERE o.id = $1`,
      [order.id],
    );
    expect(row).toEqual({ version: 2, moves: '2' });
  });

  it('answers a stale version with VERSION_CONFLICT even for an allowed move', async () => {
    const accepted = await orderIn('accepted');
    const response = await moveOrder(world, world.bartender, accepted.id, {
      status: 'preparing',
      version: 1,
    });
    const body = expectErrorBody(response, 409, 'VERSION_CONFLICT');
    expect((body.details as any).current).toMatchObject({ id: accepted.id, version: 2 });
  });

  describe('cancelling', () => {
    it('lets the customer cancel their pending order and returns the stock', async () => {
      const keg = await createItem(world, { stock: 5 });
      const order = await orderOf(world, alice, [
        { menuItemId: keg.id, quantity: 2 },
        { menuItemId: keg.id, quantity: 1 },
      ]);
      expect(await stockOf(world, keg.id)).toBe(2);
      const response = await cancelOrder(world, alice, order.id, { reason: 'changed my mind' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        status: 'cancelled',
        cancelReason: 'changed my mind',
        version: 2,
      });
      expect(response.body.history[1]).toMatchObject({
        status: 'cancelled',
        by: { id: alice.user.id, role: 'customer' },
      });
      expect(await stockOf(world, keg.id)).toBe(5);
      expectErrorBody(await cancelOrder(world, alice, order.id), 409, 'INVALID_TRANSITION');
      expect(await stockOf(world, keg.id)).toBe(5);
    });

    it('returns stock exactly once when staff cancel one order ten times at once', async () => {
      const keg = await createItem(world, { stock: 10 });
      const order = await orderOf(world, alice, [{ menuItemId: keg.id, quantity: 4 }]);
      const responses = await Promise.all(
        Array.from({ length: 10 }, () =>
          cancelOrder(world, world.bartender, order.id, { reason: 'duplicate' }),
        ),
      );
      expect(responses.filter((response) => response.status === 200)).toHaveLength(1);
      for (const response of responses.filter((r) => r.status !== 200)) {
        expectErrorBody(response, 409, 'INVALID_TRANSITION');
      }
      expect(await stockOf(world, keg.id)).toBe(10);
    });

    it('settles a customer cancel racing the bar accepting: one wins, stock matches', async () => {
      const keg = await createItem(world, { stock: 10 });
      for (let round = 0; round < 5; round++) {
        const order = await orderOf(world, alice, [{ menuItemId: keg.id, quantity: 2 }]);
        const [cancel, accept] = await Promise.all([
          cancelOrder(world, alice, order.id),
          moveOrder(world, world.bartender, order.id, { status: 'accepted', version: 1 }),
        ]);
        const final = await request(url(`/orders/${order.id}`), {
          headers: bearer(alice.accessToken),
        });
        if (final.body.status === 'cancelled') {
          expect(cancel.status).toBe(200);
          expect(accept.status).toBe(409);
          expect(await stockOf(world, keg.id)).toBe(10);
        } else {
          expect(final.body.status).toBe('accepted');
          expect(accept.status).toBe(200);
          expectErrorBody(cancel, 409, 'INVALID_TRANSITION');
          expect(await stockOf(world, keg.id)).toBe(8);
          await cancelOrder(world, world.bartender, order.id, { reason: 'test clean-up' });
        }
      }
    });

    it('refuses a customer cancel once the bar accepted', async () => {
      const accepted = await orderIn('accepted');
      expectErrorBody(await cancelOrder(world, alice, accepted.id), 409, 'INVALID_TRANSITION');
    });

    it('lets staff cancel before completion, with a reason only', async () => {
      const keg = await createItem(world, { stock: 4 });
      const order = await orderOf(world, alice, [{ menuItemId: keg.id, quantity: 3 }]);
      const ready = await advance(world, world.bartender, order, 'ready');
      const noReason = await cancelOrder(world, world.bartender, ready.id);
      const error = expectErrorBody(noReason, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(error.details)).toContain('reason');
      const viaPatchNoReason = await moveOrder(world, world.bartender, ready.id, {
        status: 'cancelled',
        version: ready.version,
      });
      expectErrorBody(viaPatchNoReason, 400, 'VALIDATION_FAILED');
      expect(await stockOf(world, keg.id)).toBe(1);

      const cancelled = await cancelOrder(world, world.bartender, ready.id, { reason: 'spilled' });
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'spilled' });
      expect(await stockOf(world, keg.id)).toBe(4);

      const other = await orderIn('preparing');
      const viaPatch = await moveOrder(world, world.admin, other.id, {
        status: 'cancelled',
        version: other.version,
        reason: 'closing',
      });
      expect(viaPatch.status).toBe(200);
      expect(viaPatch.body.cancelReason).toBe('closing');
    });

    it('refuses to cancel a completed order', async () => {
      const done = await orderIn('completed');
      expectErrorBody(
        await cancelOrder(world, world.bartender, done.id, { reason: 'late' }),
        409,
        'INVALID_TRANSITION',
      );
    });

    it('audits staff moves and cancellations', async () => {
      const order = await orderIn('accepted');
      await cancelOrder(world, world.admin, order.id, { reason: 'audit me' });
      const rows = await world.app.sql<{ type: string; user_id: string; details: any }>(
        `SELECT type, user_id, details FROM audit_events
          WHERE details->>'orderId' = $1 ORDER BY at, seq`,
        [order.id],
      );
      expect(rows.map((row) => [row.type, row.user_id])).toEqual([
        ['order_status_changed', world.bartender.user.id],
        ['order_cancelled', world.admin.user.id],
      ]);
      expect(rows[1]?.details).toMatchObject({
        from: 'accepted',
        to: 'cancelled',
        reason: 'audit me',
      });
    });
  });

  describe("access: another customer's order does not exist for them", () => {
    let order: any;
    beforeAll(async () => {
      order = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
    });

    it('GET /api/orders/:id → 404', async () => {
      const response = await request(url(`/orders/${order.id}`), {
        headers: bearer(bob.accessToken),
      });
      expectErrorBody(response, 404, 'NOT_FOUND');
      const mine = await request(url(`/orders/${order.id}`), {
        headers: bearer(alice.accessToken),
      });
      expect(mine.status).toBe(200);
    });

    it('POST /api/orders/:id/cancel → 404, and the order stays', async () => {
      expectErrorBody(await cancelOrder(world, bob, order.id), 404, 'NOT_FOUND');
      const mine = await request(url(`/orders/${order.id}`), {
        headers: bearer(alice.accessToken),
      });
      expect(mine.body.status).toBe('pending');
    });

    it('PATCH /api/orders/:id/status → 403 for any customer (staff only)', async () => {
      for (const who of [alice, bob]) {
        const response = await moveOrder(world, who, order.id, { status: 'accepted', version: 1 });
        expectErrorBody(response, 403, 'FORBIDDEN');
      }
    });

    it('GET /api/orders lists only their own', async () => {
      const bobs = await orderOf(world, bob, [{ menuItemId: beer.id, quantity: 1 }]);
      const list = await request(url('/orders?limit=100'), { headers: bearer(bob.accessToken) });
      expect(list.body.items.map((item: any) => item.id)).toEqual([bobs.id]);
      expect(list.body.total).toBe(1);
    });

    it('unknown and malformed ids are 404 too', async () => {
      for (const id of ['0b9f8a6e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', 'nope']) {
        expectErrorBody(
          await request(url(`/orders/${id}`), { headers: bearer(world.bartender.accessToken) }),
          404,
          'NOT_FOUND',
        );
        expectErrorBody(
          await moveOrder(world, world.bartender, id, { status: 'accepted', version: 1 }),
          404,
          'NOT_FOUND',
        );
      }
    });

    it('every order route needs a token', async () => {
      for (const [method, path] of [
        ['GET', '/orders'],
        ['GET', `/orders/${order.id}`],
        ['PATCH', `/orders/${order.id}/status`],
        ['POST', `/orders/${order.id}/cancel`],
        ['POST', '/orders'],
      ] as const) {
        const body = method === 'GET' ? {} : { json: {} };
        expectErrorBody(await request(url(path), { method, ...body }), 401, 'TOKEN_INVALID');
      }
    });
  });

  describe('listing', () => {
    let carol: SignedIn;
    let placed: any[];

    beforeAll(async () => {
      carol = await customer(world);
      placed = [];
      for (let index = 0; index < 7; index++) {
        placed.push(await orderOf(world, carol, [{ menuItemId: beer.id, quantity: 1 }]));
      }
      placed[0] = await advance(world, world.bartender, placed[0], 'accepted');
      placed[1] = await advance(world, world.bartender, placed[1], 'ready');
    });

    it('pages newest first without overlaps or gaps', async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 3; page++) {
        const response = await request(url(`/orders?page=${page}&limit=3`), {
          headers: bearer(carol.accessToken),
        });
        expect(response.status).toBe(200);
        expect(response.body.total).toBe(7);
        seen.push(...response.body.items.map((item: any) => item.id));
      }
      expect(seen).toEqual([...placed].reverse().map((order) => order.id));
    });

    it('filters by one or several statuses', async () => {
      const single = await request(url('/orders?status=ready'), {
        headers: bearer(carol.accessToken),
      });
      expect(single.body.items.map((item: any) => item.id)).toEqual([placed[1].id]);
      const several = await request(url('/orders?status=accepted,ready'), {
        headers: bearer(carol.accessToken),
      });
      expect(several.body.total).toBe(2);
    });

    it('filters by creation time', async () => {
      const from = placed[3].createdAt;
      const to = placed[5].createdAt;
      const response = await request(url(`/orders?from=${from}&to=${to}`), {
        headers: bearer(carol.accessToken),
      });
      expect(response.body.items.map((item: any) => item.id)).toEqual([placed[4].id, placed[3].id]);
    });

    it("shows staff every customer's orders", async () => {
      const response = await request(url('/orders?limit=100'), {
        headers: bearer(world.bartender.accessToken),
      });
      const customers = new Set(response.body.items.map((item: any) => item.customer.id));
      expect(customers.has(carol.user.id)).toBe(true);
      expect(customers.has(alice.user.id)).toBe(true);
      const [row] = await world.app.sql<{ n: string }>('SELECT count(*) AS n FROM orders');
      expect(response.body.total).toBe(Number(row?.n));
    });

    it.each([
      ['status=bogus', 'status'],
      ['limit=101', 'limit'],
      ['limit=0', 'limit'],
      ['page=0', 'page'],
      // One value, one spelling: these would read as 100, 16, 5 and 2.
      ['limit=1e2', 'limit'],
      ['limit=0x10', 'limit'],
      ['limit=05', 'limit'],
      ['page=2.0', 'page'],
      ['page=', 'page'],
      ['from=yesterday', 'from'],
      ['to=2026-13-45', 'to'],
      ['sort=asc', 'sort'],
    ])('refuses ?%s', async (query, field) => {
      const response = await request(url(`/orders?${query}`), {
        headers: bearer(carol.accessToken),
      });
      const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(body.details)).toContain(field);
    });
  });

  it('keeps past orders intact when their item is archived or changed', async () => {
    const special = await createItem(world, { name: 'Old Special', priceCents: 900 });
    const order = await orderOf(world, alice, [{ menuItemId: special.id, quantity: 2 }]);
    await request(url(`/admin/menu-items/${special.id}`), {
      method: 'PATCH',
      headers: bearer(world.admin.accessToken),
      json: { name: 'New Special', priceCents: 1200 },
    });
    const archived = await request(url(`/admin/menu-items/${special.id}`), {
      method: 'DELETE',
      headers: bearer(world.admin.accessToken),
    });
    expect(archived.status).toBe(204);
    const read = await request(url(`/orders/${order.id}`), { headers: bearer(alice.accessToken) });
    expect(read.body.items).toEqual([
      {
        menuItemId: special.id,
        name: 'Old Special',
        unitPriceCents: 900,
        quantity: 2,
        note: null,
        station: 'bar',
        options: [],
        vatRateBasisPoints: 0,
      },
    ]);
    expect(read.body.totalCents).toBe(1800);
    const done = await advance(world, world.bartender, read.body, 'completed');
    expect(done.items[0].name).toBe('Old Special');
  });
});
