import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log (outbox) of live events: written in the same transaction as the change, read by
 * `Last-Event-ID` replay and by an instance catching up after losing Redis. `id` follows commit
 * order (inserts are serialised by a transaction-level advisory lock). `customer_id` and
 * `session_id` say who may receive an entry, so replay filters in SQL.
 */
export class CreateEventLog1732700700000 implements MigrationInterface {
  name = 'CreateEventLog1732700700000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE event_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        type text NOT NULL,
        payload jsonb NOT NULL,
        customer_id uuid,
        session_id uuid,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query(`CREATE INDEX ix_event_log_created_at ON event_log (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE event_log`);
  }
}
