import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A summary per business day for the sales and service reports (src/orders/report-days.ts), so
 * a month's or a year's report merges stored days instead of aggregating a million orders.
 *
 * `report_days`: per business day, what the reports computed for it (`sales`, `service`: jsonb,
 * null when not stored or no longer valid), the VENUE_TIMEZONE it was computed in (the service
 * report's hours depend on it) and `version`, which every change to one of the day's orders
 * raises. A reader stores a day only `WHERE version = <the version it read with the orders>`,
 * so a writer that commits after the reader's snapshot always wins.
 *
 * The triggers on `orders` raise the version (and drop the summaries) of the days an inserted,
 * updated or deleted order belongs to (before and after an UPDATE). Every write to an order's
 * figures (status, payment, refund, lines) updates its `orders` row in the same transaction, so
 * this covers them. The WHEN clauses keep the hot path free: only orders of days at least two
 * days before today (UTC) call the function; readers store only days up to three days back, so
 * any change to a stored day runs it. Within one transaction a day is bumped once (its row's
 * `xmin` is then the transaction's own), so a bulk change of an old day stays cheap.
 * TRUNCATE invalidates every stored day.
 */
export class ReportDays1733840000000 implements MigrationInterface {
  name = 'ReportDays1733840000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE report_days (
        business_day date PRIMARY KEY,
        version integer NOT NULL DEFAULT 0,
        time_zone text,
        sales jsonb,
        service jsonb,
        computed_at timestamptz
      )`);
    // search_path pinned to the schema the table is created in, whatever the writer's session.
    await runner.query(`
      CREATE FUNCTION report_days_invalidate() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      DECLARE
        day date;
      BEGIN
        FOR day IN
          SELECT DISTINCT d FROM unnest(ARRAY[
            CASE WHEN TG_OP <> 'INSERT' THEN OLD.business_day END,
            CASE WHEN TG_OP <> 'DELETE' THEN NEW.business_day END]) AS u(d)
           WHERE d IS NOT NULL AND d <= (now() AT TIME ZONE 'UTC')::date - 2
        LOOP
          PERFORM 1 FROM report_days r
           WHERE r.business_day = day AND r.xmin = pg_current_xact_id()::xid;
          IF NOT FOUND THEN
            INSERT INTO report_days AS r (business_day, version) VALUES (day, 1)
            ON CONFLICT (business_day) DO UPDATE
              SET version = r.version + 1, sales = NULL, service = NULL;
          END IF;
        END LOOP;
        RETURN NULL;
      END
      $$`);
    await runner.query(`
      CREATE FUNCTION report_days_invalidate_all() RETURNS trigger
      LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
      BEGIN
        UPDATE report_days SET version = version + 1, sales = NULL, service = NULL;
        RETURN NULL;
      END
      $$`);
    const old = `(now() AT TIME ZONE 'UTC')::date - 2`;
    await runner.query(`
      CREATE TRIGGER tr_orders_report_days_insert AFTER INSERT ON orders FOR EACH ROW
        WHEN (NEW.business_day <= ${old}) EXECUTE FUNCTION report_days_invalidate()`);
    await runner.query(`
      CREATE TRIGGER tr_orders_report_days_update AFTER UPDATE ON orders FOR EACH ROW
        WHEN (OLD.business_day <= ${old} OR NEW.business_day <= ${old})
        EXECUTE FUNCTION report_days_invalidate()`);
    await runner.query(`
      CREATE TRIGGER tr_orders_report_days_delete AFTER DELETE ON orders FOR EACH ROW
        WHEN (OLD.business_day <= ${old}) EXECUTE FUNCTION report_days_invalidate()`);
    await runner.query(`
      CREATE TRIGGER tr_orders_report_days_truncate AFTER TRUNCATE ON orders
        FOR EACH STATEMENT EXECUTE FUNCTION report_days_invalidate_all()`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TRIGGER tr_orders_report_days_truncate ON orders`);
    await runner.query(`DROP TRIGGER tr_orders_report_days_delete ON orders`);
    await runner.query(`DROP TRIGGER tr_orders_report_days_update ON orders`);
    await runner.query(`DROP TRIGGER tr_orders_report_days_insert ON orders`);
    await runner.query(`DROP FUNCTION report_days_invalidate_all()`);
    await runner.query(`DROP FUNCTION report_days_invalidate()`);
    await runner.query(`DROP TABLE report_days`);
  }
}
