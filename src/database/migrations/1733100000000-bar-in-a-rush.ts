import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bar in a rush. Stations: each menu item is prepared at one station, and each order line
 * keeps the station its item had when it was ordered, so a ticket stays where it was routed when
 * the item moves later. Items and lines written before this existed were all made at the bar.
 *
 * The bar's "recently completed" lane lists orders closed in the last two hours by when they
 * closed (`updated_at`): a partial index keeps that cheap without weighing on open orders.
 *
 * The venue's settings an admin changes from the console (when a ticket turns amber and red)
 * live in one row of `venue_settings`.
 */
export class BarInARush1733100000000 implements MigrationInterface {
  name = 'BarInARush1733100000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE menu_items ADD COLUMN station text NOT NULL DEFAULT 'bar'`);
    await runner.query(`ALTER TABLE order_items ADD COLUMN station text NOT NULL DEFAULT 'bar'`);
    await runner.query(
      `CREATE INDEX ix_orders_closed_updated ON orders (updated_at DESC, id DESC)
        WHERE status IN ('completed', 'cancelled')`,
    );
    await runner.query(`
      CREATE TABLE venue_settings (
        id smallint PRIMARY KEY CONSTRAINT ck_venue_settings_one_row CHECK (id = 1),
        ticket_amber_after_seconds integer NOT NULL,
        ticket_red_after_seconds integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT ck_venue_settings_ticket_ages
          CHECK (0 < ticket_amber_after_seconds AND ticket_amber_after_seconds < ticket_red_after_seconds)
      )`);
    await runner.query(
      `INSERT INTO venue_settings (id, ticket_amber_after_seconds, ticket_red_after_seconds)
       VALUES (1, 300, 480)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE venue_settings`);
    await runner.query(`DROP INDEX ix_orders_closed_updated`);
    await runner.query(`ALTER TABLE order_items DROP COLUMN station`);
    await runner.query(`ALTER TABLE menu_items DROP COLUMN station`);
  }
}
