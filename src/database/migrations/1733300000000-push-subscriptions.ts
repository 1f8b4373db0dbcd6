import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ready alerts on a locked phone. A Web Push subscription belongs to the session that made it:
 * deleting the session row deletes it (revocations delete it in their own transaction). The
 * endpoint is the push service's address for one browser, unique across sessions: subscribing
 * again from a new session moves it there.
 *
 * `push_deliveries` remembers which order changes have been pushed (for a day), so that of
 * several instances that all hear an event only one sends it.
 */
export class PushSubscriptions1733300000000 implements MigrationInterface {
  name = 'PushSubscriptions1733300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE push_subscriptions (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        endpoint text NOT NULL CONSTRAINT uq_push_subscriptions_endpoint UNIQUE,
        p256dh text NOT NULL,
        auth text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX ix_push_subscriptions_user ON push_subscriptions (user_id)`);
    await runner.query(
      `CREATE INDEX ix_push_subscriptions_session ON push_subscriptions (session_id)`,
    );
    await runner.query(`
      CREATE TABLE push_deliveries (
        key text PRIMARY KEY,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX ix_push_deliveries_created ON push_deliveries (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE push_deliveries`);
    await runner.query(`DROP TABLE push_subscriptions`);
  }
}
