import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staying signed in, and knowing when you won't.
 *
 * `sessions.remember`: false for a customer-app session signed in without "Keep me signed in";
 * every refresh of such a session keeps answering with a browser-session cookie (no `Expires`).
 *
 * `ix_audit_events_sign_ins` serves "Recent sign-ins" (a user's last 50 `login_succeeded` and
 * `login_failed` entries, newest first) straight from the index, however many other events the
 * user or the table has: a partial index holds only sign-in entries, in the order they are read.
 */
export class RememberMeAndSignIns1733410000000 implements MigrationInterface {
  name = 'RememberMeAndSignIns1733410000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE sessions ADD COLUMN remember boolean NOT NULL DEFAULT true`);
    await runner.query(`
      CREATE INDEX ix_audit_events_sign_ins ON audit_events (user_id, at DESC, seq DESC)
        WHERE type IN ('login_succeeded', 'login_failed') AND user_id IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX ix_audit_events_sign_ins`);
    await runner.query(`ALTER TABLE sessions DROP COLUMN remember`);
  }
}
