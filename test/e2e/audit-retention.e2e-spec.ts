import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AuditRetention } from '../../src/audit/audit-retention.js';
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
});
