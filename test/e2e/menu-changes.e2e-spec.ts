import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer } from '../support/auth.js';
import { type JsonResponse, request } from '../support/http.js';
import {
  type OrdersWorld,
  cancelOrder,
  createItem,
  customer,
  orderOf,
  startOrdersWorld,
  stockOf,
} from './orders-support.js';

/**
 * Menu changes as a unit: each commits with its audit entries and its `menu.updated` event, or
 * not at all; and stock comes back from a cancelled order exactly as the order took it.
 */
describe('menu changes: audited, logged with their event, and stock returned exactly', () => {
  let world: OrdersWorld;

  beforeAll(async () => {
    world = await startOrdersWorld();
  }, 60_000);
  afterAll(() => world.close());

  const admin = (): Record<string, string> => bearer(world.admin.accessToken);
  const patchItem = (id: string, json: unknown): Promise<JsonResponse> =>
    request(`${world.app.url}/api/admin/menu-items/${id}`, {
      method: 'PATCH',
      headers: admin(),
      json,
    });
  const auditOf = (menuItemId: string) =>
    world.app.sql<{ type: string; user_id: string; details: Record<string, unknown> }>(
      `SELECT type, user_id, details FROM audit_events WHERE details->>'menuItemId' = $1
       ORDER BY seq`,
      [menuItemId],
    );

  describe('cancelling returns to stock exactly what the order took', () => {
    it('gives nothing back for an item that was unlimited when ordered, though counted now', async () => {
      const item = await createItem(world, { stock: null });
      const buyer = await customer(world);
      const order = await orderOf(world, buyer, [{ menuItemId: item.id, quantity: 3 }]);
      expect((await patchItem(item.id, { stock: 10 })).status).toBe(200);
      expect((await cancelOrder(world, buyer, order.id)).status).toBe(200);
      expect(await stockOf(world, item.id)).toBe(10);
    });

    it('gives back what was taken, across lines, whatever the stock did meanwhile', async () => {
      const item = await createItem(world, { stock: 5 });
      const buyer = await customer(world);
      const order = await orderOf(world, buyer, [
        { menuItemId: item.id, quantity: 2 },
        { menuItemId: item.id, quantity: 1 },
      ]);
      expect(await stockOf(world, item.id)).toBe(2);
      expect((await patchItem(item.id, { stockDelta: 4 })).status).toBe(200);
      expect((await cancelOrder(world, buyer, order.id)).status).toBe(200);
      expect(await stockOf(world, item.id)).toBe(9);
      const lines = await world.app.sql<{ stock_taken: number }>(
        'SELECT stock_taken FROM order_items WHERE order_id = $1 ORDER BY line_no',
        [order.id],
      );
      expect(lines.map((line) => line.stock_taken)).toEqual([2, 1]);
    });

    it('leaves an item that became unlimited unlimited', async () => {
      const item = await createItem(world, { stock: 4 });
      const buyer = await customer(world);
      const order = await orderOf(world, buyer, [{ menuItemId: item.id, quantity: 1 }]);
      expect((await patchItem(item.id, { stock: null })).status).toBe(200);
      expect((await cancelOrder(world, buyer, order.id)).status).toBe(200);
      expect(await stockOf(world, item.id)).toBeNull();
    });
  });

  describe('audit', () => {
    it('records creation, each kind of change with before and after, 86 and archiving', async () => {
      const created = await createItem(world, { name: 'Audit Pils', priceCents: 500, stock: 3 });
      expect((await patchItem(created.id, { priceCents: 550, name: 'Audit Pilsner' })).status).toBe(
        200,
      );
      expect((await patchItem(created.id, { stockDelta: 7 })).status).toBe(200);
      expect((await patchItem(created.id, { priceCents: 550 })).status).toBe(200);
      const eightySixed = await request(`${world.app.url}/api/menu/${created.id}/availability`, {
        method: 'PATCH',
        headers: bearer(world.bartender.accessToken),
        json: { available: false },
      });
      expect(eightySixed.status).toBe(200);
      const archived = await request(`${world.app.url}/api/admin/menu-items/${created.id}`, {
        method: 'DELETE',
        headers: admin(),
      });
      expect(archived.status).toBe(204);
      // Archiving again changes nothing, and records nothing.
      await request(`${world.app.url}/api/admin/menu-items/${created.id}`, {
        method: 'DELETE',
        headers: admin(),
      });

      const entries = await auditOf(created.id);
      const adminId = world.admin.user.id;
      const barId = world.bartender.user.id;
      expect(entries.map((entry) => [entry.type, entry.user_id])).toEqual([
        ['menu_item_created', adminId],
        ['menu_item_updated', adminId],
        ['stock_changed', adminId],
        ['menu_availability_changed', barId],
        ['menu_item_archived', adminId],
      ]);
      expect(entries[1]?.details).toMatchObject({
        name: 'Audit Pilsner',
        fields: ['name', 'priceCents'],
        before: { name: 'Audit Pils', priceCents: 500 },
        after: { name: 'Audit Pilsner', priceCents: 550 },
      });
      expect(entries[2]?.details).toMatchObject({ from: 3, to: 10, delta: 7 });
      expect(entries[3]?.details).toMatchObject({ from: true, to: false });
    });
  });

  describe('a change and its menu.updated event commit together', () => {
    /** Makes every event log insert fail, as a crash between two statements would. */
    async function withEventLogBroken(work: () => Promise<void>): Promise<void> {
      await world.app.sql('ALTER TABLE event_log RENAME TO event_log_unavailable');
      try {
        await work();
      } finally {
        await world.app.sql('ALTER TABLE event_log_unavailable RENAME TO event_log');
      }
    }

    it('rolls back a create, an edit, an 86 and an archive whose event cannot be logged', async () => {
      const item = await createItem(world, { name: 'Steady Stout', stock: 5 });
      const itemsBefore = await world.app.sql('SELECT * FROM menu_items ORDER BY id');
      const auditBefore = await world.app.sql('SELECT id FROM audit_events');
      await withEventLogBroken(async () => {
        const answers = [
          await request(`${world.app.url}/api/admin/menu-items`, {
            method: 'POST',
            headers: admin(),
            json: { name: 'Ghost Ale', category: 'Test', priceCents: 400 },
          }),
          await patchItem(item.id, { name: 'Renamed Stout', stockDelta: 2 }),
          await request(`${world.app.url}/api/menu/${item.id}/availability`, {
            method: 'PATCH',
            headers: bearer(world.bartender.accessToken),
            json: { available: false },
          }),
          await request(`${world.app.url}/api/admin/menu-items/${item.id}`, {
            method: 'DELETE',
            headers: admin(),
          }),
        ];
        for (const answer of answers) expect(answer.status).toBe(500);
      });
      expect(await world.app.sql('SELECT * FROM menu_items ORDER BY id')).toEqual(itemsBefore);
      expect(await world.app.sql('SELECT id FROM audit_events')).toEqual(auditBefore);
    });
  });
});
