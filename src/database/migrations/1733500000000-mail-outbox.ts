import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mail that really goes out: `mail_outbox` holds every message from the transaction that caused
 * it (queued iff that change commits) until the mail job has sent it.
 *
 * The job claims due rows (`FOR UPDATE SKIP LOCKED`, under the mail advisory lock) by setting
 * `claimed_until` (a lease) and counting the attempt, then sends outside any transaction and
 * records the outcome: `sent_at`, or `last_error` and the next attempt (exponential backoff),
 * or `failed_at` after the last attempt. A claimed row is invisible to every other instance
 * until its lease runs out, so each message is sent once. `payload` holds what the template
 * needs; link tokens in it are sealed (AES-GCM) and the payload is emptied once the message is
 * sent or given up.
 */
export class MailOutbox1733500000000 implements MigrationInterface {
  name = 'MailOutbox1733500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE mail_outbox (
        id uuid PRIMARY KEY,
        recipient text NOT NULL,
        template text NOT NULL,
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        claimed_until timestamptz,
        sent_at timestamptz,
        failed_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE INDEX ix_mail_outbox_due ON mail_outbox (next_attempt_at)
        WHERE sent_at IS NULL AND failed_at IS NULL`);
    await runner.query(`CREATE INDEX ix_mail_outbox_created ON mail_outbox (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE mail_outbox`);
  }
}
