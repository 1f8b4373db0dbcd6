import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DomainEvent } from '../../src/events/domain-event.js';
import { EventBus } from '../../src/events/event-bus.js';
import { type SignedIn, bearer } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type OrdersWorld,
  advance,
  createItem,
  customer,
  moveOrder,
  orderOf,
  placeOrder,
  startOrdersWorld,
} from './orders-support.js';

jest.setTimeout(60_000);

/**
 * The server's part of "the bar in a rush": recalling a served order within RECALL_WINDOW, the
 * board's lists (status lists, recently closed by when they closed), stations on items and order
 * lines, and the venue settings that colour ticket ages.
 */
describe('the bar in a rush', () => {
  let world: OrdersWorld;
  let alice: SignedIn;
  let beer: { id: string };
  let nachos: { id: string };

  beforeAll(async () => {
    world = await startOrdersWorld({ STATIONS: 'bar,kitchen,terrace', RECALL_WINDOW: '10m' });
    alice = await customer(world);
    beer = await createItem(world, { name: 'Rush Pils' });
    nachos = await createItem(world, { name: 'Rush Nachos', station: 'kitchen', stock: 50 });
  }, 60_000);
  afterAll(() => world.close());

  const url = (path: string): string => `${world.app.url}/api${path}`;

  async function completedOrder(): Promise<any> {
    const order = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
    return advance(world, world.bartender, order, 'completed');
  }

  /** Moves an order's completion `minutes` into the past, as if it was served then. */
  async function servedAgo(orderId: string, minutes: number): Promise<void> {
    await world.app.sql(
      `UPDATE order_history SET at = at - make_interval(mins => $2)
        WHERE order_id = $1 AND status = 'completed'`,
      [orderId, minutes],
    );
  }

  describe('recalling a served order', () => {
    it('takes a completed order back to ready within the window, in its history', async () => {
      const done = await completedOrder();
      await servedAgo(done.id, 9);
      const recalled = await moveOrder(world, world.bartender, done.id, {
        status: 'ready',
        version: done.version,
      });
      expect(recalled.status).toBe(200);
      expect(recalled.body.status).toBe('ready');
      expect(recalled.body.history.map((entry: any) => entry.status)).toEqual([
        'pending',
        'accepted',
        'preparing',
        'ready',
        'completed',
        'ready',
      ]);
      expect(recalled.body.history.at(-1).by).toMatchObject({
        id: world.bartender.user.id,
        role: 'bartender',
      });
      // Served again: completed once more, and the report counts it once.
      const again = await moveOrder(world, world.bartender, done.id, {
        status: 'completed',
        version: recalled.body.version,
      });
      expect(again.status).toBe(200);
      const [row] = await world.app.sql<{ n: string }>(
        `SELECT count(*) AS n FROM audit_events
          WHERE details->>'orderId' = $1 AND details->>'from' = 'completed'`,
        [done.id],
      );
      expect(Number(row?.n)).toBe(1);
    });

    it('refuses after the window with a message that says why, and changes nothing', async () => {
      const done = await completedOrder();
      await servedAgo(done.id, 12);
      const response = await moveOrder(world, world.bartender, done.id, {
        status: 'ready',
        version: done.version,
      });
      const body = expectErrorBody(response, 409, 'INVALID_TRANSITION');
      expect(body.message).toBe(
        'A served order can be recalled for 10 min after it was completed; this one was completed 12 min ago.',
      );
      expect(body.details).toMatchObject({ from: 'completed', to: 'ready', allowed: [] });
      const now = await request(url(`/orders/${done.id}`), { headers: bearer(alice.accessToken) });
      expect(now.body.status).toBe('completed');
      expect(now.body.version).toBe(done.version);
    });

    it('counts the window from the latest completion, not the first', async () => {
      const done = await completedOrder();
      await servedAgo(done.id, 30);
      const tooLate = await moveOrder(world, world.bartender, done.id, {
        status: 'ready',
        version: done.version,
      });
      expectErrorBody(tooLate, 409, 'INVALID_TRANSITION');
      // Recalled and served again just now (say an admin fixed it in the database): the latest
      // completion is what counts.
      await world.app.sql(
        `INSERT INTO order_history (order_id, seq, status, at, by_user_id, by_name, by_role)
         SELECT $1, max(seq) + 1, 'completed', now(), $2, 'Bar', 'bartender'
           FROM order_history WHERE order_id = $1`,
        [done.id, world.bartender.user.id],
      );
      const inTime = await moveOrder(world, world.bartender, done.id, {
        status: 'ready',
        version: done.version,
      });
      expect(inTime.status).toBe(200);
    });

    it('settles two bartenders recalling at once: one wins, the other gets the fresh order', async () => {
      const done = await completedOrder();
      const [first, second] = await Promise.all([
        moveOrder(world, world.bartender, done.id, { status: 'ready', version: done.version }),
        moveOrder(world, world.admin, done.id, { status: 'ready', version: done.version }),
      ]);
      const statuses = [first.status, second.status].sort();
      expect(statuses).toEqual([200, 409]);
      const loser = first.status === 409 ? first : second;
      const body = expectErrorBody(loser, 409, 'VERSION_CONFLICT');
      expect((body.details as any).current).toMatchObject({ id: done.id, status: 'ready' });
    });

    it('is for staff only: a customer cannot recall, and no one recalls a cancelled order', async () => {
      const done = await completedOrder();
      expectErrorBody(
        await moveOrder(world, alice, done.id, { status: 'ready', version: done.version }),
        403,
        'FORBIDDEN',
      );
      const order = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
      const cancelled = await request(url(`/orders/${order.id}/cancel`), {
        method: 'POST',
        headers: bearer(alice.accessToken),
        json: {},
      });
      expectErrorBody(
        await moveOrder(world, world.bartender, order.id, {
          status: 'ready',
          version: cancelled.body.version,
        }),
        409,
        'INVALID_TRANSITION',
      );
    });

    it('tells the customer: the recall is an order.updated like any move', async () => {
      const done = await completedOrder();
      const seen: DomainEvent[] = [];
      const unsubscribe = world.app.app.get(EventBus).subscribe((event) => seen.push(event));
      try {
        const recalled = await moveOrder(world, world.bartender, done.id, {
          status: 'ready',
          version: done.version,
        });
        expect(seen).toContainEqual(
          expect.objectContaining({
            type: 'order.updated',
            order: recalled.body,
            customerId: alice.user.id,
          }),
        );
      } finally {
        unsubscribe();
      }
    });
  });

  describe("the board's lists", () => {
    it('lists recently closed orders by when they closed, newest first', async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      const first = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
      const second = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
      const open = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
      // The older order closes last: by closing time it comes first.
      await advance(world, world.bartender, second, 'completed');
      const cancelled = await request(url(`/orders/${first.id}/cancel`), {
        method: 'POST',
        headers: bearer(world.bartender.accessToken),
        json: { reason: 'Customer left' },
      });
      expect(cancelled.status).toBe(200);
      const response = await request(
        url(`/orders?status=completed,cancelled&updatedFrom=${since}&sort=updatedAt&limit=100`),
        { headers: bearer(world.bartender.accessToken) },
      );
      expect(response.status).toBe(200);
      const ids = response.body.items.map((item: any) => item.id);
      expect(ids.slice(0, 2)).toEqual([first.id, second.id]);
      expect(ids).not.toContain(open.id);
      for (const item of response.body.items) {
        expect(['completed', 'cancelled']).toContain(item.status);
        expect(Date.parse(item.updatedAt)).toBeGreaterThanOrEqual(Date.parse(since));
      }
      const byCreation = await request(
        url(`/orders?status=completed,cancelled&updatedFrom=${since}&limit=100`),
        { headers: bearer(world.bartender.accessToken) },
      );
      const created = byCreation.body.items.map((item: any) => item.id);
      expect(created.indexOf(second.id)).toBeLessThan(created.indexOf(first.id));
    });

    it('leaves out orders that closed before updatedFrom', async () => {
      const order = await orderOf(world, alice, [{ menuItemId: beer.id, quantity: 1 }]);
      await advance(world, world.bartender, order, 'completed');
      await world.app.sql(
        `UPDATE orders SET updated_at = now() - interval '3 hours' WHERE id = $1`,
        [order.id],
      );
      const since = new Date(Date.now() - 2 * 3600_000).toISOString();
      const response = await request(
        url(`/orders?status=completed&updatedFrom=${since}&sort=updatedAt&limit=100`),
        { headers: bearer(world.bartender.accessToken) },
      );
      expect(response.body.items.map((item: any) => item.id)).not.toContain(order.id);
    });

    it('rejects an unknown sort, a malformed updatedFrom and an unknown status', async () => {
      const queries = [
        'sort=price',
        'updatedFrom=yesterday',
        'status=completed,served',
        // ISO 8601, but not a date-time a database reads: week, ordinal and basic forms.
        'updatedFrom=2026-W49',
        'updatedFrom=2026-340',
        'updatedFrom=20261206',
        'from=2026-12-06T10',
        'to=2026-W49-1',
      ];
      for (const query of queries) {
        const response = await request(url(`/orders?${query}`), {
          headers: bearer(world.bartender.accessToken),
        });
        expectErrorBody(response, 400, 'VALIDATION_FAILED');
      }
    });
  });

  describe('stations', () => {
    it('puts new items at the first station unless told, and shows it on the menu', async () => {
      const plain = await createItem(world, { name: 'Station Default' });
      expect(plain.station).toBe('bar');
      const menu = await request(url('/menu'));
      const listed = menu.body.find((item: any) => item.id === nachos.id);
      expect(listed.station).toBe('kitchen');
    });

    it('accepts a station whatever its case, and refuses one the venue does not have', async () => {
      const terrace = await createItem(world, { name: 'Terrace Spritz', station: ' Terrace ' });
      expect(terrace.station).toBe('terrace');
      for (const station of ['cellar', '', 42]) {
        const response = await request(url('/admin/menu-items'), {
          method: 'POST',
          headers: bearer(world.admin.accessToken),
          json: { name: `Bad ${String(station)}`, category: 'Test', priceCents: 100, station },
        });
        const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
        expect(JSON.stringify(body.details)).toContain('station');
      }
      const patch = await request(url(`/admin/menu-items/${beer.id}`), {
        method: 'PATCH',
        headers: bearer(world.admin.accessToken),
        json: { station: 'cellar' },
      });
      expect(expectErrorBody(patch, 400, 'VALIDATION_FAILED').message).toBe(
        'station must be one of: bar, kitchen, terrace',
      );
      const [row] = await world.app.sql<{ station: string }>(
        'SELECT station FROM menu_items WHERE id = $1',
        [beer.id],
      );
      expect(row?.station).toBe('bar');
    });

    it("routes each order line to its item's station, and keeps it when the item moves", async () => {
      const item = await createItem(world, { name: 'Moving Burger', station: 'kitchen' });
      const response = await placeOrder(world, alice, {
        items: [
          { menuItemId: beer.id, quantity: 2 },
          { menuItemId: item.id, quantity: 1 },
        ],
      });
      expect(response.status).toBe(201);
      expect(response.body.items.map((line: any) => [line.name, line.station])).toEqual([
        ['Rush Pils', 'bar'],
        ['Moving Burger', 'kitchen'],
      ]);
      const moved = await request(url(`/admin/menu-items/${item.id}`), {
        method: 'PATCH',
        headers: bearer(world.admin.accessToken),
        json: { station: 'terrace' },
      });
      expect(moved.body.station).toBe('terrace');
      const later = await request(url(`/orders/${response.body.id}`), {
        headers: bearer(world.bartender.accessToken),
      });
      expect(later.body.items.map((line: any) => line.station)).toEqual(['bar', 'kitchen']);
      const audit = await world.app.sql<{ details: any }>(
        `SELECT details FROM audit_events
          WHERE type = 'menu_item_updated' AND details->>'menuItemId' = $1`,
        [item.id],
      );
      expect(audit.map((entry) => entry.details)).toContainEqual(
        expect.objectContaining({
          before: expect.objectContaining({ station: 'kitchen' }),
          after: expect.objectContaining({ station: 'terrace' }),
        }),
      );
    });
  });

  describe('venue settings', () => {
    it('tells anyone the stations, the recall window and the ticket age colours', async () => {
      const response = await request(url('/venue'));
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        stations: ['bar', 'kitchen', 'terrace'],
        recallWindowSeconds: 600,
        serviceMode: 'counter',
        ticketAmberAfterSeconds: 300,
        ticketRedAfterSeconds: 480,
      });
    });

    it('lets an admin set the colours, announces venue.updated, and audits it', async () => {
      const seen: DomainEvent[] = [];
      const unsubscribe = world.app.app.get(EventBus).subscribe((event) => seen.push(event));
      try {
        const response = await request(url('/admin/venue'), {
          method: 'PATCH',
          headers: bearer(world.admin.accessToken),
          json: { ticketAmberAfterSeconds: 240, ticketRedAfterSeconds: 600 },
        });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({
          ticketAmberAfterSeconds: 240,
          ticketRedAfterSeconds: 600,
        });
        expect(seen.map((event) => event.type)).toContain('venue.updated');
      } finally {
        unsubscribe();
      }
      expect((await request(url('/venue'))).body.ticketRedAfterSeconds).toBe(600);
      const [entry] = await world.app.sql<{ user_id: string; details: any }>(
        `SELECT user_id, details FROM audit_events WHERE type = 'venue_settings_changed'
          ORDER BY at DESC LIMIT 1`,
      );
      expect(entry?.user_id).toBe(world.admin.user.id);
      expect(entry?.details).toMatchObject({
        before: { ticketAmberAfterSeconds: 300, ticketRedAfterSeconds: 480 },
        after: { ticketAmberAfterSeconds: 240, ticketRedAfterSeconds: 600 },
      });
    });

    it('keeps amber before red whichever half is sent, and changes nothing otherwise', async () => {
      const before = (await request(url('/venue'))).body;
      const cases: [Record<string, unknown>, string][] = [
        [{ ticketAmberAfterSeconds: before.ticketRedAfterSeconds }, 'ticketAmberAfterSeconds'],
        [{ ticketRedAfterSeconds: before.ticketAmberAfterSeconds - 60 }, 'ticketRedAfterSeconds'],
        [{ ticketAmberAfterSeconds: 30 }, 'ticketAmberAfterSeconds'],
        [{ ticketRedAfterSeconds: 'soon' }, 'ticketRedAfterSeconds'],
        [{ ticketAmberAfterSeconds: null }, 'ticketAmberAfterSeconds'],
        [{ ticketRedAfterSeconds: null }, 'ticketRedAfterSeconds'],
        [{ stations: ['bar'] }, 'stations'],
      ];
      for (const [json, field] of cases) {
        const response = await request(url('/admin/venue'), {
          method: 'PATCH',
          headers: bearer(world.admin.accessToken),
          json,
        });
        const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
        expect((body.details as any[]).map((detail) => detail.field)).toContain(field);
      }
      expect((await request(url('/venue'))).body).toEqual(before);
    });

    it('is the admin console’s to change: not a bartender’s, not anonymous', async () => {
      expectErrorBody(
        await request(url('/admin/venue'), {
          method: 'PATCH',
          headers: bearer(world.bartender.accessToken),
          json: { ticketAmberAfterSeconds: 120 },
        }),
        403,
        'FORBIDDEN',
      );
      expectErrorBody(
        await request(url('/admin/venue'), {
          method: 'PATCH',
          json: { ticketAmberAfterSeconds: 120 },
        }),
        401,
        'TOKEN_INVALID',
      );
    });
  });
});
