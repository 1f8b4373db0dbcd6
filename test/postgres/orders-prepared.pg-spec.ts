import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EventLog } from '../../src/events/event-log.js';
import { IdempotencyKeyCleanup } from '../../src/orders/idempotency-key-cleanup.js';
import { bearer, type SignedIn } from '../support/auth.js';
import { request } from '../support/http.js';
import {
  type OrdersWorld,
  createItem,
  customer,
  placeOrder,
  startOrdersWorld,
} from '../e2e/orders-support.js';

/** Attack on the prepared order statements and on stock under a burst, on PostgreSQL. */
describe('placing orders on PostgreSQL: bursts, refusals, schema changes', () => {
  let world: OrdersWorld;
  let buyers: SignedIn[];

  beforeAll(async () => {
    world = await startOrdersWorld();
    if (world.db.kind !== 'postgres') throw new Error('This suite needs PostgreSQL');
    buyers = await Promise.all(Array.from({ length: 10 }, () => customer(world)));
  }, 120_000);
  afterAll(() => world.close());

  const one = (menuItemId: string, quantity = 1) => ({ items: [{ menuItemId, quantity }] });

  it('never takes stock below zero under 50 parallel orders of one counted item', async () => {
    const item = await createItem(world, { stock: 20 });
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => placeOrder(world, buyers[i % 10]!, one(item.id))),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
    const [row] = await world.app.sql<{ stock: number }>(
      'SELECT stock FROM menu_items WHERE id = $1',
      [item.id],
    );
    expect(row?.stock).toBe(0);
  }, 120_000);

  it('places one order for 20 parallel requests with one idempotency key', async () => {
    const item = await createItem(world, { stock: 100 });
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => placeOrder(world, buyers[0]!, one(item.id), key)),
    );
    const ids = new Set(answers.filter((a) => a.status < 300).map((a) => a.body.id));
    expect([...new Set(answers.map((a) => a.status))]).toEqual([expect.any(Number)]);
    expect(ids.size).toBe(1);
    const [row] = await world.app.sql<{ stock: number }>(
      'SELECT stock FROM menu_items WHERE id = $1',
      [item.id],
    );
    expect(row?.stock).toBe(99);
  }, 120_000);

  it('places a good order on every connection right after each kind of refusal', async () => {
    const scarce = await createItem(world, { stock: 0 });
    const plenty = await createItem(world, { stock: 1000 });
    const outcomes: string[] = [];
    for (let round = 0; round < 12; round += 1) {
      const who = buyers[round % 10]!;
      const key = randomUUID();
      const results = await Promise.all([
        placeOrder(world, who, one(scarce.id)),
        placeOrder(world, who, {
          items: [{ menuItemId: plenty.id, quantity: 1, options: [randomUUID()] }],
        }),
        placeOrder(world, who, one(plenty.id), key).then(() =>
          placeOrder(world, who, one(plenty.id, 2), key),
        ),
      ]);
      outcomes.push(results.map((r) => `${r.status} ${r.body.code}`).join(' | '));
      const good = await Promise.all(
        Array.from({ length: 10 }, () => placeOrder(world, who, one(plenty.id))),
      );
      expect(good.map((g) => g.status)).toEqual(Array(10).fill(201));
    }
    process.stdout.write(`refusals: ${[...new Set(outcomes)].join(' ; ')}\n`);
  }, 180_000);

  it('keeps placing orders after a migration adds a column while the server runs', async () => {
    const item = await createItem(world, { stock: 1000 });
    // Warm every pooled connection's prepared statements.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => placeOrder(world, buyers[i % 10]!, one(item.id))),
    );
    await world.app.sql('ALTER TABLE menu_items ADD COLUMN added_later integer');
    await world.app.sql("ALTER TABLE orders ADD COLUMN added_later text DEFAULT 'x'");
    const after = await Promise.all(
      Array.from({ length: 20 }, (_, i) => placeOrder(world, buyers[i % 10]!, one(item.id))),
    );
    expect(after.map((a) => a.status)).toEqual(Array(20).fill(201));
  }, 120_000);

  it('places orders and reads lists while the retention jobs run', async () => {
    const item = await createItem(world, { stock: 1000 });
    // Old rows for the jobs to delete: keys and events past their retention.
    await world.app.sql(
      `UPDATE order_idempotency_keys SET created_at = now() - interval '25 hours'`,
    );
    await world.app.sql(`UPDATE event_log SET created_at = now() - interval '25 hours'`);
    const log = world.app.app.get(EventLog);
    const cleanup = world.app.app.get(IdempotencyKeyCleanup);
    const running = { stop: false };
    const jobs = (async () => {
      let runs = 0;
      while (!running.stop) {
        await Promise.all([log.prune(), cleanup.run(), cleanup.run()]);
        runs += 1;
      }
      return runs;
    })();
    const orders = Array.from({ length: 50 }, (_, i) =>
      placeOrder(world, buyers[i % 10]!, one(item.id)),
    );
    const lists = Array.from({ length: 20 }, () =>
      request(`${world.app.url}/api/orders?limit=100`, {
        headers: bearer(world.admin.accessToken),
      }),
    );
    const [placed, listed] = await Promise.all([Promise.all(orders), Promise.all(lists)]);
    running.stop = true;
    const runs = await jobs;
    process.stdout.write(`retention job rounds during the burst: ${runs}\n`);
    expect(placed.map((p) => p.status)).toEqual(Array(50).fill(201));
    expect(listed.map((l) => l.status)).toEqual(Array(20).fill(200));
    const [row] = await world.app.sql<{ stock: number }>(
      'SELECT stock FROM menu_items WHERE id = $1',
      [item.id],
    );
    expect(row?.stock).toBe(950);
  }, 120_000);
  // Last: it leaves every pooled connection unable to place orders.
  it('keeps placing orders after a migration widens the order counter while the server runs', async () => {
    const item = await createItem(world, { stock: 1000 });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => placeOrder(world, buyers[i % 10]!, one(item.id))),
    );
    await world.app.sql('ALTER TABLE order_day_counters ALTER COLUMN last_number TYPE bigint');
    const after = await Promise.all(
      Array.from({ length: 20 }, (_, i) => placeOrder(world, buyers[i % 10]!, one(item.id))),
    );
    const failed = after.filter((a) => a.status !== 201);
    process.stdout.write(
      `after widening last_number: ${failed.length} of 20 failed (${[...new Set(failed.map((f) => `${f.status} ${f.body.code}`))].join(', ')})\n`,
    );
    expect(failed).toHaveLength(0);
  }, 120_000);
});
