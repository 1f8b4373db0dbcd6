import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SignedIn, bearer, createUser, loginAs } from '../support/auth.js';
import { request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

interface PageBody {
  items: unknown[];
  total: number;
  totalIsEstimate: boolean;
}

/**
 * A list's `total` is exact up to 10,000 matches and, above that, the database's estimate,
 * flagged `totalIsEstimate`: a list counts at most 10,001 rows, so its cost does not grow with a
 * year's data. The rows are written by SQL (10,000 sign-ins over HTTP would take minutes).
 */
describe('list totals around 10,000', () => {
  let app: TestApp;
  let admin: SignedIn;
  let customer: { id: string };

  const url = (path: string): string => `${app.url}/api${path}`;

  async function page(path: string): Promise<PageBody> {
    const response = await request(url(path), { headers: bearer(admin.accessToken) });
    expect(response.status).toBe(200);
    return response.body as PageBody;
  }

  /** `count` more `stock_changed` entries, a day ago, about nobody. */
  async function addAuditEntries(count: number): Promise<void> {
    await app.sql(
      `INSERT INTO audit_events (type, at, details)
       SELECT 'stock_changed', now() - interval '1 day', '{}'::jsonb FROM generate_series(1, $1::int)`,
      [count],
    );
  }

  /** `count` more completed orders of the customer, on days of their own (numbers are per day). */
  async function addOrders(count: number, firstDay: number): Promise<void> {
    await app.sql(
      `INSERT INTO orders (id, number, business_day, customer_id, customer_name, status,
                           total_cents, version, created_at, updated_at)
       SELECT gen_random_uuid(), g, date '2020-01-01' + $3::int, $1::uuid, 'Many Orders',
              'completed', 0, 1, timestamptz '2020-01-01' + g * interval '1 second',
              timestamptz '2020-01-01' + g * interval '1 second'
         FROM generate_series(1, $2::int) AS g`,
      [customer.id, count, firstDay],
    );
  }

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { SEED_DEMO: 'false', RATE_LIMIT_USER_PER_MINUTE: '0' },
    });
    const adminUser = await createUser(app, 'admin');
    admin = await loginAs(app, {
      email: adminUser.email,
      password: adminUser.password,
      app: 'admin',
    });
    customer = await createUser(app, 'customer', { name: 'Many Orders' });
  }, 60_000);
  afterAll(() => app.close());

  it('is exact at 10,000 audit entries of a type and an estimate from 10,001', async () => {
    await addAuditEntries(9_999);
    expect(await page('/admin/audit?type=stock_changed&limit=1')).toMatchObject({
      total: 9_999,
      totalIsEstimate: false,
    });

    await addAuditEntries(1);
    const atLimit = await page('/admin/audit?type=stock_changed&limit=5');
    expect(atLimit).toMatchObject({ total: 10_000, totalIsEstimate: false });
    expect(atLimit.items).toHaveLength(5);

    await addAuditEntries(1);
    const over = await page('/admin/audit?type=stock_changed&limit=5');
    expect(over.totalIsEstimate).toBe(true);
    expect(over.total).toBeGreaterThanOrEqual(10_001);
    expect(over.items).toHaveLength(5);
    // The last page still answers, however the total was worked out.
    const last = await page('/admin/audit?type=stock_changed&limit=100&page=101');
    expect(last.items).toHaveLength(1);
  }, 60_000);

  it('estimates from the filtered query, close to the truth once the table is analysed', async () => {
    await addAuditEntries(30_000 - 10_001);
    await app.sql('ANALYZE audit_events');
    const estimated = await page('/admin/audit?type=stock_changed&limit=1');
    expect(estimated.totalIsEstimate).toBe(true);
    expect(estimated.total).toBeGreaterThan(20_000);
    expect(estimated.total).toBeLessThan(40_000);
    // Another type, with one entry (the admin's sign-in), is still counted exactly.
    expect(await page('/admin/audit?type=login_succeeded&limit=1')).toMatchObject({
      total: 1,
      totalIsEstimate: false,
    });
  }, 60_000);

  it('has the trigram indexes of the q searches (pg_trgm on PostgreSQL and the embedded one)', async () => {
    const indexes = await app.sql<{ name: string }>(
      `SELECT indexname AS name FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename = 'users' AND indexname LIKE '%trgm'
        ORDER BY indexname`,
    );
    expect(indexes.map((index) => index.name)).toEqual([
      'ix_users_email_trgm',
      'ix_users_name_trgm',
    ]);
    const found = await page('/admin/users?q=MANY%20ord');
    expect(found).toMatchObject({ total: 1, totalIsEstimate: false });
  });

  it('counts a customer’s orders exactly up to 10,000, then estimates', async () => {
    await addOrders(10_000, 0);
    const exact = await page(`/orders?customerId=${customer.id}&limit=100&page=100`);
    expect(exact).toMatchObject({ total: 10_000, totalIsEstimate: false });
    expect(exact.items).toHaveLength(100);

    await addOrders(1, 1);
    const over = await page(`/orders?customerId=${customer.id}&limit=1`);
    expect(over.totalIsEstimate).toBe(true);
    expect(over.total).toBeGreaterThanOrEqual(10_001);

    const none = await page(`/orders?customerId=${customer.id}&from=2030-01-01T00:00:00Z`);
    expect(none).toEqual({ items: [], total: 0, totalIsEstimate: false, nextCursor: null });
  }, 60_000);
  it('estimates the active sessions from the sessions not revoked, not from three deadlines', async () => {
    // A year's shape: most sessions ended long ago (revoked, past both deadlines), a few
    // thousand in use. Multiplying the three conditions' selectivities puts the active ones
    // far below 10,001; the sessions not revoked are the right estimate.
    const add = (count: number, ended: boolean) =>
      app.sql(
        `INSERT INTO sessions (id, user_id, app, role, salt, device, created_at, last_active_at,
                               idle_expires_at, expires_at, revoked_at, revoked_reason)
         SELECT gen_random_uuid(), $1::uuid, 'customer', 'customer', '\\x00'::bytea, 'Bench',
                now() - interval '40 days', now() - interval '1 hour',
                now() + ($2::int * interval '1 day'), now() + ($2::int * interval '2 days'),
                CASE WHEN $3::bool THEN now() - interval '30 days' END,
                CASE WHEN $3::bool THEN 'expired' END
           FROM generate_series(1, $4::int)`,
        [customer.id, ended ? -30 : 1, ended, count],
      );
    await add(60_000, true);
    await add(15_000, false);
    await app.sql('ANALYZE sessions');
    const all = await page('/admin/sessions?limit=1');
    expect(all.totalIsEstimate).toBe(true);
    expect(all.total).toBeGreaterThan(12_000);
    expect(all.total).toBeLessThan(18_000);
    // With a filter the estimate keeps it: the customer's own (all 15,000 are theirs).
    const theirs = await page(`/admin/sessions?userId=${customer.id}&limit=1`);
    expect(theirs.totalIsEstimate).toBe(true);
    expect(theirs.total).toBeGreaterThan(12_000);
    // And a filter that finds few is counted exactly.
    expect(await page('/admin/sessions?app=admin&limit=1')).toMatchObject({
      total: 1,
      totalIsEstimate: false,
    });
  }, 120_000);
});
