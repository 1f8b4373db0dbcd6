import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSessions1732700100000 implements MigrationInterface {
  name = 'CreateSessions1732700100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE sessions (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        app text NOT NULL CONSTRAINT ck_sessions_app CHECK (app IN ('customer', 'bartender', 'admin')),
        role text NOT NULL,
        generation integer NOT NULL DEFAULT 0,
        salt bytea NOT NULL,
        rotated_at timestamptz,
        user_agent text,
        device text NOT NULL,
        ip text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_active_at timestamptz NOT NULL DEFAULT now(),
        idle_expires_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        revoked_at timestamptz,
        revoked_reason text CONSTRAINT ck_sessions_revoked_reason CHECK (revoked_reason IN (
          'logout', 'logout_all', 'evicted', 'admin', 'password_changed', 'role_changed',
          'deactivated', 'reuse_detected', 'expired'))
      )`);
    await runner.query(
      `CREATE INDEX ix_sessions_user_active ON sessions (user_id, app) WHERE revoked_at IS NULL`,
    );
    await runner.query(`CREATE INDEX ix_sessions_revoked_at ON sessions (revoked_at)`);
    await runner.query(`CREATE INDEX ix_sessions_expires_at ON sessions (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE sessions`);
  }
}
