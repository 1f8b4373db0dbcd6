import { describe, expect, it } from '@jest/globals';
import { loadConfig } from './config/app-config.js';
import { DEMO_ACCOUNTS } from './demo/demo-accounts.js';
import { describeDatabase, startupSummary } from './startup-summary.js';

const config = (env: Record<string, string> = {}) =>
  loadConfig({ NODE_ENV: 'development', DATA_DIR: '/srv/taproom-data', ...env });

describe('the start-up summary', () => {
  it('says where the apps, the API docs and readiness are, and how to sign in', () => {
    const { text, fields } = startupSummary(config(), 3000, DEMO_ACCOUNTS);
    for (const line of [
      '  Customer app   http://127.0.0.1:3000/',
      '  Bartender app  http://127.0.0.1:3000/bartender/',
      '  Admin app      http://127.0.0.1:3000/admin/',
      '  API docs       http://127.0.0.1:3000/api/docs',
      '  Readiness      http://127.0.0.1:3000/api/health/ready',
      '  Database       embedded PostgreSQL (PGlite) in /srv/taproom-data/pglite',
      '  Redis          none: one instance, events and limits in memory',
      '  Demo accounts  admin@taproom.local / admin-demo-pass-2026 (admin)',
      '                 customer@taproom.local / customer-demo-pass-2026 (customer)',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).not.toContain('!!!');
    // The JSON line names the accounts, never their passwords.
    expect(fields.demoAccounts).toEqual(DEMO_ACCOUNTS.map((account) => account.email));
    expect(JSON.stringify(fields)).not.toContain('demo-pass');
  });

  it('points to the Vite dev servers under npm run dev, and to the API for the rest', () => {
    const { text, fields } = startupSummary(config({ DEV_APPS_PORT: '5173' }), 3000, []);
    for (const line of [
      '  Customer app   http://127.0.0.1:5173/',
      '  Bartender app  http://127.0.0.1:5174/bartender/',
      '  Admin app      http://127.0.0.1:5175/admin/',
      '  API docs       http://127.0.0.1:3000/api/docs',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
    expect(text).toContain('the apps through Vite, with hot reload');
    expect(fields.urls).toMatchObject({ admin: 'http://127.0.0.1:5175/admin/' });
  });

  it('warns loudly when demo accounts can be reached from other machines', () => {
    const { text, fields } = startupSummary(config({ HOST: '0.0.0.0' }), 8080, DEMO_ACCOUNTS);
    expect(text).toContain('listening on all interfaces (0.0.0.0)');
    expect(text).toContain('  Customer app   http://localhost:8080/');
    expect(text).toMatch(/!!! .*published and the server listens on 0\.0\.0\.0/);
    expect(fields.demoAccountsExposed).toBe(true);
    const none = startupSummary(config({ HOST: '0.0.0.0' }), 8080, []);
    expect(none.text).not.toContain('!!!');
    expect(none.text).not.toContain('Demo accounts');
  });

  it('names PostgreSQL and Redis by host and database, never with a password', () => {
    const pg = config({
      DATABASE_URL: 'postgres://taproom:pg-s3cret@db.internal:5433/bar',
      DATABASE_SCHEMA: 'tenant_a',
      REDIS_URL: 'redis://:redis-s3cret@cache.internal:6380/2',
      JWT_SECRET: 'a-shared-jwt-secret-of-at-least-32-bytes',
      REFRESH_TOKEN_KEY: 'a-shared-refresh-key-of-at-least-32-bytes',
    });
    expect(describeDatabase(pg)).toBe('PostgreSQL db.internal:5433/bar, schema tenant_a');
    const { text, fields } = startupSummary(pg, 3000, []);
    expect(text).toContain('  Redis          cache.internal:6380');
    for (const secret of ['pg-s3cret', 'redis-s3cret', 'taproom:']) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(fields)).not.toContain(secret);
    }
  });
});
