import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two-factor sign-in (TOTP).
 *
 * `users.two_factor_enabled`: whether a sign-in needs a code after the password (the user view
 * shows it; the secret itself lives in `two_factor_secrets`).
 *
 * `two_factor_secrets`: one row per user who started a setup. `pending_secret` is the secret of
 * a setup not yet confirmed, `secret` the confirmed one; both are encrypted (AES-256-GCM under a
 * key derived from REFRESH_TOKEN_KEY, bound to the user id), never stored in the clear.
 * `last_step` is the RFC 6238 time step of the last code accepted: a code is accepted only by
 * `UPDATE … WHERE last_step < $step`, so each code works once, even when two requests race.
 *
 * `two_factor_recovery_codes`: the ten codes of the last enable, as SHA-256 hashes; `used_at`
 * set (conditionally, once) when one is used.
 *
 * `two_factor_challenges`: the second step of a sign-in. Only the SHA-256 of the challenge
 * token is stored, with what it is bound to (user, app, address), the credentials version the
 * password check read, how the login wanted its refresh token, the attempts made (at most 5,
 * counted before each check) and its end (5 minutes); `consumed_at` when it was used.
 */
export class TwoFactor1733600000000 implements MigrationInterface {
  name = 'TwoFactor1733600000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE users ADD COLUMN two_factor_enabled boolean NOT NULL DEFAULT false`,
    );
    await runner.query(`
      CREATE TABLE two_factor_secrets (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        pending_secret bytea,
        secret bytea,
        enabled_at timestamptz,
        last_step bigint NOT NULL DEFAULT -1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE two_factor_recovery_codes (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        used_at timestamptz,
        PRIMARY KEY (user_id, code_hash)
      )`);
    await runner.query(`
      CREATE TABLE two_factor_challenges (
        id uuid PRIMARY KEY,
        token_hash bytea NOT NULL CONSTRAINT uq_two_factor_challenges_token_hash UNIQUE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        app text NOT NULL,
        ip text,
        credentials_version integer NOT NULL,
        refresh_transport text NOT NULL,
        remember boolean NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        consumed_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX ix_two_factor_challenges_expires ON two_factor_challenges (expires_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE two_factor_challenges`);
    await runner.query(`DROP TABLE two_factor_recovery_codes`);
    await runner.query(`DROP TABLE two_factor_secrets`);
    await runner.query(`ALTER TABLE users DROP COLUMN two_factor_enabled`);
  }
}
