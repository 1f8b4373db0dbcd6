/**
 * The order list's table and customer filters and the service report, over real HTTP on a real
 * database: figures on data whose times are rewritten to the second.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  type SignedIn,
  bearer,
  loginAs,
  registerCustomer,
  STRONG_PASSWORD,
} from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type OrdersWorld,
  advance,
  cancelOrder,
  createItem,
  moveOrder,
  orderOf,
  placeOrder,
  startOrdersWorld,
} from './orders-support.js';

// Real HTTP and a real database: slow machines need more than 5 s.
jest.setTimeout(60_000);

// Far from UTC (+14), so a venue's hour and day differ from UTC's.
const VENUE_TIMEZONE = 'Pacific/Kiritimati';

function venueDate(instant: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: VENUE_TIMEZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(instant);
  const part = (type: string): string => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

describe('order filters and service report', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let bob: SignedIn;
  let beer: { id: string };
  let nachos: { id: string };

  beforeAll(async () => {
    world = await startOrdersWorld({ VENUE_TIMEZONE });
    alice = await signedInCustomer('Alice Archer');
    bob = await signedInCustomer('Bob Baker');
    beer = await createItem(world, { name: 'Pilsner', priceCents: 500 });
    nachos = await createItem(world, { name: 'Nachos', priceCents: 250 });
  }, 60_000);
  afterAll(() => world.close());

  const url = (path: string): string => `${world.app.url}/api${path}`;

  async function signedInCustomer(name: string): Promise<SignedIn> {
    const user = await registerCustomer(world.app, { name });
    return loginAs(world.app, { email: user.email, password: user.password, app: 'customer' });
  }

  /**
   * Rewrites an order's times: placed at `placedAt` (and on that venue day), its n-th history
   * entry `seconds[n - 1]` seconds later (the first, `pending`, at 0).
   */
  async function rewriteTimes(orderId: string, placedAt: Date, seconds: number[]): Promise<void> {
    const [history] = await world.app.sql<{ n: string }>(
      'SELECT count(*) AS n FROM order_history WHERE order_id = $1',
      [orderId],
    );
    if (Number(history?.n) !== seconds.length) {
      throw new Error(`order ${orderId} has ${history?.n} history entries, not ${seconds.length}`);
    }
    await world.app.sql(
      `WITH steps AS (
         UPDATE order_history SET at = $2::timestamptz + make_interval(secs => ($3::float8[])[seq])
          WHERE order_id = $1
         RETURNING at)
       UPDATE orders SET created_at = $2, updated_at = (SELECT max(at) FROM steps),
                         business_day = $4::date
        WHERE id = $1`,
      [orderId, placedAt.toISOString(), seconds, venueDate(placedAt)],
    );
  }

  async function move(order: any, status: string): Promise<any> {
    const response = await moveOrder(world, world.bartender, order.id, {
      status,
      version: order.version,
    });
    if (response.status !== 200) throw new Error(`move: ${response.status} ${response.text}`);
    return response.body;
  }

  describe('GET /api/orders filters', () => {
    let aliceAtThree: any[];
    let bobAtFour: any;

    beforeAll(async () => {
      aliceAtThree = [];
      for (let i = 0; i < 2; i++) {
        const placed = await placeOrder(world, alice, {
          items: [{ menuItemId: beer.id, quantity: 1 }],
          tableNumber: 3,
        });
        aliceAtThree.push(placed.body);
      }
      bobAtFour = (
        await placeOrder(world, bob, {
          items: [{ menuItemId: nachos.id, quantity: 1 }],
          tableNumber: 4,
        })
      ).body;
    });

    const list = (query: string, who: SignedIn = world.bartender) =>
      request(url(`/orders${query}`), { headers: bearer(who.accessToken) });
    const ids = (response: { body: { items: { id: string }[] } }): string[] =>
      response.body.items.map((order) => order.id).sort();

    it('finds a table’s orders and a customer’s orders, for staff', async () => {
      const atThree = await list('?tableNumber=3');
      expect(atThree.status).toBe(200);
      expect(ids(atThree)).toEqual(aliceAtThree.map((order) => order.id).sort());
      expect(atThree.body.total).toBe(2);

      const bobs = await list(`?customerId=${bob.user.id}`);
      expect(ids(bobs)).toEqual([bobAtFour.id]);
      // Ids in any letter case name the same customer.
      const shouted = await list(`?customerId=${bob.user.id.toUpperCase()}`, world.admin);
      expect(ids(shouted)).toEqual([bobAtFour.id]);

      const both = await list(`?tableNumber=4&customerId=${alice.user.id}`);
      expect(both.body).toEqual({ items: [], total: 0 });
    });

    it('keeps a customer to their own orders, whatever customerId says', async () => {
      const others = await list(`?customerId=${bob.user.id}`, alice);
      expect(others.status).toBe(200);
      expect(others.body).toEqual({ items: [], total: 0 });
      const othersTable = await list('?tableNumber=4', alice);
      expect(othersTable.body).toEqual({ items: [], total: 0 });

      const own = await list(`?customerId=${alice.user.id}&tableNumber=3`, alice);
      expect(ids(own)).toEqual(aliceAtThree.map((order) => order.id).sort());
    });

    it.each([
      ['tableNumber=0', 'tableNumber'],
      ['tableNumber=1000', 'tableNumber'],
      ['tableNumber=7.5', 'tableNumber'],
      ['tableNumber=seven', 'tableNumber'],
      ['tableNumber=', 'tableNumber'],
      ['tableNumber=3&tableNumber=4', 'tableNumber'],
      ['customerId=someone', 'customerId'],
      ['customerId=', 'customerId'],
      [
        'customerId=00000000-0000-4000-8000-000000000000&customerId=00000000-0000-4000-8000-000000000001',
        'customerId',
      ],
    ])('refuses %s with 400 naming %s', async (query, field) => {
      const body = expectErrorBody(await list(`?${query}`), 400, 'VALIDATION_FAILED');
      expect(body.details).toEqual([expect.objectContaining({ field })]);
    });
  });

  describe('GET /api/admin/reports/service', () => {
    // A venue day long past, and the next one: nothing else the tests place lands on them.
    const day = '2025-03-10';
    const nextDay = '2025-03-11';
    // Venue time is UTC+14: 00:30 on the 10th is 10:30 UTC on the 9th.
    const at = (utc: string): Date => new Date(utc);

    beforeAll(async () => {
      const placeOne = () => orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);

      // 00:30 venue time: accepted after 60 s, ready after 600 s.
      const early = await advance(world, world.bartender, await placeOne(), 'ready');
      await rewriteTimes(early.id, at('2025-03-09T10:30:00Z'), [0, 60, 120, 600]);

      // 21:15: accepted after 120 s, ready after 900 s, recalled, ready again: the first counts.
      let recalled = await advance(world, world.bartender, await placeOne(), 'ready');
      recalled = await move(recalled, 'preparing');
      recalled = await move(recalled, 'ready');
      await rewriteTimes(recalled.id, at('2025-03-10T07:15:00Z'), [0, 120, 300, 900, 1000, 1200]);

      // 21:40: accepted after 300 s, never ready.
      const slow = await advance(world, world.bartender, await placeOne(), 'preparing');
      await rewriteTimes(slow.id, at('2025-03-10T07:40:00Z'), [0, 300, 400]);

      // 21:50: cancelled while pending: placed in that hour all the same, never accepted.
      const dropped = await placeOne();
      expect((await cancelOrder(world, alice, dropped.id)).status).toBe(200);
      await rewriteTimes(dropped.id, at('2025-03-10T07:50:00Z'), [0, 30]);

      // 13:05 the next venue day: accepted after 10,000 s.
      const nextDayOrder = await advance(world, world.bartender, await placeOne(), 'accepted');
      await rewriteTimes(nextDayOrder.id, at('2025-03-10T23:05:00Z'), [0, 10_000]);
    });

    const serviceReport = (query: string, token = world.admin.accessToken) =>
      request(url(`/admin/reports/service${query}`), { headers: bearer(token) });

    function hours(counts: Record<number, number>): { hour: number; orders: number }[] {
      return Array.from({ length: 24 }, (_, hour) => ({ hour, orders: counts[hour] ?? 0 }));
    }

    it('counts orders per venue hour and takes percentiles of the first accept and ready', async () => {
      const response = await serviceReport(`?from=${day}&to=${day}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ordersPerHour: hours({ 0: 1, 21: 3 }),
        // percentile_cont over 60, 120, 300: the median, and 120 + 0.8 × (300 − 120).
        acceptSeconds: { p50: 120, p90: 264 },
        // Over 600 and 900 (the recalled order's first ready, not its second at 1200).
        readySeconds: { p50: 750, p90: 870 },
      });
    });

    it('adds up the hours of every day in the range', async () => {
      const response = await serviceReport(`?from=${day}&to=${nextDay}`);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ordersPerHour: hours({ 0: 1, 13: 1, 21: 3 }),
        // Over 60, 120, 300, 10000: 120 + 0.5 × 180, and 300 + 0.7 × 9700.
        acceptSeconds: { p50: 210, p90: 7090 },
        readySeconds: { p50: 750, p90: 870 },
      });
    });

    it('answers 24 empty hours and null percentiles for a range without orders', async () => {
      const response = await serviceReport('?from=2020-01-01&to=2020-01-31');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        ordersPerHour: hours({}),
        acceptSeconds: { p50: null, p90: null },
        readySeconds: { p50: null, p90: null },
      });
    });

    it('defaults to the last seven venue days, like the sales report', async () => {
      const response = await serviceReport('');
      expect(response.status).toBe(200);
      expect(response.body.ordersPerHour).toHaveLength(24);
    });

    it.each([
      ['?from=2026-02-30&to=2026-03-01', 'from'],
      ['?from=2026-11-01&to=2026-11', 'to'],
      ['?from=2026-11-10&to=2026-11-01', 'to'],
      ['?from=2024-01-01&to=2026-01-01', 'to'],
      ['?from=2026-11-01&to=2026-11-02&hour=3', 'hour'],
    ])('refuses %s with 400 naming %s', async (query, field) => {
      const body = expectErrorBody(await serviceReport(query), 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(body.details)).toContain(field);
    });

    it('is for admins of the admin app only', async () => {
      expectErrorBody(await serviceReport('', world.bartender.accessToken), 403, 'FORBIDDEN');
      expectErrorBody(await serviceReport('', alice.accessToken), 403, 'FORBIDDEN');
      const atTheBar = await loginAs(world.app, {
        email: world.admin.user.email,
        password: STRONG_PASSWORD,
        app: 'bartender',
      });
      expectErrorBody(await serviceReport('', atTheBar.accessToken), 403, 'FORBIDDEN');
      expectErrorBody(await request(url('/admin/reports/service')), 401, 'TOKEN_INVALID');
    });
  });
});
