import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditRetention } from '../../src/audit/audit-retention.js';
import { SessionMaintenance } from '../../src/sessions/session-maintenance.js';
import { ReportDaysFill } from '../../src/orders/report-days-fill.js';
import { request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

/** `AUDIT_RETENTION`: entries older than it are deleted, in batches; newer ones stay. */
describe('audit retention', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({ env: { SEED_DEMO: 'false', AUDIT_RETENTION: '30d' } });
  }, 60_000);
  afterAll(() => app.close());

  /** Inserts `count` entries of type `type`, `age` (an interval) old. */
  async function insertAged(count: number, age: string, type: string): Promise<void> {
    await app.sql(
      `INSERT INTO audit_events (id, type, at, details)
       SELECT gen_random_uuid(), $1, now() - $2::interval - n * interval '1 second', '{}'
         FROM generate_series(1, $3::int) AS n`,
      [type, age, count],
    );
  }

  async function countOf(type: string): Promise<number> {
    const [row] = await app.sql<{ n: string | number }>(
      `SELECT count(*) AS n FROM audit_events WHERE type = $1`,
      [type],
    );
    return Number(row?.n);
  }

  it('deletes entries older than the retention, more than one batch of them, and keeps newer ones', async () => {
    // 25,000 past the retention: three batches of at most 10,000.
    await insertAged(25_000, '31 days', 'stock_changed');
    await insertAged(3, '29 days', 'menu_item_updated');
    await insertAged(2, '0 seconds', 'password_changed');

    const deleted = await app.app.get(AuditRetention).run();

    expect(deleted).toBe(25_000);
    expect(await countOf('stock_changed')).toBe(0);
    expect(await countOf('menu_item_updated')).toBe(3);
    expect(await countOf('password_changed')).toBe(2);
    // Nothing more to do: a second pass deletes nothing.
    expect(await app.app.get(AuditRetention).run()).toBe(0);
  }, 60_000);
  /**
   * Starts `job`, then asks for readiness (a query of the database) while it runs, and says which
   * ended first. The embedded database has one connection: a job that kept it for all its batches
   * made every request wait for the whole backlog (or fail after the pool's 3 s).
   */
  async function whichEndsFirst(job: () => Promise<unknown>): Promise<string[]> {
    const ended: string[] = [];
    const running = job().then(() => ended.push('job'));
    const ready = request(`${app.url}/api/health/ready`).then((response) => {
      ended.push('request');
      expect(response.status).toBe(200);
    });
    await Promise.all([running, ready]);
    return ended;
  }

  it('lets requests use the database between its batches', async () => {
    await insertAged(30_000, '31 days', 'stock_changed');
    expect(await whichEndsFirst(() => app.app.get(AuditRetention).run())).toEqual([
      'request',
      'job',
    ]);
    expect(await countOf('stock_changed')).toBe(0);
  }, 60_000);

  it('session maintenance and the report days fill let requests in between batches too', async () => {
    const [user] = await app.sql<{ id: string }>(
      `INSERT INTO users (id, email, email_canonical, name, role, password_hash, active,
                          created_at, updated_at, credentials_version, two_factor_enabled)
       VALUES (gen_random_uuid(), 'old@example.com', 'old@example.com', 'Old', 'customer', 'x',
               true, now(), now(), 0, false)
       RETURNING id`,
    );
    // 12,000 sessions ended long ago: three batches of at most 5,000.
    await app.sql(
      `INSERT INTO sessions (id, user_id, app, role, salt, device, created_at, last_active_at,
                             idle_expires_at, expires_at, revoked_at, revoked_reason)
       SELECT gen_random_uuid(), $1::uuid, 'customer', 'customer', '\\x00'::bytea, 'Old',
              now() - interval '200 days', now() - interval '200 days',
              now() - interval '199 days', now() - interval '100 days',
              now() - interval '150 days', 'logout'
         FROM generate_series(1, 12000)`,
      [user!.id],
    );
    expect(await whichEndsFirst(() => app.app.get(SessionMaintenance).run())).toEqual([
      'request',
      'job',
    ]);
    const [left] = await app.sql<{ n: string | number }>('SELECT count(*) AS n FROM sessions');
    expect(Number(left?.n)).toBe(0);
    // The fill stores a year of (empty) days a week at a time.
    expect(await whichEndsFirst(() => app.app.get(ReportDaysFill).run())).toEqual([
      'request',
      'job',
    ]);
  }, 60_000);
});
