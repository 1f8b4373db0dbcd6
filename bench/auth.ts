/**
 * The guarded request path and the login storm.
 *
 * 1. Requests per second of a guarded `GET /api/auth/me` (JWT verified, session checked against
 *    the revocation set, user view from the cache) against the same server's public
 *    `/api/health`, alternating in the same rounds; target ratio ≥ 0.8. (Health checks are not
 *    request-logged, so `/me`'s request line is part of what the ratio measures.) Also against a
 *    bare Nest-on-Fastify handler that returns a user-sized JSON, in the same child process.
 * 2. p99 of guarded requests while 50 logins run concurrently (argon2 on the thread pool),
 *    against the same p99 in calm; target ≤ 3×. Both send guarded requests at a fixed rate, a
 *    quarter of the throughput measured in 1. (at full throttle, p99 would be queueing time
 *    behind autocannon's own connections, which says nothing about the storm).
 *
 * 3. With BENCH_BEFORE=<git revision>: the guarded request's server CPU of that revision against
 *    this checkout's, in the same run, alternating (the revision is built in a temporary git
 *    worktree and served by its own child process, as this checkout's is).
 *
 * The server runs in a child process so that autocannon (in this process) never shares its event
 * loop. Environment: BENCH_DURATION (seconds per measurement, default 10), BENCH_DATABASE_URL
 * (PostgreSQL, default postgres://postgres@127.0.0.1:5432/test; "none" for the embedded database),
 * BENCH_BEFORE (above), BENCH_PROFILE=<dir> (CPU profiles of the server per phase).
 */
import 'reflect-metadata';
import { execFileSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  symlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import type { MenuService } from '../src/menu/menu.service.js';
import { BENCH_ACTOR } from './bench-actor.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  '3xx': number;
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const PASSWORD = 'bench-customer-password-2026';

// ------------------------------------------------------------------ server (child process)

@Controller('me')
class BareController {
  @Get()
  me(): unknown {
    return {
      user: {
        id: '0b7c3f5e-8d7a-4d39-9d3e-5a1b2c3d4e5f',
        email: 'bench@example.com',
        name: 'Bench',
        role: 'customer',
      },
      session: {
        id: '6f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b',
        app: 'customer',
        expiresAt: new Date().toISOString(),
      },
    };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

/**
 * The V8 CPU profiler of the server, when `dir` is set: `start(phase)` begins a profile and
 * `stop()` writes it to `dir/auth-<phase>-<time>.cpuprofile`, so each phase (guarded requests,
 * the login storm) has its own profile.
 */
function profiler(dir: string | undefined): {
  start(phase: string): Promise<void>;
  stop(): Promise<void>;
} {
  if (!dir) return { start: () => Promise.resolve(), stop: () => Promise.resolve() };
  const session = new Session();
  session.connect();
  const post = (method: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      session.post(method, (error, result) => {
        if (error) reject(error);
        else resolve(result);
      });
    });
  let phase = '';
  return {
    async start(name) {
      phase = name;
      await post('Profiler.enable');
      await post('Profiler.start');
    },
    async stop() {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `auth-${phase}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    },
  };
}

/** A bar's menu of 60 items in 6 categories, as `GET /api/menu` serves it to every phone. */
async function createBarMenu(menu: MenuService): Promise<void> {
  const categories = ['Draught', 'Bottles', 'Wine', 'Spirits', 'Soft drinks', 'Snacks'];
  for (const [index, category] of categories.entries()) {
    for (let position = 0; position < 10; position++) {
      await menu.create(
        {
          name: `${category} number ${position + 1} with a longer house name`,
          description: 'Brewed down the road; hoppy, citrus, a dry finish. 0.5 l or 0.3 l.',
          category,
          priceCents: 350 + index * 100 + position * 10,
          stock: position % 3 === 0 ? 24 : null,
          allergens: position % 2 === 0 ? ['gluten'] : [],
        },
        BENCH_ACTOR,
      );
    }
  }
}

async function serve(schema: string | undefined): Promise<void> {
  const { createApp } = await import('../src/app.factory.js');
  const { loadConfig } = await import('../src/config/app-config.js');
  const { UsersService } = await import('../src/users/users.service.js');
  const { MenuService: Menu } = await import('../src/menu/menu.service.js');
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const config = loadConfig({
    NODE_ENV: 'test',
    // Request logs stay on at the default level, as an operator runs it (stdout goes to a file).
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'taproom-bench-')),
    COOKIE_SECURE: 'false',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_ANON_PER_MINUTE: '0',
    // The storm is 50 concurrent correct logins from one address: sign-in limits reserve each
    // attempt before the password check, so raise them, or the storm would be 429s, not argon2.
    RATE_LIMIT_LOGIN_EMAIL_IP: '1000000',
    RATE_LIMIT_LOGIN_IP: '1000000',
    // The storm logs one account in over and over: keep its older sessions alive meanwhile.
    SESSION_MAX_CUSTOMER: '100000',
    ...(schema ? { DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema } : {}),
  });
  const taproom = await createApp(config);
  await taproom.app.listen({ port: 0, host: '127.0.0.1' });
  await taproom.app.get(UsersService).create({
    email: 'bench@example.com',
    name: 'Bench',
    role: 'customer',
    password: PASSWORD,
  });
  await createBarMenu(taproom.app.get(Menu));

  const bare = await NestFactory.create<NestFastifyApplication>(BareModule, new FastifyAdapter(), {
    logger: false,
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });

  const portOf = (app: NestFastifyApplication): number => {
    const address = app.getHttpServer().address();
    return typeof address === 'object' && address ? address.port : 0;
  };
  const cpu = profiler(process.env.BENCH_PROFILE);
  process.on('message', (message: string) => {
    // Every answer is the CPU time this process has used so far (all threads), in µs.
    const done = (): void => {
      const { user, system } = process.cpuUsage();
      process.send?.(user + system);
    };
    if (message.startsWith('profile:')) void cpu.start(message.slice('profile:'.length)).then(done);
    else if (message === 'unprofile') void cpu.stop().then(done);
    else if (message === 'cpu') done();
    else if (message === 'stop') {
      void Promise.all([bare.close(), taproom.close()]).then(() => process.exit(0));
    }
  });
  process.send?.({
    taproom: `http://127.0.0.1:${portOf(taproom.app)}`,
    bare: `http://127.0.0.1:${portOf(bare)}`,
  });
}

// ------------------------------------------------------------------ driver

interface Urls {
  taproom: string;
  bare: string;
}

async function login(url: string): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'bench@example.com',
      password: PASSWORD,
      app: 'customer',
      refreshTransport: 'body',
    }),
  });
  if (response.status !== 200)
    throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

function load(url: string, connections: number, headers: Record<string, string> = {}, extra = {}) {
  return autocannon({ url, connections, duration: DURATION, headers, ...extra });
}

/** Throws unless every answer was a 2xx (or, for conditional requests, a 304). */
function check(result: AutocannonResult, what: string, status: '2xx' | '3xx' = '2xx') {
  const wrong = result.non2xx - (status === '3xx' ? result['3xx'] : 0);
  if (wrong > 0 || result.errors > 0 || result[status] === 0) {
    throw new Error(`${what}: ${wrong} answers other than ${status} and ${result.errors} errors`);
  }
  return result;
}

/**
 * Sends a message to the server (profiler control, `cpu`) and resolves with the CPU time the
 * server has used so far, in µs.
 */
type Control = (message: string) => Promise<number>;

/** A server of another revision (BENCH_BEFORE), measured alongside this checkout's. */
interface Before {
  readonly revision: string;
  readonly server: Server;
}

async function measure(urls: Urls, control: Control, before?: Before): Promise<void> {
  const token = await login(urls.taproom);
  const auth = { authorization: `Bearer ${token}` };
  const beforeAuth = before && {
    authorization: `Bearer ${await login(before.server.urls.taproom)}`,
  };
  // Warm both up, then alternate, so drift on a shared machine hits both alike.
  await load(`${urls.bare}/me`, 50, {}, { duration: 2 });
  await load(`${urls.taproom}/api/auth/me`, 50, auth, { duration: 2 });
  await load(`${urls.taproom}/api/health`, 50, {}, { duration: 2 });
  if (before && beforeAuth) {
    await load(`${before.server.urls.taproom}/api/auth/me`, 50, beforeAuth, { duration: 2 });
  }
  const bare: number[] = [];
  const guarded: number[] = [];
  const health: number[] = [];
  const healthCpu: number[] = [];
  // The server's CPU time per request: on a shared 2-core machine, where autocannon and other
  // work take turns with the server, a steadier measure of its cost than requests per second.
  const bareCpu: number[] = [];
  const guardedCpu: number[] = [];
  const beforeCpu: number[] = [];
  // The first round is profiled (when BENCH_PROFILE is set), each phase on its own.
  const run = async (
    phase: string,
    url: string,
    headers: Record<string, string>,
    rates: number[],
    cpu: number[],
    profiled: boolean,
    server: Control = control,
    status: '2xx' | '3xx' = '2xx',
  ): Promise<void> => {
    const start = await server(profiled ? `profile:${phase}` : 'cpu');
    const result = check(await load(url, 50, headers), phase, status);
    const end = await server(profiled ? 'unprofile' : 'cpu');
    rates.push(result.requests.average);
    cpu.push((end - start) / result.requests.total);
  };
  // With a revision to compare, more rounds: the two guarded figures are what is compared.
  const rounds = before ? 4 : 2;
  for (let round = 0; round < rounds; round++) {
    await run('bare', `${urls.bare}/me`, {}, bare, bareCpu, round === 0);
    await run('guarded', `${urls.taproom}/api/auth/me`, auth, guarded, guardedCpu, round === 0);
    await run('health', `${urls.taproom}/api/health`, {}, health, healthCpu, round === 0);
    if (before && beforeAuth) {
      const url = `${before.server.urls.taproom}/api/auth/me`;
      await run('before', url, beforeAuth, [], beforeCpu, false, before.server.control);
    }
  }
  const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

  // Public routes of the same server: liveness (no database, no guard) is the baseline of what
  // one Taproom request can cost; the menu is every phone's most frequent call.
  const menuUrl = `${urls.taproom}/api/menu`;
  const menuTag = (await fetch(menuUrl)).headers.get('etag') ?? '';
  const menu: number[] = [];
  const menuUnchanged: number[] = [];
  const menuCpu: number[] = [];
  const unchangedCpu: number[] = [];
  await load(menuUrl, 50, {}, { duration: 2 });
  for (let round = 0; round < 2; round++) {
    await run('menu', menuUrl, {}, menu, menuCpu, false);
    const conditional = { 'if-none-match': menuTag };
    await run('menu-304', menuUrl, conditional, menuUnchanged, unchangedCpu, false, control, '3xx');
  }

  const rate = Math.max(100, Math.round(mean(guarded) / 4));
  const paced = { overallRate: rate };
  const calm = check(await load(`${urls.taproom}/api/auth/me`, 10, auth, paced), 'calm');
  await control('profile:storm');
  const [during, storm] = await Promise.all([
    load(`${urls.taproom}/api/auth/me`, 10, auth, paced),
    load(
      `${urls.taproom}/api/auth/login`,
      50,
      { 'content-type': 'application/json' },
      {
        method: 'POST',
        body: JSON.stringify({
          email: 'bench@example.com',
          password: PASSWORD,
          app: 'customer',
          refreshTransport: 'body',
        }),
      },
    ),
  ]);
  await control('unprofile');
  check(during, 'guarded during the storm');
  check(storm, 'login storm');

  const rows: [string, string, string][] = [
    ['bare Nest + Fastify GET /me', `${Math.round(mean(bare))} req/s`, 'baseline'],
    [
      'guarded GET /api/auth/me',
      `${Math.round(mean(guarded))} req/s`,
      `${(mean(guarded) / mean(bare)).toFixed(2)}× baseline (target ≥ 0.80)`,
    ],
    ['server CPU per request, bare', `${mean(bareCpu).toFixed(0)} µs`, 'baseline'],
    [
      'server CPU per request, guarded',
      `${mean(guardedCpu).toFixed(0)} µs`,
      `bare/guarded ${(mean(bareCpu) / mean(guardedCpu)).toFixed(2)} (the ratio above, if CPU-bound)`,
    ],
    ...(before
      ? ([
          [
            `… guarded, ${before.revision.slice(0, 12)}`,
            `${mean(beforeCpu).toFixed(0)} µs`,
            `this checkout/${before.revision.slice(0, 12)} ${(mean(guardedCpu) / mean(beforeCpu)).toFixed(2)} (runs: ${beforeCpu.map((v) => v.toFixed(0)).join(', ')} against ${guardedCpu.map((v) => v.toFixed(0)).join(', ')})`,
          ],
        ] as [string, string, string][])
      : []),
    ['public GET /api/health', `${Math.round(mean(health))} req/s`, 'baseline (same server)'],
    [
      'guarded GET /api/auth/me',
      `${Math.round(mean(guarded))} req/s`,
      `${(mean(guarded) / mean(health)).toFixed(2)}× /api/health (target ≥ 0.80; runs: ${guarded.map((v, i) => (v / health[i]!).toFixed(2)).join(', ')})`,
    ],
    [
      'server CPU per request, health/guarded',
      `${mean(healthCpu).toFixed(0)}/${mean(guardedCpu).toFixed(0)} µs`,
      `health/guarded ${(mean(healthCpu) / mean(guardedCpu)).toFixed(2)}`,
    ],
    [
      'public GET /api/menu (60 items)',
      `${Math.round(mean(menu))} req/s`,
      `${(mean(menu) / mean(health)).toFixed(2)}× /api/health (target ≥ 0.80)`,
    ],
    [
      'GET /api/menu, If-None-Match → 304',
      `${Math.round(mean(menuUnchanged))} req/s`,
      `${(mean(menuUnchanged) / mean(health)).toFixed(2)}× /api/health`,
    ],
    [
      'server CPU per request: health/menu',
      `${mean(healthCpu).toFixed(0)}/${mean(menuCpu).toFixed(0)} µs`,
      `304: ${mean(unchangedCpu).toFixed(0)} µs`,
    ],
    [`guarded p99, calm (${rate}/s)`, `${calm.latency.p99} ms`, 'baseline'],
    [
      `guarded p99 (${rate}/s), 50 logins`,
      `${during.latency.p99} ms`,
      `${(during.latency.p99 / Math.max(calm.latency.p99, 1)).toFixed(2)}× calm (target ≤ 3) — ${Math.round(storm.requests.average)} logins/s`,
    ],
  ];
  for (const [what, figure, ratio] of rows) {
    process.stdout.write(`auth  ${what.padEnd(36)} ${figure.padStart(12)}   ${ratio}\n`);
  }
}

/** A bench server in its own process: its URLs, its control, and how to stop it. */
interface Server {
  readonly urls: Urls;
  readonly control: Control;
  stop(): Promise<void>;
}

/** Forks `script --serve <schema>` with its stdout (the request log) appended to `logPath`. */
async function startServer(
  script: string,
  schema: string | undefined,
  logPath: string,
): Promise<Server> {
  const logFile = openSync(logPath, 'a');
  const child = fork(script, ['--serve', schema ?? ''], {
    stdio: ['ignore', logFile, 'inherit', 'ipc'],
  });
  closeSync(logFile);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const urls = await new Promise<Urls>((resolve, reject) => {
    child.once('message', (message) => {
      resolve(message as Urls);
    });
    child.once('exit', (code) => {
      reject(new Error(`bench server ${script} exited with ${String(code)}`));
    });
  });
  return {
    urls,
    control: (message) =>
      new Promise((resolve) => {
        child.once('message', (used) => {
          resolve(used as number);
        });
        child.send(message);
      }),
    async stop() {
      child.send('stop');
      await exited;
    },
  };
}

/**
 * Builds `revision` in a temporary git worktree (sharing this checkout's node_modules) and
 * returns its auth benchmark script, and how to remove the worktree.
 */
function buildRevision(revision: string): { script: string; remove(): void } {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'taproom-bench-before-'));
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  };
  git('worktree', 'add', '--detach', dir, revision);
  const remove = (): void => {
    git('worktree', 'remove', '--force', dir);
  };
  try {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'bench/tsconfig.json'], {
      cwd: dir,
      stdio: 'inherit',
    });
  } catch (error) {
    remove();
    throw error;
  }
  return { script: join(dir, 'dist-bench', 'bench', 'auth.js'), remove };
}

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const revision = process.env.BENCH_BEFORE;
  const schemas: string[] = [];
  let admin: pg.Client | undefined;
  const newSchema = async (): Promise<string | undefined> => {
    if (!admin) return undefined;
    const schema = `bench_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    schemas.push(schema);
    return schema;
  };
  if (databaseUrl !== 'none') {
    admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
  }
  const built = revision === undefined ? undefined : buildRevision(revision);
  // The server's logs (one JSON line per request) go to a file, as a log shipper would take them.
  const logDir = mkdtempSync(join(tmpdir(), 'taproom-bench-log-'));
  const servers: Server[] = [];
  try {
    const server = await startServer(
      fileURLToPath(import.meta.url),
      await newSchema(),
      join(logDir, 'server.log'),
    );
    servers.push(server);
    let before: Before | undefined;
    if (built && revision !== undefined) {
      const other = await startServer(built.script, await newSchema(), join(logDir, 'before.log'));
      servers.push(other);
      before = { revision, server: other };
    }
    process.stdout.write(
      `auth  database: ${admin ? 'PostgreSQL' : 'embedded PGlite'}, ${DURATION} s per figure\n`,
    );
    await measure(server.urls, server.control, before);
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    const logged = statSync(join(logDir, 'server.log'), { throwIfNoEntry: false })?.size ?? 0;
    process.stdout.write(`auth  server log: ${(logged / 1e6).toFixed(1)} MB (deleted)\n`);
    rmSync(logDir, { recursive: true, force: true });
    built?.remove();
    if (admin) {
      for (const schema of schemas) await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  }
}

const serveIndex = process.argv.indexOf('--serve');
// An empty schema argument means the embedded database.
if (serveIndex >= 0)
  await serve(process.argv[serveIndex + 1] === '' ? undefined : process.argv[serveIndex + 1]);
else await main();
