import { randomUUID } from 'node:crypto';
import { type SignedIn, bearer, signInNew } from '../support/auth.js';
import { type JsonResponse, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';
import type { TestDatabase } from '../support/test-database.js';

/** Shared set-up of the menu and orders e2e files: one app and database per file. */
export interface OrdersWorld {
  db: TestDatabase;
  app: TestApp;
  admin: SignedIn;
  bartender: SignedIn;
  close(): Promise<void>;
}

export async function startOrdersWorld(env: Record<string, string> = {}): Promise<OrdersWorld> {
  const app = await startAppOnNewDatabase({
    env: { RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_ANON_PER_MINUTE: '0', ...env },
  });
  const [admin, bartender] = await Promise.all([
    signInNew(app, 'admin'),
    signInNew(app, 'bartender'),
  ]);
  return {
    db: app.database,
    app,
    admin,
    bartender,
    close: () => app.close(),
  };
}

export function customer(world: OrdersWorld): Promise<SignedIn> {
  return signInNew(world.app, 'customer');
}

export interface MenuItem {
  id: string;
  name: string;
  priceCents: number;
  stock: number | null;
  available: boolean;
  [key: string]: unknown;
}

let itemCounter = 0;

export async function createItem(
  world: OrdersWorld,
  fields: Record<string, unknown> = {},
): Promise<MenuItem> {
  itemCounter += 1;
  const response = await request<MenuItem>(`${world.app.url}/api/admin/menu-items`, {
    method: 'POST',
    headers: bearer(world.admin.accessToken),
    json: { name: `Item ${itemCounter}`, category: 'Test', priceCents: 500, ...fields },
  });
  if (response.status !== 201) throw new Error(`create item: ${response.status} ${response.text}`);
  return response.body;
}

export function placeOrder(
  world: OrdersWorld,
  who: SignedIn,
  body: unknown,
  key: string | null = randomUUID(),
): Promise<JsonResponse> {
  return request(`${world.app.url}/api/orders`, {
    method: 'POST',
    headers: { ...bearer(who.accessToken), ...(key === null ? {} : { 'idempotency-key': key }) },
    json: body,
  });
}

/** Places an order that must succeed, and returns it. */
export async function orderOf(
  world: OrdersWorld,
  who: SignedIn,
  lines: { menuItemId: string; quantity: number }[],
): Promise<any> {
  const response = await placeOrder(world, who, { items: lines });
  if (response.status !== 201) throw new Error(`order: ${response.status} ${response.text}`);
  return response.body;
}

export function moveOrder(
  world: OrdersWorld,
  who: SignedIn,
  id: string,
  body: { status: string; version: number; reason?: string },
): Promise<JsonResponse> {
  return request(`${world.app.url}/api/orders/${id}/status`, {
    method: 'PATCH',
    headers: bearer(who.accessToken),
    json: body,
  });
}

/** Walks an order forward to `target` as `who`, and returns the order. */
export async function advance(
  world: OrdersWorld,
  who: SignedIn,
  order: any,
  target: 'accepted' | 'preparing' | 'ready' | 'completed',
): Promise<any> {
  const path = ['accepted', 'preparing', 'ready', 'completed'];
  let current = order;
  for (const status of path.slice(path.indexOf(order.status) + 1, path.indexOf(target) + 1)) {
    const response = await moveOrder(world, who, current.id, { status, version: current.version });
    if (response.status !== 200) throw new Error(`move: ${response.status} ${response.text}`);
    current = response.body;
  }
  return current;
}

export function cancelOrder(
  world: OrdersWorld,
  who: SignedIn,
  id: string,
  body: { reason?: string } = {},
): Promise<JsonResponse> {
  return request(`${world.app.url}/api/orders/${id}/cancel`, {
    method: 'POST',
    headers: bearer(who.accessToken),
    json: body,
  });
}

export async function stockOf(world: OrdersWorld, id: string): Promise<number | null> {
  const [row] = await world.app.sql<{ stock: number | null }>(
    'SELECT stock FROM menu_items WHERE id = $1',
    [id],
  );
  if (!row) throw new Error(`no menu item ${id}`);
  return row.stock;
}

export async function countRows(world: OrdersWorld, table: string): Promise<number> {
  const [row] = await world.app.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(row?.n);
}
