import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password reset and new-device notices.
 *
 * `account_link_tokens`: the single-use tokens that mails link to (`password_reset`, valid 30
 * minutes; `sign_out_everywhere`, valid 7 days), stored only as the SHA-256 of the token. A
 * token is spent by one conditional UPDATE (`used_at IS NULL AND expires_at > now()`), so of two
 * concurrent uses one wins.
 *
 * `known_devices`: the device labels and networks (/24 IPv4, /48 IPv6) each user signed in from,
 * and when last; a sign-in from a pair not seen in 90 days sends a notice.
 *
 * Sessions may now end with reason `password_reset`.
 */
export class PasswordResetAndKnownDevices1733510000000 implements MigrationInterface {
  name = 'PasswordResetAndKnownDevices1733510000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE account_link_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose text NOT NULL CONSTRAINT ck_account_link_tokens_purpose
          CHECK (purpose IN ('password_reset', 'sign_out_everywhere')),
        token_hash bytea NOT NULL CONSTRAINT uq_account_link_tokens_hash UNIQUE,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX ix_account_link_tokens_user ON account_link_tokens (user_id, purpose)
         WHERE used_at IS NULL`,
    );
    await runner.query(`
      CREATE TABLE known_devices (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        device text NOT NULL,
        network text NOT NULL,
        first_seen_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, device, network)
      )`);
    await runner.query(`ALTER TABLE sessions DROP CONSTRAINT ck_sessions_revoked_reason`);
    await runner.query(`
      ALTER TABLE sessions ADD CONSTRAINT ck_sessions_revoked_reason CHECK (revoked_reason IN (
        'logout', 'logout_all', 'evicted', 'admin', 'password_changed', 'role_changed',
        'deactivated', 'reuse_detected', 'expired', 'password_reset'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE sessions DROP CONSTRAINT ck_sessions_revoked_reason`);
    await runner.query(`
      ALTER TABLE sessions ADD CONSTRAINT ck_sessions_revoked_reason CHECK (revoked_reason IN (
        'logout', 'logout_all', 'evicted', 'admin', 'password_changed', 'role_changed',
        'deactivated', 'reuse_detected', 'expired'))`);
    await runner.query(`DROP TABLE known_devices`);
    await runner.query(`DROP TABLE account_link_tokens`);
  }
}
