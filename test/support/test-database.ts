import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres.js';
import type { DatabaseTarget } from '../../src/database/data-source-options.js';

/**
 * One database per test file: an in-memory PGlite by default, or a fresh schema in
 * `TEST_DATABASE_URL` (PostgreSQL) when it is set, so files run in parallel without sharing rows.
 */
export interface TestDatabase {
  readonly target: DatabaseTarget;
  readonly kind: 'pglite' | 'postgres';
  drop(): Promise<void>;
}

export const postgresUrl = process.env.TEST_DATABASE_URL;

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!postgresUrl) {
    const embedded = await startEmbeddedPostgres(undefined);
    return {
      target: { url: embedded.url, embedded: true, schema: undefined, poolSize: 1 },
      kind: 'pglite',
      drop: () => embedded.stop(),
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  return {
    target: { url: postgresUrl, embedded: false, schema, poolSize: 10 },
    kind: 'postgres',
    async drop() {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA ${schema} CASCADE`);
      await client.end();
    },
  };
}

/**
 * A connection of its own to `database` (PostgreSQL only), in its schema: a transaction the test
 * holds open beside the app's, to make a race happen in a chosen order. The embedded database
 * serves one connection at a time, so such races cannot happen there: this throws.
 */
export async function connectOutside(database: TestDatabase): Promise<pg.Client> {
  const { target, kind } = database;
  if (kind !== 'postgres') throw new Error('This suite needs PostgreSQL: npm run test:pg');
  const outside = new pg.Client({
    connectionString: target.url,
    options: `-c search_path=${target.schema ?? 'public'}`,
  });
  await outside.connect();
  return outside;
}

/**
 * Whether a statement of the app came to wait for a lock held by the backend `pid` (an outside
 * transaction's), polled every 25 ms for up to 5 s: a race test holds a row, starts the request,
 * and moves on once the request is queued behind it.
 */
export async function waitUntilBlockedBy(
  app: { sql(query: string, params?: unknown[]): Promise<unknown[]> },
  pid: number,
): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    const waiting = await app.sql(
      'SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
      [pid],
    );
    if (waiting.length > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}
