import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { bearer } from '../support/auth.js';
import { request } from '../support/http.js';
import {
  type OrdersWorld,
  createItem,
  customer,
  placeOrder,
  startOrdersWorld,
} from '../e2e/orders-support.js';
import { connectOutside } from '../support/test-database.js';

/**
 * Races that need PostgreSQL's concurrency (the embedded database serves one connection at a
 * time, so they cannot happen there). An outside transaction holds an item's row so that orders
 * meet at its lock in a chosen order.
 */
describe('orders locking menu items, on PostgreSQL', () => {
  let world: OrdersWorld;
  let outside: pg.Client;

  beforeAll(async () => {
    world = await startOrdersWorld();
    outside = await connectOutside(world.db);
  }, 60_000);
  afterAll(async () => {
    await outside.end();
    await world.close();
  });

  it('never deadlocks two orders that read an item either side of it getting a stock count', async () => {
    // W has the lower id: an order that reads it as counted locks it before X, one that read it
    // as unlimited locks X first.
    const [w, x] = (await Promise.all([createItem(world), createItem(world)])).sort((a, b) =>
      a.id < b.id ? -1 : 1,
    );
    const admin = bearer(world.admin.accessToken);
    const patch = (id: string, json: object) =>
      request(`${world.app.url}/api/admin/menu-items/${id}`, {
        method: 'PATCH',
        headers: admin,
        json,
      });
    expect((await patch(x.id, { stock: 100 })).status).toBe(200);
    const [first, second] = await Promise.all([customer(world), customer(world)]);
    const lines = [
      { menuItemId: x.id, quantity: 1 },
      { menuItemId: w.id, quantity: 1 },
    ];

    await outside.query('BEGIN');
    await outside.query('SELECT 1 FROM menu_items WHERE id = $1 FOR UPDATE', [x.id]);
    // The first order read W as unlimited, and waits for X.
    const one = placeOrder(world, first, { items: lines });
    await sleep(400);
    expect((await patch(w.id, { stock: 50 })).status).toBe(200);
    // The second reads W as counted: it locks W, then waits for X.
    const two = placeOrder(world, second, { items: lines });
    await sleep(400);
    await outside.query('COMMIT');

    const answers = await Promise.all([one, two]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    const [stock] = await world.app.sql<{ w: number; x: number }>(
      `SELECT (SELECT stock FROM menu_items WHERE id = $1) AS w,
              (SELECT stock FROM menu_items WHERE id = $2) AS x`,
      [w.id, x.id],
    );
    // Both orders took from both counts: the first was drafted again once W was counted.
    expect(stock).toEqual({ w: 48, x: 98 });
  }, 60_000);
});
