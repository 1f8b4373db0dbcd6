/** Shared by the live-event tests on one instance (e2e) and across instances (topology). */
import { randomBytes } from 'node:crypto';
import { type SignedIn, bearer } from './auth.js';
import { request } from './http.js';
import type { ThrowawayRedis } from './redis-server.js';
import { Redis } from 'ioredis';
import { TcpProxy } from './tcp-proxy.js';
import { type TestApp, startAppOnNewDatabase, startTestApp } from './test-app.js';
import { createTestDatabase } from './test-database.js';

export const NO_LIMITS = { RATE_LIMIT_USER_PER_MINUTE: '0', RATE_LIMIT_ANON_PER_MINUTE: '0' };

export function uniquePrefix(): string {
  return `test-${randomBytes(6).toString('hex')}:`;
}

/**
 * The environment the instances of one deployment on `redisUrl` share: the Redis, under a key
 * prefix of this run's own, and the secrets, which every instance must share once they use Redis.
 */
export function sharedInstanceEnv(redisUrl: string): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: uniquePrefix(),
    JWT_SECRET: randomBytes(32).toString('hex'),
    REFRESH_TOKEN_KEY: randomBytes(32).toString('hex'),
  };
}

/**
 * One instance with no general rate limits on a database of its own (its `close` drops it); on
 * `redis` when given.
 */
export function startLiveEventsApp(redis?: ThrowawayRedis): Promise<TestApp> {
  return startAppOnNewDatabase({
    env: redis
      ? { ...NO_LIMITS, REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix() }
      : NO_LIMITS,
  });
}

/** An event committed as another instance commits it: in the log, its message not (yet) here. */
export async function commitElsewhere(app: TestApp): Promise<string> {
  const [row] = await app.sql<{ id: string }>(
    `INSERT INTO event_log (type, payload) VALUES ('menu.updated', $1::jsonb)
     RETURNING id::text AS id`,
    [JSON.stringify({ type: 'menu.updated' })],
  );
  if (!row) throw new Error('The event log insert returned no id');
  return row.id;
}

export async function readiness(app: TestApp): Promise<{ status: number; body: any }> {
  const response = await request(`${app.url}/api/health/ready`);
  return { status: response.status, body: response.body };
}

export async function eventually<T>(
  attempt: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function createMenuItem(app: TestApp, admin: SignedIn, stock: number | null = null) {
  const response = await request(`${app.url}/api/admin/menu-items`, {
    method: 'POST',
    headers: bearer(admin.accessToken),
    json: {
      name: `Item ${randomBytes(3).toString('hex')}`,
      category: 'Test',
      priceCents: 400,
      stock,
    },
  });
  if (response.status !== 201) throw new Error(`create item: ${response.status} ${response.text}`);
  return response.body as { id: string };
}

export async function placeOrder(app: TestApp, who: SignedIn, menuItemId: string) {
  const response = await request(`${app.url}/api/orders`, {
    method: 'POST',
    headers: { ...bearer(who.accessToken), 'idempotency-key': randomBytes(8).toString('hex') },
    json: { items: [{ menuItemId, quantity: 1 }] },
  });
  if (response.status !== 201) throw new Error(`order: ${response.status} ${response.text}`);
  return response.body as { id: string };
}

/** Two instances of one deployment, as a load balancer would see them. */
export interface Deployment {
  readonly a: TestApp;
  readonly b: TestApp;
  /** With `proxyRedisOfA`: the proxy through which A reaches Redis, which a test can stall. */
  readonly redisProxyOfA: TcpProxy | undefined;
  /** Closes both, drops the database and deletes the deployment's Redis keys. */
  close(): Promise<void>;
}

/**
 * Two instances sharing one database, one Redis at `redisUrl` (under a key prefix of their own)
 * and the secrets, with no general rate limits and `env` on top. With `proxyRedisOfA`, instance A
 * reaches Redis through a proxy (`redisProxyOfA`) that a test can hold and release.
 */
export async function startDeployment(
  redisUrl: string,
  env: Record<string, string> = {},
  options: { readonly proxyRedisOfA?: boolean } = {},
): Promise<Deployment> {
  let proxy: TcpProxy | undefined;
  if (options.proxyRedisOfA === true) {
    proxy = TcpProxy.forUrl(redisUrl);
    await proxy.start();
  }
  const database = await createTestDatabase();
  const instance = sharedInstanceEnv(redisUrl);
  const shared = { ...NO_LIMITS, ...instance, ...env };
  const b = await startTestApp({ database: database.target, env: shared });
  const a = await startTestApp({
    database: database.target,
    env: { ...shared, REDIS_URL: proxy?.rewrite(redisUrl) ?? redisUrl },
  });
  return {
    a,
    b,
    redisProxyOfA: proxy,
    async close() {
      proxy?.release();
      await Promise.all([a.close(), b.close()]);
      await proxy?.cut();
      await database.drop();
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${instance.REDIS_KEY_PREFIX ?? ''}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    },
  };
}
