import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { TaproomApp } from '../src/app.factory.js';

/**
 * A Taproom server for a benchmark's child process, listening on a free loopback port: on
 * in-memory PGlite (`target` 'pglite': the one-connection path, not the disk) or on PostgreSQL
 * (`target` a URL, in the schema `BENCH_SCHEMA`), quiet, without rate limits, the web apps or
 * demo data. `env` adds to (or overrides) the settings; `stop` closes the server, then the
 * embedded database.
 */
export async function startBenchServer(
  target: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ taproom: TaproomApp; url: string; stop: () => Promise<void> }> {
  const [{ createApp }, { loadConfig }, { startEmbeddedPostgres }] = await Promise.all([
    import('../src/app.factory.js'),
    import('../src/config/app-config.js'),
    import('../src/database/embedded-postgres.js'),
  ]);
  const settings: NodeJS.ProcessEnv = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    COOKIE_SECURE: 'false',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_ANON_PER_MINUTE: '0',
    DATA_DIR: `/tmp/taproom-bench-${randomBytes(4).toString('hex')}`,
    WEB_ROOT: '/tmp/taproom-bench-no-web',
    SEED_DEMO: 'false',
    ...(target === 'pglite'
      ? {}
      : { DATABASE_URL: target, DATABASE_SCHEMA: process.env.BENCH_SCHEMA }),
    ...env,
  };
  const embedded = target === 'pglite' ? await startEmbeddedPostgres(undefined) : undefined;
  const taproom = await createApp(loadConfig(settings), {
    database: embedded
      ? { url: embedded.url, embedded: true, schema: undefined, poolSize: 1 }
      : undefined,
  });
  await taproom.app.listen({ port: 0, host: '127.0.0.1' });
  const address = taproom.app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('not on TCP');
  return {
    taproom,
    url: `http://127.0.0.1:${String(address.port)}`,
    stop: async () => {
      await taproom.close();
      await embedded?.stop();
    },
  };
}

/** Deletes what a run left in Redis under its key prefix (rate-limit windows, stream leases). */
export async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
      const batch = keys as string[];
      if (batch.length > 0) await redis.del(...batch);
    }
  } finally {
    redis.disconnect();
  }
}
