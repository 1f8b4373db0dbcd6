/**
 * The orders CSV export at 100,000 orders: how long `GET /api/admin/orders.csv` takes, how fast
 * it streams, and whether the server's memory stays flat while it does.
 *
 * The server runs in a child process (as in the other benchmarks); it fills its database in bulk
 * (`INSERT … SELECT generate_series`, not over HTTP): BENCH_EXPORT_ORDERS orders (default
 * 100,000) placed in 2026 and 1,000 placed in 2025, each with two lines, every tenth with a note
 * that needs quoting. This process downloads over HTTP and samples the server's RSS from
 * `/proc/<pid>/status` every 20 ms, without asking the server (whose event loop is busy
 * streaming):
 *
 * 1. a warm-up export of the 1,000 orders of 2025 (not reported);
 * 2. baseline: the same 1,000-order export (`?to=2026-01-01T00:00:00Z`);
 * 3. 10,000 orders (the first ten days of 2026);
 * 4. the large export (`?from=2026-01-01T00:00:00Z`), twice.
 *
 * Each reports its lines (checked against the orders written: the run fails on a mismatch),
 * seconds, MB/s, orders/s, the peak RSS growth during the download over the RSS just before it,
 * and the V8 heap in use after a full collection (`--expose-gc`) before and after it, which is
 * what the export kept. The large export's speed is also given as a ratio to the baseline's.
 * Targets: 100,000 orders in less than 30 s; RSS growth not proportional to the rows.
 *
 * The peak RSS mostly measures how long V8 lets garbage pile up before a full collection: with
 * BENCH_MAX_OLD_SPACE_MB (the server's `--max-old-space-size`) set a little above the live heap,
 * the same exports must still complete, and the growth shows what they need.
 *
 *   npm run bench -- exports
 *
 * Environment: BENCH_EXPORT_ORDERS (default 100000), BENCH_DATABASE_URL (PostgreSQL, default
 * postgres://postgres@127.0.0.1:5432/test, a throwaway schema per run; "none" to skip it),
 * BENCH_TARGETS (comma list of postgres,pglite; default both), BENCH_MAX_OLD_SPACE_MB (caps the
 * server's old generation), BENCH_PROFILE (a directory for the server's CPU profile).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { BENCH_ACTOR } from './bench-actor.js';
import { startBenchServer } from './bench-server.js';

const LARGE = Number(process.env.BENCH_EXPORT_ORDERS ?? 100_000);
const SMALL = 1_000;
const PASSWORD = 'bench-admin-password-2026';
const RSS_SAMPLE_MS = 20;

interface Fixture {
  url: string;
  adminToken: string;
}

// ---------------------------------------------------------------- server (child process)

async function serve(target: string): Promise<void> {
  const [{ UsersService }, { MenuService }, { DataSource }] = await Promise.all([
    import('../src/users/users.service.js'),
    import('../src/menu/menu.service.js'),
    import('typeorm'),
  ]);
  const { taproom, url, stop } = await startBenchServer(target);

  const users = taproom.app.get(UsersService);
  const run = Date.now().toString(36);
  const admin = await users.create({
    email: `bench-admin-${run}@example.com`,
    name: 'Bench Admin',
    role: 'admin',
    password: PASSWORD,
  });
  const customer = await users.create({
    email: `bench-customer-${run}@example.com`,
    name: 'Bench Customer',
    role: 'customer',
    password: PASSWORD,
  });
  const menu = taproom.app.get(MenuService);
  const beer = await menu.create(
    { name: 'Bench Pilsner', category: 'Bench', priceCents: 500 },
    BENCH_ACTOR,
  );
  const nachos = await menu.create(
    { name: 'Bench Nachos, large', category: 'Bench', priceCents: 850 },
    BENCH_ACTOR,
  );
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: admin.email,
      password: PASSWORD,
      app: 'admin',
      refreshTransport: 'body',
    }),
  });
  const { accessToken } = (await login.json()) as { accessToken?: string };
  if (!accessToken) throw new Error(`admin login failed: ${login.status}`);

  const dataSource = taproom.app.get(DataSource);
  const started = Date.now();
  // 2026: the large set, 1,000 orders a business day; 2025: the baseline's 1,000, one day.
  await fill(dataSource, { customerId: customer.id, beer: beer.id, nachos: nachos.id }, LARGE, 0);
  await fill(dataSource, { customerId: customer.id, beer: beer.id, nachos: nachos.id }, SMALL, -1);
  // As autovacuum would soon after such a fill. Without statistics PostgreSQL misjudges each
  // batch's cost by orders of magnitude and JIT-compiles it (~150-250 ms a batch, see README).
  await dataSource.query('ANALYZE');
  const fillSeconds = (Date.now() - started) / 1000;

  process.on('message', (message: { type: string }) => {
    if (message.type === 'memory') {
      // Started with --expose-gc: what is still held once the garbage is gone.
      (globalThis as { gc?: () => void }).gc?.();
      const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
      process.send?.({ type: 'memory', rss, heapUsed, external, arrayBuffers });
      return;
    }
    if (message.type !== 'stop') return;
    void (async () => {
      await stop();
      process.exit(0);
    })();
  });
  process.send?.({ type: 'ready', fixture: { url, adminToken: accessToken }, fillSeconds });
}

/**
 * Writes `count` orders of the customer in one INSERT … SELECT, 1,000 per business day from 1
 * January of 2026 plus `yearOffset`, with two lines each.
 */
async function fill(
  dataSource: { query: (sql: string, params?: unknown[]) => Promise<unknown> },
  who: { customerId: string; beer: string; nachos: string },
  count: number,
  yearOffset: number,
): Promise<void> {
  await dataSource.query(
    `WITH placed AS (
       INSERT INTO orders (id, number, business_day, customer_id, customer_name, status,
                           total_cents, table_number, note, version, created_at, updated_at)
       SELECT gen_random_uuid(), g % 1000 + 1, d.day, $1, 'Bench Customer',
              (ARRAY['completed', 'completed', 'completed', 'cancelled', 'pending'])[g % 5 + 1],
              2 * 500 + 850, g % 40 + 1,
              CASE WHEN g % 10 = 0 THEN 'no ice, "please"' END, 1,
              d.day + time '12:00' + (g % 1000) * interval '36 seconds',
              d.day + time '12:00' + (g % 1000) * interval '36 seconds'
         FROM generate_series(0, $2::int - 1) AS g,
              LATERAL (SELECT (date '2026-01-01' + make_interval(years => $3::int)
                               + (g / 1000) * interval '1 day')::date AS day) AS d
       RETURNING id
     )
     INSERT INTO order_items (order_id, line_no, menu_item_id, name, unit_price_cents, quantity,
                              note, stock_taken, station)
     SELECT placed.id, l.line_no, l.item, l.name, l.price, l.quantity, l.note, 0, 'bar'
       FROM placed,
            (VALUES (1, $4::uuid, 'Bench Pilsner', 500, 2, NULL),
                    (2, $5::uuid, 'Bench Nachos, large', 850, 1, 'extra salsa'))
              AS l(line_no, item, name, price, quantity, note)`,
    [who.customerId, count, yearOffset, who.beer, who.nachos],
  );
}

// ---------------------------------------------------------------- driver (parent process)

/** The server's memory after a full garbage collection. */
interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

interface Server {
  fixture: Fixture;
  pid: number;
  fillSeconds: number;
  /** Collects the server's garbage, then tells its memory. */
  memory(): Promise<Memory>;
  stop(): Promise<void>;
}

function startServer(target: string, schema?: string): Promise<Server> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', target], {
    env: { ...process.env, BENCH_SCHEMA: schema ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [
      '--expose-gc',
      ...(process.env.BENCH_MAX_OLD_SPACE_MB
        ? [`--max-old-space-size=${process.env.BENCH_MAX_OLD_SPACE_MB}`]
        : []),
      ...(process.env.BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
        : []),
    ],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`server exited with ${code}`));
    });
    child.on('message', (message: any) => {
      if (message?.type !== 'ready') return;
      resolve({
        fixture: message.fixture as Fixture,
        pid: child.pid ?? 0,
        fillSeconds: message.fillSeconds as number,
        memory() {
          return new Promise<Memory>((done) => {
            const onMessage = (reply: any): void => {
              if (reply?.type !== 'memory') return;
              child.off('message', onMessage);
              done(reply as Memory);
            };
            child.on('message', onMessage);
            child.send({ type: 'memory' });
          });
        },
        async stop() {
          const exited = new Promise((done) => child.once('exit', done));
          child.send({ type: 'stop' });
          await exited;
        },
      });
    });
  });
}

/** The resident set size of process `pid`, in bytes (Linux). */
function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

interface ExportResult {
  name: string;
  /** Orders written (lines less the header). */
  rows: number;
  bytes: number;
  seconds: number;
  firstByteMs: number;
  rssBefore: number;
  rssPeak: number;
  /** The V8 heap in use after a full collection, before and after the download. */
  heapBefore: number;
  heapAfter: number;
}

/**
 * Downloads one export, reading as fast as it comes and keeping nothing but counts, while the
 * server's RSS is sampled.
 */
async function download(server: Server, name: string, query: string): Promise<ExportResult> {
  const heapBefore = (await server.memory()).heapUsed;
  const rssBefore = rssOf(server.pid);
  let rssPeak = rssBefore;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, rssOf(server.pid));
  }, RSS_SAMPLE_MS);
  const started = performance.now();
  try {
    const response = await fetch(`${server.fixture.url}/api/admin/orders.csv${query}`, {
      headers: { authorization: `Bearer ${server.fixture.adminToken}` },
    });
    if (response.status !== 200 || !response.body) {
      throw new Error(`${name}: ${response.status} ${await response.text()}`);
    }
    const firstByteMs = performance.now() - started;
    let bytes = 0;
    let lineEnds = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      // No field of the bench's data holds a line break: every LF ends a line.
      for (const byte of chunk) if (byte === 0x0a) lineEnds++;
    }
    const seconds = (performance.now() - started) / 1000;
    rssPeak = Math.max(rssPeak, rssOf(server.pid));
    clearInterval(sampler);
    const heapAfter = (await server.memory()).heapUsed;
    return {
      name,
      rows: lineEnds - 1,
      bytes,
      seconds,
      firstByteMs,
      rssBefore,
      rssPeak,
      heapBefore,
      heapAfter,
    };
  } finally {
    clearInterval(sampler);
  }
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function report(target: string, result: ExportResult): void {
  const growth = result.rssPeak - result.rssBefore;
  process.stdout.write(
    `${target.padEnd(9)} ${result.name.padEnd(22)} ${String(result.rows).padStart(7)} rows ` +
      `${result.seconds.toFixed(2).padStart(6)} s  ${(result.bytes / 1024 / 1024 / result.seconds).toFixed(1).padStart(5)} MB/s  ` +
      `${Math.round(result.rows / result.seconds)} rows/s  first byte ${Math.round(result.firstByteMs)} ms  ` +
      `${mb(result.bytes)}  RSS ${mb(result.rssBefore)} → peak ${mb(result.rssPeak)} (+${mb(growth)})  ` +
      `heap after GC ${mb(result.heapBefore)} → ${mb(result.heapAfter)}\n`,
  );
}

/** The exports measured, in this order, after a warm-up export of the 2025 orders. */
const EXPORTS = [
  { name: 'baseline: 1,000 orders', query: '?to=2026-01-01T00:00:00Z', rows: SMALL },
  {
    name: `${Math.min(LARGE, 10_000)} orders`,
    query: `?from=2026-01-01T00:00:00Z&to=2026-01-${String(Math.min(LARGE / 1000, 10) + 1).padStart(2, '0')}T00:00:00Z`,
    rows: Math.min(LARGE, 10_000),
  },
  { name: `${LARGE} orders`, query: '?from=2026-01-01T00:00:00Z', rows: LARGE },
  { name: `${LARGE} orders, again`, query: '?from=2026-01-01T00:00:00Z', rows: LARGE },
];

async function benchTarget(target: string, url: string, schema?: string): Promise<object> {
  const server = await startServer(url, schema);
  try {
    process.stdout.write(
      `${target.padEnd(9)} filled ${LARGE + SMALL} orders in ${server.fillSeconds.toFixed(1)} s\n`,
    );
    await download(server, 'warm-up', '?to=2026-01-01T00:00:00Z');
    const results: ExportResult[] = [];
    for (const { name, query, rows } of EXPORTS) {
      const result = await download(server, name, query);
      if (result.rows !== rows) {
        throw new Error(`${target}/${name}: ${result.rows} lines, ${rows} orders`);
      }
      report(target, result);
      results.push(result);
    }
    const [baseline, , large] = results as [ExportResult, ExportResult, ExportResult];
    const growth = (result: ExportResult): number => result.rssPeak - result.rssBefore;
    const rowsPerSecond = (result: ExportResult): number => result.rows / result.seconds;
    process.stdout.write(
      `${target.padEnd(9)} ${LARGE} / baseline: ${(large.rows / baseline.rows).toFixed(0)}× the rows, ` +
        `${(rowsPerSecond(large) / rowsPerSecond(baseline)).toFixed(2)}× the rows/s; RSS growth ` +
        results.map((result) => mb(growth(result))).join(', ') +
        ` (${EXPORTS.map((entry) => entry.rows).join(', ')} rows); ` +
        `${LARGE} in < 30 s: ${large.seconds < 30 ? 'met' : 'not met'}\n`,
    );
    return { target, fillSeconds: server.fillSeconds, exports: results };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const targets = (process.env.BENCH_TARGETS ?? 'postgres,pglite').split(',');
  const results: object[] = [];
  for (const target of targets) {
    if (target === 'postgres') {
      if (postgresUrl === 'none') continue;
      const schema = `bench_${randomBytes(5).toString('hex')}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
      try {
        results.push(await benchTarget(target, postgresUrl, schema));
      } finally {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    } else {
      results.push(await benchTarget(target, 'pglite'));
    }
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex >= 0) {
  await serve(process.argv[serveIndex + 1] ?? 'pglite');
} else {
  await main();
}
