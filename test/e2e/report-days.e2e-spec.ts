/**
 * The reports' summaries per business day (`report_days`): an old day is stored once computed and
 * gives the same report as computing it live; any change to one of its orders (a payment, a
 * refund, a status change, a direct UPDATE of the order's business day) discards it, through the
 * triggers on `orders`, which today's orders never run; recent days are never stored; a day stored
 * under another VENUE_TIMEZONE is ignored; a refused range writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, bearer, registerCustomer, loginAs } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type OrdersWorld,
  advance,
  cancelOrder,
  createItem,
  orderOf,
  startOrdersWorld,
} from './orders-support.js';
import { ReportDaysFill } from '../../src/orders/report-days-fill.js';

// A zone without daylight saving time, so the hour of day is the same on any date.
const VENUE_TIMEZONE = 'Asia/Tokyo';
/** The UTC calendar day `days` before today. */
const daysAgo = (days: number): string =>
  new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
// Old days nothing else lands on, within the year of days that are stored: 03:00 UTC is 12:00
// in Tokyo, the same day.
const D1 = daysAgo(30);
const D2 = daysAgo(29);
const RANGE = `?from=${D1}&to=${D2}`;

describe('report days: stored summaries of old days', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let beer: { id: string };
  let burger: { id: string };
  /** Orders on D1 and D2 by role. */
  const orders: Record<string, any> = {};

  beforeAll(async () => {
    world = await startOrdersWorld({ VENUE_TIMEZONE });
    const user = await registerCustomer(world.app, { name: 'Alice' });
    alice = await loginAs(world.app, {
      email: user.email,
      password: user.password,
      app: 'customer',
    });
    beer = await createItem(world, { name: 'Pilsner', priceCents: 455, vatRateBasisPoints: 2000 });
    burger = await createItem(world, {
      name: 'Burger',
      priceCents: 1299,
      vatRateBasisPoints: 1000,
    });

    const place = (lines: { menuItemId: string; quantity: number }[]) =>
      orderOf(world, alice, lines);
    orders.paid = await advance(
      world,
      world.bartender,
      await place([
        { menuItemId: beer.id, quantity: 3 },
        { menuItemId: burger.id, quantity: 1 },
      ]),
      'completed',
    );
    expect((await pay(orders.paid.id, 'card', orders.paid.totalCents, 100)).status).toBe(201);
    orders.unpaid = await advance(
      world,
      world.bartender,
      await place([{ menuItemId: burger.id, quantity: 2 }]),
      'completed',
    );
    orders.ready = await advance(
      world,
      world.bartender,
      await place([{ menuItemId: beer.id, quantity: 1 }]),
      'ready',
    );
    const dropped = await place([{ menuItemId: beer.id, quantity: 5 }]);
    expect(
      (await cancelOrder(world, world.bartender, dropped.id, { reason: 'Spilt' })).status,
    ).toBe(200);
    orders.cancelled = dropped;
    orders.moved = await advance(
      world,
      world.bartender,
      await place([{ menuItemId: beer.id, quantity: 2 }]),
      'completed',
    );
    orders.nextDay = await advance(
      world,
      world.bartender,
      await place([{ menuItemId: burger.id, quantity: 1 }]),
      'completed',
    );
    for (const [key, order] of Object.entries(orders)) {
      const day = key === 'nextDay' ? D2 : D1;
      await backdate(order.id, `${day}T03:00:00Z`);
    }
  }, 120_000);
  afterAll(() => world.close());

  const url = (path: string): string => `${world.app.url}/api${path}`;
  const get = (path: string) => request(url(path), { headers: bearer(world.admin.accessToken) });

  function pay(orderId: string, method: string, amountCents: number, tipCents = 0) {
    return request(url(`/orders/${orderId}/payments`), {
      method: 'POST',
      headers: { ...bearer(world.bartender.accessToken), 'idempotency-key': randomUUID() },
      json: { method, amountCents, tipCents },
    });
  }

  /** Moves an order to `day` (at `placedAt`), its history one minute a step after placement. */
  async function backdate(orderId: string, placedAt: string): Promise<void> {
    await world.app.sql(
      `WITH steps AS (
         UPDATE order_history SET at = $2::timestamptz + (seq - 1) * interval '1 minute'
          WHERE order_id = $1
         RETURNING at)
       UPDATE orders SET created_at = $2, updated_at = (SELECT max(at) FROM steps),
                         business_day = ($2::timestamptz AT TIME ZONE $3)::date
        WHERE id = $1`,
      [orderId, placedAt, VENUE_TIMEZONE],
    );
  }

  async function reports(query = RANGE): Promise<{ sales: any; service: any; csv: string }> {
    const [sales, service, csv] = await Promise.all([
      get(`/admin/reports/sales${query}`),
      get(`/admin/reports/service${query}`),
      get(`/admin/reports/sales.csv${query}`),
    ]);
    expect([sales.status, service.status, csv.status]).toEqual([200, 200, 200]);
    return { sales: sales.body, service: service.body, csv: csv.text };
  }

  /** The reports computed from the orders alone: with every stored day thrown away. */
  async function live(query = RANGE): Promise<{ sales: any; service: any; csv: string }> {
    await world.app.sql('DELETE FROM report_days');
    return reports(query);
  }

  async function storedDays(): Promise<
    { day: string; version: number; sales: boolean; service: boolean; zone: string | null }[]
  > {
    return world.app.sql(
      `SELECT to_char(business_day, 'YYYY-MM-DD') AS day, version, sales IS NOT NULL AS sales,
              service IS NOT NULL AS service, time_zone AS zone
         FROM report_days ORDER BY business_day`,
    );
  }

  it('stores old days once computed, and answers from them what it answers live', async () => {
    const first = await live();
    expect(first.sales.days).toEqual([
      // Paid: 3 × 4.55 + 12.99 = 26.64; unpaid: 25.98; moved: 9.10.
      { date: D1, orders: 3, revenueCents: 2664 + 2598 + 910 },
      { date: D2, orders: 1, revenueCents: 1299 },
    ]);
    expect(first.sales.paidCents).toBe(2664);
    expect(first.sales.tipCents).toBe(100);
    expect(first.service.ordersPerHour[12].orders).toBe(6);
    expect(await storedDays()).toEqual([
      { day: D1, version: 0, sales: true, service: true, zone: VENUE_TIMEZONE },
      { day: D2, version: 0, sales: true, service: true, zone: VENUE_TIMEZONE },
    ]);

    expect(await reports()).toEqual(first);

    // What is stored is what is answered: a stored figure changed by hand shows.
    await world.app.sql(
      `UPDATE report_days SET sales = jsonb_set(sales, '{orders}', '99') WHERE business_day = $1`,
      [D1],
    );
    expect((await reports()).sales.days[0].orders).toBe(99);
    expect(await live()).toEqual(first);

    // A month computed at once (one hash join over the history rather than a lookup per order)
    // holds the same orders: the same service figures.
    await world.app.sql('DELETE FROM report_days');
    const month = await get(`/admin/reports/service?from=${daysAgo(45)}&to=${daysAgo(16)}`);
    expect(month.body).toEqual(first.service);
    expect(first.service.acceptSeconds).toEqual({ p50: 60, p90: 60 });
  });

  it('forgets a stored day when one of its orders is paid, refunded, moved on or moved away', async () => {
    await live();
    const version = async (day: string): Promise<number> =>
      (await storedDays()).find((row) => row.day === day)?.version ?? -1;

    const changes: [string, () => Promise<void>, (before: any, after: any) => void][] = [
      [
        'a payment',
        async () => {
          expect((await pay(orders.unpaid.id, 'cash', 1000)).status).toBe(201);
        },
        (before, after) => {
          expect(after.sales.paidCents).toBe(Number(before.sales.paidCents) + 1000);
          expect(after.sales.unpaidCents).toBe(before.sales.unpaidCents - 1000);
        },
      ],
      [
        'a refund',
        async () => {
          const refund = await request(url(`/orders/${orders.paid.id}/refunds`), {
            method: 'POST',
            headers: { ...bearer(world.admin.accessToken), 'idempotency-key': randomUUID() },
            json: { amountCents: 455, reason: 'Flat beer' },
          });
          expect(refund.status).toBe(201);
        },
        (before, after) => {
          expect(after.sales.refundedCents).toBe(Number(before.sales.refundedCents) + 455);
          expect(after.sales.paidCents).toBe(before.sales.paidCents - 455);
        },
      ],
      [
        'a status change',
        async () => {
          orders.ready = await advance(world, world.bartender, orders.ready, 'completed');
        },
        (before, after) => {
          expect(after.sales.days[0].orders).toBe(Number(before.sales.days[0].orders) + 1);
        },
      ],
    ];
    for (const [what, change, check] of changes) {
      const before = await reports();
      const was = await version(D1);
      await change();
      const after = await reports();
      check(before, after);
      expect({ what, version: await version(D1) }).toEqual({ what, version: was + 1 });
      expect(await live()).toEqual(after);
    }

    // Moved to the next day by hand: both days change.
    const before = await reports();
    const [was1, was2] = [await version(D1), await version(D2)];
    await world.app.sql('UPDATE orders SET business_day = $2 WHERE id = $1', [orders.moved.id, D2]);
    const after = await reports();
    expect(after.sales.days.map((day: any) => day.orders)).toEqual([
      before.sales.days[0].orders - 1,
      Number(before.sales.days[1].orders) + 1,
    ]);
    expect([await version(D1), await version(D2)]).toEqual([was1 + 1, was2 + 1]);
    expect(await live()).toEqual(after);
  });

  it('bumps a day once per transaction, however many of its orders change', async () => {
    await reports();
    const [before] = await world.app.sql<{ version: number }>(
      'SELECT version FROM report_days WHERE business_day = $1',
      [D1],
    );
    await world.app.sql(`UPDATE orders SET note = note WHERE business_day = $1`, [D1]);
    const [after] = await world.app.sql<{ version: number; sales: unknown }>(
      'SELECT version, sales FROM report_days WHERE business_day = $1',
      [D1],
    );
    expect(after).toEqual({ version: (before?.version ?? 0) + 1, sales: null });
  });

  it('never runs the trigger function for today’s orders, and runs it for old ones', async () => {
    const today = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
    const triggers = async (id: string): Promise<string> => {
      const plan = await world.app.sql<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) UPDATE orders SET note = note WHERE id = '${id}'`,
      );
      return plan.map((row) => row['QUERY PLAN']).join('\n');
    };
    // A trigger whose WHEN clause is false queues nothing: EXPLAIN lists only triggers called.
    expect(await triggers(today.id)).not.toContain('Trigger');
    expect(await triggers(orders.paid.id)).toContain(
      'Trigger tr_orders_report_days_update: calls=1',
    );
    expect(
      await world.app.sql(
        `SELECT business_day FROM report_days
          WHERE business_day > (now() AT TIME ZONE 'UTC')::date - 3`,
      ),
    ).toEqual([]);
  });

  it('never stores a day less than three days old', async () => {
    await world.app.sql('DELETE FROM report_days');
    // Days are stored by the UTC date; the orders placed today fall on the venue's date, which
    // is a day later from 15:00 UTC on.
    const [{ today, venueToday } = { today: '', venueToday: '' }] = await world.app.sql<{
      today: string;
      venueToday: string;
    }>(
      `SELECT to_char((now() AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS today,
              to_char((now() AT TIME ZONE '${VENUE_TIMEZONE}')::date, 'YYYY-MM-DD') AS "venueToday"`,
    );
    const from = new Date(Date.parse(`${today}T00:00:00Z`) - 6 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const recent = await reports(`?from=${from}&to=${venueToday}`);
    // Today's orders (the one placed above, and the refused ones) are counted live.
    expect(recent.service.ordersPerHour.some((hour: any) => hour.orders > 0)).toBe(true);
    const lastStored = new Date(Date.parse(`${today}T00:00:00Z`) - 3 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    // Today − 6 to today − 3; the three days after are computed every time.
    const stored = (await storedDays()).map((row) => row.day);
    expect(stored).toHaveLength(4);
    expect(stored.at(-1)).toBe(lastStored);
  });

  it('ignores a day stored under another VENUE_TIMEZONE, and stores it again', async () => {
    const truth = await live();
    await world.app.sql(
      `UPDATE report_days SET time_zone = 'America/New_York',
              sales = jsonb_set(sales, '{orders}', '99'),
              service = jsonb_set(service, '{hours,0}', '99')`,
    );
    expect(await reports()).toEqual(truth);
    expect((await storedDays()).map((row) => row.zone)).toEqual([VENUE_TIMEZONE, VENUE_TIMEZONE]);
  });

  // After the tests that count stored days: it stores a year of them.
  it('fills the missing days of the last 366 up to three days back, once', async () => {
    await world.app.sql('DELETE FROM report_days');
    const fill = world.app.app.get(ReportDaysFill);
    expect(await fill.run()).toBe(2 * 366);
    const [row] = await world.app.sql<Record<string, string>>(
      `SELECT count(*) AS n, to_char(max(business_day), 'YYYY-MM-DD') AS newest,
              to_char(min(business_day), 'YYYY-MM-DD') AS oldest,
              count(*) FILTER (WHERE sales IS NOT NULL AND service IS NOT NULL) AS full,
              to_char((now() AT TIME ZONE 'UTC')::date - 3, 'YYYY-MM-DD') AS last,
              to_char((now() AT TIME ZONE 'UTC')::date - 3 - 365, 'YYYY-MM-DD') AS first
         FROM report_days`,
    );
    expect({ n: row?.n, full: row?.full, newest: row?.newest, oldest: row?.oldest }).toEqual({
      n: '366',
      full: '366',
      newest: row?.last,
      oldest: row?.first,
    });
    expect(await fill.run()).toBe(0);
  });

  it('refuses bad ranges with 400 and writes nothing', async () => {
    await live();
    const before = await world.app.sql(
      'SELECT business_day, version, computed_at FROM report_days ORDER BY business_day',
    );
    // A past range older than the stored year is answered, and computed, not stored.
    expect((await get('/admin/reports/sales?from=0001-01-01&to=0001-01-02')).status).toBe(200);
    expect(
      (await get(`/admin/reports/service?from=${daysAgo(500)}&to=${daysAgo(400)}`)).status,
    ).toBe(200);
    for (const query of [
      '?from=2025-02-30&to=2025-03-01',
      '?from=2025-06-11&to=2025-06-10',
      '?from=2024-01-01&to=2026-01-01',
      '?from=0000-01-01&to=0000-01-02',
    ]) {
      for (const path of ['sales', 'service', 'sales.csv']) {
        expectErrorBody(await get(`/admin/reports/${path}${query}`), 400, 'VALIDATION_FAILED');
      }
    }
    expect(
      await world.app.sql(
        'SELECT business_day, version, computed_at FROM report_days ORDER BY business_day',
      ),
    ).toEqual(before);
  });
});
