import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, MigrationExecutor } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { AdvisoryLock, withAdvisoryLock } from './advisory-lock.js';

/**
 * Brings the schema up to date at start-up, under an advisory lock so that instances starting
 * together run each migration once.
 */
@Injectable()
export class DatabaseMigrator implements OnModuleInit {
  private readonly logger = new Logger('Database');

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    const applied = await runMigrations(this.dataSource, this.config.database.schema);
    if (applied.length > 0) this.logger.log(`Applied migrations: ${applied.join(', ')}`);
  }
}

/** Runs pending migrations on one locked connection; returns the names of those applied. */
async function runMigrations(dataSource: DataSource, schema?: string): Promise<string[]> {
  return withAdvisoryLock(dataSource, AdvisoryLock.Migrations, async (manager) => {
    const runner = manager.queryRunner;
    if (!runner) throw new Error('An advisory lock always runs on its own query runner');
    if (schema) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  });
}
