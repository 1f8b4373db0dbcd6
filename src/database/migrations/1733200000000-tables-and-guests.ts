import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables and guests. A table has a number (1–999, unique) and a QR token that is never stored:
 * only its SHA-256 (`token_hash`, for lookups) and the random `token_nonce` it is derived from
 * with a server secret (so the admin console can show the QR code again, while the database
 * alone can mint none; see tables/table-token.ts). Rotating replaces both.
 *
 * A guest is a user of role `guest` made from a table's QR code: no email and no password, bound
 * to its table (`table_number`); every other user has an email and a password and no table. The
 * check constraint holds the two shapes apart, so no guest can ever be found by an email or pass
 * a password check.
 */
export class TablesAndGuests1733200000000 implements MigrationInterface {
  name = 'TablesAndGuests1733200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE tables (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number integer NOT NULL CONSTRAINT ck_tables_number CHECK (number BETWEEN 1 AND 999),
        label text CONSTRAINT ck_tables_label CHECK (char_length(label) BETWEEN 1 AND 100),
        token_nonce bytea NOT NULL,
        token_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT uq_tables_number UNIQUE (number),
        CONSTRAINT uq_tables_token_hash UNIQUE (token_hash)
      )`);
    await runner.query(`ALTER TABLE users DROP CONSTRAINT ck_users_role`);
    await runner.query(
      `ALTER TABLE users ADD CONSTRAINT ck_users_role
         CHECK (role IN ('customer', 'bartender', 'admin', 'guest'))`,
    );
    await runner.query(`ALTER TABLE users ADD COLUMN table_number integer`);
    await runner.query(`ALTER TABLE users ALTER COLUMN email DROP NOT NULL`);
    await runner.query(`ALTER TABLE users ALTER COLUMN email_canonical DROP NOT NULL`);
    await runner.query(`ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL`);
    await runner.query(
      `ALTER TABLE users ADD CONSTRAINT ck_users_guest CHECK (
         CASE WHEN role = 'guest'
              THEN email IS NULL AND email_canonical IS NULL AND password_hash IS NULL
                   AND table_number BETWEEN 1 AND 999
              ELSE email IS NOT NULL AND email_canonical IS NOT NULL AND password_hash IS NOT NULL
                   AND table_number IS NULL
         END)`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM users WHERE role = 'guest'`);
    await runner.query(`ALTER TABLE users DROP CONSTRAINT ck_users_guest`);
    await runner.query(`ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL`);
    await runner.query(`ALTER TABLE users ALTER COLUMN email_canonical SET NOT NULL`);
    await runner.query(`ALTER TABLE users ALTER COLUMN email SET NOT NULL`);
    await runner.query(`ALTER TABLE users DROP COLUMN table_number`);
    await runner.query(`ALTER TABLE users DROP CONSTRAINT ck_users_role`);
    await runner.query(
      `ALTER TABLE users ADD CONSTRAINT ck_users_role
         CHECK (role IN ('customer', 'bartender', 'admin'))`,
    );
    await runner.query(`DROP TABLE tables`);
  }
}
