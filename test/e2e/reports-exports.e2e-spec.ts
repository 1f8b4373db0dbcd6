/**
 * The order list's table and customer filters, the service report and the CSV exports
 * (`sales.csv`, `orders.csv`), over real HTTP on a real database: figures on data whose times are
 * rewritten to the second, the exact bytes of the files (RFC 4180 quoting, formula escaping),
 * and an export of tens of thousands of orders read in batches that stop when the client stops
 * reading or goes away.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
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
import {
  VENUE_MIDNIGHT_MARGIN_MS,
  clearOfVenueMidnight,
  venueDate as venueDateIn,
} from '../support/venue-day.js';

// Real HTTP, a real database and tens of thousands of rows: slow machines need time.
jest.setTimeout(120_000);

// Far from UTC (+14), so a venue's hour and day differ from UTC's.
const VENUE_TIMEZONE = 'Pacific/Kiritimati';

const venueDate = (instant: Date): string => venueDateIn(VENUE_TIMEZONE, instant);

/** A CSV download as its bytes came: the text keeps a byte order mark (fetch's text() drops it). */
interface Download {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

describe('order filters, service report and CSV exports', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let bob: SignedIn;
  let beer: { id: string };
  let nachos: { id: string };

  beforeAll(async () => {
    await clearOfVenueMidnight(VENUE_TIMEZONE);
    world = await startOrdersWorld({ VENUE_TIMEZONE });
    alice = await signedInCustomer('Alice Archer');
    bob = await signedInCustomer('Bob Baker');
    beer = await createItem(world, { name: 'Pilsner', priceCents: 500 });
    nachos = await createItem(world, { name: 'Nachos', priceCents: 250 });
  }, 60_000 + VENUE_MIDNIGHT_MARGIN_MS);
  afterAll(() => world.close());

  const url = (path: string): string => `${world.app.url}/api${path}`;

  async function signedInCustomer(name: string): Promise<SignedIn> {
    const user = await registerCustomer(world.app, { name });
    return loginAs(world.app, { email: user.email, password: user.password, app: 'customer' });
  }

  async function download(path: string, token = world.admin.accessToken): Promise<Download> {
    const response = await fetch(url(path), { headers: bearer(token) });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    const json = response.headers.get('content-type')?.includes('application/json');
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: json ? JSON.parse(text) : undefined,
    };
  }

  /** The lines of a CSV none of whose fields is quoted, header first, BOM and last CRLF gone. */
  function plainLines(text: string): string[][] {
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).not.toContain('"');
    return text
      .slice(1, -2)
      .split('\r\n')
      .map((line) => line.split(','));
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
      expect(both.body).toEqual({ items: [], total: 0, totalIsEstimate: false, nextCursor: null });
    });

    it('takes one spelling of a table number, and statuses however they are listed', async () => {
      for (const spelling of [' 3 ', '03', '3.0', '3e0', '0x3', '', 'three', '1000', '0']) {
        const refused = await list(`?tableNumber=${encodeURIComponent(spelling)}`);
        expectErrorBody(refused, 400, 'VALIDATION_FAILED');
        expect(refused.body.details).toEqual([
          { field: 'tableNumber', errors: ['tableNumber must be a whole number from 1 to 999'] },
        ]);
      }
      const twice = await list('?tableNumber=3&tableNumber=4');
      expectErrorBody(twice, 400, 'VALIDATION_FAILED');
      const mixed = await list('?status=pending,accepted&status=cancelled&tableNumber=3');
      const comma = await list('?status=pending,accepted,cancelled&tableNumber=3');
      expect(mixed.status).toBe(200);
      expect(ids(mixed)).toEqual(ids(comma));
      // A time of day without its zone would be read in the server's zone: refused.
      expectErrorBody(await list('?from=2026-12-06T10:00'), 400, 'VALIDATION_FAILED');
      expect((await list('?from=2026-12-06T10:00%2B01:00')).status).toBe(200);
    });

    it('keeps a customer to their own orders, whatever customerId says', async () => {
      const others = await list(`?customerId=${bob.user.id}`, alice);
      expect(others.status).toBe(200);
      expect(others.body).toEqual({
        items: [],
        total: 0,
        totalIsEstimate: false,
        nextCursor: null,
      });
      const othersTable = await list('?tableNumber=4', alice);
      expect(othersTable.body).toEqual({
        items: [],
        total: 0,
        totalIsEstimate: false,
        nextCursor: null,
      });

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

  describe('GET /api/admin/reports/sales.csv', () => {
    beforeAll(async () => {
      // Two completed orders on 1 April 2025 (venue time): 12.50 and 0.05.
      const pricey = await createItem(world, { name: 'Magnum', priceCents: 1250 });
      const cheap = await createItem(world, { name: 'Mint', priceCents: 5 });
      for (const [item, utc] of [
        [pricey, '2025-03-31T20:00:00Z'],
        [cheap, '2025-04-01T02:00:00Z'],
      ] as const) {
        const order = await orderOf(world, alice, [{ menuItemId: item.id, quantity: 1 }]);
        const done = await advance(world, world.bartender, order, 'completed');
        await rewriteTimes(done.id, new Date(utc), [0, 60, 120, 180, 240]);
      }
    });

    it('has a line per business day with the figures of the sales report', async () => {
      const query = '?from=2025-03-31&to=2025-04-02';
      const csv = await download(`/admin/reports/sales.csv${query}`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(
        'attachment; filename="sales-2025-03-31-to-2025-04-02.csv"',
      );
      // The items have no VAT rate (0 %): one group of VAT columns, for that rate.
      expect(csv.text).toBe(
        '\uFEFFdate,orders,revenue,revenueCents,net0,net0Cents,vat0,vat0Cents,vat,vatCents,' +
          'paid,paidCents,tip,tipCents,refunded,refundedCents,unpaid,unpaidCents\r\n' +
          '2025-03-31,0,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0\r\n' +
          // Served, not paid: all of it is still to pay.
          '2025-04-01,2,12.55,1255,12.55,1255,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0,12.55,1255\r\n' +
          '2025-04-02,0,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0,0.00,0\r\n',
      );

      const json = await request(url(`/admin/reports/sales${query}`), {
        headers: bearer(world.admin.accessToken),
      });
      const [header, ...days] = plainLines(csv.text);
      expect(header?.slice(0, 4)).toEqual(['date', 'orders', 'revenue', 'revenueCents']);
      expect(
        days.map(([date, orders, revenue, cents]) => ({
          date,
          orders: Number(orders),
          revenue,
          revenueCents: Number(cents),
        })),
      ).toEqual(
        json.body.days.map((entry: any) => ({
          ...entry,
          revenue: (entry.revenueCents / 100).toFixed(2),
        })),
      );
    });

    it('has the VAT of each day per rate, the sum of the orders’ own breakdowns', async () => {
      // 2 May 2025 (venue time): beers at 20 % and burgers at 10 %, completed; a cancelled order
      // on the same day counts for nothing.
      const beerAt20 = await createItem(world, { priceCents: 455, vatRateBasisPoints: 2000 });
      const burgerAt10 = await createItem(world, { priceCents: 1299, vatRateBasisPoints: 1000 });
      const orders = [];
      for (const lines of [
        [
          { menuItemId: beerAt20.id, quantity: 3 },
          { menuItemId: burgerAt10.id, quantity: 1 },
        ],
        [{ menuItemId: burgerAt10.id, quantity: 2 }],
      ]) {
        const order = await orderOf(world, alice, lines);
        orders.push(await advance(world, world.bartender, order, 'completed'));
      }
      const dropped = await orderOf(world, alice, [{ menuItemId: beerAt20.id, quantity: 1 }]);
      const cancelled = await cancelOrder(world, world.bartender, dropped.id, { reason: 'Spilt' });
      expect(cancelled.status).toBe(200);
      for (const order of [...orders, dropped]) {
        const steps = order.id === dropped.id ? [0, 60] : [0, 60, 120, 180, 240];
        await rewriteTimes(order.id, new Date('2025-05-01T12:00:00Z'), steps);
      }
      const csv = await download('/admin/reports/sales.csv?from=2025-05-02&to=2025-05-02');
      const [header, day] = plainLines(csv.text);
      expect(header).toEqual([
        ...['date', 'orders', 'revenue', 'revenueCents'],
        ...['net1000', 'net1000Cents', 'vat1000', 'vat1000Cents'],
        ...['net2000', 'net2000Cents', 'vat2000', 'vat2000Cents'],
        ...['vat', 'vatCents'],
        ...['paid', 'paidCents', 'tip', 'tipCents', 'refunded', 'refundedCents'],
        ...['unpaid', 'unpaidCents'],
      ]);
      // 13.65 at 20 % holds 2.28; 12.99 at 10 % holds 1.18, and 25.98 holds 2.36.
      expect(day).toEqual([
        ...['2025-05-02', '2', '52.62', '5262'],
        ...['35.43', '3543', '3.54', '354'],
        ...['11.37', '1137', '2.28', '228'],
        ...['5.82', '582'],
        ...['0.00', '0', '0.00', '0', '0.00', '0', '52.62', '5262'],
      ]);
      // The orders' own breakdowns, added up; and the report's.
      const own = orders.flatMap((order) => order.vat);
      for (const rate of [1000, 2000]) {
        const shares = own.filter((share: any) => share.rateBasisPoints === rate);
        const vat = shares.reduce((sum: number, share: any) => sum + Number(share.vatCents), 0);
        const net = shares.reduce((sum: number, share: any) => sum + Number(share.netCents), 0);
        expect(day?.[header?.indexOf(`vat${rate}Cents`) ?? -1]).toBe(String(vat));
        expect(day?.[header?.indexOf(`net${rate}Cents`) ?? -1]).toBe(String(net));
      }
      const json = await request(url('/admin/reports/sales?from=2025-05-02&to=2025-05-02'), {
        headers: bearer(world.admin.accessToken),
      });
      expect(json.body.vat).toEqual([
        { rateBasisPoints: 1000, netCents: 3543, vatCents: 354 },
        { rateBasisPoints: 2000, netCents: 1137, vatCents: 228 },
      ]);
    });

    it('takes the sales report’s range rules', async () => {
      const defaults = await download('/admin/reports/sales.csv');
      expect(defaults.status).toBe(200);
      expect(plainLines(defaults.text)).toHaveLength(8);
      // The default week never reaches before the first day there is.
      const early = await download('/admin/reports/sales.csv?to=0001-01-03');
      expect(early.status).toBe(200);
      expect(plainLines(early.text)).toHaveLength(4);
      for (const [query, field] of [
        ['?from=2026-02-30', 'from'],
        ['?from=2026-11-10&to=2026-11-01', 'to'],
        ['?from=2024-01-01&to=2026-01-01', 'to'],
        ['?from=0000-01-01&to=0000-01-02', 'from'],
        ['?format=xlsx', 'format'],
      ]) {
        const refused = await download(`/admin/reports/sales.csv${query}`);
        expectJsonRefusal(refused, 400, 'VALIDATION_FAILED');
        expect(JSON.stringify(refused.body.details)).toContain(field);
      }
    });
  });

  /** An error in the contract's JSON, and nothing of a CSV file. */
  function expectJsonRefusal(response: Download, status: number, code: string): void {
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.headers.get('content-disposition')).toBeNull();
    expectErrorBody({ ...response, text: response.text }, status, code);
  }

  describe('GET /api/admin/orders.csv', () => {
    /** The header of a file whose orders' lines have these VAT rates. */
    const headerFor = (rates: number[]): string =>
      [
        'number,id,createdAt,businessDay,status,customerName,customerEmail,tableNumber,items',
        'total,totalCents',
        ...rates.map((rate) => `net${rate},net${rate}Cents,vat${rate},vat${rate}Cents`),
        'vat,vatCents',
        'paymentStatus,paid,paidCents,tip,tipCents,refunded,refundedCents',
        'cancelReason,note',
      ].join(',');
    /** These files' items are all at 0 %. */
    const HEADER = headerFor([0]);
    /** The VAT and payment columns of an unpaid order of `cents` at 0 %. */
    const noVat = (cents: number): string =>
      `${(cents / 100).toFixed(2)},${cents},0.00,0,0.00,0,unpaid,0.00,0,0.00,0,0.00,0`;

    /** The columns before the customer's name, which every expected line starts with. */
    const lead = (order: any, status: string): string =>
      [order.number, order.id, order.createdAt, venueDate(new Date(order.createdAt)), status].join(
        ',',
      );

    it('writes a header and one line per order, quoting commas, quotes and line breaks', async () => {
      const user = await registerCustomer(world.app, { name: 'Smith, "Jo"' });
      const jo = await loginAs(world.app, {
        email: user.email,
        password: user.password,
        app: 'customer',
      });
      const orders = [];
      for (const body of [
        {
          items: [
            { menuItemId: beer.id, quantity: 2, note: 'no ice, please' },
            { menuItemId: nachos.id, quantity: 1 },
          ],
          tableNumber: 7,
          // A lone line feed: a field of its own, nothing else in it asks for quotes.
          note: 'two\nlines',
        },
        { items: [{ menuItemId: nachos.id, quantity: 1 }], note: 'He said "hi",\r\nthen left' },
      ]) {
        const placed = await placeOrder(world, jo, body);
        expect(placed.status).toBe(201);
        orders.push(placed.body);
      }

      const csv = await download(`/admin/orders.csv?customerId=${jo.user.id}`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(csv.headers.get('content-disposition')).toBe(
        `attachment; filename="orders-${venueDate(new Date())}.csv"`,
      );
      expect(csv.text).toBe(
        `\uFEFF${HEADER}\r\n` +
          `${lead(orders[0], 'pending')},"Smith, ""Jo""",${user.email},7,` +
          `"2× Pilsner (no ice, please); 1× Nachos",12.50,1250,${noVat(1250)},,"two\nlines"\r\n` +
          `${lead(orders[1], 'pending')},"Smith, ""Jo""",${user.email},,` +
          `1× Nachos,2.50,250,${noVat(250)},,"He said ""hi"",\r\nthen left"\r\n`,
      );
    });

    it('writes text that a spreadsheet would run as a formula with a leading quote', async () => {
      const user = await registerCustomer(world.app, { name: '=HYPERLINK("http://x.test","x")' });
      const mallory = await loginAs(world.app, {
        email: user.email,
        password: user.password,
        app: 'customer',
      });
      const notes = [
        '+1+2',
        '@SUM(1,2)',
        '\tTabbed',
        '\rCR first',
        '-2+3',
        "x;=cmd|' /C calc'!A0;",
        ' =1+1',
      ];
      const orders = [];
      for (const note of notes) {
        const placed = await placeOrder(world, mallory, {
          items: [{ menuItemId: beer.id, quantity: 1 }],
          note,
        });
        expect(placed.status).toBe(201);
        orders.push(placed.body);
      }
      const cancelled = await cancelOrder(world, world.bartender, orders[0].id, {
        reason: '-1+1',
      });
      expect(cancelled.status).toBe(200);

      const csv = await download(`/admin/orders.csv?customerId=${mallory.user.id}`);
      expect(csv.status).toBe(200);
      const rest = (cancelReason: string, note: string): string =>
        `"'=HYPERLINK(""http://x.test"",""x"")",${user.email},,1× Pilsner,5.00,500,${noVat(500)},${cancelReason},${note}`;
      expect(csv.text).toBe(
        `\uFEFF${HEADER}\r\n` +
          `${lead(orders[0], 'cancelled')},${rest("'-1+1", "'+1+2")}\r\n` +
          `${lead(orders[1], 'pending')},${rest('', `"'@SUM(1,2)"`)}\r\n` +
          `${lead(orders[2], 'pending')},${rest('', "'\tTabbed")}\r\n` +
          `${lead(orders[3], 'pending')},${rest('', `"'\rCR first"`)}\r\n` +
          `${lead(orders[4], 'pending')},${rest('', "'-2+3")}\r\n` +
          // Whole in a spreadsheet that splits on semicolons; a formula after blanks escaped too.
          `${lead(orders[5], 'pending')},${rest('', `"x;=cmd|' /C calc'!A0;"`)}\r\n` +
          `${lead(orders[6], 'pending')},${rest('', "' =1+1")}\r\n`,
      );
    });

    describe('filters', () => {
      let carol: SignedIn;
      let dave: SignedIn;
      const placed: Record<string, any> = {};

      beforeAll(async () => {
        carol = await signedInCustomer('Carol');
        dave = await signedInCustomer('Dave');
        const place = async (who: SignedIn, tableNumber: number) => {
          const response = await placeOrder(world, who, {
            items: [{ menuItemId: beer.id, quantity: 1 }],
            tableNumber,
          });
          return response.body;
        };
        placed.carolPending = await place(carol, 21);
        placed.carolAccepted = await advance(
          world,
          world.bartender,
          await place(carol, 21),
          'accepted',
        );
        placed.carolElsewhere = await place(carol, 22);
        placed.davePending = await place(dave, 21);
      });

      /** The ids of the lines of orders.csv with `query`, in file order. */
      async function exportedIds(query: string): Promise<string[]> {
        const csv = await download(`/admin/orders.csv?${query}`);
        expect(csv.status).toBe(200);
        const [header, ...lines] = plainLines(csv.text);
        expect(header?.join(',')).toBe(lines.length === 0 ? headerFor([]) : HEADER);
        return lines.map((line) => line[1] ?? '');
      }

      it('takes the order list’s filters, oldest first', async () => {
        expect(await exportedIds('tableNumber=21')).toEqual([
          placed.carolPending.id,
          placed.carolAccepted.id,
          placed.davePending.id,
        ]);
        expect(await exportedIds(`customerId=${carol.user.id}`)).toEqual([
          placed.carolPending.id,
          placed.carolAccepted.id,
          placed.carolElsewhere.id,
        ]);
        expect(await exportedIds(`customerId=${carol.user.id}&status=accepted`)).toEqual([
          placed.carolAccepted.id,
        ]);
        expect(await exportedIds('tableNumber=21&status=pending,accepted')).toEqual([
          placed.carolPending.id,
          placed.carolAccepted.id,
          placed.davePending.id,
        ]);
        expect(
          await exportedIds(
            `tableNumber=21&from=${encodeURIComponent(placed.carolAccepted.createdAt)}`,
          ),
        ).toEqual([placed.carolAccepted.id, placed.davePending.id]);
        expect(
          await exportedIds(
            `tableNumber=21&to=${encodeURIComponent(placed.carolAccepted.createdAt)}`,
          ),
        ).toEqual([placed.carolPending.id]);
        expect(
          await exportedIds(
            `tableNumber=21&updatedFrom=${encodeURIComponent(placed.carolAccepted.updatedAt)}`,
          ),
        ).toEqual([placed.carolAccepted.id, placed.davePending.id]);
        // A header and nothing else when nothing matches.
        expect(await exportedIds('tableNumber=999')).toEqual([]);
      });

      it.each([
        ['tableNumber=0', 'tableNumber'],
        ['tableNumber=abc', 'tableNumber'],
        ['customerId=nobody', 'customerId'],
        ['status=lost', 'status'],
        ['from=yesterday', 'from'],
        ['page=2', 'page'],
      ])('refuses %s with a JSON 400 naming %s, and no CSV', async (query, field) => {
        const refused = await download(`/admin/orders.csv?${query}`);
        expectJsonRefusal(refused, 400, 'VALIDATION_FAILED');
        expect(JSON.stringify(refused.body.details)).toContain(field);
      });
    });

    it('is for admins of the admin app only, both files', async () => {
      for (const path of ['/admin/orders.csv', '/admin/reports/sales.csv']) {
        expectJsonRefusal(await download(path, world.bartender.accessToken), 403, 'FORBIDDEN');
        expectJsonRefusal(await download(path, alice.accessToken), 403, 'FORBIDDEN');
        const atTheBar = await loginAs(world.app, {
          email: world.admin.user.email,
          password: STRONG_PASSWORD,
          app: 'bartender',
        });
        expectJsonRefusal(await download(path, atTheBar.accessToken), 403, 'FORBIDDEN');
        const anonymous = await fetch(url(path));
        expect(anonymous.status).toBe(401);
        expect(anonymous.headers.get('content-type')).toContain('application/json');
      }
    });
  });

  describe('a long export', () => {
    // Far more than the sockets between server and client buffer (a few MB): ~520 bytes a line.
    const ORDERS = 40_000;
    const BATCH = 1000;
    const TABLE = 900;
    let batchesRead: number;
    let restore: () => void;

    beforeAll(async () => {
      // Written in bulk: a long note and name make each line long; groups of three share a
      // created_at to the microsecond, so batches end inside a tie and between two orders a
      // millisecond cannot tell apart.
      await world.app.sql(
        `INSERT INTO orders (id, number, business_day, customer_id, customer_name, status,
                             total_cents, table_number, note, version, created_at, updated_at)
         SELECT gen_random_uuid(), g, '2024-06-01', $1, 'Bulk ' || repeat('b', 95), 'completed',
                500, $2, repeat('n', 280), 1,
                timestamptz '2024-06-01 10:00:00Z' + (g / 3) * interval '1 microsecond',
                timestamptz '2024-06-01 10:00:00Z'
           FROM generate_series(1, $3::int) AS g`,
        [alice.user.id, TABLE, ORDERS],
      );
      await world.app.sql(
        `INSERT INTO order_items (order_id, line_no, menu_item_id, name, unit_price_cents,
                                  quantity, stock_taken, station)
         SELECT o.id, 1, $1, 'Pilsner', 500, 1, 0, 'bar' FROM orders o WHERE o.table_number = $2`,
        [beer.id, TABLE],
      );
      // Counts the export's reads, in the app's own data source (every statement goes there).
      const dataSource = world.app.app.get(DataSource);
      const query = dataSource.query.bind(dataSource);
      batchesRead = 0;
      dataSource.query = ((sql: string, ...rest: unknown[]) => {
        if (sql.includes('/* orders.csv */')) batchesRead++;
        return (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
      }) as typeof dataSource.query;
      restore = () => {
        dataSource.query = query;
      };
    }, 120_000);
    afterAll(() => {
      restore();
    });

    /** Waits until no batch has been read for `quietMs`, and gives the count. */
    async function settledBatches(quietMs = 1000): Promise<number> {
      let seen = batchesRead;
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, quietMs));
        if (batchesRead === seen) return seen;
        seen = batchesRead;
      }
    }

    it('writes every order once, in (created_at, id) order, across batch boundaries', async () => {
      batchesRead = 0;
      const csv = await download(`/admin/orders.csv?tableNumber=${TABLE}`);
      expect(csv.status).toBe(200);
      const lines = csv.text.slice(1, -2).split('\r\n');
      expect(lines).toHaveLength(ORDERS + 1);
      const expected = await world.app.sql<{ id: string }>(
        'SELECT id FROM orders WHERE table_number = $1 ORDER BY created_at, id',
        [TABLE],
      );
      expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(
        expected.map((row) => row.id),
      );
      // 40 full batches, then the empty one that shows the end.
      expect(batchesRead).toBe(ORDERS / BATCH + 1);
    });

    it('reads no further than the client takes, and stops when the client goes away', async () => {
      batchesRead = 0;
      const controller = new AbortController();
      const response = await fetch(url(`/admin/orders.csv?tableNumber=${TABLE}`), {
        headers: bearer(world.admin.accessToken),
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const first = await reader.read();
      expect(first.done).toBe(false);

      // The client reads nothing more: the server fills the sockets' buffers, then waits.
      const whileStalled = await settledBatches();
      expect(whileStalled).toBeGreaterThan(0);
      expect(whileStalled).toBeLessThan(ORDERS / BATCH / 2);

      controller.abort();
      await reader.closed.catch(() => undefined);
      // At most the batch in flight when the client left.
      expect(await settledBatches()).toBeLessThanOrEqual(whileStalled + 1);
    });

    it('breaks off the response when a read fails midway: no cut file looks complete', async () => {
      const response = await fetch(url(`/admin/orders.csv?tableNumber=${TABLE}`), {
        headers: bearer(world.admin.accessToken),
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      await reader.read();
      // Stalled, the server waits to read its next batch; that read now fails.
      await settledBatches();
      await world.app.sql('ALTER TABLE orders RENAME TO orders_away');
      try {
        let received = 0;
        const readAll = async (): Promise<void> => {
          for (;;) {
            const chunk = await reader.read();
            if (chunk.done) return;
            received += (chunk.value as Uint8Array).length;
          }
        };
        await expect(readAll()).rejects.toThrow();
        expect(received).toBeGreaterThan(0);
      } finally {
        await world.app.sql('ALTER TABLE orders_away RENAME TO orders');
      }
    });

    it('answers HEAD with the headers alone, after one read', async () => {
      batchesRead = 0;
      const response = await fetch(url(`/admin/orders.csv?tableNumber=${TABLE}`), {
        method: 'HEAD',
        headers: bearer(world.admin.accessToken),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(await response.text()).toBe('');
      expect(await settledBatches(300)).toBe(1);
    });
  });
});
