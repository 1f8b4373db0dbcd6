import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type pg from 'pg';
import { bearer } from '../support/auth.js';
import { request } from '../support/http.js';
import {
  type OrdersWorld,
  advance,
  createItem,
  customer,
  orderOf,
  startOrdersWorld,
} from '../e2e/orders-support.js';
import { connectOutside, waitUntilBlockedBy } from '../support/test-database.js';

/**
 * A report that computes an old day while a writer changes one of its orders: the writer's
 * transaction is held open on a second connection, so it commits after the report's snapshot and
 * before the report stores the day. The stored day must not hide the change.
 */
describe('report days against a concurrent writer, on PostgreSQL', () => {
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

  const sales = async (day: string): Promise<{ orders: number; revenueCents: number }> => {
    const response = await request(
      `${world.app.url}/api/admin/reports/sales?from=${day}&to=${day}`,
      { headers: bearer(world.admin.accessToken) },
    );
    expect(response.status).toBe(200);
    const [only] = response.body.days;
    return { orders: only.orders, revenueCents: only.revenueCents };
  };

  /** Waits until a statement of the app waits for a lock held by `outside`. */
  async function blockedOnOutside(): Promise<void> {
    const [{ pid } = { pid: 0 }] = (await outside.query('SELECT pg_backend_pid() AS pid')).rows;
    expect(await waitUntilBlockedBy(world.app, pid as number)).toBe(true);
  }

  /** The UTC calendar day `days` before today (days within the stored year). */
  const daysAgo = (days: number): string =>
    new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

  /** A completed order of 7.00 moved to the old day `day`. */
  async function completedOrderOn(day: string): Promise<string> {
    const item = await createItem(world, { priceCents: 700 });
    const buyer = await customer(world);
    const order = await advance(
      world,
      world.bartender,
      await orderOf(world, buyer, [{ menuItemId: item.id, quantity: 1 }]),
      'completed',
    );
    await world.app.sql(
      `UPDATE orders SET business_day = $2, created_at = $2::date + time '12:00' WHERE id = $1`,
      [order.id, day],
    );
    return order.id;
  }

  it.each([
    ['not stored yet (the writer creates its row)', daysAgo(40), false],
    ['stored then changed (the writer bumps its version)', daysAgo(41), true],
  ])(
    'keeps a change committed after the report’s snapshot: day %s',
    async (_, day, stored) => {
      const order = { id: await completedOrderOn(day) };
      if (stored) {
        expect(await sales(day)).toEqual({ orders: 1, revenueCents: 700 });
        // A change since: the row stays, with a newer version and no figures.
        await world.app.sql(`UPDATE orders SET note = 'late' WHERE id = $1`, [order.id]);
      } else {
        await world.app.sql('DELETE FROM report_days WHERE business_day = $1', [day]);
      }

      // The writer cancels the order and holds its transaction (and the day's row) open.
      await outside.query('BEGIN');
      await outside.query(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, [order.id]);
      const report = sales(day);
      // The report read the orders before the change, and now waits to store the day.
      await blockedOnOutside();
      await outside.query('COMMIT');
      // As of its snapshot: still completed.
      expect(await report).toEqual({ orders: 1, revenueCents: 700 });

      // The next report sees the change: the stale figures were not stored over it.
      expect(await sales(day)).toEqual({ orders: 0, revenueCents: 0 });
      const [row] = await world.app.sql<{ version: number; orders: number | null }>(
        `SELECT version, (sales->>'orders')::int AS orders FROM report_days WHERE business_day = $1`,
        [day],
      );
      expect(row?.orders).toBe(0);
      expect(row?.version).toBeGreaterThan(0);
    },
    60_000,
  );
  it('answers without waiting for a writer that holds the day open, and stores nothing then', async () => {
    const day = daysAgo(42);
    const orderId = await completedOrderOn(day);
    await world.app.sql('DELETE FROM report_days WHERE business_day = $1', [day]);
    // The writer changes the order and stays open (as an operator's psql session might).
    await outside.query('BEGIN');
    await outside.query(`UPDATE orders SET note = 'held' WHERE id = $1`, [orderId]);
    const ended: string[] = [];
    const report = sales(day).then((figures) => {
      ended.push('report');
      return figures;
    });
    // The writer commits only once the report has answered, or after 20 s if it never does.
    await Promise.race([report, sleep(20_000)]);
    ended.push('writer');
    await outside.query('COMMIT');
    expect(await report).toEqual({ orders: 1, revenueCents: 700 });
    expect(ended).toEqual(['report', 'writer']);
    // The day was not stored over the writer's change: only its own row, with no figures.
    const [row] = await world.app.sql<{ sales: unknown }>(
      'SELECT sales FROM report_days WHERE business_day = $1',
      [day],
    );
    expect(row?.sales ?? null).toBeNull();
  }, 60_000);
});
