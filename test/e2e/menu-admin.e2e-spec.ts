import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { type SignedIn, bearer, loginAs } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import {
  type OrdersWorld,
  cancelOrder,
  createItem,
  customer,
  placeOrder,
  startOrdersWorld,
  stockOf,
} from './orders-support.js';

// Real HTTP, a real database and concurrent requests: slow machines need more than 5 s.
jest.setTimeout(60_000);

describe('menu', () => {
  let world: OrdersWorld;
  let guest: SignedIn;
  let events: string[];

  beforeAll(async () => {
    world = await startOrdersWorld();
    guest = await customer(world);
    const { EventBus } = await import('../../src/events/event-bus.js');
    events = [];
    world.app.app.get(EventBus).subscribe((event) => events.push(event.type));
  }, 60_000);
  afterAll(() => world.close());

  const url = (path: string): string => `${world.app.url}/api${path}`;

  it('lets an admin add an item with defaults and lists it publicly', async () => {
    const response = await request(url('/admin/menu-items'), {
      method: 'POST',
      headers: bearer(world.admin.accessToken),
      json: {
        name: '  Pilsner ',
        category: 'Beer',
        priceCents: 500,
        allergens: ['Gluten'],
      },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name: 'Pilsner',
      description: '',
      category: 'Beer',
      priceCents: 500,
      available: true,
      stock: null,
      allergens: ['gluten'],
      archived: false,
    });
    const menu = await request(url('/menu'));
    expect(menu.status).toBe(200);
    expect(menu.body).toContainEqual(
      expect.objectContaining({ id: response.body.id, name: 'Pilsner' }),
    );
  });

  it('publishes menu.updated on every change', async () => {
    const before = events.filter((type) => type === 'menu.updated').length;
    const item = await createItem(world);
    await request(url(`/menu/${item.id}/availability`), {
      method: 'PATCH',
      headers: bearer(world.bartender.accessToken),
      json: { available: false },
    });
    expect(events.filter((type) => type === 'menu.updated').length).toBe(before + 2);
  });

  it('lets a bartender take an item off and back, and not a customer', async () => {
    const item = await createItem(world);
    const off = await request(url(`/menu/${item.id}/availability`), {
      method: 'PATCH',
      headers: bearer(world.bartender.accessToken),
      json: { available: false },
    });
    expect(off.status).toBe(200);
    expect(off.body.available).toBe(false);
    const denied = await request(url(`/menu/${item.id}/availability`), {
      method: 'PATCH',
      headers: bearer(guest.accessToken),
      json: { available: true },
    });
    expectErrorBody(denied, 403, 'FORBIDDEN');
    const anonymous = await request(url(`/menu/${item.id}/availability`), {
      method: 'PATCH',
      json: { available: true },
    });
    expectErrorBody(anonymous, 401, 'TOKEN_INVALID');
  });

  it('keeps the admin routes to admins of the admin app', async () => {
    const bartenderTry = await request(url('/admin/menu-items'), {
      method: 'POST',
      headers: bearer(world.bartender.accessToken),
      json: { name: 'X', category: 'Y', priceCents: 1 },
    });
    expectErrorBody(bartenderTry, 403, 'FORBIDDEN');
    const adminAtTheBar = await loginAs(world.app, {
      email: world.admin.user.email,
      password: 'correct-horse-battery-staple-42',
      app: 'bartender',
    });
    const viaBarApp = await request(url('/admin/menu-items'), {
      method: 'POST',
      headers: bearer(adminAtTheBar.accessToken),
      json: { name: 'X', category: 'Y', priceCents: 1 },
    });
    expectErrorBody(viaBarApp, 403, 'FORBIDDEN');
  });

  it('changes any field and sets or clears stock', async () => {
    const item = await createItem(world, { stock: 5 });
    const response = await request(url(`/admin/menu-items/${item.id}`), {
      method: 'PATCH',
      headers: bearer(world.admin.accessToken),
      json: { name: 'Renamed', priceCents: 725, description: 'New', sortOrder: 3, stock: null },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      name: 'Renamed',
      priceCents: 725,
      description: 'New',
      sortOrder: 3,
      stock: null,
    });
  });

  it('restocks with a delta that adds to what is left', async () => {
    const item = await createItem(world, { stock: 5 });
    await world.app.sql('UPDATE menu_items SET stock = stock - 3 WHERE id = $1', [item.id]);
    const response = await request(url(`/admin/menu-items/${item.id}`), {
      method: 'PATCH',
      headers: bearer(world.admin.accessToken),
      json: { stockDelta: 10 },
    });
    expect(response.status).toBe(200);
    expect(response.body.stock).toBe(12);
    expect(await stockOf(world, item.id)).toBe(12);
  });

  it('applies concurrent restocks without losing any', async () => {
    const item = await createItem(world, { stock: 0 });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        request(url(`/admin/menu-items/${item.id}`), {
          method: 'PATCH',
          headers: bearer(world.admin.accessToken),
          json: { stockDelta: 3 },
        }),
      ),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(200));
    expect(await stockOf(world, item.id)).toBe(30);
  });

  it('refuses a delta that would take stock past its maximum, however often it is sent', async () => {
    const item = await createItem(world, { stock: 999_990 });
    const patch = (stockDelta: number) =>
      request(url(`/admin/menu-items/${item.id}`), {
        method: 'PATCH',
        headers: bearer(world.admin.accessToken),
        json: { stockDelta },
      });
    expect((await patch(10)).status).toBe(200);
    // At the maximum (1,000,000); each of these would pass it, the last overflowing an integer.
    for (const delta of [1, 1_000_000, 1_000_000, 1_000_000]) {
      const body = expectErrorBody(await patch(delta), 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(body.details)).toContain('stockDelta');
    }
    expect(await stockOf(world, item.id)).toBe(1_000_000);
    // Null is no number to add.
    expectErrorBody(await patch(null as unknown as number), 400, 'VALIDATION_FAILED');
  });

  it('lets stock that cancellations returned above the maximum come down again', async () => {
    const item = await createItem(world, { stock: 999_999 });
    const buyer = await customer(world);
    const order = await placeOrder(world, buyer, {
      items: [{ menuItemId: item.id, quantity: 5 }],
    });
    expect(order.status).toBe(201);
    const patch = (stockDelta: number) =>
      request(url(`/admin/menu-items/${item.id}`), {
        method: 'PATCH',
        headers: bearer(world.admin.accessToken),
        json: { stockDelta },
      });
    expect((await patch(6)).status).toBe(200);
    const cancelled = await cancelOrder(world, buyer, order.body.id);
    expect(cancelled.status).toBe(200);
    // Cancelling returns exactly what the order took, even past the maximum.
    expect(await stockOf(world, item.id)).toBe(1_000_005);
    expect((await patch(-1)).status).toBe(200);
    expectErrorBody(await patch(1), 400, 'VALIDATION_FAILED');
    expect(await stockOf(world, item.id)).toBe(1_000_004);
  });

  it('refuses a delta below zero, on unlimited stock, or together with stock', async () => {
    const limited = await createItem(world, { stock: 2 });
    const unlimited = await createItem(world);
    const cases: [string, Record<string, unknown>][] = [
      [limited.id, { stockDelta: -3 }],
      [unlimited.id, { stockDelta: 5 }],
      [limited.id, { stockDelta: 1, stock: 4 }],
      [limited.id, { name: null }],
      [limited.id, { priceCents: -1 }],
      [limited.id, { stockDelta: 1.5 }],
      [limited.id, { archived: true }],
    ];
    for (const [id, json] of cases) {
      const response = await request(url(`/admin/menu-items/${id}`), {
        method: 'PATCH',
        headers: bearer(world.admin.accessToken),
        json,
      });
      const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect(Array.isArray(body.details)).toBe(true);
    }
    expect(await stockOf(world, limited.id)).toBe(2);
    const [row] = await world.app.sql<{ name: string }>(
      'SELECT name FROM menu_items WHERE id = $1',
      [limited.id],
    );
    expect(row?.name).toBe(limited.name);
  });

  it.each([
    [{ category: 'Beer', priceCents: 500 }, 'name'],
    [{ name: 'A', category: 'Beer', priceCents: 1.5 }, 'priceCents'],
    [{ name: 'A', category: 'Beer', priceCents: 100, stock: -1 }, 'stock'],
    [{ name: 'x'.repeat(81), category: 'Beer', priceCents: 100 }, 'name'],
    [{ name: 'A', category: 'Beer', priceCents: 100, allergens: 'nuts' }, 'allergens'],
    [{ name: 'A', category: 'Beer', priceCents: 100, id: 'mine' }, 'id'],
  ])('refuses a bad new item %p, naming %p, and writes nothing', async (json, field) => {
    const before = (
      await request(url('/admin/menu-items'), { headers: bearer(world.admin.accessToken) })
    ).body.length;
    const response = await request(url('/admin/menu-items'), {
      method: 'POST',
      headers: bearer(world.admin.accessToken),
      json,
    });
    const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(body.details)).toContain(field);
    const after = (
      await request(url('/admin/menu-items'), { headers: bearer(world.admin.accessToken) })
    ).body.length;
    expect(after).toBe(before);
  });

  it('archives an item: gone from the menu, 204 again on repeat, 404 for changes', async () => {
    const item = await createItem(world);
    const first = await request(url(`/admin/menu-items/${item.id}`), {
      method: 'DELETE',
      headers: bearer(world.admin.accessToken),
    });
    expect(first.status).toBe(204);
    const again = await request(url(`/admin/menu-items/${item.id}`), {
      method: 'DELETE',
      headers: bearer(world.admin.accessToken),
    });
    expect(again.status).toBe(204);
    const menu = await request(url('/menu'));
    expect(menu.body.map((entry: { id: string }) => entry.id)).not.toContain(item.id);
    const all = await request(url('/admin/menu-items'), {
      headers: bearer(world.admin.accessToken),
    });
    expect(all.body).toContainEqual(expect.objectContaining({ id: item.id, archived: true }));
    const patch = await request(url(`/admin/menu-items/${item.id}`), {
      method: 'PATCH',
      headers: bearer(world.admin.accessToken),
      json: { priceCents: 1 },
    });
    expectErrorBody(patch, 404, 'NOT_FOUND');
  });

  it('restores an archived item as it was (the undo of an archive), audited and announced', async () => {
    const item = await createItem(world);
    await request(url(`/admin/menu-items/${item.id}`), {
      method: 'DELETE',
      headers: bearer(world.admin.accessToken),
    });
    events.length = 0;
    const restore = () =>
      request(url(`/admin/menu-items/${item.id}/restore`), {
        method: 'POST',
        headers: bearer(world.admin.accessToken),
      });
    const restored = await restore();
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ id: item.id, archived: false, name: item.name });
    expect(events).toContain('menu.updated');
    const menu = await request(url('/menu'));
    expect(menu.body.map((entry: { id: string }) => entry.id)).toContain(item.id);
    // Again: nothing changes, and nothing more is audited.
    expect((await restore()).status).toBe(200);
    const audit = await request(url('/admin/audit?type=menu_item_updated&limit=100'), {
      headers: bearer(world.admin.accessToken),
    });
    const entries = (
      audit.body as { items: { summary: string; details: Record<string, unknown> }[] }
    ).items.filter((entry) => entry.details.menuItemId === item.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.summary).toMatch(/brought .* back from the archive$/);
    expect(entries[0]?.details).toMatchObject({
      before: { archived: true },
      after: { archived: false },
    });
    const unknown = await request(
      url('/admin/menu-items/6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b/restore'),
      { method: 'POST', headers: bearer(world.admin.accessToken) },
    );
    expectErrorBody(unknown, 404, 'NOT_FOUND');
    const byBartender = await request(url(`/admin/menu-items/${item.id}/restore`), {
      method: 'POST',
      headers: bearer(world.bartender.accessToken),
    });
    expect(byBartender.status).toBe(403);
  });

  it('answers unknown and malformed ids with 404', async () => {
    for (const id of ['6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b', 'not-a-uuid']) {
      const response = await request(url(`/menu/${id}/availability`), {
        method: 'PATCH',
        headers: bearer(world.bartender.accessToken),
        json: { available: true },
      });
      expectErrorBody(response, 404, 'NOT_FOUND');
      const deleted = await request(url(`/admin/menu-items/${id}`), {
        method: 'DELETE',
        headers: bearer(world.admin.accessToken),
      });
      expectErrorBody(deleted, 404, 'NOT_FOUND');
    }
  });

  it('shows the public menu fields only for items that are not archived, in order', async () => {
    const menu = await request(url('/menu'));
    for (const entry of menu.body) {
      expect(Object.keys(entry).sort()).toEqual(
        [
          'allergens',
          'archived',
          'available',
          'category',
          'description',
          'id',
          'name',
          'optionGroups',
          'priceCents',
          'sortOrder',
          'station',
          'stock',
          'vatRateBasisPoints',
        ].sort(),
      );
      expect(entry.archived).toBe(false);
    }
  });
});
