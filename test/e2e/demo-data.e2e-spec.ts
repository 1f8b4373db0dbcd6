import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DEMO_ACCOUNTS } from '../../src/demo/demo-accounts.js';
import { DemoSeedService } from '../../src/demo/demo-seed.service.js';
import { DEMO_MENU } from '../../src/menu/demo-menu.js';
import { ORDER_STATUSES } from '../../src/orders/order-state-machine.js';
import { type SignedIn, bearer, loginAs, signInNew } from '../support/auth.js';
import { request } from '../support/http.js';
import { runCommandLine } from '../support/server-process.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

// Real HTTP, a real database, dozens of orders placed through the services, CLI processes.
jest.setTimeout(180_000);

interface Order {
  id: string;
  number: number;
  status: string;
  createdAt: string;
  updatedAt: string;
  tableNumber: number | null;
  customer: { id: string; name: string };
  items: { menuItemId: string; quantity: number }[];
  history: { status: string; at: string }[];
}

function demoAccount(role: string) {
  const account = DEMO_ACCOUNTS.find((candidate) => candidate.role === role);
  if (!account) throw new Error(`no demo ${role}`);
  return account;
}

function signInDemo(app: TestApp, role: 'admin' | 'bartender' | 'customer'): Promise<SignedIn> {
  const account = demoAccount(role);
  return loginAs(app, { email: account.email, password: account.password, app: role });
}

async function allOrders(app: TestApp, staff: SignedIn): Promise<Order[]> {
  const page = await request<{ items: Order[]; total: number }>(`${app.url}/api/orders?limit=100`, {
    headers: bearer(staff.accessToken),
  });
  expect(page.status).toBe(200);
  expect(page.body.total).toBe(page.body.items.length);
  return page.body.items;
}

function runReset(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return runCommandLine('dist/src/demo/demo-reset.cli.js', args, {
    NODE_ENV: 'development',
    ...env,
  });
}

describe('a busy evening (DEMO_BUSY_EVENING)', () => {
  let app: TestApp;
  let bartender: SignedIn;
  let orders: Order[];
  const startedAt = Date.now();

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { SEED_DEMO: 'true', DEMO_BUSY_EVENING: 'true' },
    });
    bartender = await signInDemo(app, 'bartender');
    orders = await allOrders(app, bartender);
  });
  afterAll(() => app.close());

  it('has a few dozen orders in every state, of every age, from several customers', () => {
    expect(orders.length).toBeGreaterThanOrEqual(30);
    for (const status of ORDER_STATUSES) {
      expect(orders.filter((order) => order.status === status).length).toBeGreaterThanOrEqual(3);
    }
    const ageMinutes = (order: Order) => (startedAt - Date.parse(order.createdAt)) / 60_000;
    const open = orders.filter((order) =>
      ['pending', 'accepted', 'preparing', 'ready'].includes(order.status),
    );
    // Fresh tickets and tickets past the board's amber (5 min) and red (8 min) thresholds.
    expect(open.some((order) => ageMinutes(order) < 2)).toBe(true);
    expect(open.some((order) => ageMinutes(order) > 5 && ageMinutes(order) < 8)).toBe(true);
    expect(open.some((order) => ageMinutes(order) > 8)).toBe(true);
    expect(new Set(orders.map((order) => order.customer.id)).size).toBeGreaterThanOrEqual(4);
    expect(orders.some((order) => order.tableNumber === null)).toBe(true);
    expect(orders.some((order) => order.tableNumber !== null)).toBe(true);
  });

  it('reads as it happened: numbers rise with time, each step after the last, none in the future', () => {
    const byTime = [...orders].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    const numbers = byTime.map((order) => order.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    for (const order of orders) {
      const times = order.history.map((step) => Date.parse(step.at));
      expect(times[0]).toBe(Date.parse(order.createdAt));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(Date.parse(order.updatedAt)).toBe(times.at(-1));
      expect(times.at(-1)).toBeLessThanOrEqual(Date.now());
      expect(order.history.at(-1)?.status).toBe(order.status);
    }
  });

  it('took its stock through the order service: what is left is what was seeded minus what is held', async () => {
    const menu = await request<{ id: string; name: string; stock: number | null }[]>(
      `${app.url}/api/menu`,
    );
    let checked = 0;
    for (const item of menu.body) {
      const seeded = DEMO_MENU.find((demo) => demo.name === item.name)?.stock;
      if (seeded === undefined || seeded === null) continue;
      const held = orders
        .filter((order) => order.status !== 'cancelled')
        .flatMap((order) => order.items)
        .filter((line) => line.menuItemId === item.id)
        .reduce((sum, line) => sum + line.quantity, 0);
      expect(item.stock).toBe(seeded - held);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('is not seeded again while orders are open (a restart adds nothing)', async () => {
    await app.app.get(DemoSeedService).onApplicationBootstrap();
    expect((await allOrders(app, bartender)).length).toBe(orders.length);
  });
});

describe('resetting the demo data', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({ env: { SEED_DEMO: 'true' } });
  });
  afterAll(() => app.close());

  it('restores the demo accounts and menu, ends their sessions, and leaves the rest alone', async () => {
    const admin = await signInDemo(app, 'admin');
    const customer = await signInDemo(app, 'customer');
    const otherAdmin = await signInNew(app, 'admin');
    const users = await request<{ items: { id: string; email: string }[] }>(
      `${app.url}/api/admin/users?limit=100`,
      { headers: bearer(otherAdmin.accessToken) },
    );
    const idOf = (email: string) => users.body.items.find((user) => user.email === email)?.id;
    // The demo evening's mischief: a renamed, deactivated customer, a bartender made customer,
    // a changed price, an archived item, and an item of the bar's own.
    const customerId = idOf(demoAccount('customer').email);
    const bartenderId = idOf(demoAccount('bartender').email);
    for (const [id, body] of [
      [customerId, { name: 'Renamed', active: false }],
      [bartenderId, { role: 'customer', password: 'a-brand-new-password-of-mine' }],
    ] as const) {
      const patched = await request(`${app.url}/api/admin/users/${id}`, {
        method: 'PATCH',
        headers: bearer(otherAdmin.accessToken),
        json: body,
      });
      expect(patched.status).toBe(200);
    }
    const menu = await request<{ id: string; name: string; priceCents: number }[]>(
      `${app.url}/api/menu`,
    );
    const [first, second] = menu.body;
    await request(`${app.url}/api/admin/menu-items/${first?.id}`, {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { priceCents: 1, stock: 0 },
    });
    await request(`${app.url}/api/admin/menu-items/${second?.id}`, {
      method: 'DELETE',
      headers: bearer(admin.accessToken),
    });
    const own = await request<{ id: string }>(`${app.url}/api/admin/menu-items`, {
      method: 'POST',
      headers: bearer(admin.accessToken),
      json: { name: 'House Special', category: 'Cocktails', priceCents: 1200 },
    });
    expect(own.status).toBe(201);

    const reset = await app.app.get(DemoSeedService).reset({ busyEvening: false });
    expect(reset).toEqual({
      accountsRestored: 3,
      accountsCreated: 0,
      menuItemsRestored: DEMO_MENU.length,
      menuItemsCreated: 0,
      busyEvening: undefined,
    });

    // Their published passwords work again, with their names and roles; old sessions are over.
    for (const role of ['admin', 'bartender', 'customer'] as const) {
      const signedIn = await signInDemo(app, role);
      expect(signedIn.user).toMatchObject({ role, name: demoAccount(role).name });
    }
    for (const old of [admin, customer]) {
      const meAgain = await request(`${app.url}/api/auth/me`, { headers: bearer(old.accessToken) });
      expect(meAgain.status).toBe(401);
    }
    // Another admin's session is not the demo's to end.
    const stillThere = await request(`${app.url}/api/auth/me`, {
      headers: bearer(otherAdmin.accessToken),
    });
    expect(stillThere.status).toBe(200);

    const after = await request<
      { id: string; name: string; priceCents: number; stock: number | null }[]
    >(`${app.url}/api/menu`);
    const seeded = (name: string | undefined) => DEMO_MENU.find((item) => item.name === name);
    const restored = after.body.find((item) => item.id === first?.id);
    expect(restored?.priceCents).toBe(seeded(first?.name)?.priceCents);
    expect(restored?.stock).toBe(seeded(first?.name)?.stock ?? null);
    expect(after.body.some((item) => item.id === second?.id)).toBe(true);
    expect(after.body.some((item) => item.id === own.body.id)).toBe(true);
    expect(after.body.length).toBe(DEMO_MENU.length + 1);
  });

  it('puts the seeded stock back less what open orders hold: cancelling them ends at the seed', async () => {
    const admin = await signInDemo(app, 'admin');
    const customer = await signInDemo(app, 'customer');
    const menu = await request<{ id: string; name: string; stock: number | null }[]>(
      `${app.url}/api/menu`,
    );
    const stocked = menu.body.find((item) => item.stock !== null && item.stock >= 2);
    const seeded = DEMO_MENU.find((item) => item.name === stocked?.name)?.stock;
    expect(stocked?.stock).toBe(seeded);
    const order = await request<{ id: string }>(`${app.url}/api/orders`, {
      method: 'POST',
      headers: { ...bearer(customer.accessToken), 'idempotency-key': 'held-by-an-open-order' },
      json: { items: [{ menuItemId: stocked?.id, quantity: 2 }] },
    });
    expect(order.status).toBe(201);
    await request(`${app.url}/api/admin/menu-items/${stocked?.id}`, {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { stock: 0 },
    });

    await app.app.get(DemoSeedService).reset({ busyEvening: false });
    const stockNow = async () =>
      (await request<{ id: string; stock: number | null }[]>(`${app.url}/api/menu`)).body.find(
        (item) => item.id === stocked?.id,
      )?.stock;
    expect(await stockNow()).toBe((seeded ?? 0) - 2);

    const staff = await signInDemo(app, 'bartender');
    const cancelled = await request(`${app.url}/api/orders/${order.body.id}/cancel`, {
      method: 'POST',
      headers: bearer(staff.accessToken),
      json: { reason: 'Reset test' },
    });
    expect(cancelled.status).toBe(200);
    expect(await stockNow()).toBe(seeded);
  });

  it('starts without a busy evening, and says why, when the demo bartender cannot work it', async () => {
    const admin = await signInDemo(app, 'admin');
    const users = await request<{ items: { id: string; email: string }[] }>(
      `${app.url}/api/admin/users?limit=100`,
      { headers: bearer(admin.accessToken) },
    );
    const bartenderId = users.body.items.find(
      (user) => user.email === demoAccount('bartender').email,
    )?.id;
    const deactivated = await request(`${app.url}/api/admin/users/${bartenderId}`, {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { active: false },
    });
    expect(deactivated.status).toBe(200);
    const before = await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM orders');

    // As a start with DEMO_BUSY_EVENING=true would run it (this app started without the flag).
    (app.config as { demoBusyEvening: boolean }).demoBusyEvening = true;
    try {
      await app.app.get(DemoSeedService).onApplicationBootstrap();
    } finally {
      (app.config as { demoBusyEvening: boolean }).demoBusyEvening = false;
    }
    expect(await app.sql('SELECT count(*)::int AS n FROM orders')).toEqual(before);
    const evening = await app.sql("SELECT 1 FROM users WHERE email LIKE '%@guests.taproom.local'");
    expect(evening).toEqual([]);
  });
});

describe('npm run demo:reset', () => {
  it('refuses in production and where there is no demo data, and says how it is used', async () => {
    const production = await runReset([], {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      JWT_SECRET: 'x'.repeat(32),
      REFRESH_TOKEN_KEY: 'y'.repeat(32),
    });
    expect(production).toEqual({
      code: 1,
      output: 'demo:reset: refusing to touch demo data in production\n',
    });
    const noDemo = await runReset([], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(noDemo.code).toBe(1);
    expect(noDemo.output).toBe(
      'demo:reset: this database has no demo data: use the embedded one, or SEED_DEMO=true\n',
    );
    const typo = await runReset(['--busy'], {});
    expect(typo.code).toBe(1);
    expect(typo.output).toMatch(/^demo:reset: unknown option --busy \(usage: /);
  });

  it('resets the embedded database, and adds a busy evening when asked', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taproom-demo-reset-'));
    const first = await runReset([], { DATA_DIR: dataDir });
    expect(first.output).toBe(
      [
        'Demo accounts restored: 3 (their sessions ended), created: 0',
        `Demo menu items restored: ${DEMO_MENU.length}, created: 0; other items, accounts and orders are as they were`,
        '',
      ].join('\n'),
    );
    expect(first.code).toBe(0);
    const busy = await runReset(['--busy-evening'], { DATA_DIR: dataDir });
    expect(busy.code).toBe(0);
    expect(busy.output).toMatch(/\nBusy evening: (3\d|4\d) orders placed\n$/);
    // Not a second evening on top of the first one's open orders.
    const again = await runReset(['--busy-evening'], { DATA_DIR: dataDir });
    expect(again.code).toBe(0);
    expect(again.output).toMatch(
      /\nBusy evening skipped: orders are open: complete or cancel them first\n$/,
    );
  });
});
