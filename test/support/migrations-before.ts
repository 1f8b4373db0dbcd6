import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { createTestDatabase } from './test-database.js';

/** A new database as it was before one migration, to test what that migration does to old rows. */
export interface DatabaseBeforeMigration {
  /** Connected to the database; one data source throughout (the embedded database serves one
   * connection at a time). */
  readonly dataSource: DataSource;
  /** Runs the named migration and every one after it. */
  migrateRest(): Promise<void>;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

/**
 * A new test database with every migration before the one whose name starts with `migration`
 * applied (it must not be the first).
 */
export async function databaseBefore(migration: string): Promise<DatabaseBeforeMigration> {
  const before = MIGRATIONS.findIndex((each) => each.name.startsWith(migration));
  if (before < 1) throw new Error(`no migration after the first is named ${migration}…`);
  const database = await createTestDatabase();
  const dataSource = new DataSource({
    ...dataSourceOptions(database.target),
    migrations: MIGRATIONS.slice(0, before),
  });
  const drop = async (): Promise<void> => {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  };
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    dataSource,
    drop,
    async migrateRest() {
      const runner = dataSource.createQueryRunner();
      try {
        for (const Migration of MIGRATIONS.slice(before)) await new Migration().up(runner);
      } finally {
        await runner.release();
      }
    },
  };
}
