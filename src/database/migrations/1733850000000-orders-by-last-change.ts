import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The orders list sorted by the last change (`sort=updatedAt`: `updated_at DESC, id DESC`) had an
 * index only for closed orders (`ix_orders_closed_updated`, the bar's "recently completed" lane);
 * any other filter sorted every order it matched, and a page after a cursor still sorted all the
 * orders before it: 230-300 ms at a year's million orders, at any depth. With this index a page,
 * or a cursor page however deep, is a range of it (about 1 ms). Status moves already change an
 * indexed column (`status`), so they were not HOT updates before; each now writes one index entry
 * more.
 */
export class OrdersByLastChange1733850000000 implements MigrationInterface {
  name = 'OrdersByLastChange1733850000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX ix_orders_updated ON orders (updated_at DESC, id DESC)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX ix_orders_updated`);
  }
}
