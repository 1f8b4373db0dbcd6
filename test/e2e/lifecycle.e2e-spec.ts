import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_ACCOUNTS } from '../../src/demo/demo-accounts.js';
import { HealthService } from '../../src/health/health.service.js';
import { PasswordHasher } from '../../src/users/password-hasher.js';
import { UsersService } from '../../src/users/users.service.js';
import { expectErrorBody, request } from '../support/http.js';
import { ProbeModule } from '../support/probe.module.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { type TestApp, startTestApp } from '../support/test-app.js';
import { type TestDatabase, createTestDatabase, postgresUrl } from '../support/test-database.js';

const secrets = { JWT_SECRET: 'j'.repeat(40), REFRESH_TOKEN_KEY: 'r'.repeat(40) };

describe('data survives a restart', () => {
  // On PostgreSQL the schema outlives the app; on the embedded default the app starts PGlite
  // itself from DATA_DIR, exactly as `npm start` does.
  let db: TestDatabase | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'taproom-restart-'));

  beforeAll(async () => {
    if (postgresUrl) db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  const boot = (): Promise<TestApp> =>
    startTestApp({ database: db?.target, env: { DATA_DIR: dataDir, SEED_DEMO: 'true' } });

  it('keeps users across restarts and seeds the demo accounts exactly once', async () => {
    const first = await boot();
    const created = await first.app.get(UsersService).create({
      email: 'survivor@example.com',
      name: 'Survivor',
      role: 'customer',
      password: 'survivor-password-1',
    });
    await first.close();

    const second = await boot();
    try {
      const found = await second.app.get(UsersService).findByEmail('SURVIVOR@example.com');
      expect(found?.id).toBe(created.id);
      const rows = await second.sql<{ email: string; role: string; password_hash: string }>(
        'SELECT email, role, password_hash FROM users WHERE email LIKE $1 ORDER BY email',
        ['%@taproom.local'],
      );
      expect(rows.map((row) => [row.email, row.role])).toEqual(
        [...DEMO_ACCOUNTS]
          .sort((a, b) => a.email.localeCompare(b.email))
          .map((a) => [a.email, a.role]),
      );
      const hasher = second.app.get(PasswordHasher);
      for (const account of DEMO_ACCOUNTS) {
        const row = rows.find((r) => r.email === account.email)!;
        expect(row.password_hash).toMatch(/^\$argon2id\$/);
        expect(await hasher.verify(row.password_hash, account.password)).toBe(true);
      }
    } finally {
      await second.close();
    }
  });
});

describe('production start-up', () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp({
      database: db.target,
      env: { NODE_ENV: 'production', SEED_DEMO: 'true', DATABASE_URL: db.target.url, ...secrets },
    });
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('never seeds the demo accounts, whatever SEED_DEMO says', async () => {
    expect(await app.sql('SELECT id FROM users')).toEqual([]);
  });
});

describe('health and outages', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    proxy = TcpProxy.forUrl(db.target.url);
    await proxy.start();
    app = await startTestApp({
      database: { ...db.target, url: proxy.rewrite(db.target.url) },
      imports: [ProbeModule],
    });
  });
  afterAll(async () => {
    await app.close();
    await proxy.cut();
    await db.drop();
  });

  it('answers liveness and readiness', async () => {
    expect((await request(`${app.url}/api/health`)).body).toEqual({ status: 'ok' });
    const ready = await request(`${app.url}/api/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'disabled' } });
  });

  it('turns 503 quickly while the database is unreachable, and recovers by itself', async () => {
    await proxy.cut();
    const started = Date.now();
    const ready = await request(`${app.url}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({
      statusCode: 503,
      code: 'SERVICE_UNAVAILABLE',
      checks: { database: 'down' },
    });
    const query = await request(`${app.url}/api/probe/users`, {
      method: 'POST',
      json: { email: 'during-outage@example.com' },
    });
    expectErrorBody(query, 503, 'SERVICE_UNAVAILABLE');
    expect(query.text).not.toMatch(/ECONNREFUSED|terminated|pg|typeorm/i);
    expect(Date.now() - started).toBeLessThan(8000);

    await proxy.restore();
    let status = 0;
    for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
      status = (await request(`${app.url}/api/health/ready`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(status).toBe(200);
    const after = await request(`${app.url}/api/probe/users`, {
      method: 'POST',
      json: { email: 'after-outage@example.com' },
    });
    expect(after.status).toBe(201);
  });

  it('reports not ready as soon as shutdown begins', async () => {
    app.app.get(HealthService).markShuttingDown();
    const ready = await request(`${app.url}/api/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.message).toMatch(/shutting down/);
  });
});

describe('graceful shutdown', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('finishes in-flight requests before closing', async () => {
    const app = await startTestApp({ database: db.target, imports: [ProbeModule] });
    const inFlight = request(`${app.url}/api/probe/slow`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const closing = Date.now();
    await app.close();
    expect(Date.now() - closing).toBeLessThan(5000);
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ done: true });
    await expect(fetch(`${app.url}/api/health`)).rejects.toThrow();
  });

  it('does not wait for connections that never sent a request', async () => {
    const app = await startTestApp({ database: db.target });
    const { port } = new URL(app.url);
    const silent = connect(Number(port), '127.0.0.1');
    await once(silent, 'connect');
    const silentClosed = once(silent, 'close');
    const closing = Date.now();
    await app.close();
    expect(Date.now() - closing).toBeLessThan(5000);
    await silentClosed;
  });
});
