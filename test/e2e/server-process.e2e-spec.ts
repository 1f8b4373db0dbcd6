import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { request } from '../support/http.js';
import { freePort, startServerProcess, waitForHttp } from '../support/server-process.js';
import { type TestDatabase, createTestDatabase, postgresUrl } from '../support/test-database.js';

describe('the server process', () => {
  it.each([
    [{ PORT: 'abc' }, 'taproom: invalid configuration: PORT must be a whole number (got "abc")'],
    [
      { NODE_ENV: 'production' },
      'taproom: invalid configuration: DATABASE_URL is required when NODE_ENV=production; JWT_SECRET is required when NODE_ENV=production; REFRESH_TOKEN_KEY is required when NODE_ENV=production',
    ],
    [
      { TRUST_PROXY: 'true' },
      'taproom: invalid configuration: TRUST_PROXY must be a hop count (e.g. 1) or a comma-separated list of proxy addresses or CIDRs (e.g. 10.0.0.0/8); trusting every address is not allowed (got "true")',
    ],
  ])('stops with exit code 1 and one clear line for %p', async (env, line) => {
    const server = startServerProcess(env);
    expect(await server.exited).toBe(1);
    expect(server.output().trim()).toBe(line);
  });

  it('stops with exit code 1 and a one-line reason when the database is unreachable', async () => {
    const port = await freePort();
    const server = startServerProcess({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/x` });
    expect(await server.exited).toBe(1);
    const lines = server.output().trim().split('\n');
    expect(lines.at(-1)).toMatch(/^taproom: could not start: .*ECONNREFUSED/);
    expect(server.output()).not.toMatch(/\n\s+at /);
  });

  describe('on SIGTERM', () => {
    let db: TestDatabase | undefined;
    beforeAll(async () => {
      if (postgresUrl) db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('finishes, closes the database and exits 0 within 10 s', async () => {
      const port = await freePort();
      const env: Record<string, string> = db
        ? { DATABASE_URL: db.target.url, DATABASE_SCHEMA: db.target.schema ?? '' }
        : {};
      const server = startServerProcess(env, port);
      await waitForHttp(`${server.url}/api/health/ready`);
      expect((await request(`${server.url}/api/health/ready`)).body.checks.database).toBe('up');
      const signalled = Date.now();
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(10_000);
    });
  });
});
