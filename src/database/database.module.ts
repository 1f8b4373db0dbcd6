import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseHealth } from './database-health.js';
import { DatabaseMigrator } from './database-migrator.js';
import { type DatabaseTarget, dataSourceOptions } from './data-source-options.js';

/** The TypeORM connection, migrations at start-up and the database health probe. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(target: DatabaseTarget): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRoot({
          ...dataSourceOptions(target),
          autoLoadEntities: true,
          // Start-up must not retry for minutes when the database is down: fail and say so.
          retryAttempts: 0,
        }),
      ],
      providers: [DatabaseMigrator, DatabaseHealth],
      exports: [DatabaseHealth],
    };
  }
}
