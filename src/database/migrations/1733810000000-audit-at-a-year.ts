import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the audit list's `q` search at a year's data (millions of entries), one per thing
 * `q` matches, so each part of the search reads its own index instead of every entry:
 *
 * - `ix_audit_events_actor_at`: entries by the admin who acted (`details.actorId`), newest first;
 *   partial, as only the few entries of an admin's doing name an actor.
 * - `ix_audit_events_failed_email_trgm` (with `pg_trgm`, see ListIndexes1733800000000): the
 *   address a failed or rate-limited sign-in named, for `ILIKE '%text%'`; partial on those types.
 *   Without the extension it is left out and that part of `q` scans the failed sign-ins.
 *
 * The person an entry is about is found on `ix_audit_events_user_at`, which exists.
 */
export class AuditAtAYear1733810000000 implements MigrationInterface {
  name = 'AuditAtAYear1733810000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX ix_audit_events_actor_at ON audit_events ((details->>'actorId'), at DESC, seq DESC)
        WHERE details ? 'actorId'`,
    );
    const trigrams = await installedTrigramSchema(runner);
    if (trigrams !== undefined) {
      await runner.query(
        `CREATE INDEX ix_audit_events_failed_email_trgm
           ON audit_events USING gin ((details->>'email') ${trigrams}.gin_trgm_ops)
          WHERE type IN ('login_failed', 'login_rate_limited')`,
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX IF EXISTS ix_audit_events_failed_email_trgm`);
    await runner.query(`DROP INDEX ix_audit_events_actor_at`);
  }
}

/** The schema (quoted) of `pg_trgm`'s operator classes if the extension is installed. */
async function installedTrigramSchema(runner: QueryRunner): Promise<string | undefined> {
  const [row] = (await runner.query(
    `SELECT quote_ident(n.nspname) AS schema
       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname = 'pg_trgm'`,
  )) as { schema: string }[];
  return row?.schema;
}
