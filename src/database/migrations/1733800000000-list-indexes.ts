import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the lists at a year's data (a million orders, millions of sessions and audit
 * entries), each matched to a list's filter and order:
 *
 * - `ix_orders_status_created` becomes `(status, created_at DESC, id DESC)`, the order of the
 *   orders list, so a status filter reads one page from the index (and a deep page skips index
 *   entries, not rows) instead of sorting every order of that status.
 * - `ix_orders_table_created`: the orders of one table, newest first.
 * - `ix_sessions_active_recent`: the admin sessions list (not revoked, most recently active first);
 *   ended sessions, most of the table, are not in it.
 * - With `pg_trgm` (PostgreSQL's contrib, loaded into the embedded database too): trigram indexes
 *   on users' email and name, which answer the `q` searches (`ILIKE '%text%'`) of the users list
 *   and, through the user, of the audit and sessions lists. Where the extension is not available
 *   (a managed server without contrib) they are left out: `q` then scans users, as before.
 */
export class ListIndexes1733800000000 implements MigrationInterface {
  name = 'ListIndexes1733800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX ix_orders_status_created`);
    await runner.query(
      `CREATE INDEX ix_orders_status_created ON orders (status, created_at DESC, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX ix_orders_table_created ON orders (table_number, created_at DESC, id DESC)
        WHERE table_number IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX ix_sessions_active_recent ON sessions (last_active_at DESC, id)
        WHERE revoked_at IS NULL`,
    );
    const trigrams = await trigramSchema(runner);
    if (trigrams !== undefined) {
      const ops = `${trigrams}.gin_trgm_ops`;
      await runner.query(`CREATE INDEX ix_users_email_trgm ON users USING gin (email ${ops})`);
      await runner.query(`CREATE INDEX ix_users_name_trgm ON users USING gin (name ${ops})`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ix_users_name_trgm`);
    await runner.query(`DROP INDEX IF EXISTS ix_users_email_trgm`);
    await runner.query(`DROP INDEX ix_sessions_active_recent`);
    await runner.query(`DROP INDEX ix_orders_table_created`);
    await runner.query(`DROP INDEX ix_orders_status_created`);
    await runner.query(`CREATE INDEX ix_orders_status_created ON orders (status, created_at)`);
  }
}

/**
 * The schema (quoted) of `pg_trgm`'s operator classes, installing the extension (in `public`)
 * when the server has it and it is not installed yet; undefined when the server lacks it.
 */
async function trigramSchema(runner: QueryRunner): Promise<string | undefined> {
  const available = (await runner.query(
    `SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'`,
  )) as unknown[];
  if (available.length === 0) return undefined;
  await runner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
  // Installed earlier, it may live in another schema: its operator classes are where it is.
  const [row] = (await runner.query(
    `SELECT quote_ident(n.nspname) AS schema
       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname = 'pg_trgm'`,
  )) as { schema: string }[];
  return row?.schema;
}
