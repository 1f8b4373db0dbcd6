import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the session job at a year's data:
 *
 * - `ix_sessions_open_expires` and `ix_sessions_open_idle_expires`: the deadlines of sessions not
 *   yet revoked, so the session job finds the overdue ones (`revoked_at IS NULL AND (expires_at
 *   <= now() OR idle_expires_at <= now())`) by two small range scans, OR-ed as bitmaps, instead
 *   of visiting every unrevoked session through ix_sessions_revoked_at.
 *
 * Deleting ended sessions needs nothing new: revoked long ago and past the absolute deadline are
 * two range scans of ix_sessions_revoked_at and ix_sessions_expires_at.
 */
export class RetentionAtAYear1733820000000 implements MigrationInterface {
  name = 'RetentionAtAYear1733820000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX ix_sessions_open_expires ON sessions (expires_at) WHERE revoked_at IS NULL`,
    );
    await runner.query(
      `CREATE INDEX ix_sessions_open_idle_expires ON sessions (idle_expires_at)
        WHERE revoked_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX ix_sessions_open_idle_expires`);
    await runner.query(`DROP INDEX ix_sessions_open_expires`);
  }
}
