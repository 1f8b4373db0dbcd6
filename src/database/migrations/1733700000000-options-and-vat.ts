import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Options and VAT.
 *
 * `menu_items.option_groups`: the item's option groups in display order, as JSON
 * (`[{id, name, min, max, options: [{id, name, priceDeltaCents, available}]}]`, ids stable
 * uuids). They live on the item's row so that the row lock every order already takes on the
 * items it names also covers their options: an option taken off ("86") while an order is being
 * placed either waits for that order or is seen by it.
 *
 * `menu_items.vat_rate_basis_points`: the VAT rate the item's (VAT-inclusive) price carries;
 * 2000 = 20 %.
 *
 * `order_items.options`: the options the line was ordered with, as they were then
 * (`[{id, groupName, name, priceDeltaCents}]`); `order_items.vat_rate_basis_points`: the item's
 * rate then. Lines from before keep `[]` and 0.
 */
export class OptionsAndVat1733700000000 implements MigrationInterface {
  name = 'OptionsAndVat1733700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE menu_items
        ADD COLUMN option_groups jsonb NOT NULL DEFAULT '[]'
          CONSTRAINT ck_menu_items_option_groups CHECK (jsonb_typeof(option_groups) = 'array'),
        ADD COLUMN vat_rate_basis_points integer NOT NULL DEFAULT 0
          CONSTRAINT ck_menu_items_vat_rate
            CHECK (vat_rate_basis_points BETWEEN 0 AND 10000)`);
    await runner.query(`
      ALTER TABLE order_items
        ADD COLUMN options jsonb NOT NULL DEFAULT '[]'
          CONSTRAINT ck_order_items_options CHECK (jsonb_typeof(options) = 'array'),
        ADD COLUMN vat_rate_basis_points integer NOT NULL DEFAULT 0
          CONSTRAINT ck_order_items_vat_rate
            CHECK (vat_rate_basis_points BETWEEN 0 AND 10000)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE order_items DROP COLUMN vat_rate_basis_points, DROP COLUMN options`,
    );
    await runner.query(
      `ALTER TABLE menu_items DROP COLUMN vat_rate_basis_points, DROP COLUMN option_groups`,
    );
  }
}
