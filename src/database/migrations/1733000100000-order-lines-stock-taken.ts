import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each order line took from stock, so a cancellation returns exactly that: an item that was
 * unlimited when ordered took nothing and gets nothing back, even if it has a stock count now.
 *
 * Lines written before this column existed did not record it. For orders that can still be
 * cancelled, the best guess is what the old cancellation would have returned: the quantity, if
 * the item counts stock now.
 */
export class OrderLinesStockTaken1733000100000 implements MigrationInterface {
  name = 'OrderLinesStockTaken1733000100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE order_items ADD COLUMN stock_taken integer NOT NULL DEFAULT 0
        CONSTRAINT ck_order_items_stock_taken CHECK (stock_taken >= 0 AND stock_taken <= quantity)`);
    await runner.query(`
      UPDATE order_items i SET stock_taken = i.quantity
        FROM orders o, menu_items m
       WHERE o.id = i.order_id AND m.id = i.menu_item_id
         AND o.status NOT IN ('completed', 'cancelled') AND m.stock IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE order_items DROP COLUMN stock_taken`);
  }
}
