import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type SignedIn, bearer, loginAs, STRONG_PASSWORD } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type OrdersWorld,
  advance,
  cancelOrder,
  createItem,
  customer,
  orderOf,
  startOrdersWorld,
} from './orders-support.js';
import {
  VENUE_MIDNIGHT_MARGIN_MS,
  clearOfVenueMidnight,
  venueDate as venueDateIn,
} from '../support/venue-day.js';

// Real HTTP, a real database and concurrent requests: slow machines need more than 5 s.
jest.setTimeout(60_000);

// Far from UTC, so a business day differs from the UTC date for 14 hours of every day.
const VENUE_TIMEZONE = 'Pacific/Kiritimati';

/** The venue's date `days` after `instant`. */
function venueDate(instant: Date, days = 0): string {
  return venueDateIn(VENUE_TIMEZONE, new Date(instant.getTime() + days * 86_400_000));
}

describe('sales report', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let today: string;

  beforeAll(async () => {
    await clearOfVenueMidnight(VENUE_TIMEZONE);
    world = await startOrdersWorld({ VENUE_TIMEZONE });
    alice = await customer(world);
    today = venueDate(new Date());
  }, 60_000 + VENUE_MIDNIGHT_MARGIN_MS);
  afterAll(() => world.close());

  const report = (query: string, token = world.admin.accessToken) =>
    request(`${world.app.url}/api/admin/reports/sales${query}`, { headers: bearer(token) });

  it('sums completed orders per venue day, ranks items and totals, ignoring other statuses', async () => {
    const beer = await createItem(world, { name: 'Pilsner', priceCents: 500 });
    const wine = await createItem(world, { name: 'House Red', priceCents: 700 });
    const nuts = await createItem(world, { name: 'Peanuts', priceCents: 300 });

    const completed = [
      await orderOf(world, alice, [
        { menuItemId: beer.id, quantity: 3 },
        { menuItemId: nuts.id, quantity: 1 },
      ]),
      await orderOf(world, alice, [{ menuItemId: wine.id, quantity: 2 }]),
      await orderOf(world, alice, [
        { menuItemId: beer.id, quantity: 1 },
        { menuItemId: wine.id, quantity: 1 },
      ]),
    ];
    for (const order of completed) await advance(world, world.bartender, order, 'completed');
    // Not completed: pending, ready and cancelled orders never count.
    await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 10 }]);
    const ready = await orderOf(world, alice, [{ menuItemId: nuts.id, quantity: 10 }]);
    await advance(world, world.bartender, ready, 'ready');
    const dropped = await orderOf(world, alice, [{ menuItemId: wine.id, quantity: 10 }]);
    await cancelOrder(world, alice, dropped.id);

    const expectedRevenue = completed.reduce(
      (sum: number, order: { totalCents: number }) => sum + order.totalCents,
      0,
    );
    expect(expectedRevenue).toBe(1800 + 1400 + 1200);

    const response = await report(`?from=${today}&to=${today}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      days: [{ date: today, orders: 3, revenueCents: expectedRevenue }],
      topItems: [
        { menuItemId: beer.id, name: 'Pilsner', quantity: 4, revenueCents: 2000 },
        { menuItemId: wine.id, name: 'House Red', quantity: 3, revenueCents: 2100 },
        { menuItemId: nuts.id, name: 'Peanuts', quantity: 1, revenueCents: 300 },
      ],
      totalRevenueCents: expectedRevenue,
      // Items made without a rate carry 0 %: all net.
      vat: [{ rateBasisPoints: 0, netCents: expectedRevenue, vatCents: 0 }],
      // Nothing is paid: every order that is not cancelled is unpaid, whatever its status.
      paidCents: 0,
      tipCents: 0,
      refundedCents: 0,
      unpaidCents: 4400 + 5000 + 3000,
      payments: ['cash', 'card', 'other'].map((method) => ({
        method,
        amountCents: 0,
        tipCents: 0,
        refundedCents: 0,
      })),
    });
  });

  it('lists every day of the range, with zeros on quiet days', async () => {
    const from = venueDate(new Date(), -2);
    const to = venueDate(new Date(), 1);
    const response = await report(`?from=${from}&to=${to}`);
    expect(response.status).toBe(200);
    expect(response.body.days.map((day: any) => day.date)).toEqual([
      from,
      venueDate(new Date(), -1),
      today,
      to,
    ]);
    expect(response.body.days[0]).toEqual({ date: from, orders: 0, revenueCents: 0 });
    expect(response.body.days[2].orders).toBe(3);
    expect(response.body.totalRevenueCents).toBe(4400);
  });

  it('defaults to the last seven venue days', async () => {
    const response = await report('');
    expect(response.status).toBe(200);
    expect(response.body.days).toHaveLength(7);
    expect(response.body.days[6].date).toBe(today);
  });

  it('counts nothing outside the range', async () => {
    const response = await report('?from=2020-01-01&to=2020-01-31');
    expect(response.body.days).toHaveLength(31);
    expect(response.body.topItems).toEqual([]);
    expect(response.body.totalRevenueCents).toBe(0);
  });

  it.each([
    ['?from=2026-02-30&to=2026-03-01', 'from'],
    ['?from=27.11.2026&to=2026-11-28', 'from'],
    ['?from=2026-11-01&to=2026-11', 'to'],
    ['?from=2026-11-10&to=2026-11-01', 'to'],
    ['?from=2024-01-01&to=2026-01-01', 'to'],
    ['?from=2026-11-01T00:00:00Z&to=2026-11-02', 'from'],
    ['?from=2026-11-01&to=2026-11-02&group=week', 'group'],
    // No `from`: its default is not counted back from a `to` that is no date.
    ['?to=2026-13-01', 'to'],
    ['?to=2026-01-32', 'to'],
    ['?to=2026-00-10', 'to'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const body = expectErrorBody(await report(query), 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(body.details)).toContain(field);
  });

  it('is for admins of the admin app only', async () => {
    expectErrorBody(await report('', world.bartender.accessToken), 403, 'FORBIDDEN');
    expectErrorBody(await report('', alice.accessToken), 403, 'FORBIDDEN');
    const atTheBar = await loginAs(world.app, {
      email: world.admin.user.email,
      password: STRONG_PASSWORD,
      app: 'bartender',
    });
    expectErrorBody(await report('', atTheBar.accessToken), 403, 'FORBIDDEN');
    expectErrorBody(
      await request(`${world.app.url}/api/admin/reports/sales`),
      401,
      'TOKEN_INVALID',
    );
  });
});
