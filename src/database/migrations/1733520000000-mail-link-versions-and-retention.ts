import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Mailed links are bound to the credentials version their user had when they were issued
 * (`account_link_tokens.credentials_version`): a deactivation, role change, password change or
 * reset moves the user's version, and a link issued before it can no longer be spent. Links
 * already issued take their user's current version.
 *
 * Indexes for the mail job's retention purge (sent or failed messages, spent or expired links,
 * devices not seen for long).
 */
export class MailLinkVersionsAndRetention1733520000000 implements MigrationInterface {
  name = 'MailLinkVersionsAndRetention1733520000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE account_link_tokens ADD COLUMN credentials_version integer`);
    await runner.query(`
      UPDATE account_link_tokens t SET credentials_version = u.credentials_version
        FROM users u WHERE u.id = t.user_id`);
    await runner.query(
      `ALTER TABLE account_link_tokens ALTER COLUMN credentials_version SET NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX ix_mail_outbox_done ON mail_outbox (coalesce(sent_at, failed_at))
         WHERE sent_at IS NOT NULL OR failed_at IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX ix_account_link_tokens_ended ON account_link_tokens
         (coalesce(used_at, expires_at))`,
    );
    await runner.query(`CREATE INDEX ix_known_devices_last_seen ON known_devices (last_seen_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX ix_known_devices_last_seen`);
    await runner.query(`DROP INDEX ix_account_link_tokens_ended`);
    await runner.query(`DROP INDEX ix_mail_outbox_done`);
    await runner.query(`ALTER TABLE account_link_tokens DROP COLUMN credentials_version`);
  }
}
