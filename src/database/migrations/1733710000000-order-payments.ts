import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payments, refunds and tabs.
 *
 * `order_payments`: what was paid towards an order (`kind = 'payment'`: a method, an amount and a
 * tip) and what was given back (`kind = 'refund'`: an amount, a reason, and the method it went
 * back by). Who recorded it is kept as on the order's history (id, name and role at the time).
 * Rows are only ever added; `seq` orders them. An order's figures (paid, tip, refunded, balance,
 * status) are worked out from its rows, never stored twice.
 *
 * `payment_idempotency_keys`: the `Idempotency-Key`s of payments (of one order or of a tab), per
 * staff member, as `order_idempotency_keys` keeps them for orders: the key is claimed first in the
 * payment's transaction (a second request with the same key waits on the primary key until the
 * first ends), and `response` is what a replay answers. Kept 24 hours.
 */
export class OrderPayments1733710000000 implements MigrationInterface {
  name = 'OrderPayments1733710000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE order_payments (
        id uuid PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT uq_order_payments_seq UNIQUE,
        order_id uuid NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        kind text NOT NULL CONSTRAINT ck_order_payments_kind CHECK (kind IN ('payment', 'refund')),
        method text NOT NULL
          CONSTRAINT ck_order_payments_method CHECK (method IN ('cash', 'card', 'other')),
        amount_cents integer NOT NULL CONSTRAINT ck_order_payments_amount CHECK (amount_cents > 0),
        tip_cents integer NOT NULL DEFAULT 0
          CONSTRAINT ck_order_payments_tip CHECK (tip_cents >= 0 AND (kind = 'payment' OR tip_cents = 0)),
        reason text CONSTRAINT ck_order_payments_reason CHECK ((kind = 'refund') = (reason IS NOT NULL)),
        by_user_id uuid NOT NULL REFERENCES users (id),
        by_name text NOT NULL,
        by_role text NOT NULL,
        at timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX ix_order_payments_order ON order_payments (order_id, seq)`);
    await runner.query(`
      CREATE TABLE payment_idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key text NOT NULL,
        request_hash text NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
    await runner.query(
      `CREATE INDEX ix_payment_idempotency_keys_created ON payment_idempotency_keys (created_at)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE payment_idempotency_keys`);
    await runner.query(`DROP TABLE order_payments`);
  }
}
