import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMenuAndOrders1732700500000 implements MigrationInterface {
  name = 'CreateMenuAndOrders1732700500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE menu_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        category text NOT NULL,
        price_cents integer NOT NULL CONSTRAINT ck_menu_items_price CHECK (price_cents >= 0),
        available boolean NOT NULL DEFAULT true,
        stock integer CONSTRAINT ck_menu_items_stock CHECK (stock IS NULL OR stock >= 0),
        allergens text[] NOT NULL DEFAULT '{}',
        archived boolean NOT NULL DEFAULT false,
        sort_order integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(
      `CREATE INDEX ix_menu_items_listing ON menu_items (category, sort_order, name) WHERE NOT archived`,
    );

    // One row per business day; its number is taken in a statement of its own, outside the
    // order's transaction, so the counter never serialises order creation.
    await runner.query(`
      CREATE TABLE order_day_counters (
        business_day date PRIMARY KEY,
        last_number integer NOT NULL
      )`);

    await runner.query(`
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        number integer NOT NULL,
        business_day date NOT NULL,
        customer_id uuid NOT NULL REFERENCES users (id),
        customer_name text NOT NULL,
        status text NOT NULL CONSTRAINT ck_orders_status
          CHECK (status IN ('pending', 'accepted', 'preparing', 'ready', 'completed', 'cancelled')),
        total_cents integer NOT NULL CONSTRAINT ck_orders_total CHECK (total_cents >= 0),
        table_number integer,
        note text,
        assignee_id uuid REFERENCES users (id),
        assignee_name text,
        cancel_reason text,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX uq_orders_business_day_number ON orders (business_day, number)`,
    );
    await runner.query(`CREATE INDEX ix_orders_created ON orders (created_at DESC, id DESC)`);
    await runner.query(
      `CREATE INDEX ix_orders_customer_created ON orders (customer_id, created_at DESC, id DESC)`,
    );
    await runner.query(`CREATE INDEX ix_orders_status_created ON orders (status, created_at)`);
    await runner.query(
      `CREATE INDEX ix_orders_completed_day ON orders (business_day) WHERE status = 'completed'`,
    );

    // Lines keep the name and price of the moment of ordering: archiving or renaming an item
    // later never changes a past order.
    await runner.query(`
      CREATE TABLE order_items (
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        line_no integer NOT NULL,
        menu_item_id uuid NOT NULL REFERENCES menu_items (id),
        name text NOT NULL,
        unit_price_cents integer NOT NULL,
        quantity integer NOT NULL CONSTRAINT ck_order_items_quantity CHECK (quantity > 0),
        note text,
        PRIMARY KEY (order_id, line_no)
      )`);
    await runner.query(`CREATE INDEX ix_order_items_menu_item ON order_items (menu_item_id)`);

    await runner.query(`
      CREATE TABLE order_history (
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        seq integer NOT NULL,
        status text NOT NULL,
        at timestamptz NOT NULL,
        by_user_id uuid NOT NULL REFERENCES users (id),
        by_name text NOT NULL,
        by_role text NOT NULL,
        PRIMARY KEY (order_id, seq)
      )`);

    // Written in the order's own transaction: a key exists only for a creation that committed,
    // and a second request with the same key waits on the unique index until the first ends.
    await runner.query(`
      CREATE TABLE order_idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key text NOT NULL,
        request_hash text NOT NULL,
        -- Deferred: the order statement claims the key before it writes the order row.
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await runner.query(
      `CREATE INDEX ix_order_idempotency_keys_created ON order_idempotency_keys (created_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE order_idempotency_keys`);
    await runner.query(`DROP TABLE order_history`);
    await runner.query(`DROP TABLE order_items`);
    await runner.query(`DROP TABLE orders`);
    await runner.query(`DROP TABLE order_day_counters`);
    await runner.query(`DROP TABLE menu_items`);
  }
}
