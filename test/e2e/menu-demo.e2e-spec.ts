import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { EventOutbox } from '../../src/events/event-outbox.js';
import { MenuService } from '../../src/menu/menu.service.js';
import { request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

// Real HTTP, a real database and concurrent requests: slow machines need more than 5 s.
jest.setTimeout(60_000);

describe('demo menu and API description', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({ env: { SEED_DEMO: 'true' } });
  }, 60_000);
  afterAll(() => app.close());

  it('seeds a demo menu of drinks and snacks with stock and allergens', async () => {
    const menu = await request(`${app.url}/api/menu`);
    expect(menu.status).toBe(200);
    expect(menu.body.length).toBeGreaterThanOrEqual(12);
    const categories = new Set(menu.body.map((item: any) => item.category));
    expect(categories.size).toBeGreaterThanOrEqual(3);
    expect(categories.size).toBeLessThanOrEqual(4);
    expect(menu.body.some((item: any) => item.stock !== null && item.stock > 0)).toBe(true);
    expect(menu.body.some((item: any) => item.stock === null)).toBe(true);
    expect(menu.body.some((item: any) => item.allergens.length > 0)).toBe(true);
    const orderOfCategories = menu.body.map((item: any) => `${item.category}|${item.sortOrder}`);
    expect(orderOfCategories).toEqual(
      [...orderOfCategories].sort((a: string, b: string) => {
        const [ca, sa] = a.split('|');
        const [cb, sb] = b.split('|');
        return ca === cb ? Number(sa) - Number(sb) : ca! < cb! ? -1 : 1;
      }),
    );
  });

  it('seeds it once: running the seed again adds nothing, even for an archived demo item', async () => {
    const [first] = await app.sql<{ id: string }>(
      'SELECT id FROM menu_items ORDER BY name LIMIT 1',
    );
    await app.sql('UPDATE menu_items SET archived = true WHERE id = $1', [first!.id]);
    const before = await app.sql<{ n: string }>('SELECT count(*) AS n FROM menu_items');
    const created = await app.app
      .get(EventOutbox)
      .transaction((tx) => app.app.get(MenuService).ensureDemoMenu(tx));
    expect(created).toBe(0);
    const after = await app.sql<{ n: string }>('SELECT count(*) AS n FROM menu_items');
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('describes the menu, order and report routes in the OpenAPI document', async () => {
    const docs = await request(`${app.url}/api/docs-json`);
    expect(docs.status).toBe(200);
    const paths = docs.body.paths;
    for (const path of [
      '/api/menu',
      '/api/menu/{id}/availability',
      '/api/admin/menu-items',
      '/api/admin/menu-items/{id}',
      '/api/orders',
      '/api/orders/{id}',
      '/api/orders/{id}/status',
      '/api/orders/{id}/cancel',
      '/api/admin/reports/sales',
    ]) {
      expect(Object.keys(paths)).toContain(path);
    }
    const create = paths['/api/orders'].post;
    expect(create.parameters).toContainEqual(
      expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true }),
    );
    expect(Object.keys(create.responses)).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '422', '503']),
    );
    expect(create.security).toBeDefined();
    // What any operation can answer is listed on each: 400 and 503, and 413/415 with a body.
    const list = paths['/api/orders'].get;
    expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['400', '503']));
    expect(Object.keys(list.responses)).not.toContain('415');
    expect(list.parameters).toContainEqual(
      expect.objectContaining({
        name: 'page',
        schema: expect.objectContaining({ type: 'integer' }),
      }),
    );
    const item = docs.body.components.schemas.CreateMenuItemDto.properties;
    expect(item.allergens.items.pattern).toBe('^[a-z0-9][a-z0-9 -]{0,29}$');
    expect(docs.body.components.schemas.OrderView.properties).toHaveProperty('history');
  });
});
