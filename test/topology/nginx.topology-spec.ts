/**
 * The deployment topology of docker-compose.yml on loopback: Debian's nginx with
 * deploy/nginx.conf (addresses and port adapted) in front of two API processes that share the
 * machine's PostgreSQL (a fresh schema) and Redis (a fresh key prefix). A scripted run logs in,
 * orders, streams and revokes through nginx only.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import { openEvents } from '../support/event-stream.js';
import { expectErrorBody, request } from '../support/http.js';
import { sharedRedisUrl } from '../support/redis-server.js';
import {
  type ServerProcess,
  freePort,
  startServerProcess,
  waitForHttp,
} from '../support/server-process.js';

jest.setTimeout(180_000);

const NGINX = '/usr/sbin/nginx';
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** deploy/nginx.conf with the compose service names and port replaced by loopback ones. */
function adaptNginxConf(dir: string, apiPorts: number[], listenPort: number): string {
  let conf = readFileSync('deploy/nginx.conf', 'utf8');
  apiPorts.forEach((port, index) => {
    conf = conf.replace(`server api${index + 1}:3000`, `server 127.0.0.1:${port}`);
  });
  conf = conf.replace('listen 8080;', `listen 127.0.0.1:${listenPort};`);
  const paths = [`pid ${dir}/nginx.pid;`, `error_log ${dir}/error.log warn;`, ''].join('\n');
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `  ${kind}_temp_path ${dir}/${kind};`)
    .join('\n');
  conf = paths + conf.replace('http {', `http {\n  access_log off;\n${temps}`);
  const file = join(dir, 'nginx.conf');
  writeFileSync(file, conf);
  return file;
}

async function sql(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

describe('two instances behind nginx', () => {
  const schema = `topo_${randomBytes(5).toString('hex')}`;
  const servers: ServerProcess[] = [];
  let nginx: ChildProcess | undefined;
  let base = '';

  beforeAll(async () => {
    await sql(`CREATE SCHEMA ${schema}`);
    const env = {
      DATABASE_URL: postgresUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: sharedRedisUrl,
      REDIS_KEY_PREFIX: `topo-${randomBytes(4).toString('hex')}:`,
      SEED_DEMO: 'true',
      TRUST_PROXY: '1',
      COOKIE_SECURE: 'false',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      REFRESH_TOKEN_KEY: randomBytes(32).toString('base64url'),
    };
    // Both start at once: migrations and the demo seed run under advisory locks.
    const ports = [await freePort(), await freePort()];
    for (const port of ports) servers.push(startServerProcess(env, port));
    await Promise.all(servers.map((server) => waitForHttp(`${server.url}/api/health/ready`)));

    const dir = mkdtempSync(join(tmpdir(), 'taproom-nginx-'));
    const listenPort = await freePort();
    const conf = adaptNginxConf(dir, ports, listenPort);
    nginx = spawn(NGINX, ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' });
    base = `http://127.0.0.1:${listenPort}`;
    await waitForHttp(`${base}/api/health/ready`);
  });

  afterAll(async () => {
    nginx?.kill('SIGQUIT');
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.exited));
    await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });

  const login = async (email: string, password: string, app: string): Promise<string> => {
    const response = await request(`${base}/api/auth/login`, {
      method: 'POST',
      json: { email, password, app, refreshTransport: 'body' },
    });
    expect(response.status).toBe(200);
    return (response.body as { accessToken: string }).accessToken;
  };

  it('is ready through nginx with Redis up on both instances', async () => {
    for (const server of servers) {
      const ready = await request(`${server.url}/api/health/ready`);
      expect(ready.body.checks).toEqual({ database: 'up', redis: 'up' });
    }
    expect((await request(`${base}/api/health/ready`)).status).toBe(200);
  });

  it('logs in, orders, streams and revokes through nginx', async () => {
    const bartender = await login(
      'bartender@taproom.local',
      'bartender-demo-pass-2026',
      'bartender',
    );
    const customer = await login('customer@taproom.local', 'customer-demo-pass-2026', 'customer');

    // Several streams, so that with least_conn both instances hold some.
    const staffStreams = await Promise.all([1, 2, 3].map(() => openEvents(base, bartender)));
    const customerStream = await openEvents(base, customer);
    for (const opened of [...staffStreams, customerStream]) {
      expect(opened.status).toBe(200);
      expect(opened.headers.get('content-type')).toMatch(/^text\/event-stream/);
    }

    const menu = await request<
      { id: string; available: boolean; stock: number | null; optionGroups: { min: number }[] }[]
    >(`${base}/api/menu`);
    // One that needs no choices, so the order holds just the item.
    const item = menu.body.find(
      (entry) =>
        entry.available &&
        entry.stock === null &&
        entry.optionGroups.every((group) => group.min === 0),
    );
    expect(item).toBeDefined();
    const order = await request(`${base}/api/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer}`, 'idempotency-key': randomUUID() },
      json: { items: [{ menuItemId: item?.id, quantity: 2 }], tableNumber: 7 },
    });
    expect(order.status).toBe(201);

    for (const opened of [...staffStreams, customerStream]) {
      const created = await opened.stream!.next(
        (event) => event.event === 'order.created' && event.data.id === order.body.id,
        5000,
      );
      expect(created.id).toMatch(/^\d+$/);
    }

    const logout = await request(`${base}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer}` },
    });
    expect(logout.status).toBe(204);
    const revoked = await customerStream.stream!.next(
      (event) => event.event === 'session.revoked',
      5000,
    );
    expect(revoked.data.reason).toBe('logout');
    await customerStream.stream!.ended;
    // Whichever instance nginx picks, the revoked token is refused.
    for (let attempt = 0; attempt < 6; attempt++) {
      expectErrorBody(
        await request(`${base}/api/auth/me`, { headers: { authorization: `Bearer ${customer}` } }),
        401,
        'SESSION_REVOKED',
      );
    }
    for (const opened of staffStreams) opened.stream!.close();
  });
});
