import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1732700000000 implements MigrationInterface {
  name = 'CreateUsers1732700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        name text NOT NULL,
        role text NOT NULL CONSTRAINT ck_users_role CHECK (role IN ('customer', 'bartender', 'admin')),
        password_hash text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE UNIQUE INDEX uq_users_email ON users (lower(email))`);
    await runner.query(`CREATE INDEX ix_users_role ON users (role)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE users`);
  }
}
