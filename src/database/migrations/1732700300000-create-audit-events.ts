import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log. No foreign keys on purpose: an audit row outlives the user or session it names,
 * and a failed login of an unknown email names no user at all.
 */
export class CreateAuditEvents1732700300000 implements MigrationInterface {
  name = 'CreateAuditEvents1732700300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        type text NOT NULL,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        user_id uuid,
        session_id uuid,
        ip text,
        details jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    await runner.query(`CREATE INDEX ix_audit_events_at ON audit_events (at DESC, seq DESC)`);
    await runner.query(
      `CREATE INDEX ix_audit_events_type_at ON audit_events (type, at DESC, seq DESC)`,
    );
    await runner.query(
      `CREATE INDEX ix_audit_events_user_at ON audit_events (user_id, at DESC, seq DESC)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE audit_events`);
  }
}
