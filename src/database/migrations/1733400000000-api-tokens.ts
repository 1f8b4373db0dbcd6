import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API tokens for integrations. A token is `tap_` + 32 random bytes (base64url); only its SHA-256
 * is stored (`token_hash`, how a presented token is found). A token belongs to an admin and acts
 * as them within `scopes`; it is revoked (`revoked_at`, `revoked_reason`) by its owner, or when
 * its owner is deactivated or loses the admin role, in the transaction of that change. Revoked
 * rows stay, so the audit log's entries keep naming something.
 */
export class ApiTokens1733400000000 implements MigrationInterface {
  name = 'ApiTokens1733400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL CONSTRAINT ck_api_tokens_name CHECK (char_length(name) BETWEEN 1 AND 100),
        scopes text[] NOT NULL,
        token_hash bytea NOT NULL CONSTRAINT uq_api_tokens_token_hash UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await runner.query(
      `CREATE INDEX ix_api_tokens_user_active ON api_tokens (user_id) WHERE revoked_at IS NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE api_tokens`);
  }
}
