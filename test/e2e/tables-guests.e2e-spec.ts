import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import {
  STRONG_PASSWORD,
  type SignedIn,
  bearer,
  loginRequest,
  me,
  refreshCookieOf,
  refreshWith,
  registerCustomer,
  signInNew,
  uniqueEmail,
} from '../support/auth.js';
import { type JsonResponse, expectErrorBody, request } from '../support/http.js';
import { startAppOnNewDatabase } from '../support/test-app.js';
import {
  type MenuItem,
  type OrdersWorld,
  advance,
  cancelOrder,
  createItem,
  customer,
  placeOrder,
  startOrdersWorld,
} from './orders-support.js';

// Real HTTP, a real database and concurrent requests: slow machines need more than 5 s.
jest.setTimeout(90_000);

const PUBLIC_URL = 'https://bar.example.com/venue';

interface Table {
  id: string;
  number: number;
  label: string | null;
  qrUrl: string;
}

let nextNumber = 100;

describe('tables and guests', () => {
  let world: OrdersWorld;
  let beer: MenuItem;

  beforeAll(async () => {
    world = await startOrdersWorld({
      PUBLIC_URL: `${PUBLIC_URL}/`,
      // The burst of new guests has its own app below; here many guests sit down.
      RATE_LIMIT_GUEST_IP: '0',
    });
    beer = await createItem(world, { name: 'Table Lager', priceCents: 450 });
  }, 60_000);
  afterAll(() => world.close());

  const admin = (path: string, init: { method?: string; json?: unknown } = {}) =>
    request(`${world.app.url}/api/admin/tables${path}`, {
      ...init,
      headers: bearer(world.admin.accessToken),
    });

  async function newTable(label?: string): Promise<Table> {
    nextNumber += 1;
    const response = await admin('', { method: 'POST', json: { number: nextNumber, label } });
    if (response.status !== 201) throw new Error(`table: ${response.status} ${response.text}`);
    return response.body;
  }

  const tokenOf = (table: Table): string => table.qrUrl.split('/t/')[1] ?? '';

  function startGuest(tableToken: string, refreshTransport?: 'body' | 'cookie') {
    return request(`${world.app.url}/api/auth/guest`, {
      method: 'POST',
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari' },
      json: { tableToken, ...(refreshTransport ? { refreshTransport } : {}) },
    });
  }

  async function guestAt(table: Table): Promise<SignedIn> {
    const response = await startGuest(tokenOf(table), 'body');
    if (response.status !== 200) throw new Error(`guest: ${response.status} ${response.text}`);
    return { ...response.body, response };
  }

  const order = (who: SignedIn, body: Record<string, unknown> = {}, key?: string) =>
    placeOrder(world, who, { items: [{ menuItemId: beer.id, quantity: 1 }], ...body }, key);

  describe('admin routes', () => {
    it('creates, lists by number, labels, rotates and deletes tables, with their QR links', async () => {
      const created = await admin('', { method: 'POST', json: { number: 42, label: ' Window ' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ number: 42, label: 'Window' });
      expect(created.body.qrUrl).toMatch(/^https:\/\/bar\.example\.com\/venue\/t\/[\w-]{43}$/);
      const table: Table = created.body;

      await admin('', { method: 'POST', json: { number: 41 } });
      const listed = await admin('');
      expect(listed.status).toBe(200);
      const numbers = listed.body.map((row: Table) => row.number);
      expect(numbers).toEqual([...numbers].sort((a: number, b: number) => a - b));
      // The link can be shown again for a reprint: the same as when it was made.
      expect(listed.body.find((row: Table) => row.id === table.id)).toMatchObject({
        qrUrl: table.qrUrl,
        label: 'Window',
      });

      const relabelled = await admin(`/${table.id}`, { method: 'PATCH', json: { label: 'Bar' } });
      expect(relabelled.status).toBe(200);
      expect(relabelled.body).toMatchObject({ id: table.id, label: 'Bar', qrUrl: table.qrUrl });
      const unlabelled = await admin(`/${table.id}`, { method: 'PATCH', json: { label: null } });
      expect(unlabelled.body.label).toBeNull();

      const rotated = await admin(`/${table.id}/rotate`, { method: 'POST' });
      expect(rotated.status).toBe(200);
      expect(rotated.body.qrUrl).not.toBe(table.qrUrl);
      expect((await admin('')).body.find((row: Table) => row.id === table.id).qrUrl).toBe(
        rotated.body.qrUrl,
      );

      const deleted = await admin(`/${table.id}`, { method: 'DELETE' });
      expect(deleted.status).toBe(204);
      expect((await admin('')).body.some((row: Table) => row.id === table.id)).toBe(false);

      const audit = await request(`${world.app.url}/api/admin/audit?limit=100`, {
        headers: bearer(world.admin.accessToken),
      });
      const mine = audit.body.items.filter((entry: any) => entry.details.tableId === table.id);
      expect(mine.map((entry: any) => entry.type).sort()).toEqual(
        [
          'table_created',
          'table_deleted',
          'table_relabelled',
          'table_relabelled',
          'table_token_rotated',
        ].sort(),
      );
      expect(JSON.stringify(mine)).not.toContain(tokenOf(table));
    });

    it('refuses a number in use, bad numbers and labels, and unknown tables', async () => {
      const table = await newTable();
      const taken = await admin('', { method: 'POST', json: { number: table.number } });
      expectErrorBody(taken, 409, 'TABLE_NUMBER_TAKEN');
      for (const body of [
        { number: 0 },
        { number: 1000 },
        { number: 7.5 },
        { number: '7' },
        {},
        { number: 7, label: 'x'.repeat(101) },
        { number: 7, qrUrl: 'https://evil.example' },
      ]) {
        expectErrorBody(await admin('', { method: 'POST', json: body }), 400, 'VALIDATION_FAILED');
      }
      expectErrorBody(
        await admin(`/${table.id}`, { method: 'PATCH', json: {} }),
        400,
        'VALIDATION_FAILED',
      );
      const unknown = randomUUID();
      expectErrorBody(await admin(`/${unknown}/rotate`, { method: 'POST' }), 404, 'NOT_FOUND');
      expectErrorBody(await admin(`/${unknown}`, { method: 'DELETE' }), 404, 'NOT_FOUND');
      expectErrorBody(
        await admin('/not-an-id', { method: 'PATCH', json: { label: 'x' } }),
        404,
        'NOT_FOUND',
      );
      // Nothing changed: the table is still there, once.
      const listed = (await admin('')).body.filter((row: Table) => row.number === table.number);
      expect(listed).toHaveLength(1);
    });

    it('is for admins of the admin app only', async () => {
      const table = await newTable();
      const alice = await customer(world);
      const guest = await guestAt(table);
      for (const who of [alice, world.bartender, guest]) {
        const headers = bearer(who.accessToken);
        for (const [method, path] of [
          ['GET', ''],
          ['POST', ''],
          ['PATCH', `/${table.id}`],
          ['POST', `/${table.id}/rotate`],
          ['DELETE', `/${table.id}`],
        ] as const) {
          const response = await request(`${world.app.url}/api/admin/tables${path}`, {
            method,
            headers,
            json: method === 'GET' || method === 'DELETE' ? undefined : { number: 5, label: 'x' },
          });
          expectErrorBody(response, 403, 'FORBIDDEN');
        }
      }
      expect((await admin('')).body.some((row: Table) => row.id === table.id)).toBe(true);
    });
  });

  describe('sitting down as a guest', () => {
    it('starts a guest session of the customer app from a table token', async () => {
      const table = await newTable('Terrace');
      const response = await startGuest(tokenOf(table));
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        tokenType: 'Bearer',
        user: { role: 'guest', email: null, tableNumber: table.number },
        session: { app: 'customer' },
      });
      expect(response.body.refreshToken).toBeUndefined();
      const cookie = refreshCookieOf(response, 'customer');
      expect(cookie).toBeDefined();
      const who = await me(world.app, response.body.accessToken);
      expect(who.body.user).toEqual(response.body.user);

      const refreshed = await request(`${world.app.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: cookie ?? '' },
        json: { app: 'customer' },
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.user.role).toBe('guest');

      const described = await request(`${world.app.url}/api/tables/${tokenOf(table)}`);
      expect(described.status).toBe(200);
      expect(described.body).toEqual({ number: table.number, label: 'Terrace' });
    });

    it('answers TABLE_UNKNOWN for unknown, rotated and deleted tables', async () => {
      for (const token of ['nope', 'A'.repeat(43), `${'A'.repeat(42)}!`]) {
        expectErrorBody(await startGuest(token), 404, 'TABLE_UNKNOWN');
        expectErrorBody(
          await request(`${world.app.url}/api/tables/${encodeURIComponent(token)}`),
          404,
          'TABLE_UNKNOWN',
        );
      }
      const rotatedTable = await newTable();
      const rotated = await admin(`/${rotatedTable.id}/rotate`, { method: 'POST' });
      expectErrorBody(await startGuest(tokenOf(rotatedTable)), 404, 'TABLE_UNKNOWN');
      expectErrorBody(
        await request(`${world.app.url}/api/tables/${tokenOf(rotatedTable)}`),
        404,
        'TABLE_UNKNOWN',
      );
      expect((await startGuest(tokenOf(rotated.body))).status).toBe(200);

      const deletedTable = await newTable();
      const seated = await guestAt(deletedTable);
      await admin(`/${deletedTable.id}`, { method: 'DELETE' });
      expectErrorBody(await startGuest(tokenOf(deletedTable)), 404, 'TABLE_UNKNOWN');
      // Guests already seated keep their session and their table.
      expect((await me(world.app, seated.accessToken)).body.user.tableNumber).toBe(
        deletedTable.number,
      );
    });

    it('gives guests no email and no password, so /api/auth/login never signs one in', async () => {
      const table = await newTable();
      const guest = await guestAt(table);
      const [row] = await world.app.sql<{ email: string | null; password_hash: string | null }>(
        'SELECT email, password_hash FROM users WHERE id = $1',
        [guest.user.id],
      );
      expect(row).toEqual({ email: null, password_hash: null });
      for (const email of [guest.user.name, '', 'null']) {
        const response = await loginRequest(world.app, {
          email,
          password: STRONG_PASSWORD,
          app: 'customer',
        });
        expect(response.status === 401 || response.status === 400).toBe(true);
      }
      // The database itself refuses a guest with a password, or a customer without one.
      await expect(
        world.app.sql(`UPDATE users SET password_hash = 'x' WHERE id = $1`, [guest.user.id]),
      ).rejects.toThrow(/ck_users_guest/);
    });

    it('keeps guests to the customer app, away from staff routes and password changes', async () => {
      const table = await newTable();
      const guest = await guestAt(table);
      const placed = await order(guest);
      expect(placed.status).toBe(201);
      const headers = bearer(guest.accessToken);
      const move = await request(`${world.app.url}/api/orders/${placed.body.id}/status`, {
        method: 'PATCH',
        headers,
        json: { status: 'accepted', version: 1 },
      });
      expectErrorBody(move, 403, 'FORBIDDEN');
      for (const path of ['/api/admin/users', '/api/admin/sessions', '/api/admin/audit']) {
        expectErrorBody(await request(`${world.app.url}${path}`, { headers }), 403, 'FORBIDDEN');
      }
      const change = await request(`${world.app.url}/api/auth/change-password`, {
        method: 'POST',
        headers,
        json: { currentPassword: 'x', newPassword: STRONG_PASSWORD },
      });
      expectErrorBody(change, 403, 'FORBIDDEN');
      const refreshBartender = await request(`${world.app.url}/api/auth/refresh`, {
        method: 'POST',
        json: { app: 'bartender', refreshToken: guest.refreshToken },
      });
      expect(refreshBartender.status).toBe(401);
    });

    it('lets admins rename a guest but not give it a role or a password, nor create one', async () => {
      const guest = await guestAt(await newTable());
      const users = (path: string, method: string, json: unknown) =>
        request(`${world.app.url}/api/admin/users${path}`, {
          method,
          headers: bearer(world.admin.accessToken),
          json,
        });
      for (const body of [{ role: 'customer' }, { password: STRONG_PASSWORD }, { role: 'guest' }]) {
        expectErrorBody(await users(`/${guest.user.id}`, 'PATCH', body), 400, 'VALIDATION_FAILED');
      }
      const renamed = await users(`/${guest.user.id}`, 'PATCH', { name: 'Window guest' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ role: 'guest', email: null, name: 'Window guest' });
      expect((await me(world.app, guest.accessToken)).status).toBe(200);
      const created = await users('', 'POST', {
        email: uniqueEmail(),
        name: 'G',
        role: 'guest',
        password: STRONG_PASSWORD,
      });
      expectErrorBody(created, 400, 'VALIDATION_FAILED');
    });

    it('shows the guest policy on the session: idle 2 h, absolute 12 h; admins filter by role', async () => {
      const table = await newTable();
      const guest = await guestAt(table);
      const own = await request(`${world.app.url}/api/sessions`, {
        headers: bearer(guest.accessToken),
      });
      expect(own.status).toBe(200);
      const [session] = own.body;
      const ms = (at: string) => new Date(at).getTime();
      expect(ms(session.expiresAt) - ms(session.createdAt)).toBe(12 * 3600_000);
      const idle = ms(session.idleExpiresAt) - ms(session.lastActiveAt);
      expect(idle).toBeGreaterThanOrEqual(2 * 3600_000 - 1000);
      expect(idle).toBeLessThanOrEqual(2 * 3600_000);

      const listed = await request(`${world.app.url}/api/admin/sessions?role=guest&limit=100`, {
        headers: bearer(world.admin.accessToken),
      });
      expect(listed.status).toBe(200);
      const item = listed.body.items.find((row: any) => row.id === guest.session.id);
      expect(item.user).toEqual({
        id: guest.user.id,
        email: null,
        name: `Guest at table ${String(table.number)}`,
        role: 'guest',
      });
      expect(listed.body.items.every((row: any) => row.user.role === 'guest')).toBe(true);
    });
  });

  describe('guest orders', () => {
    it('are always for the guest’s table', async () => {
      const table = await newTable();
      const guest = await guestAt(table);
      const placed = await order(guest);
      expect(placed.status).toBe(201);
      expect(placed.body.tableNumber).toBe(table.number);
      expect(placed.body.history[0].by).toMatchObject({ id: guest.user.id, role: 'guest' });
      const stored = await request(`${world.app.url}/api/orders/${placed.body.id}`, {
        headers: bearer(world.bartender.accessToken),
      });
      expect(stored.body.history[0].by.role).toBe('guest');
      expect((await order(guest, { tableNumber: table.number })).status).toBe(201);
      const elsewhere = await order(guest, { tableNumber: table.number + 1 });
      const error = expectErrorBody(elsewhere, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(error.details)).toContain('tableNumber');
    });

    it(`stop at GUEST_MAX_OPEN_ORDERS unfinished orders, and go on once one is done`, async () => {
      const guest = await guestAt(await newTable());
      const keys = [randomUUID(), randomUUID(), randomUUID()];
      const placed = [];
      for (const key of keys) {
        const response = await order(guest, {}, key);
        expect(response.status).toBe(201);
        placed.push(response.body);
      }
      const fourth = await order(guest);
      const error = expectErrorBody(fourth, 409, 'GUEST_LIMIT');
      expect(error.details).toEqual({ max: 3, unfinished: 3 });
      // A retry of one of the three is answered with it, not refused.
      const retry = await order(guest, {}, keys[0]);
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body.id).toBe(placed[0].id);

      await advance(world, world.bartender, placed[1], 'completed');
      expect((await order(guest)).status).toBe(201);
      expectErrorBody(await order(guest), 409, 'GUEST_LIMIT');
      expect((await cancelOrder(world, guest, placed[2].id)).status).toBe(200);
      expect((await order(guest)).status).toBe(201);
    });

    it('hold the cap under concurrent requests: 6 at once with a cap of 3 make 3', async () => {
      const guest = await guestAt(await newTable());
      const responses = await Promise.all(Array.from({ length: 6 }, () => order(guest)));
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, 201, 201, 409, 409, 409]);
      for (const refused of responses.filter((response) => response.status === 409)) {
        expectErrorBody(refused, 409, 'GUEST_LIMIT');
      }
      const [row] = await world.app.sql<{ n: number }>(
        'SELECT count(*)::int AS n FROM orders WHERE customer_id = $1',
        [guest.user.id],
      );
      expect(row?.n).toBe(3);
    });

    it('are seen and cancelled by their guest only', async () => {
      const table = await newTable();
      const [guest, other] = [await guestAt(table), await guestAt(table)];
      const alice = await customer(world);
      const mine = (await order(guest)).body;
      const alices = (await order(alice)).body;
      for (const [who, id] of [
        [guest, alices.id],
        [other, mine.id],
        [alice, mine.id],
      ] as const) {
        expectErrorBody(
          await request(`${world.app.url}/api/orders/${id}`, { headers: bearer(who.accessToken) }),
          404,
          'NOT_FOUND',
        );
        expectErrorBody(await cancelOrder(world, who, id), 404, 'NOT_FOUND');
      }
      const listed = await request(`${world.app.url}/api/orders?limit=100`, {
        headers: bearer(guest.accessToken),
      });
      expect(listed.body.items.map((item: any) => item.id)).toEqual([mine.id]);
      expect(listed.body.total).toBe(1);
    });
  });

  describe('upgrading a guest', () => {
    function upgrade(who: SignedIn, body: Record<string, unknown>): Promise<JsonResponse> {
      return request(`${world.app.url}/api/auth/guest/upgrade`, {
        method: 'POST',
        headers: bearer(who.accessToken),
        json: body,
      });
    }

    it('makes the guest a customer in place, keeping its orders and its session', async () => {
      const table = await newTable();
      const guest = await guestAt(table);
      const placed = (await order(guest)).body;
      const email = uniqueEmail('upgraded');
      const response = await upgrade(guest, { email, password: STRONG_PASSWORD, name: 'Robin' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        tokenType: 'Bearer',
        user: { id: guest.user.id, email, name: 'Robin', role: 'customer', tableNumber: null },
        session: { id: guest.session.id, app: 'customer', expiresAt: guest.session.expiresAt },
      });
      expect(response.body.refreshToken).toBeUndefined();
      const customerToken: string = response.body.accessToken;

      expect((await me(world.app, customerToken)).body.user.role).toBe('customer');
      const sessions = await request(`${world.app.url}/api/sessions`, {
        headers: bearer(customerToken),
      });
      expect(sessions.body.map((session: any) => session.id)).toEqual([guest.session.id]);
      const orders = await request(`${world.app.url}/api/orders`, {
        headers: bearer(customerToken),
      });
      expect(orders.body.items.map((item: any) => item.id)).toEqual([placed.id]);

      // The refresh token is the one the guest had; it now refreshes a customer session.
      const refreshed = await refreshWith(world.app, 'customer', guest.refreshToken ?? '');
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.user).toMatchObject({ id: guest.user.id, role: 'customer' });
      expect(refreshed.body.session.id).toBe(guest.session.id);

      // A customer now: no cap, any table, and a password that signs in.
      for (let index = 0; index < 4; index += 1) {
        expect((await order(refreshed.body, { tableNumber: 3 })).status).toBe(201);
      }
      const login = await loginRequest(world.app, {
        email,
        password: STRONG_PASSWORD,
        app: 'customer',
      });
      expect(login.status).toBe(200);
      expect(login.body.user.id).toBe(guest.user.id);

      // The guest's old access token no longer upgrades anything.
      expectErrorBody(
        await upgrade(guest, { email: uniqueEmail(), password: STRONG_PASSWORD, name: 'X' }),
        403,
        'FORBIDDEN',
      );
      const audit = await request(
        `${world.app.url}/api/admin/audit?type=user_created&userId=${guest.user.id}`,
        { headers: bearer(world.admin.accessToken) },
      );
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0].details).toMatchObject({ upgradedFromGuest: true, email });
    });

    it('refuses an email in use, a weak password and non-guests, and the guest stays a guest', async () => {
      const guest = await guestAt(await newTable());
      const taken = await registerCustomer(world.app);
      expectErrorBody(
        await upgrade(guest, {
          email: taken.email.toUpperCase(),
          password: STRONG_PASSWORD,
          name: 'Robin',
        }),
        409,
        'EMAIL_TAKEN',
      );
      expectErrorBody(
        await upgrade(guest, { email: uniqueEmail(), password: 'password123', name: 'Robin' }),
        400,
        'VALIDATION_FAILED',
      );
      expectErrorBody(
        await upgrade(guest, { email: uniqueEmail(), password: STRONG_PASSWORD }),
        400,
        'VALIDATION_FAILED',
      );
      const still = await me(world.app, guest.accessToken);
      expect(still.body.user).toMatchObject({ role: 'guest', email: null });
      const refreshed = await refreshWith(world.app, 'customer', guest.refreshToken ?? '');
      expect(refreshed.body.user.role).toBe('guest');

      const alice = await customer(world);
      expectErrorBody(
        await upgrade(alice, { email: uniqueEmail(), password: STRONG_PASSWORD, name: 'A' }),
        403,
        'FORBIDDEN',
      );
    });
  });
});

describe('new guests per IP', () => {
  it('lets a burst of 40 seat exactly 30, then answers 429 with Retry-After', async () => {
    const app = await startAppOnNewDatabase({
      env: { RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_ANON_PER_MINUTE: '0' },
    });
    try {
      const adminUser = await signInNew(app, 'admin');
      const table = await request(`${app.url}/api/admin/tables`, {
        method: 'POST',
        headers: bearer(adminUser.accessToken),
        json: { number: 1 },
      });
      const tableToken = String(table.body.qrUrl).split('/t/')[1];
      const responses = await Promise.all(
        Array.from({ length: 40 }, () =>
          request(`${app.url}/api/auth/guest`, {
            method: 'POST',
            json: { tableToken, refreshTransport: 'body' },
          }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(30);
      const limited = responses.filter((response) => response.status === 429);
      expect(limited).toHaveLength(10);
      for (const response of limited) {
        expectErrorBody(response, 429, 'RATE_LIMITED');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      const [row] = await app.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE role = 'guest'`,
      );
      expect(row?.n).toBe(30);
      expect(app.config.publicUrl).toBe(`http://127.0.0.1:${String(app.config.port)}`);
    } finally {
      await app.close();
    }
  });
});
