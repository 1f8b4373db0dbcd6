import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer } from '../support/auth.js';
import { type JsonResponse, request } from '../support/http.js';
import {
  type MenuItem,
  type OrdersWorld,
  cancelOrder,
  createItem,
  customer,
  orderOf,
  startOrdersWorld,
} from './orders-support.js';

/**
 * `GET /api/menu` from memory: an ETag that says whether anything changed, and a menu that is
 * never older than the last `menu.updated`, whatever changed it.
 */
describe('the public menu from memory', () => {
  let world: OrdersWorld;

  beforeAll(async () => {
    world = await startOrdersWorld();
  }, 60_000);
  afterAll(() => world.close());

  const menu = (headers: Record<string, string> = {}): Promise<JsonResponse<MenuItem[]>> =>
    request<MenuItem[]>(`${world.app.url}/api/menu`, { headers });
  const itemOn = (response: JsonResponse<MenuItem[]>, id: string): MenuItem | undefined =>
    response.body.find((item) => item.id === id);

  describe('ETag and If-None-Match', () => {
    it('answers 304 without a body to the ETag it gave, in either spelling, and 200 to others', async () => {
      await createItem(world);
      const first = await menu();
      const etag = first.headers.get('etag');
      expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
      expect(first.headers.get('content-type')).toMatch(/^application\/json/);
      expect((await menu()).headers.get('etag')).toBe(etag);

      for (const header of [etag!, `W/${etag!}`, `"other", ${etag!}`, '*']) {
        const again = await menu({ 'if-none-match': header });
        expect([header, again.status, again.text]).toEqual([header, 304, '']);
        expect(again.headers.get('etag')).toBe(etag);
      }
      const other = await menu({ 'if-none-match': '"something-else"' });
      expect(other.status).toBe(200);
      expect(other.body).toEqual(first.body);
    });

    it('stays no-store, as every API answer, so only a client that asks revalidates', async () => {
      const response = await menu();
      expect(response.headers.get('cache-control')).toBe('no-store');
    });

    it('gives another ETag once the menu changed, and the new menu to the old ETag', async () => {
      const item = await createItem(world, { priceCents: 400 });
      const before = await menu();
      const etag = before.headers.get('etag')!;
      const patched = await request(`${world.app.url}/api/admin/menu-items/${item.id}`, {
        method: 'PATCH',
        headers: bearer(world.admin.accessToken),
        json: { priceCents: 450 },
      });
      expect(patched.status).toBe(200);
      const after = await menu({ 'if-none-match': etag });
      expect(after.status).toBe(200);
      expect(after.headers.get('etag')).not.toBe(etag);
      expect(itemOn(after, item.id)?.priceCents).toBe(450);
    });
  });

  describe('never older than the last menu.updated', () => {
    it('shows stock an order took, and gave back on cancel, in the very next answer', async () => {
      const item = await createItem(world, { stock: 10 });
      expect(itemOn(await menu(), item.id)?.stock).toBe(10);
      const buyer = await customer(world);
      const order = await orderOf(world, buyer, [{ menuItemId: item.id, quantity: 3 }]);
      expect(itemOn(await menu(), item.id)?.stock).toBe(7);
      expect((await cancelOrder(world, buyer, order.id)).status).toBe(200);
      expect(itemOn(await menu(), item.id)?.stock).toBe(10);
    });

    it('shows an item 86ed from the bar, and an archived one gone, in the very next answer', async () => {
      const item = await createItem(world);
      const eightySixed = await request(`${world.app.url}/api/menu/${item.id}/availability`, {
        method: 'PATCH',
        headers: bearer(world.bartender.accessToken),
        json: { available: false },
      });
      expect(eightySixed.status).toBe(200);
      expect(itemOn(await menu(), item.id)?.available).toBe(false);
      const archived = await request(`${world.app.url}/api/admin/menu-items/${item.id}`, {
        method: 'DELETE',
        headers: bearer(world.admin.accessToken),
      });
      expect(archived.status).toBe(204);
      expect(itemOn(await menu(), item.id)).toBeUndefined();
    });

    it('is served from memory: a write that emits no event is not seen until one arrives', async () => {
      const item = await createItem(world, { priceCents: 300 });
      const other = await createItem(world);
      expect(itemOn(await menu(), item.id)?.priceCents).toBe(300);
      // Behind the application's back: no menu.updated, so the snapshot rightly knows nothing.
      await world.app.sql('UPDATE menu_items SET price_cents = 333 WHERE id = $1', [item.id]);
      expect(itemOn(await menu(), item.id)?.priceCents).toBe(300);
      // Any change that emits menu.updated drops the snapshot; the next answer reads afresh.
      await request(`${world.app.url}/api/menu/${other.id}/availability`, {
        method: 'PATCH',
        headers: bearer(world.bartender.accessToken),
        json: { available: false },
      });
      expect(itemOn(await menu(), item.id)?.priceCents).toBe(333);
    });

    it('after a burst of orders and menu reads together, shows the stock that is left', async () => {
      const item = await createItem(world, { stock: 40 });
      const buyers = await Promise.all(Array.from({ length: 4 }, () => customer(world)));
      const reads: Promise<unknown>[] = [];
      const orders = buyers.flatMap((buyer) =>
        Array.from({ length: 5 }, () => {
          reads.push(menu());
          return orderOf(world, buyer, [{ menuItemId: item.id, quantity: 2 }]);
        }),
      );
      await Promise.all([...orders, ...reads]);
      expect(itemOn(await menu(), item.id)?.stock).toBe(0);
    });
  });
});
