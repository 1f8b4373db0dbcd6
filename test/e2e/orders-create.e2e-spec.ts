import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { IdempotencyKeyCleanup } from '../../src/orders/idempotency-key-cleanup.js';
import { OrdersRepository } from '../../src/orders/orders.repository.js';
import { type SignedIn, bearer } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type OrdersWorld,
  countRows,
  createItem,
  customer,
  placeOrder,
  startOrdersWorld,
  stockOf,
} from './orders-support.js';

// Real HTTP, a real database and concurrent requests: slow machines need more than 5 s.
jest.setTimeout(60_000);

describe('placing orders', () => {
  let world: OrdersWorld;
  let alice: SignedIn;

  beforeAll(async () => {
    world = await startOrdersWorld();
    alice = await customer(world);
  }, 60_000);
  afterAll(() => world.close());

  it('prices the order from the menu and ignores client prices', async () => {
    const beer = await createItem(world, { name: 'Pilsner', priceCents: 500 });
    const stout = await createItem(world, { name: 'Stout', priceCents: 650, stock: 5 });
    const response = await placeOrder(world, alice, {
      items: [
        { menuItemId: beer.id, quantity: 2, note: 'no foam' },
        { menuItemId: stout.id, quantity: 1 },
      ],
      tableNumber: 12,
      note: 'by the window',
    });
    expect(response.status).toBe(201);
    const order = response.body;
    expect(order).toMatchObject({
      customer: { id: alice.user.id, name: alice.user.name },
      status: 'pending',
      items: [
        { menuItemId: beer.id, name: 'Pilsner', unitPriceCents: 500, quantity: 2, note: 'no foam' },
        { menuItemId: stout.id, name: 'Stout', unitPriceCents: 650, quantity: 1, note: null },
      ],
      totalCents: 1650,
      tableNumber: 12,
      note: 'by the window',
      assignee: null,
      version: 1,
      cancelReason: null,
    });
    expect(order.number).toBeGreaterThan(0);
    expect(order.history).toEqual([
      {
        status: 'pending',
        at: order.createdAt,
        by: { id: alice.user.id, name: alice.user.name, role: 'customer' },
      },
    ]);
    expect(await stockOf(world, stout.id)).toBe(4);
    const read = await request(`${world.app.url}/api/orders/${order.id}`, {
      headers: bearer(alice.accessToken),
    });
    expect(read.body).toEqual(order);

    const withPrice = await placeOrder(world, alice, {
      items: [{ menuItemId: beer.id, quantity: 1, unitPriceCents: 1 }],
    });
    expectErrorBody(withPrice, 400, 'VALIDATION_FAILED');
  });

  it('gives orders short numbers, unique and increasing within the day', async () => {
    const beer = await createItem(world);
    const orders = await Promise.all(
      Array.from({ length: 8 }, () =>
        placeOrder(world, alice, { items: [{ menuItemId: beer.id, quantity: 1 }] }),
      ),
    );
    const numbers = orders.map((response) => response.body.number as number);
    expect(new Set(numbers).size).toBe(8);
    for (const number of numbers) expect(number).toBeLessThan(1000);
  });

  it("takes the day's number without leaving synchronous_commit off on its connection", async () => {
    const beer = await createItem(world);
    const orders = world.app.app.get(OrdersRepository);
    const asked = {
      businessDay: '2000-01-01',
      customerId: alice.user.id,
      menuItemIds: [beer.id],
    };
    const runner = world.app.app.get(DataSource).createQueryRunner();
    try {
      const show = async () =>
        ((await runner.query('SHOW synchronous_commit')) as { synchronous_commit: string }[])[0]
          ?.synchronous_commit;
      expect(await show()).toBe('on');
      const start = await orders.startOrder(runner.manager, asked);
      expect(start).toMatchObject({ number: 1, customerName: alice.user.name });
      expect(start.items.map((item) => item.id)).toEqual([beer.id]);
      // Its transaction has ended, and the setting with it: the connection's next statements
      // (another order's, from the pool) commit durably as ever.
      expect(await show()).toBe('on');
      // Inside a transaction the setting would hold for all of it: refused.
      await runner.startTransaction();
      await expect(orders.startOrder(runner.manager, asked)).rejects.toThrow(
        /inside a transaction/,
      );
      await runner.rollbackTransaction();
    } finally {
      await runner.release();
    }
  });

  it('sells exactly the stock to 50 concurrent orders: 10 succeed, the rest are OUT_OF_STOCK', async () => {
    const special = await createItem(world, { name: 'Last Keg', stock: 10 });
    const customers = await Promise.all(Array.from({ length: 10 }, () => customer(world)));
    const before = await countRows(world, 'orders');
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        placeOrder(world, customers[index % 10]!, {
          items: [{ menuItemId: special.id, quantity: 1 }],
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(10);
    for (const response of responses.filter((r) => r.status !== 201)) {
      expectErrorBody(response, 409, 'OUT_OF_STOCK');
    }
    expect(await stockOf(world, special.id)).toBe(0);
    expect((await countRows(world, 'orders')) - before).toBe(10);
    const [sold] = await world.app.sql<{ n: string }>(
      'SELECT COALESCE(sum(quantity), 0) AS n FROM order_items WHERE menu_item_id = $1',
      [special.id],
    );
    expect(Number(sold?.n)).toBe(10);
  }, 60_000);

  it('never oversells when concurrent orders take several units of several items', async () => {
    const a = await createItem(world, { stock: 7 });
    const b = await createItem(world, { stock: 7 });
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        placeOrder(world, alice, {
          // Opposite line orders: taking stock in id order keeps them from deadlocking.
          items:
            index % 2 === 0
              ? [
                  { menuItemId: a.id, quantity: 2 },
                  { menuItemId: b.id, quantity: 1 },
                ]
              : [
                  { menuItemId: b.id, quantity: 2 },
                  { menuItemId: a.id, quantity: 1 },
                ],
        }),
      ),
    );
    expect(responses.every((r) => r.status === 201 || r.body?.code === 'OUT_OF_STOCK')).toBe(true);
    const [sold] = await world.app.sql<{ a: string; b: string }>(
      `SELECT COALESCE(sum(quantity) FILTER (WHERE menu_item_id = $1), 0) AS a,
              COALESCE(sum(quantity) FILTER (WHERE menu_item_id = $2), 0) AS b
         FROM order_items WHERE menu_item_id IN ($1, $2)`,
      [a.id, b.id],
    );
    expect(Number(sold?.a) + ((await stockOf(world, a.id)) ?? -1)).toBe(7);
    expect(Number(sold?.b) + ((await stockOf(world, b.id)) ?? -1)).toBe(7);
  }, 60_000);

  it('keeps every unit when restocks run between concurrent orders', async () => {
    const keg = await createItem(world, { stock: 20 });
    const orders = Array.from({ length: 30 }, () =>
      placeOrder(world, alice, { items: [{ menuItemId: keg.id, quantity: 1 }] }),
    );
    const restocks = Array.from({ length: 5 }, () =>
      request(`${world.app.url}/api/admin/menu-items/${keg.id}`, {
        method: 'PATCH',
        headers: bearer(world.admin.accessToken),
        json: { stockDelta: 2 },
      }),
    );
    const [placed, restocked] = await Promise.all([Promise.all(orders), Promise.all(restocks)]);
    expect(restocked.map((response) => response.status)).toEqual(Array(5).fill(200));
    // An order that arrives before enough restocks have landed may be refused; none may be lost.
    const sold = placed.filter((response) => response.status === 201).length;
    for (const response of placed.filter((r) => r.status !== 201)) {
      expectErrorBody(response, 409, 'OUT_OF_STOCK');
    }
    expect(sold).toBeGreaterThanOrEqual(20);
    expect(await stockOf(world, keg.id)).toBe(20 + 10 - sold);
    const [row] = await world.app.sql<{ n: string }>(
      'SELECT COALESCE(sum(quantity), 0) AS n FROM order_items WHERE menu_item_id = $1',
      [keg.id],
    );
    expect(Number(row?.n)).toBe(sold);
  }, 60_000);

  it('sells a sold-out item restocked one unit at a time under a stream of orders, never a 5xx', async () => {
    const keg = await createItem(world, { stock: 0 });
    const restocking = { done: false };
    const buyer = async (): Promise<number[]> => {
      const statuses: number[] = [];
      while (!restocking.done) {
        const response = await placeOrder(world, alice, {
          items: [{ menuItemId: keg.id, quantity: 1 }],
        });
        if (response.status !== 201) expectErrorBody(response, 409, 'OUT_OF_STOCK');
        statuses.push(response.status);
      }
      return statuses;
    };
    const buyers = Array.from({ length: 6 }, buyer);
    for (let unit = 0; unit < 10; unit++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      const restocked = await request(`${world.app.url}/api/admin/menu-items/${keg.id}`, {
        method: 'PATCH',
        headers: bearer(world.admin.accessToken),
        json: { stockDelta: 1 },
      });
      expect(restocked.status).toBe(200);
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    restocking.done = true;
    const sold = (await Promise.all(buyers)).flat().filter((status) => status === 201).length;
    expect(await stockOf(world, keg.id)).toBe(10 - sold);
    expect(sold).toBeGreaterThan(0);
  }, 60_000);

  it('refuses an item taken off the menu with ITEM_UNAVAILABLE and an archived one as unknown', async () => {
    const off = await createItem(world, { available: false });
    const unavailable = await placeOrder(world, alice, {
      items: [{ menuItemId: off.id, quantity: 1 }],
    });
    const body = expectErrorBody(unavailable, 409, 'ITEM_UNAVAILABLE');
    expect(body.details).toEqual({ menuItemId: off.id });

    const gone = await createItem(world);
    await request(`${world.app.url}/api/admin/menu-items/${gone.id}`, {
      method: 'DELETE',
      headers: bearer(world.admin.accessToken),
    });
    const archived = await placeOrder(world, alice, {
      items: [{ menuItemId: gone.id, quantity: 1 }],
    });
    expectErrorBody(archived, 400, 'VALIDATION_FAILED');
  });

  it('refuses more than the stock with OUT_OF_STOCK and takes nothing', async () => {
    const a = await createItem(world, { stock: 3 });
    const b = await createItem(world, { stock: 3 });
    const response = await placeOrder(world, alice, {
      items: [
        { menuItemId: a.id, quantity: 2 },
        { menuItemId: b.id, quantity: 4 },
      ],
    });
    const body = expectErrorBody(response, 409, 'OUT_OF_STOCK');
    expect(body.details).toMatchObject({ menuItemId: b.id, requested: 4, available: 3 });
    expect(await stockOf(world, a.id)).toBe(3);
    expect(await stockOf(world, b.id)).toBe(3);
  });

  it('lets only customers place orders', async () => {
    const beer = await createItem(world);
    const response = await placeOrder(world, world.bartender, {
      items: [{ menuItemId: beer.id, quantity: 1 }],
    });
    expectErrorBody(response, 403, 'FORBIDDEN');
    const anonymous = await request(`${world.app.url}/api/orders`, {
      method: 'POST',
      headers: { 'idempotency-key': randomUUID() },
      json: { items: [{ menuItemId: beer.id, quantity: 1 }] },
    });
    expectErrorBody(anonymous, 401, 'TOKEN_INVALID');
  });

  describe('bad input is 400 with details and writes nothing', () => {
    let beer: { id: string };
    beforeAll(async () => {
      beer = await createItem(world, { stock: 50 });
    });

    const line = (fields: Record<string, unknown> = {}): Record<string, unknown> => ({
      menuItemId: beer.id,
      quantity: 1,
      ...fields,
    });

    it.each([
      ['quantity 0', () => ({ items: [line({ quantity: 0 })] }), 'items.0.quantity'],
      ['quantity 21', () => ({ items: [line({ quantity: 21 })] }), 'items.0.quantity'],
      ['quantity -1', () => ({ items: [line({ quantity: -1 })] }), 'items.0.quantity'],
      ['quantity 1.5', () => ({ items: [line({ quantity: 1.5 })] }), 'items.0.quantity'],
      ['quantity "2"', () => ({ items: [line({ quantity: '2' })] }), 'items.0.quantity'],
      [
        'an unknown item',
        () => ({ items: [line(), line({ menuItemId: randomUUID() })] }),
        'items.1.menuItemId',
      ],
      [
        'a malformed item id',
        () => ({ items: [line({ menuItemId: 'beer' })] }),
        'items.0.menuItemId',
      ],
      ['31 lines', () => ({ items: Array.from({ length: 31 }, () => line()) }), 'items'],
      ['no lines', () => ({ items: [] }), 'items'],
      [
        'a line note of 141 characters',
        () => ({ items: [line({ note: 'x'.repeat(141) })] }),
        'items.0.note',
      ],
      [
        'an order note of 281 characters',
        () => ({ items: [line()], note: 'x'.repeat(281) }),
        'note',
      ],
      ['table 0', () => ({ items: [line()], tableNumber: 0 }), 'tableNumber'],
      ['table 1000', () => ({ items: [line()], tableNumber: 1000 }), 'tableNumber'],
      ['an unknown field', () => ({ items: [line()], totalCents: 1 }), 'totalCents'],
      [
        'an unknown line field',
        () => ({ items: [line({ unitPriceCents: 1 })] }),
        'items.0.unitPriceCents',
      ],
    ])('%s', async (_name, body, field) => {
      const orders = await countRows(world, 'orders');
      const keys = await countRows(world, 'order_idempotency_keys');
      const response = await placeOrder(world, alice, body());
      const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect((error.details as { field: string }[]).map((detail) => detail.field)).toContain(field);
      expect(await countRows(world, 'orders')).toBe(orders);
      expect(await countRows(world, 'order_idempotency_keys')).toBe(keys);
      expect(await stockOf(world, beer.id)).toBe(50);
    });

    it('accepts exactly 30 lines, quantity 20 and notes at their limits', async () => {
      const response = await placeOrder(world, alice, {
        items: Array.from({ length: 30 }, (_, index) =>
          line({ quantity: index === 0 ? 20 : 1, note: 'x'.repeat(140) }),
        ),
        note: 'y'.repeat(280),
        tableNumber: 999,
      });
      expect(response.status).toBe(201);
      expect(response.body.items).toHaveLength(30);
      expect(await stockOf(world, beer.id)).toBe(50 - 49);
    });
  });

  describe('Idempotency-Key', () => {
    it('is required', async () => {
      const beer = await createItem(world);
      const before = await countRows(world, 'orders');
      const response = await placeOrder(
        world,
        alice,
        { items: [{ menuItemId: beer.id, quantity: 1 }] },
        null,
      );
      const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(body.details)).toContain('Idempotency-Key');
      expect(await countRows(world, 'orders')).toBe(before);
    });

    it('replays the same order for the same key and body, with Idempotent-Replayed', async () => {
      const beer = await createItem(world, { stock: 10 });
      const key = randomUUID();
      const body = { items: [{ menuItemId: beer.id, quantity: 2 }], tableNumber: 3 };
      const first = await placeOrder(world, alice, body, key);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      // Same meaning, other key order.
      const second = await placeOrder(
        world,
        alice,
        { tableNumber: 3, items: [{ quantity: 2, menuItemId: beer.id }] },
        key,
      );
      expect(second.status).toBe(201);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await stockOf(world, beer.id)).toBe(8);
    });

    it('answers the same key with another body with 422 IDEMPOTENCY_MISMATCH', async () => {
      const beer = await createItem(world, { stock: 10 });
      const key = randomUUID();
      const first = await placeOrder(
        world,
        alice,
        { items: [{ menuItemId: beer.id, quantity: 1 }] },
        key,
      );
      expect(first.status).toBe(201);
      const other = await placeOrder(
        world,
        alice,
        { items: [{ menuItemId: beer.id, quantity: 3 }] },
        key,
      );
      expectErrorBody(other, 422, 'IDEMPOTENCY_MISMATCH');
      expect(await stockOf(world, beer.id)).toBe(9);
    });

    it('keeps keys per user: another customer with the same key gets an order of their own', async () => {
      const beer = await createItem(world);
      const bob = await customer(world);
      const key = randomUUID();
      const body = { items: [{ menuItemId: beer.id, quantity: 1 }] };
      const mine = await placeOrder(world, alice, body, key);
      const theirs = await placeOrder(world, bob, body, key);
      expect(theirs.status).toBe(201);
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(theirs.body.customer.id).toBe(bob.user.id);
    });

    it('creates one order from 20 concurrent requests with one key', async () => {
      const beer = await createItem(world, { stock: 100 });
      const key = randomUUID();
      const before = await countRows(world, 'orders');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () =>
          placeOrder(world, alice, { items: [{ menuItemId: beer.id, quantity: 1 }] }, key),
        ),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
      expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
      expect(responses.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(
        19,
      );
      expect((await countRows(world, 'orders')) - before).toBe(1);
      expect(await stockOf(world, beer.id)).toBe(99);
    }, 60_000);

    it('does not remember a failed attempt: the same key works once stock is back', async () => {
      const keg = await createItem(world, { stock: 0 });
      const key = randomUUID();
      const body = { items: [{ menuItemId: keg.id, quantity: 1 }] };
      expectErrorBody(await placeOrder(world, alice, body, key), 409, 'OUT_OF_STOCK');
      await request(`${world.app.url}/api/admin/menu-items/${keg.id}`, {
        method: 'PATCH',
        headers: bearer(world.admin.accessToken),
        json: { stockDelta: 1 },
      });
      const retry = await placeOrder(world, alice, body, key);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBeNull();
    });

    it('replays a successful order even after its item left the menu', async () => {
      const beer = await createItem(world);
      const key = randomUUID();
      const body = { items: [{ menuItemId: beer.id, quantity: 1 }] };
      const first = await placeOrder(world, alice, body, key);
      await request(`${world.app.url}/api/menu/${beer.id}/availability`, {
        method: 'PATCH',
        headers: bearer(world.bartender.accessToken),
        json: { available: false },
      });
      const replay = await placeOrder(world, alice, body, key);
      expect(replay.status).toBe(201);
      expect(replay.body.id).toBe(first.body.id);
    });

    it('forgets a key after 24 hours', async () => {
      const beer = await createItem(world);
      const key = randomUUID();
      const body = { items: [{ menuItemId: beer.id, quantity: 1 }] };
      const first = await placeOrder(world, alice, body, key);
      await world.app.sql(
        `UPDATE order_idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`,
        [key],
      );
      const later = await placeOrder(world, alice, body, key);
      expect(later.status).toBe(201);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect(later.body.id).not.toBe(first.body.id);
    });

    it('deletes expired keys in the hourly clean-up, and only those', async () => {
      const beer = await createItem(world);
      const [old, fresh] = [randomUUID(), randomUUID()];
      await placeOrder(world, alice, { items: [{ menuItemId: beer.id, quantity: 1 }] }, old);
      await placeOrder(world, alice, { items: [{ menuItemId: beer.id, quantity: 2 }] }, fresh);
      await world.app.sql(
        `UPDATE order_idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = $1`,
        [old],
      );
      expect(await world.app.app.get(IdempotencyKeyCleanup).run()).toBeGreaterThanOrEqual(1);
      const left = await world.app.sql<{ key: string }>(
        'SELECT key FROM order_idempotency_keys WHERE key = ANY($1::text[])',
        [[old, fresh]],
      );
      expect(left).toEqual([{ key: fresh }]);
    });
  });
});
