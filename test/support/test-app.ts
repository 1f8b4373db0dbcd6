import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type TaproomApp, createApp } from '../../src/app.factory.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import type { DatabaseTarget } from '../../src/database/data-source-options.js';
import { type TestDatabase, createTestDatabase } from './test-database.js';

export interface TestApp extends TaproomApp {
  readonly url: string;
  readonly config: AppConfig;
  /** Runs SQL through the app's own pool (the embedded database takes one connection). */
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
}

export interface TestAppOptions {
  /** Environment variables on top of the test defaults. */
  readonly env?: Record<string, string>;
  readonly database?: DatabaseTarget;
  readonly imports?: DynamicModule['imports'];
}

/** The environment every test app starts from: quiet, local, no demo data unless asked. */
function testEnvironment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'taproom-test-')),
    COOKIE_SECURE: 'false',
    // Shared by every test app, as by every instance of one deployment.
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
    REFRESH_TOKEN_KEY: 'test-refresh-key-0123456789abcdef012345678',
    WEB_ROOT: join(tmpdir(), 'taproom-no-web-root'),
    ...env,
  };
}

/** Boots the real application on a random loopback port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig(testEnvironment(options.env));
  const taproom = await createApp(config, { database: options.database, imports: options.imports });
  await taproom.app.listen({ port: 0, host: '127.0.0.1' });
  const address = taproom.app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('Test app is not on TCP');
  const dataSource = taproom.app.get(DataSource);
  return {
    ...taproom,
    config,
    url: `http://127.0.0.1:${address.port}`,
    sql: (query, params) => dataSource.query(query, params),
  };
}

/** A test app on a database of its own: its close() closes the app, then drops the database. */
export interface TestAppOnNewDatabase extends TestApp {
  readonly database: TestDatabase;
}

/**
 * Boots the app (as startTestApp) on a database of its own (createTestDatabase), which close()
 * also drops, after the app. If the app fails to start, the database is dropped before the error
 * is rethrown.
 */
export async function startAppOnNewDatabase(
  options: Omit<TestAppOptions, 'database'> = {},
): Promise<TestAppOnNewDatabase> {
  const database = await createTestDatabase();
  let app: TestApp;
  try {
    app = await startTestApp({ ...options, database: database.target });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return {
    ...app,
    database,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
