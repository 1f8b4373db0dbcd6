/**
 * Order creation throughput: 50 concurrent customers placing orders over HTTP, on PostgreSQL and
 * on the embedded database (PGlite), with and without a contended item (one stocked item in every
 * order, so every order takes the same row lock).
 *
 * The server runs in a child process (one process per run, as autocannon and the API must not
 * share an event loop); this process drives it with autocannon over loopback and then checks that
 * the database holds exactly as many orders as got 201, and that stock adds up.
 *
 *   npm run bench -- orders
 *
 * A third scenario orders an item with options (a size and an extra), so the placing statement
 * checks the chosen options under the item locks. On PostgreSQL the uncontended orders are also
 * placed through 2 and 4 instances sharing the database and Redis, the load spread evenly over
 * them (as many connections in all, and as many database connections in all, split between
 * them); on this machine they share its cores with the database and the load generator.
 *
 * Environment: BENCH_DURATION (seconds per scenario, default 10), BENCH_CONNECTIONS (default 50),
 * BENCH_DATABASE_URL (PostgreSQL, default postgres://postgres@127.0.0.1:5432/test; set it to
 * "none" to skip PostgreSQL), BENCH_TARGETS (comma list of postgres,pglite), BENCH_POOL_SIZE
 * (PostgreSQL connections, default 20), BENCH_PROFILE (a directory for the server's CPU profile),
 * BENCH_SCENARIOS (comma list of contention,options,instances; default all), BENCH_REDIS_URL
 * (for several instances, default redis://127.0.0.1:6379).
 *
 * Each scenario also reports the statements the server sent to the database per order created
 * (every statement, including BEGIN/COMMIT and the auth guard's, counted in the `pg` driver).
 */
import { BENCH_ACTOR } from './bench-actor.js';
import { dropRedisKeys, startBenchServer } from './bench-server.js';
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/** The part of autocannon's API used here (the package ships no types). */
interface AutocannonResult {
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number };
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const CUSTOMERS = 50;
const PASSWORD = 'bench-customer-password-2026';
const CONTENDED_STOCK = 10_000_000;

interface Fixture {
  url: string;
  tokens: string[];
  /** Unlimited items: orders without contention pick two of these. */
  items: string[];
  contendedItem: string;
  /** An item with two option groups, and the options an order chooses: a size and an extra. */
  optionItem: string;
  options: string[];
}

interface ScenarioResult {
  target: string;
  scenario: string;
  ordersPerSecond: number;
  created: number;
  refused: number;
  errors: number;
  p50: number;
  p99: number;
  /** Responses by status code other than 2xx, e.g. {"503": 8}. */
  otherStatuses: Record<string, number>;
  /** Database statements per order created. */
  statementsPerOrder?: number;
  /** The server's CPU time per order created (every instance's), in microseconds. */
  serverCpuPerOrder?: number;
}

interface Counts {
  orders: number;
  stock: number;
  sold: number;
  statements: number;
  /** CPU time the server process has used (user + system), in microseconds. */
  cpuMicros: number;
}

function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

// ---------------------------------------------------------------- server (child process)

/**
 * What instances of one run share besides the database: Redis (the event bus, rate limits) under
 * the run's key prefix, and the keys tokens are signed with. Unset for a single instance.
 */
function sharedInstanceSettings(): NodeJS.ProcessEnv {
  const redis = process.env.BENCH_SERVER_REDIS;
  if (!redis) return {};
  return {
    REDIS_URL: redis,
    REDIS_KEY_PREFIX: process.env.BENCH_REDIS_PREFIX,
    JWT_SECRET: process.env.BENCH_JWT_SECRET,
    REFRESH_TOKEN_KEY: process.env.BENCH_REFRESH_TOKEN_KEY,
  };
}

async function serve(target: string): Promise<void> {
  const [{ UsersService }, { MenuService }, { DataSource }] = await Promise.all([
    import('../src/users/users.service.js'),
    import('../src/menu/menu.service.js'),
    import('typeorm'),
  ]);
  const { taproom, url, stop } = await startBenchServer(
    target,
    target === 'pglite'
      ? {}
      : {
          DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '20',
          ...sharedInstanceSettings(),
        },
  );

  const users = taproom.app.get(UsersService);
  const menu = taproom.app.get(MenuService);
  const run = `${Date.now().toString(36)}-${String(process.pid)}`;
  const customers = await Promise.all(
    Array.from({ length: CUSTOMERS }, (_, index) =>
      users.create({
        email: `bench-${run}-${index}@example.com`,
        name: `Bench Customer ${index}`,
        role: 'customer',
        password: PASSWORD,
      }),
    ),
  );
  const tokens: string[] = [];
  for (const customer of customers) {
    const response = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: customer.email,
        password: PASSWORD,
        app: 'customer',
        refreshTransport: 'body',
      }),
    });
    const body = (await response.json()) as { accessToken?: string };
    if (!body.accessToken) throw new Error(`login failed: ${response.status}`);
    tokens.push(body.accessToken);
  }
  const items: string[] = [];
  for (let index = 0; index < 10; index++) {
    const item = await menu.create(
      {
        name: `Bench Beer ${index} ${run}`,
        category: 'Bench',
        priceCents: 500 + index,
      },
      BENCH_ACTOR,
    );
    items.push(item.id);
  }
  const contended = await menu.create(
    {
      name: `Bench Contended Keg ${run}`,
      category: 'Bench',
      priceCents: 700,
      stock: CONTENDED_STOCK,
    },
    BENCH_ACTOR,
  );
  const withOptions = await menu.create(
    {
      name: `Bench Burger ${run}`,
      category: 'Bench',
      priceCents: 1200,
      optionGroups: [
        {
          name: 'Size',
          min: 1,
          max: 1,
          options: [
            { name: 'Full', priceDeltaCents: 0 },
            { name: 'Half', priceDeltaCents: -300 },
          ],
        },
        {
          name: 'Extras',
          min: 0,
          max: 2,
          options: [
            { name: 'Bacon', priceDeltaCents: 150 },
            { name: 'Cheese', priceDeltaCents: 100 },
          ],
        },
      ],
    },
    BENCH_ACTOR,
  );
  const options = withOptions.optionGroups.map((group) => group.options[1]?.id ?? '');
  const fixture: Fixture = {
    url,
    tokens,
    items,
    contendedItem: contended.id,
    optionItem: withOptions.id,
    options,
  };
  const dataSource = taproom.app.get(DataSource);
  // Counts every statement the app sends, in the driver every TypeORM query goes through.
  let statements = 0;
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const send = client.query;
  client.query = function (this: unknown, ...args: unknown[]) {
    statements++;
    return send.apply(this, args);
  };

  process.on('message', (message: { type: string }) => {
    void (async () => {
      if (message.type === 'count') {
        const rows: unknown = await dataSource.query(
          `SELECT (SELECT count(*) FROM orders) AS orders,
                  (SELECT stock FROM menu_items WHERE id = $1) AS stock,
                  (SELECT COALESCE(sum(quantity), 0) FROM order_items WHERE menu_item_id = $1) AS sold`,
          [contended.id],
        );
        const [row] = rows as { orders: string; stock: number; sold: string }[];
        process.send?.({
          type: 'count',
          orders: Number(row?.orders),
          stock: row?.stock,
          sold: Number(row?.sold),
          // Less the count statement itself.
          statements: statements - 1,
          cpuMicros: cpuMicros(),
        });
      } else if (message.type === 'stop') {
        await stop();
        process.exit(0);
      }
    })();
  });
  process.send?.({ type: 'ready', fixture });
}

// ---------------------------------------------------------------- driver (parent process)

interface Server {
  fixture: Fixture;
  count(): Promise<Counts>;
  stop(): Promise<void>;
}

function startServer(
  target: string,
  schema?: string,
  env: NodeJS.ProcessEnv = {},
): Promise<Server> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', target], {
    env: { ...process.env, BENCH_SCHEMA: schema ?? '', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // BENCH_PROFILE=<dir> writes a CPU profile of the server.
    execArgv: process.env.BENCH_PROFILE
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
      : [],
  });
  const next = <T>(type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => {
        reject(new Error(`server exited with ${code}`));
      };
      const onMessage = (message: any): void => {
        if (message?.type === type) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(message as T);
        }
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  return next<{ fixture: Fixture }>('ready').then(({ fixture }) => ({
    fixture,
    async count() {
      const reply = next<Counts>('count');
      child.send({ type: 'count' });
      return reply;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'stop' });
      await exited;
    },
  }));
}

function otherStatuses(result: AutocannonResult): Record<string, number> {
  return Object.fromEntries(
    Object.entries(result.statusCodeStats)
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, stats]) => [status, stats.count]),
  );
}

/** The guarded `GET /api/auth/me` in the same process: the ratio to it survives a noisy machine. */
async function runBaseline(server: Server, target: string): Promise<ScenarioResult> {
  const { fixture } = server;
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  let sent = 0;
  const result = await autocannon({
    url: `${fixture.url}/api/auth/me`,
    connections,
    duration,
    requests: [
      {
        method: 'GET',
        setupRequest: (request: any) => ({
          ...request,
          headers: { authorization: `Bearer ${fixture.tokens[sent++ % fixture.tokens.length]!}` },
        }),
      },
    ],
  });
  return {
    target,
    scenario: 'GET /api/auth/me',
    ordersPerSecond: Math.round(result['2xx'] / duration),
    created: result['2xx'],
    refused: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    otherStatuses: otherStatuses(result),
  };
}

type Scenario = 'no contention' | 'contended item' | 'options';

/** The items of the `n`th order of a scenario. */
function orderLines(fixture: Fixture, scenario: Scenario, n: number): unknown[] {
  const first = fixture.items[n % fixture.items.length]!;
  const second = fixture.items[(n * 7 + 3) % fixture.items.length]!;
  const lines: unknown[] = [
    { menuItemId: first, quantity: 1 },
    scenario === 'options'
      ? { menuItemId: fixture.optionItem, quantity: 2, note: 'bench', options: fixture.options }
      : { menuItemId: second, quantity: 2, note: 'bench' },
  ];
  if (scenario === 'contended item') lines.push({ menuItemId: fixture.contendedItem, quantity: 1 });
  return lines;
}

/** Orders through one instance, with `connections` connections. */
function placeOrders(
  fixture: Fixture,
  scenario: Scenario,
  connections: number,
  duration: number,
): Promise<AutocannonResult> {
  let sent = 0;
  return autocannon({
    url: `${fixture.url}/api/orders`,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (request: any) => {
          const n = sent++;
          return {
            ...request,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${fixture.tokens[n % fixture.tokens.length]!}`,
              'idempotency-key': randomUUID(),
            },
            body: JSON.stringify({
              items: orderLines(fixture, scenario, n),
              tableNumber: (n % 40) + 1,
            }),
          };
        },
      },
    ],
  });
}

/**
 * The database's counts once orders still in flight from an earlier scenario have landed (they
 * complete on the server after autocannon stopped counting): the same order count twice, 300 ms
 * apart. Statements are summed over the instances.
 */
async function settledCounts(servers: readonly Server[]): Promise<Counts> {
  const [first] = servers;
  if (!first) throw new Error('no server');
  let previous = await first.count();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const now = await first.count();
    if (now.orders === previous.orders) {
      let { statements, cpuMicros: cpu } = now;
      for (const other of servers.slice(1)) {
        const counts = await other.count();
        statements += counts.statements;
        cpu += counts.cpuMicros;
      }
      return { ...now, statements, cpuMicros: cpu };
    }
    previous = now;
  }
}

/** Orders of one scenario, the load spread evenly over `servers`; checked against the database. */
async function runScenario(
  servers: readonly Server[],
  target: string,
  scenario: Scenario,
  label: string = scenario,
): Promise<ScenarioResult> {
  const duration = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
  const before = await settledCounts(servers);
  const results = await Promise.all(
    servers.map((server) =>
      placeOrders(server.fixture, scenario, Math.ceil(connections / servers.length), duration),
    ),
  );
  const after = await settledCounts(servers);
  const result = results.reduce((sum, one) => ({
    ...sum,
    '2xx': sum['2xx'] + one['2xx'],
    non2xx: sum.non2xx + one.non2xx,
    errors: sum.errors + one.errors,
    timeouts: sum.timeouts + one.timeouts,
    statusCodeStats: { ...sum.statusCodeStats, ...one.statusCodeStats },
    // The slowest instance's latencies.
    latency: {
      p50: Math.max(sum.latency.p50, one.latency.p50),
      p99: Math.max(sum.latency.p99, one.latency.p99),
    },
  }));
  const created = result['2xx'];
  const dbCreated = after.orders - before.orders;
  // Requests still in flight when the clock stops complete on the server but are not counted.
  const open = Math.ceil(connections / servers.length) * servers.length;
  if (dbCreated < created || dbCreated > created + open) {
    throw new Error(
      `${target}/${label}: ${created} responses said 201 but ${dbCreated} orders were written`,
    );
  }
  if (after.stock + after.sold !== CONTENDED_STOCK) {
    throw new Error(
      `${target}/${label}: stock ${after.stock} + sold ${after.sold} != ${CONTENDED_STOCK}`,
    );
  }
  return {
    target,
    scenario: label,
    ordersPerSecond: Math.round(created / duration),
    created,
    refused: result.non2xx,
    errors: result.errors + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    otherStatuses: otherStatuses(result),
    statementsPerOrder:
      Math.round(((after.statements - before.statements) / Math.max(dbCreated, 1)) * 10) / 10,
    serverCpuPerOrder: Math.round((after.cpuMicros - before.cpuMicros) / Math.max(dbCreated, 1)),
  };
}

async function withPostgresSchema<T>(
  url: string,
  work: (schema: string) => Promise<T>,
): Promise<T> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    return await work(schema);
  } finally {
    await dropSchema(admin, schema);
    await admin.end();
  }
}

/**
 * Orders still in flight when autocannon stopped may outlive the server by a moment (the database
 * finishes a statement whose client left), and dropping their tables under them can deadlock:
 * then the drop is retried.
 */
async function dropSchema(admin: pg.Client, schema: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

function report(result: ScenarioResult, baseline: ScenarioResult, extra = ''): void {
  process.stdout.write(
    `${result.target.padEnd(9)} ${`orders, ${result.scenario}`.padEnd(26)} ${String(result.ordersPerSecond).padStart(6)} orders/s  ` +
      `p50 ${result.p50} ms  p99 ${result.p99} ms  (${result.created} created, ${result.refused} non-2xx ${JSON.stringify(result.otherStatuses)}, ${result.errors} errors, ${result.statementsPerOrder} statements/order, server CPU ${result.serverCpuPerOrder} µs/order, ${(result.ordersPerSecond / baseline.ordersPerSecond).toFixed(3)} of ${baseline.scenario}${extra})\n`,
  );
}

/**
 * Uncontended orders through 1, 2 and 4 instances sharing the schema and Redis, the load and the
 * database connections split evenly: each instance has its own customers and items. Measured
 * against the single instance of the same setup (Redis bus), in the same run.
 */
async function instancesCurve(
  postgresUrl: string,
  schema: string,
  results: ScenarioResult[],
): Promise<void> {
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const shared = {
    BENCH_SERVER_REDIS: redisUrl,
    BENCH_REDIS_PREFIX: `bench-${randomBytes(6).toString('hex')}:`,
    BENCH_JWT_SECRET: randomBytes(32).toString('hex'),
    BENCH_REFRESH_TOKEN_KEY: randomBytes(32).toString('hex'),
  };
  const poolSize = Number(process.env.BENCH_POOL_SIZE ?? 20);
  let single: ScenarioResult | undefined;
  try {
    for (const count of [1, 2, 4]) {
      const servers: Server[] = [];
      try {
        // One at a time: each runs the migrations' check on start.
        for (let index = 0; index < count; index++) {
          servers.push(
            await startServer(postgresUrl, schema, {
              ...shared,
              BENCH_POOL_SIZE: String(Math.ceil(poolSize / count)),
            }),
          );
        }
        const label = `${String(count)} instance${count === 1 ? '' : 's'}`;
        const result = await runScenario(servers, 'postgres', 'no contention', label);
        results.push(result);
        single ??= result;
        report(result, single);
      } finally {
        for (const server of servers) await server.stop();
      }
    }
  } finally {
    await dropRedisKeys(redisUrl, shared.BENCH_REDIS_PREFIX);
  }
}

async function main(): Promise<void> {
  const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const targets = (process.env.BENCH_TARGETS ?? 'postgres,pglite').split(',');
  const scenarios = (process.env.BENCH_SCENARIOS ?? 'contention,options,instances').split(',');
  const results: ScenarioResult[] = [];
  for (const target of targets) {
    if (target === 'postgres' && postgresUrl === 'none') continue;
    const bench = async (schema?: string): Promise<void> => {
      const server = await startServer(target === 'postgres' ? postgresUrl : 'pglite', schema);
      try {
        const baseline = await runBaseline(server, target);
        results.push(baseline);
        process.stdout.write(
          `${target.padEnd(9)} ${'baseline: GET /api/auth/me'.padEnd(26)} ${String(baseline.ordersPerSecond).padStart(6)} req/s     p50 ${baseline.p50} ms  p99 ${baseline.p99} ms\n`,
        );
        const chosen: Scenario[] = [
          'no contention',
          ...(scenarios.includes('contention') ? (['contended item'] as const) : []),
          ...(scenarios.includes('options') ? (['options'] as const) : []),
        ];
        for (const scenario of chosen) {
          const result = await runScenario([server], target, scenario);
          results.push(result);
          report(result, baseline);
        }
      } finally {
        await server.stop();
      }
      if (schema !== undefined && scenarios.includes('instances')) {
        await instancesCurve(postgresUrl, schema, results);
      }
    };
    if (target === 'postgres') await withPostgresSchema(postgresUrl, bench);
    else await bench();
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex >= 0) {
  await serve(process.argv[serveIndex + 1] ?? 'pglite');
} else {
  await main();
}
