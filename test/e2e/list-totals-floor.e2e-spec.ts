import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createUser, signInNew, type SignedIn } from '../support/auth.js';
import { request } from '../support/http.js';
import { type OrdersWorld, startOrdersWorld } from './orders-support.js';

/**
 * Attack on list totals: the estimate past 10,000 must never be below the rows a page shows,
 * and the exact/estimate boundary must sit at 10,000 / 10,001.
 */
describe('list totals: estimates and spellings', () => {
  let world: OrdersWorld;
  let a: SignedIn;
  let b: SignedIn;
  let c: SignedIn;

  beforeAll(async () => {
    world = await startOrdersWorld();
    [a, b, c] = await Promise.all([
      signInNew(world.app, 'customer'),
      signInNew(world.app, 'customer'),
      signInNew(world.app, 'customer'),
    ]);
  }, 120_000);
  afterAll(() => world.close());

  /** Inserts `count` orders of `customerId` with `status`, straight into the table. */
  async function insertOrders(customerId: string, status: string, count: number, day: string) {
    await world.app.sql(
      `INSERT INTO orders (id, number, business_day, customer_id, customer_name, status,
                           total_cents, version, created_at, updated_at)
       SELECT gen_random_uuid(), g, $4::date, $1, 'x', $2, 100, 1,
              now() - make_interval(secs => g), now() - make_interval(secs => g)
         FROM generate_series(1, $3::int) AS g`,
      [customerId, status, count, day],
    );
  }

  const list = (query: string) =>
    request(`${world.app.url}/api/orders?${query}`, { headers: bearer(world.admin.accessToken) });

  it('counts exactly 10,000 and flags 10,001 as an estimate', async () => {
    await insertOrders(c.user.id, 'pending', 10_000, '2020-01-01');
    const exact = await list(`customerId=${c.user.id}&limit=1`);
    expect([exact.status, exact.body.total, exact.body.totalIsEstimate]).toEqual([
      200,
      10_000,
      false,
    ]);
    await insertOrders(c.user.id, 'pending', 1, '2020-01-02');
    const over = await list(`customerId=${c.user.id}&limit=1`);
    expect(over.body.totalIsEstimate).toBe(true);
    expect(over.body.total).toBeGreaterThanOrEqual(10_001);
  }, 120_000);

  it('never gives an estimated total below the rows the page it answers shows', async () => {
    // 15,000 completed orders of A, 15,000 pending of B: customer and status are correlated,
    // and the planner multiplies their selectivities (0.5 x 0.5 x 30,000 = about 7,500).
    await insertOrders(a.user.id, 'completed', 15_000, '2021-01-01');
    await insertOrders(b.user.id, 'pending', 15_000, '2021-01-02');
    await world.app.sql('ANALYZE orders');
    const page = await list(`customerId=${a.user.id}&status=completed&limit=100&page=150`);
    expect(page.status).toBe(200);
    const items = page.body.items as unknown[];
    const shownUpTo = 149 * 100 + items.length;
    // Report figures when it fails.
    expect({
      items: page.body.items.length,
      total: page.body.total,
      totalIsEstimate: page.body.totalIsEstimate,
      ok: page.body.total >= shownUpTo,
    }).toEqual({ items: 100, total: page.body.total, totalIsEstimate: true, ok: true });
  }, 180_000);

  it('answers page=1000000 with an empty page and the estimate', async () => {
    const far = await list(`limit=100&page=1000000`);
    expect(far.status).toBe(200);
    expect(far.body.items).toEqual([]);
    expect(far.body.totalIsEstimate).toBe(true);
  }, 60_000);

  it('refuses limit edge values in the contract error format', async () => {
    for (const bad of ['limit=0', 'limit=101', 'limit=-1', 'limit=1.5', 'page=0', 'page=1000001']) {
      const response = await list(bad);
      expect([bad, response.status, response.body.code]).toEqual([bad, 400, 'VALIDATION_FAILED']);
    }
    for (const good of ['limit=1', 'limit=100', 'page=1000000']) {
      expect([good, (await list(good)).status]).toEqual([good, 200]);
    }
  }, 60_000);

  it('counts two spellings of one filter alike', async () => {
    const lower = await list(`customerId=${a.user.id}&status=completed&limit=1`);
    const upper = await list(`customerId=${a.user.id.toUpperCase()}&status=completed&limit=1`);
    const twice = await list(`customerId=${a.user.id}&status=completed&status=completed&limit=1`);
    expect([upper.body.total, twice.body.total]).toEqual([lower.body.total, lower.body.total]);
    expect([upper.body.totalIsEstimate, twice.body.totalIsEstimate]).toEqual([
      lower.body.totalIsEstimate,
      lower.body.totalIsEstimate,
    ]);
  }, 60_000);

  it('finds %, _, backslash and unicode in q literally, and refuses 101 characters', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const names = [
      `${tag} 50% off`,
      `${tag} a_b`,
      `${tag} back\\slash`,
      `${tag} Ünïcödé ß`,
      `${tag} plain ab`,
    ];
    for (const name of names) await createUser(world.app, 'customer', { name });
    const users = (q: string) =>
      request(`${world.app.url}/api/admin/users?q=${encodeURIComponent(q)}`, {
        headers: bearer(world.admin.accessToken),
      });
    const found = async (q: string) =>
      ((await users(q)).body.items as { name: string }[]).map((u) => u.name).sort();
    expect(await found(`${tag} 50%`)).toEqual([`${tag} 50% off`]);
    expect(await found('%')).toEqual([`${tag} 50% off`]);
    expect(await found(`${tag} a_`)).toEqual([`${tag} a_b`]);
    expect(await found('\\')).toEqual([`${tag} back\\slash`]);
    expect(await found('ÜNÏCÖDÉ')).toEqual([`${tag} Ünïcödé ß`]);
    const long = await users('x'.repeat(101));
    expect([long.status, long.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    const total = await users(tag);
    expect([total.body.total, total.body.totalIsEstimate]).toEqual([5, false]);
  }, 60_000);
});
