import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, bearer, createUser, signInNew } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

interface ListBody {
  items: { id: string }[];
  total: number;
  totalIsEstimate: boolean;
  nextCursor: string | null;
}

/**
 * `cursor` and `nextCursor` of `GET /api/orders` and `GET /api/admin/audit`: walking a list by
 * cursor gives exactly the rows, in the order, that walking it by page gives, with rows of one
 * instant (ties broken by id, or by `seq` for the audit log) and of one millisecond (the cursor
 * keeps microseconds) across page boundaries; rows added at the head while walking are neither
 * repeated nor push rows past the cursor; a cursor never widens a customer's list; and a bad
 * cursor is a 400 naming `cursor`. Rows are written by SQL, so their instants are chosen.
 */
describe('keyset cursors of the orders and audit lists', () => {
  let app: TestApp;
  let admin: SignedIn;
  let ann: SignedIn;
  let bob: SignedIn;
  /** The person the audit `q` search finds, by name. */
  let zed: { id: string };
  let numbers = 0;

  const url = (path: string): string => `${app.url}/api/${path}`;

  async function list(path: string, who: SignedIn = admin): Promise<ListBody> {
    const response = await request<ListBody>(url(path), { headers: bearer(who.accessToken) });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${response.text}`);
    return response.body;
  }

  const withQuery = (path: string, extra: string): string =>
    `${path}${path.includes('?') ? '&' : '?'}${extra}`;

  /** Every id of the list, page after page (`page=1, 2, …`) until a page that is not full. */
  async function walkByPage(path: string, limit: number, who?: SignedIn): Promise<string[]> {
    const ids: string[] = [];
    for (let page = 1; ; page += 1) {
      const body = await list(withQuery(path, `limit=${limit}&page=${page}`), who);
      ids.push(...body.items.map((item) => item.id));
      if (body.items.length < limit) return ids;
    }
  }

  /**
   * Every id of the list, cursor after cursor, checking each answer on the way: never more than
   * `limit` rows, never an empty page before the end, `total` as given (when given).
   * `between(step)` runs after each page but the last (to add rows meanwhile).
   */
  async function walkByCursor(
    path: string,
    limit: number,
    options: { who?: SignedIn; total?: number; between?: (step: number) => Promise<void> } = {},
  ): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let step = 0; step < 10_000; step += 1) {
      const query = `limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const body = await list(withQuery(path, query), options.who);
      expect(body.items.length).toBeLessThanOrEqual(limit);
      if (options.total !== undefined) {
        expect({ total: body.total, totalIsEstimate: body.totalIsEstimate }).toEqual({
          total: options.total,
          totalIsEstimate: false,
        });
      }
      ids.push(...body.items.map((item) => item.id));
      if (body.nextCursor === null) return ids;
      expect(body.items).toHaveLength(limit);
      expect(typeof body.nextCursor).toBe('string');
      cursor = body.nextCursor;
      await options.between?.(step);
    }
    throw new Error(`${path}: the cursor walk did not end`);
  }

  /**
   * An order of `customer` at `createdAt` (and `updatedAt`, by default the same), written by SQL;
   * returns its id. Instants are PostgreSQL literals, to the microsecond.
   */
  async function addOrder(
    customer: SignedIn,
    fields: {
      createdAt: string;
      updatedAt?: string;
      status?: string;
      tableNumber?: number | null;
      id?: string;
    },
  ): Promise<string> {
    numbers += 1;
    const [row] = await app.sql<{ id: string }>(
      `INSERT INTO orders (id, number, business_day, customer_id, customer_name, status,
                           total_cents, table_number, version, created_at, updated_at)
       VALUES (COALESCE($7::uuid, gen_random_uuid()), $1, date '2026-01-01', $2, $3, $4, 0, $5, 1,
               $6::timestamptz, COALESCE($8::timestamptz, $6::timestamptz))
       RETURNING id`,
      [
        numbers,
        customer.user.id,
        customer.user.name,
        fields.status ?? 'completed',
        fields.tableNumber ?? null,
        fields.createdAt,
        fields.id ?? null,
        fields.updatedAt ?? null,
      ],
    );
    if (!row) throw new Error('no order written');
    return row.id;
  }

  /** An audit entry at `at` (an instant literal; default: now, the head of the list). */
  async function addEntry(entry: {
    type: string;
    at?: string;
    userId?: string | null;
    details?: Record<string, unknown>;
  }): Promise<void> {
    await app.sql(
      `INSERT INTO audit_events (type, at, user_id, details)
       VALUES ($1, COALESCE($2::timestamptz, clock_timestamp()), $3, $4::jsonb)`,
      [entry.type, entry.at ?? null, entry.userId ?? null, JSON.stringify(entry.details ?? {})],
    );
  }

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: {
        SEED_DEMO: 'false',
        RATE_LIMIT_USER_PER_MINUTE: '0',
        RATE_LIMIT_ANON_PER_MINUTE: '0',
      },
    });
    [admin, ann, bob] = await Promise.all([
      signInNew(app, 'admin'),
      signInNew(app, 'customer'),
      signInNew(app, 'customer'),
    ]);
    zed = await createUser(app, 'customer', {
      name: 'Zed Cursorwalker',
      email: 'zed.cursorwalker@example.com',
    });

    // Orders: Ann's and Bob's interleaved over a day, with statuses and tables of every kind, and
    // runs that a page boundary falls into: six orders of one instant (ties broken by id), and
    // orders a few microseconds apart inside one millisecond. Their last changes tie too.
    const statuses = ['completed', 'cancelled', 'pending', 'ready', 'completed'];
    for (let n = 0; n < 30; n += 1) {
      await addOrder(n % 3 === 0 ? bob : ann, {
        createdAt: `2026-01-01 10:${String(n).padStart(2, '0')}:00+00`,
        updatedAt: `2026-01-02 09:00:0${String(n % 4)}+00`,
        status: statuses[n % statuses.length],
        tableNumber: n % 2 === 0 ? 5 : null,
      });
    }
    for (let n = 0; n < 6; n += 1) {
      await addOrder(n % 2 === 0 ? ann : bob, {
        createdAt: '2026-01-01 12:00:00.5+00',
        updatedAt: '2026-01-02 09:00:00+00',
        status: n < 4 ? 'completed' : 'pending',
        tableNumber: 5,
      });
    }
    for (const microseconds of ['100', '400', '900']) {
      await addOrder(ann, {
        createdAt: `2026-01-01 13:00:00.123${microseconds}+00`,
        updatedAt: `2026-01-02 10:00:00.123${microseconds}+00`,
        status: 'completed',
      });
    }

    // Audit entries: runs of one instant (ties broken by seq), and entries that the q search finds
    // by each of its three ways (whom an entry is about, who acted, the address a failed sign-in
    // named), some by two of them at once (listed once).
    const types = ['stock_changed', 'login_failed', 'order_cancelled', 'login_succeeded'];
    for (let n = 0; n < 24; n += 1) {
      const type = types[n % types.length] ?? 'stock_changed';
      await addEntry({
        type,
        at: `2026-02-01 08:00:0${String(n % 5)}+00`,
        userId: n % 3 === 0 ? zed.id : null,
        details: {
          ...(n % 4 === 2 ? { actorId: zed.id } : {}),
          ...(type === 'login_failed'
            ? { email: n % 8 === 1 ? 'zed.cursorwalker@example.com' : 'x@example.com' }
            : {}),
        },
      });
    }
    for (const microseconds of ['001', '002', '003']) {
      await addEntry({
        type: 'login_failed',
        at: `2026-02-01 09:00:00.500${microseconds}+00`,
        details: { email: 'zed.cursorwalker@example.com' },
      });
    }
  }, 120_000);
  afterAll(() => app.close());

  describe('orders', () => {
    it.each([
      ['every order', 'orders'],
      ['by last change', 'orders?sort=updatedAt'],
      ['completed', 'orders?status=completed'],
      ['closed, by last change', 'orders?status=completed,cancelled&sort=updatedAt'],
      ['open ones', 'orders?status=pending,ready'],
      ["one customer's", 'customer'],
      ['of a table', 'orders?tableNumber=5'],
      ['of a time range', 'orders?from=2026-01-01T10:10:00Z&to=2026-01-01T12:30:00Z'],
    ])(
      'walks %s by cursor exactly as by page',
      async (_name, given) => {
        const path = given === 'customer' ? `orders?customerId=${ann.user.id}` : given;
        const byPage = await walkByPage(path, 100);
        expect(byPage.length).toBeGreaterThan(3);
        expect(new Set(byPage).size).toBe(byPage.length);
        for (const limit of [1, 4, 7, byPage.length]) {
          expect(await walkByCursor(path, limit, { total: byPage.length })).toEqual(byPage);
          expect(await walkByPage(path, limit)).toEqual(byPage);
        }
      },
      120_000,
    );

    it('breaks ties by id and keeps microseconds: page boundaries inside one instant lose nothing', async () => {
      // Three orders inside one millisecond, each at an instant of its own.
      const [within] = await app.sql<{ n: number }>(
        `SELECT count(DISTINCT created_at)::int AS n FROM orders
          WHERE created_at >= '2026-01-01 13:00:00.123+00' AND created_at < '2026-01-01 13:00:00.124+00'`,
      );
      expect(within?.n).toBe(3);
      const rows = await app.sql<{ id: string }>(
        `SELECT id FROM orders ORDER BY created_at DESC, id DESC`,
      );
      const all = rows.map((row) => row.id);
      // Limit 1: every row is a page boundary, those inside one instant or millisecond too.
      expect(await walkByCursor('orders', 1)).toEqual(all);
      const updated = await app.sql<{ id: string }>(
        `SELECT id FROM orders ORDER BY updated_at DESC, id DESC`,
      );
      expect(await walkByCursor('orders?sort=updatedAt', 1)).toEqual(updated.map((r) => r.id));
    }, 120_000);

    it('neither repeats nor skips when orders arrive at the head while walking', async () => {
      for (const path of ['orders?status=completed', 'orders?sort=updatedAt']) {
        const before = await walkByPage(path, 100);
        const added: string[] = [];
        const walked = await walkByCursor(path, 4, {
          between: async () => {
            // Newer than everything in the list, by either sort.
            added.push(await addOrder(ann, { createdAt: 'now', status: 'completed' }));
          },
        });
        expect(added.length).toBeGreaterThan(2);
        expect(walked).toEqual(before);
        // The arrivals are there, at the head, for the next walk.
        const after = await walkByPage(path, 100);
        expect(after.slice(0, added.length).sort()).toEqual([...added].sort());
        expect(after.slice(added.length)).toEqual(before);
      }
    }, 120_000);

    it("walks a customer's own orders only, whatever the cursor came from", async () => {
      const annsByPage = await walkByPage('orders', 100, ann);
      const annsInDb = await app.sql<{ id: string }>(
        `SELECT id FROM orders WHERE customer_id = $1 ORDER BY created_at DESC, id DESC`,
        [ann.user.id],
      );
      expect(annsByPage).toEqual(annsInDb.map((row) => row.id));
      expect(await walkByCursor('orders', 3, { who: ann })).toEqual(annsByPage);

      // The cursor of Ann's first page, or of the staff's list, still walks Bob's own orders only.
      const annsFirst = await list('orders?limit=3', ann);
      const staffFirst = await list('orders?limit=3');
      const bobsOrders = await app.sql<{ id: string }>(
        `SELECT id FROM orders WHERE customer_id = $1 ORDER BY created_at DESC, id DESC`,
        [bob.user.id],
      );
      const bobs = new Set(bobsOrders.map((row) => row.id));
      for (const cursor of [annsFirst.nextCursor, staffFirst.nextCursor]) {
        expect(cursor).not.toBeNull();
        const page = await list(`orders?limit=100&cursor=${cursor ?? ''}`, bob);
        expect(page.items.length).toBeGreaterThan(0);
        for (const item of page.items) expect(bobs.has(item.id)).toBe(true);
        expect(page.total).toBe(bobs.size);
      }
      // Asking for Ann's orders by customerId finds nothing for Bob, by cursor as by page.
      const asked = await list(
        `orders?customerId=${ann.user.id}&limit=5&cursor=${staffFirst.nextCursor ?? ''}`,
        bob,
      );
      expect(asked).toMatchObject({ items: [], total: 0, nextCursor: null });
    }, 60_000);

    it('has an index in the order of each sort, so a cursor page is a range of it', async () => {
      const indexes = await app.sql<{ name: string; definition: string }>(
        `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
          WHERE schemaname = current_schema() AND tablename = 'orders'
            AND indexname IN ('ix_orders_created', 'ix_orders_updated')
          ORDER BY indexname`,
      );
      expect(indexes.map((index) => index.name)).toEqual([
        'ix_orders_created',
        'ix_orders_updated',
      ]);
      expect(indexes[1]?.definition).toContain('(updated_at DESC, id DESC)');
      expect(indexes[1]?.definition).not.toContain('WHERE');
    });

    it('answers nextCursor null on the last page, also when it is full, and past the end', async () => {
      const all = await walkByPage('orders?status=cancelled', 100);
      const last = await list(`orders?status=cancelled&limit=${all.length}`);
      expect(last.items).toHaveLength(all.length);
      expect(last.nextCursor).toBeNull();
      const more = await list(`orders?status=cancelled&limit=${all.length - 1}`);
      expect(more.nextCursor).not.toBeNull();
      const end = await list(`orders?status=cancelled&limit=5&page=100`);
      expect(end).toMatchObject({ items: [], nextCursor: null });
    });
  });

  describe('audit', () => {
    it.each([
      ['every entry', 'admin/audit'],
      ['of some types', 'admin/audit?type=login_failed,stock_changed'],
      ['found by q', 'admin/audit?q=cursorwalker'],
      ['found by q, of one type', 'admin/audit?q=CURSORWALKER&type=login_failed'],
      ['found by q, in a time range', 'admin/audit?q=cursorwalker&from=2026-02-01T08:00:01Z'],
      ['of one person', 'person'],
    ])(
      'walks %s by cursor exactly as by page',
      async (_name, given) => {
        const path = given === 'person' ? `admin/audit?userId=${zed.id}` : given;
        const byPage = await walkByPage(path, 100);
        expect(byPage.length).toBeGreaterThan(3);
        expect(new Set(byPage).size).toBe(byPage.length);
        for (const limit of [1, 3, 5]) {
          expect(await walkByCursor(path, limit, { total: byPage.length })).toEqual(byPage);
          expect(await walkByPage(path, limit)).toEqual(byPage);
        }
      },
      120_000,
    );

    it('lists the entries q finds, newest first, ties by seq, each once', async () => {
      const expected = await app.sql<{ id: string }>(
        `SELECT id FROM audit_events
          WHERE user_id = $1 OR details->>'actorId' = $1::text
             OR (type IN ('login_failed', 'login_rate_limited')
                 AND details->>'email' ILIKE '%cursorwalker%')
          ORDER BY at DESC, seq DESC`,
        [zed.id],
      );
      expect(expected.length).toBeGreaterThan(10);
      expect(await walkByCursor('admin/audit?q=cursorwalker', 2)).toEqual(
        expected.map((row) => row.id),
      );
    }, 60_000);

    it('neither repeats nor skips when entries arrive at the head while walking', async () => {
      for (const path of ['admin/audit?type=login_failed', 'admin/audit?q=cursorwalker']) {
        const before = await walkByPage(path, 100);
        let added = 0;
        const walked = await walkByCursor(path, 2, {
          between: async () => {
            added += 1;
            await addEntry({
              type: 'login_failed',
              userId: zed.id,
              details: { email: 'zed.cursorwalker@example.com' },
            });
          },
        });
        expect(added).toBeGreaterThan(2);
        expect(walked).toEqual(before);
        expect((await walkByPage(path, 100)).slice(added)).toEqual(before);
      }
    }, 60_000);
  });

  describe('bad cursors', () => {
    it.each([
      ['a garbage cursor', 'orders?cursor=not-a-cursor'],
      ['an empty cursor', 'orders?cursor='],
      ['base64url of other JSON', `orders?cursor=${Buffer.from('{"id":1}').toString('base64url')}`],
      ['a repeated cursor', 'orders?cursor=abc&cursor=abc'],
      ['a garbage cursor of the audit log', 'admin/audit?cursor=AAAA'],
    ])('refuses %s with 400 naming cursor', async (_name, path) => {
      const response = await request(url(path), { headers: bearer(admin.accessToken) });
      const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect(body.details).toEqual([{ field: 'cursor', errors: [expect.any(String)] }]);
    });

    it('refuses a cursor of another sort or list, and a cursor with page above 1', async () => {
      const created = (await list('orders?limit=2')).nextCursor ?? '';
      const updated = (await list('orders?limit=2&sort=updatedAt')).nextCursor ?? '';
      const audit = (await list('admin/audit?limit=2')).nextCursor ?? '';
      for (const path of [
        `orders?sort=updatedAt&cursor=${created}`,
        `orders?cursor=${updated}`,
        `orders?sort=createdAt&cursor=${updated}`,
        `orders?cursor=${audit}`,
        `admin/audit?cursor=${created}`,
        `orders?cursor=${created}&page=2`,
        `admin/audit?cursor=${audit}&page=3`,
      ]) {
        const response = await request(url(path), { headers: bearer(admin.accessToken) });
        const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
        expect({ path, details: body.details }).toEqual({
          path,
          details: [{ field: 'cursor', errors: [expect.stringContaining('cursor')] }],
        });
      }
      // page=1 is where a cursor page starts anyway: taken.
      expect((await list(`orders?cursor=${created}&page=1&limit=2`)).items).toHaveLength(2);
      // A customer's bad cursor is refused the same way.
      const response = await request(url('orders?cursor=zzz'), {
        headers: bearer(ann.accessToken),
      });
      expectErrorBody(response, 400, 'VALIDATION_FAILED');
    });
  });
});
