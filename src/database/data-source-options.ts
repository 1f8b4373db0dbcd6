import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseTarget extends DatabaseConfig {
  /** The URL to connect to: the configured one, or the embedded server's. */
  readonly url: string;
  readonly embedded: boolean;
}

/** TypeORM options shared by the app and the migration CLI (`ormconfig.ts`). */
export function dataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  const max = target.embedded ? 1 : target.poolSize;
  return {
    type: 'postgres',
    url: target.url,
    schema: target.schema,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    logging: false,
    poolSize: max,
    extra: {
      max,
      // Fail fast when the database is unreachable instead of hanging the request.
      connectionTimeoutMillis: 3000,
      // The embedded server takes one connection: keep it, so nothing else can take its place.
      idleTimeoutMillis: target.embedded ? 0 : 30_000,
      ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
    },
  };
}
