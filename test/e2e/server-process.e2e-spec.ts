import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mustOpenEvents } from '../support/event-stream.js';
import { request } from '../support/http.js';
import { eventually } from '../support/live-events.js';
import {
  freePort,
  runCommandLine,
  serverProcessEnv,
  startServerProcess,
  waitForHttp,
} from '../support/server-process.js';
import { type TestDatabase, createTestDatabase, postgresUrl } from '../support/test-database.js';

function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return runCommandLine('dist/src/users/create-admin.cli.js', args, { NODE_ENV: 'test', ...env });
}

/**
 * The built server on a pseudo-terminal (util-linux's `script`), as a person runs `npm start`:
 * its output, and how to stop it.
 */
function startOnTerminal(port: number): {
  output(): string;
  stop(): void;
  exited: Promise<unknown>;
} {
  const child = spawn('script', ['-qefc', `${process.execPath} dist/src/main.js`, '/dev/null'], {
    env: serverProcessEnv({ LOG_LEVEL: 'info' }, port),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    output: () => output,
    stop: () => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    },
    exited,
  };
}

// Each test starts whole server processes (the embedded database on disk takes seconds to open).
jest.setTimeout(180_000);

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

  it('creates the first admin from the command line, once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taproom-admin-cli-'));
    const env = { DATA_DIR: dataDir, TAPROOM_ADMIN_PASSWORD: 'a-long-enough-admin-password-7' };
    const first = await runCli(['ada@bar.example', 'Ada Admin'], env);
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/^Created admin ada@bar.example \(/);
    const again = await runCli(['ADA@bar.example', 'Ada Again'], env);
    expect(again.code).toBe(1);
    expect(again.output.trim()).toBe('create-admin: An account with this email already exists.');
    const weak = await runCli(['bob@bar.example', 'Bob'], {
      ...env,
      TAPROOM_ADMIN_PASSWORD: 'short',
    });
    expect(weak.code).toBe(1);
    expect(weak.output.trim()).toBe('create-admin: password must be at least 15 characters long');
    // The rules of sign-up: a lookalike of the first admin is refused before anything is made.
    const lookalike = await runCli(['\u0430da@bar.example', 'Ada Lookalike'], env);
    expect(lookalike.code).toBe(1);
    expect(lookalike.output.trim()).toMatch(/^create-admin: email must not mix letters/);
    // And a name goes on one line, as every other form wants it.
    const twoLines = await runCli(['bo@bar.example', 'Bo\nAdmin'], env);
    expect(twoLines.code).toBe(1);
    expect(twoLines.output.trim()).toBe(
      'create-admin: name must be on one line: no line breaks or control characters',
    );
  });

  it('holds its embedded database: another process on the same data directory is refused', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'taproom-lock-'));
    const env = { DATA_DIR: dataDir, TAPROOM_ADMIN_PASSWORD: 'a-long-enough-admin-password-7' };
    const port = await freePort();
    const server = startServerProcess({ DATA_DIR: dataDir }, port);
    await waitForHttp(`${server.url}/api/health/ready`);

    // Both would open the database in their own memory, and one's writes would be lost.
    const cli = await runCli(['ada@bar.example', 'Ada Admin'], env);
    expect(cli.code).toBe(1);
    expect(cli.output.trim()).toBe(
      `create-admin: the embedded database in ${dataDir}/pglite is in use by another process (a running npm start, npm run dev or CLI); stop it first (the lock ${dataDir}/pglite.lock of a process that died frees itself within 10 s)`,
    );
    const second = startServerProcess({ DATA_DIR: dataDir }, await freePort());
    expect(await second.exited).toBe(1);
    expect(second.output().trim().split('\n').at(-1)).toMatch(
      /^taproom: could not start: the embedded database in .* is in use by another process/,
    );
    expect((await request(`${server.url}/api/health/ready`)).status).toBe(200);

    // Stopped, the server lets go, and what the command line writes is there at the next start.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect((await runCli(['ada@bar.example', 'Ada Admin'], env)).code).toBe(0);
    const restarted = startServerProcess({ DATA_DIR: dataDir }, port);
    try {
      await waitForHttp(`${restarted.url}/api/health/ready`);
      const login = await request(`${restarted.url}/api/auth/login`, {
        method: 'POST',
        json: {
          email: 'ada@bar.example',
          password: env.TAPROOM_ADMIN_PASSWORD,
          app: 'admin',
          refreshTransport: 'body',
        },
      });
      expect(login.status).toBe(200);
    } finally {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
  });

  it('says where to go once ready, in one JSON line when piped, without route-mapping lines', async () => {
    const port = await freePort();
    const server = startServerProcess({ LOG_LEVEL: 'info' }, port);
    try {
      await waitForHttp(`${server.url}/api/health`);
      const ready = await eventually(
        () =>
          Promise.resolve(
            server
              .output()
              .split('\n')
              .find((line) => line.includes('"Taproom is ready"')) ?? '',
          ),
        (line) => line !== '',
        5_000,
      );
      expect(JSON.parse(ready)).toMatchObject({
        level: 30,
        msg: 'Taproom is ready',
        urls: {
          customer: `http://127.0.0.1:${port}/`,
          bartender: `http://127.0.0.1:${port}/bartender/`,
          admin: `http://127.0.0.1:${port}/admin/`,
          apiDocs: `http://127.0.0.1:${port}/api/docs`,
          readiness: `http://127.0.0.1:${port}/api/health/ready`,
        },
        database: expect.stringMatching(/^embedded PostgreSQL \(PGlite\) in /),
        demoAccounts: ['admin@taproom.local', 'bartender@taproom.local', 'customer@taproom.local'],
      });
      const lines = server.output().trim().split('\n');
      for (const line of lines) expect(line).toMatch(/^\{.*\}$/);
      const contexts = lines.map((line) => (JSON.parse(line) as { context?: string }).context);
      for (const chatter of ['RoutesResolver', 'RouterExplorer', 'InstanceLoader']) {
        expect(contexts).not.toContain(chatter);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  it('prints the start-up block and readable lines on a terminal', async () => {
    const port = await freePort();
    const server = startOnTerminal(port);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/health`);
      await request(`http://127.0.0.1:${port}/api/menu`);
      const output = await eventually(
        () => Promise.resolve(server.output()),
        (text) => text.includes('GET /api/menu 200'),
        5_000,
      );
      const lines = stripVTControlCharacters(output).split(/\r?\n/);
      expect(lines).toContain('Taproom is ready (test)');
      expect(lines).toContain(`  Admin app      http://127.0.0.1:${port}/admin/`);
      expect(lines).toContain(
        '  Demo accounts  admin@taproom.local / admin-demo-pass-2026 (admin)',
      );
      expect(
        lines.some((line) => /^\[[\d:.]+\] INFO: GET \/api\/menu 200 \d+ ms$/.test(line)),
      ).toBe(true);
      expect(lines.filter((line) => line.startsWith('{'))).toEqual([]);
    } finally {
      server.stop();
      await server.exited;
    }
  });

  it('logs JSON lines with the request id and never a password, token or cookie', async () => {
    const port = await freePort();
    const server = startServerProcess({ LOG_LEVEL: 'info', COOKIE_SECURE: 'false' }, port);
    try {
      await waitForHttp(`${server.url}/api/health`);
      const login = await request(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer secret-bearer-value-123',
          cookie: 'rt_customer=secret-cookie-value-456',
          'x-request-id': 'log-check-request-0001',
        },
        json: {
          email: 'customer@taproom.local',
          password: 'customer-demo-pass-2026',
          app: 'customer',
          refreshTransport: 'body',
        },
      });
      expect(login.status).toBe(200);
      const { accessToken, refreshToken } = login.body as {
        accessToken: string;
        refreshToken: string;
      };
      await request(`${server.url}/api/auth/me`, {
        headers: {
          authorization: `Bearer ${accessToken}`,
          'x-request-id': 'log-check-request-0002',
        },
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const lines = server
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { req?: { id?: string } });
      const ids = lines.map((line) => line.req?.id);
      expect(ids).toEqual(
        expect.arrayContaining(['log-check-request-0001', 'log-check-request-0002']),
      );
      const output = server.output();
      for (const secret of [
        'secret-bearer-value-123',
        'secret-cookie-value-456',
        'customer-demo-pass-2026',
        accessToken,
        refreshToken,
      ]) {
        expect(output).not.toContain(secret);
      }
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  describe('on SIGTERM', () => {
    let db: TestDatabase | undefined;
    beforeAll(async () => {
      if (postgresUrl) db = await createTestDatabase();
    });
    afterAll(async () => {
      await db?.drop();
    });

    it('closes open event streams with a last comment, closes the database and exits 0 within 10 s', async () => {
      const port = await freePort();
      const env: Record<string, string> = db
        ? { DATABASE_URL: db.target.url, DATABASE_SCHEMA: db.target.schema ?? '' }
        : {};
      const server = startServerProcess({ ...env, SEED_DEMO: 'true' }, port);
      await waitForHttp(`${server.url}/api/health/ready`);
      expect((await request(`${server.url}/api/health/ready`)).body.checks.database).toBe('up');
      const login = await request(`${server.url}/api/auth/login`, {
        method: 'POST',
        json: {
          email: 'customer@taproom.local',
          password: 'customer-demo-pass-2026',
          app: 'customer',
          refreshTransport: 'body',
        },
      });
      expect(login.status).toBe(200);
      const token = (login.body as { accessToken: string }).accessToken;
      const streams = [
        await mustOpenEvents(server.url, token),
        await mustOpenEvents(server.url, token),
      ];
      const signalled = Date.now();
      server.child.kill('SIGTERM');
      for (const stream of streams) {
        await stream.ended;
        expect(stream.comments.at(-1)).toBe('server shutting down');
      }
      expect(await server.exited).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(10_000);
    });
  });
});
