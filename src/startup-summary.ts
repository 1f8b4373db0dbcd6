import { join } from 'node:path';
import type { AppConfig } from './config/app-config.js';
import { isLoopbackHost } from './demo/demo-seed.service.js';
import type { NewUser } from './users/users.service.js';

/** What `npm start` tells the person who ran it, once the server listens. */
export interface StartupSummary {
  /** The block for a terminal. */
  readonly text: string;
  /** The same facts for a JSON log line (no passwords). */
  readonly fields: Record<string, unknown>;
}

/** Where the database is: the embedded one's directory, or PostgreSQL's host and database. */
export function describeDatabase(config: AppConfig): string {
  const { url, schema } = config.database;
  if (url === undefined) {
    return `embedded PostgreSQL (PGlite) in ${join(config.dataDir, 'pglite')}`;
  }
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.slice(1)) || '(default database)';
  const host = parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  return `PostgreSQL ${host}/${database}${schema ? `, schema ${schema}` : ''}`;
}

/** Where Redis is (host and port only), or what runs without it. */
function describeRedis(config: AppConfig): string {
  if (config.redisUrl === undefined) return 'none: one instance, events and limits in memory';
  const parsed = new URL(config.redisUrl);
  return `${parsed.hostname}:${parsed.port || '6379'}`;
}

/**
 * The start-up block: the apps' URLs, Swagger and readiness, the database and Redis in use
 * (never a password), the active demo accounts, and a loud warning when they can be reached
 * from other machines. `port` is the one the server listens on.
 */
export function startupSummary(
  config: AppConfig,
  port: number,
  demoAccounts: readonly NewUser[],
): StartupSummary {
  const everywhere = config.host === '0.0.0.0' || config.host === '::';
  const host = everywhere
    ? 'localhost'
    : config.host.includes(':')
      ? `[${config.host}]`
      : config.host;
  const base = `http://${host}:${port}`;
  // Under `npm run dev` the apps come from Vite's dev servers (hot reload), one port each.
  const dev = config.devAppsPort;
  const appBase = (offset: number): string =>
    dev === undefined ? base : `http://${host}:${dev + offset}`;
  const urls = {
    customer: `${appBase(0)}/`,
    bartender: `${appBase(1)}/bartender/`,
    admin: `${appBase(2)}/admin/`,
    apiDocs: `${base}/api/docs`,
    readiness: `${base}/api/health/ready`,
  };
  const database = describeDatabase(config);
  const redis = describeRedis(config);
  const exposed = !isLoopbackHost(config.host);
  const row = (label: string, value: string): string => `  ${label.padEnd(15)}${value}`;
  const lines = [
    `Taproom is ready (${config.env})${everywhere ? `, listening on all interfaces (${config.host})` : ''}${dev === undefined ? '' : '; the apps through Vite, with hot reload'}`,
    row('Customer app', urls.customer),
    row('Bartender app', urls.bartender),
    row('Admin app', urls.admin),
    row('API docs', urls.apiDocs),
    row('Readiness', urls.readiness),
    row('Database', database),
    row('Redis', redis),
    ...demoAccounts.map((account, index) =>
      row(
        index === 0 ? 'Demo accounts' : '',
        `${account.email} / ${account.password} (${account.role})`,
      ),
    ),
  ];
  if (exposed && demoAccounts.length > 0) {
    lines.push(
      '',
      `  !!! The demo accounts' passwords are published and the server listens on ${config.host}:`,
      '  !!! anyone who can reach it can sign in. Deactivate them or listen on 127.0.0.1.',
    );
  }
  return {
    text: `\n${lines.join('\n')}\n\n`,
    fields: {
      urls,
      database,
      redis,
      demoAccounts: demoAccounts.map((account) => account.email),
      ...(exposed && demoAccounts.length > 0 ? { demoAccountsExposed: true } : {}),
    },
  };
}
