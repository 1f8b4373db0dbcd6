/**
 * Latency of every list, report and export the apps call, on a year of data (see seed-year.ts),
 * at several sizes: p50 and p95 of each route over sequential requests, next to the same run's
 * `GET /api/health` p95 and the same route's p95 at the smallest size measured. Target: p95 under
 * 100 ms.
 *
 *   npm run bench -- lists
 *   BENCH_LIST_SCALES=1 BENCH_LIST_REQUESTS=20 npm run bench -- lists
 *
 * For each scale (`BENCH_LIST_SCALES`, default `0.01,0.1,1`: 10k, 100k and 1M orders) the year is
 * seeded unless already kept (seeding 1M orders takes minutes the first time), then the API is
 * started in a child process on that schema, signed in as the seeded admin, bartender and regular
 * customer, and each route is asked `BENCH_LIST_REQUESTS` times (default 30) one after another,
 * after two warm-up requests (one when it takes over a second); a route still running after
 * `BENCH_LIST_ROUTE_SECONDS` (default 20) stops early with at least 3 samples (its p95 is then the
 * slowest of them), and one whose warm-up took half that time is reported from that request.
 * The query strings are those the apps send (admin orders page with its filters and pages, the
 * dashboard's, the bar's queue and recent lane, a customer's own orders, sessions, audit, users,
 * reports, tabs, CSV exports). Exports are timed to the first byte and to the last.
 *
 * Every answer is checked, so a broken route cannot look fast: status 200, and where the right
 * answer is known from the database (orders, statuses, open tickets, audit entries, users, a
 * month's CSV lines) the total must match it.
 *
 * BENCH_EXPLAIN=1 also loads `auto_explain` into the server's connections (a role of their own,
 * dropped at the end; nothing else on the PostgreSQL server changes): every statement over 100 ms
 * logs its plan with ANALYZE and BUFFERS to the PostgreSQL log. Its instrumentation slows the
 * statements: take timings from a run without it.
 *
 * Environment: BENCH_LIST_SCALES, BENCH_LIST_REQUESTS, BENCH_LIST_ROUTE_SECONDS, BENCH_EXPLAIN,
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { fork } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startBenchServer } from './bench-server.js';
import { YEAR_ACCOUNTS, YEAR_PASSWORD, seedYear, yearSchema } from './seed-year.js';

const TARGET_MS = 100;
const REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 30);
const ROUTE_SECONDS = Number(process.env.BENCH_LIST_ROUTE_SECONDS ?? 20);
const MIN_SAMPLES = 3;
const WARM_UP = 2;

// ---------------------------------------------------------------- server (child process)

async function serve(url: string): Promise<void> {
  const { url: base, stop } = await startBenchServer(url);
  process.on('message', (message: { type: string }) => {
    if (message.type !== 'stop') return;
    void (async () => {
      await stop();
      process.exit(0);
    })();
  });
  process.send?.({ type: 'ready', url: base });
}

/** The role whose sessions load `auto_explain` (BENCH_EXPLAIN=1), and only those. */
const EXPLAIN_ROLE = 'bench_year_explain';

/**
 * With BENCH_EXPLAIN=1, a connection URL as a role of its own whose sessions log the plan (with
 * ANALYZE and BUFFERS) of every statement over the target. The app sets its own startup options
 * (the schema), so PGOPTIONS would not reach its connections; a role setting does, and changes
 * nothing for anyone else on the server. Trust authentication, as on this machine.
 */
async function explainingUrl(url: string): Promise<string> {
  if (process.env.BENCH_EXPLAIN !== '1') return url;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [EXPLAIN_ROLE]);
    if (exists.rowCount === 0) await admin.query(`CREATE ROLE ${EXPLAIN_ROLE} LOGIN SUPERUSER`);
    for (const setting of [
      `session_preload_libraries = 'auto_explain'`,
      `auto_explain.log_min_duration = ${TARGET_MS}`,
      `auto_explain.log_analyze = on`,
      `auto_explain.log_buffers = on`,
      `auto_explain.log_nested_statements = on`,
    ]) {
      await admin.query(`ALTER ROLE ${EXPLAIN_ROLE} SET ${setting}`);
    }
  } finally {
    await admin.end();
  }
  const explaining = new URL(url);
  explaining.username = EXPLAIN_ROLE;
  explaining.password = '';
  return explaining.toString();
}

async function dropExplainRole(url: string): Promise<void> {
  if (process.env.BENCH_EXPLAIN !== '1') return;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP ROLE IF EXISTS ${EXPLAIN_ROLE}`);
  } finally {
    await admin.end();
  }
}

async function startServer(
  url: string,
  schema: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const serverUrl = await explainingUrl(url);
  const child = fork(fileURLToPath(import.meta.url), ['--serve', serverUrl], {
    env: { ...process.env, BENCH_SCHEMA: schema },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`server exited with ${code}`));
    });
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type !== 'ready' || message.url === undefined) return;
      resolve({
        url: message.url,
        async stop() {
          const exited = new Promise((done) => child.once('exit', done));
          child.send({ type: 'stop' });
          await exited;
        },
      });
    });
  });
}

// ---------------------------------------------------------------- driver (parent process)

type Role = 'admin' | 'bartender' | 'customer';

interface Route {
  name: string;
  as: Role;
  path: string;
  /** A CSV export: timed to the first byte and to the last, its lines counted. */
  csv?: boolean;
  /** Why the answer is wrong, or undefined when it is plausible. */
  check?: (body: unknown) => string | undefined;
}

interface Sample {
  ms: number;
  firstByteMs: number;
}

interface Measured {
  route: Route;
  p50: number;
  p95: number;
  firstByteP95?: number;
  samples: number;
}

/** What the database says the answers must be. */
interface Truth {
  orders: number;
  completed: number;
  open: number;
  audit: number;
  users: number;
  customerId: string;
  customerOrders: number;
  monthOrders: number;
  monthFrom: string;
  monthTo: string;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function signIn(url: string, email: string, app: Role): Promise<string> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: YEAR_PASSWORD, app, refreshTransport: 'body' }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (!body.accessToken) throw new Error(`sign-in of ${email} failed: ${response.status}`);
  return body.accessToken;
}

/** Where the deep pages start when walked by cursor: `nextCursor` of the page before. */
interface Cursors {
  /** The completed orders, after the page before the deep one (see `routes`). */
  completed: string;
  /** The audit search `q=schmidt`, after its page before the deep one. */
  auditSearch: string;
  /** The page numbers those cursors stand for (the deep pages by `page`). */
  completedPage: number;
  auditSearchPage: number;
}

/** Up to page 2,000 of 20 (page 50 for the audit search), and never the last page. */
function deepPage(total: number, most: number): number {
  return Math.max(2, Math.min(Math.ceil(total / 20) - 1, most));
}

async function readCursors(url: string, token: string, truth: Truth): Promise<Cursors> {
  const get = async (path: string): Promise<{ total: number; nextCursor: string | null }> => {
    const response = await fetch(`${url}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    return (await response.json()) as { total: number; nextCursor: string | null };
  };
  const cursorAfter = async (path: string): Promise<string> => {
    const { nextCursor } = await get(path);
    if (nextCursor === null) throw new Error(`${path}: no nextCursor`);
    return nextCursor;
  };
  const completedPage = deepPage(truth.completed, 2000);
  const searchTotal = (await get('/api/admin/audit?q=schmidt&limit=20')).total;
  const auditSearchPage = deepPage(searchTotal, 50);
  return {
    completedPage,
    auditSearchPage,
    completed: await cursorAfter(`/api/orders?status=completed&page=${completedPage - 1}&limit=20`),
    auditSearch: await cursorAfter(
      `/api/admin/audit?q=schmidt&page=${auditSearchPage - 1}&limit=20`,
    ),
  };
}

async function readTruth(url: string, schema: string): Promise<Truth> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO ${schema}`);
    const month = monthRange();
    const { rows } = await client.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM orders) AS orders,
              (SELECT count(*) FROM orders WHERE status = 'completed') AS completed,
              (SELECT count(*) FROM orders WHERE status IN ('pending','accepted','preparing','ready')) AS open,
              (SELECT count(*) FROM audit_events) AS audit,
              (SELECT count(*) FROM users) AS users,
              (SELECT id FROM users WHERE email = $1) AS customer,
              (SELECT count(*) FROM orders o JOIN users u ON u.id = o.customer_id WHERE u.email = $1) AS customer_orders,
              (SELECT count(*) FROM orders WHERE created_at >= $2 AND created_at < $3) AS month_orders`,
      [YEAR_ACCOUNTS.customer, month.from, month.to],
    );
    const row = rows[0] ?? {};
    return {
      orders: Number(row.orders),
      completed: Number(row.completed),
      open: Number(row.open),
      audit: Number(row.audit),
      users: Number(row.users),
      customerId: String(row.customer),
      customerOrders: Number(row.customer_orders),
      monthOrders: Number(row.month_orders),
      monthFrom: month.from,
      monthTo: month.to,
    };
  } finally {
    await client.end();
  }
}

/** The last whole calendar month (UTC, the seeded venue's zone), as ISO instants. */
function monthRange(): { from: string; to: string; firstDay: string; lastDay: string } {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const lastDay = new Date(to.getTime() - 86_400_000);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    firstDay: from.toISOString().slice(0, 10),
    lastDay: lastDay.toISOString().slice(0, 10),
  };
}

const day = (date: Date): string => date.toISOString().slice(0, 10);

/** How far the planner's estimate of a long list may stray from the true count and pass. */
const ESTIMATE_TOLERANCE = 0.2;

/**
 * A page `{items, total, totalIsEstimate}` whose total is `expected` (when given; at least that
 * much with `growing`, for the audit log, which the run's own sign-ins add to) and which is not
 * empty. An estimated total (above 10,000, `totalIsEstimate`) must be within
 * {@link ESTIMATE_TOLERANCE} of `expected` and above 10,000; an exact one must be exact.
 */
function page(expected?: number, items?: number, growing = false) {
  return (body: unknown): string | undefined => {
    const {
      items: list,
      total,
      totalIsEstimate,
    } = body as { items?: unknown[]; total?: number; totalIsEstimate?: boolean };
    if (!Array.isArray(list) || typeof total !== 'number' || typeof totalIsEstimate !== 'boolean')
      return 'not a page';
    if (expected !== undefined && totalIsEstimate) {
      if (total <= 10_000 || Math.abs(total - expected) > expected * ESTIMATE_TOLERANCE) {
        return `estimated total ${total}, expected about ${expected}`;
      }
    } else if (expected !== undefined && (growing ? total < expected : total !== expected)) {
      return `total ${total}, expected ${growing ? 'at least ' : ''}${expected}`;
    }
    if (total > 0 && list.length === 0) return `empty page of ${total}`;
    if (items !== undefined && list.length !== items)
      return `${list.length} items, expected ${items}`;
    return undefined;
  };
}

function salesReport(body: unknown): string | undefined {
  const report = body as { totalRevenueCents?: number; days?: unknown[] };
  if (!Array.isArray(report.days) || !(Number(report.totalRevenueCents) > 0)) {
    return 'no revenue';
  }
  return undefined;
}

function serviceReport(body: unknown): string | undefined {
  const report = body as { ordersPerHour?: { orders: number }[] };
  if (!Array.isArray(report.ordersPerHour)) return 'no ordersPerHour';
  if (report.ordersPerHour.reduce((sum, hour) => sum + hour.orders, 0) === 0) return 'no orders';
  return undefined;
}

function routes(truth: Truth, cursors: Cursors): Route[] {
  const now = new Date();
  const today = day(now);
  const month = monthRange();
  const yearFrom = day(new Date(now.getTime() - 364 * 86_400_000));
  const todayStart = `${today}T00:00:00.000Z`;
  const twoHoursAgo = new Date(now.getTime() - 2 * 3_600_000).toISOString();
  const open = 'pending,accepted,preparing,ready';
  return [
    { name: 'baseline: GET /api/health', as: 'admin', path: '/api/health' },
    // Admin console: orders
    {
      name: 'admin orders, page 1',
      as: 'admin',
      path: '/api/orders?page=1&limit=20',
      check: page(truth.orders, 20),
    },
    {
      name: 'admin orders, page 50',
      as: 'admin',
      path: '/api/orders?page=50&limit=20',
      check: page(truth.orders, 20),
    },
    {
      name: 'admin orders, page 500',
      as: 'admin',
      path: '/api/orders?page=500&limit=20',
      check: page(truth.orders),
    },
    {
      name: 'admin orders status=completed',
      as: 'admin',
      path: '/api/orders?status=completed&page=1&limit=20',
      check: page(truth.completed, 20),
    },
    {
      name: 'admin orders status=completed, page ≤2000',
      as: 'admin',
      path: `/api/orders?status=completed&page=${cursors.completedPage}&limit=20`,
      check: page(truth.completed),
    },
    {
      name: 'the same page by cursor',
      as: 'admin',
      path: `/api/orders?status=completed&cursor=${cursors.completed}&limit=20`,
      check: page(truth.completed, 20),
    },
    {
      name: 'admin orders status=cancelled',
      as: 'admin',
      path: '/api/orders?status=cancelled&page=1&limit=20',
      check: page(),
    },
    {
      name: 'admin orders, last month',
      as: 'admin',
      path: `/api/orders?from=${month.from}&to=${month.to}&page=1&limit=20`,
      check: page(truth.monthOrders, 20),
    },
    {
      name: 'admin orders, last month, completed',
      as: 'admin',
      path: `/api/orders?status=completed&from=${month.from}&to=${month.to}&page=1&limit=20`,
      check: page(),
    },
    {
      name: 'admin orders of a customer',
      as: 'admin',
      path: `/api/orders?customerId=${truth.customerId}&page=1&limit=20`,
      check: page(truth.customerOrders),
    },
    {
      name: 'admin orders at table 7',
      as: 'admin',
      path: '/api/orders?tableNumber=7&page=1&limit=20',
      check: page(),
    },
    {
      name: 'dashboard: today, latest 5',
      as: 'admin',
      path: `/api/orders?from=${todayStart}&limit=5`,
      check: page(undefined, 5),
    },
    {
      name: 'dashboard: open count',
      as: 'admin',
      path: `/api/orders?status=${open}&limit=1`,
      check: page(truth.open, 1),
    },
    {
      name: 'dashboard: sales today',
      as: 'admin',
      path: `/api/admin/reports/sales?from=${today}&to=${today}`,
    },
    // Reports
    {
      name: 'sales report, last month',
      as: 'admin',
      path: `/api/admin/reports/sales?from=${month.firstDay}&to=${month.lastDay}`,
      check: salesReport,
    },
    {
      name: 'sales report, the year',
      as: 'admin',
      path: `/api/admin/reports/sales?from=${yearFrom}&to=${today}`,
      check: salesReport,
    },
    {
      name: 'service report, last month',
      as: 'admin',
      path: `/api/admin/reports/service?from=${month.firstDay}&to=${month.lastDay}`,
      check: serviceReport,
    },
    {
      name: 'service report, the year',
      as: 'admin',
      path: `/api/admin/reports/service?from=${yearFrom}&to=${today}`,
      check: serviceReport,
    },
    // Audit
    {
      name: 'audit, page 1',
      as: 'admin',
      path: '/api/admin/audit?page=1&limit=20',
      check: page(truth.audit, 20, true),
    },
    {
      name: 'audit, page 50',
      as: 'admin',
      path: '/api/admin/audit?page=50&limit=20',
      check: page(truth.audit, 20, true),
    },
    {
      name: 'audit type=login_failed',
      as: 'admin',
      path: '/api/admin/audit?type=login_failed&page=1&limit=20',
      check: page(),
    },
    {
      name: 'audit type=refund_recorded,order_cancelled',
      as: 'admin',
      path: '/api/admin/audit?type=refund_recorded,order_cancelled&page=1&limit=20',
      check: page(),
    },
    {
      name: 'audit, last month',
      as: 'admin',
      path: `/api/admin/audit?from=${month.from}&to=${month.to}&page=1&limit=20`,
      check: page(),
    },
    {
      name: 'audit of a customer',
      as: 'admin',
      path: `/api/admin/audit?userId=${truth.customerId}&page=1&limit=20`,
      check: page(),
    },
    {
      name: 'audit recent sign-ins of a customer',
      as: 'admin',
      path: `/api/admin/audit?type=login_succeeded,login_failed&userId=${truth.customerId}&page=1&limit=10`,
      check: page(),
    },
    {
      name: 'audit q=schmidt',
      as: 'admin',
      path: '/api/admin/audit?q=schmidt&page=1&limit=20',
      check: page(),
    },
    {
      name: 'audit q=schmidt, page ≤50',
      as: 'admin',
      path: `/api/admin/audit?q=schmidt&page=${cursors.auditSearchPage}&limit=20`,
      check: page(),
    },
    {
      name: 'the same page by cursor',
      as: 'admin',
      path: `/api/admin/audit?q=schmidt&cursor=${cursors.auditSearch}&limit=20`,
      check: page(),
    },
    {
      name: 'audit q=nobody (no match)',
      as: 'admin',
      path: '/api/admin/audit?q=zz-nobody-zz&page=1&limit=20',
      check: page(0),
    },
    // Sessions
    {
      name: 'admin sessions, page 1',
      as: 'admin',
      path: '/api/admin/sessions?page=1&limit=20',
      check: page(),
    },
    // Active sessions only: a small year has fewer than 50 pages of them.
    {
      name: 'admin sessions, page 50',
      as: 'admin',
      path: '/api/admin/sessions?page=50&limit=20',
      check: (body) => ((body as { total: number }).total <= 49 * 20 ? undefined : page()(body)),
    },
    {
      name: 'admin sessions role=customer',
      as: 'admin',
      path: '/api/admin/sessions?role=customer&page=1&limit=20',
      check: page(),
    },
    {
      name: 'admin sessions app=bartender',
      as: 'admin',
      path: '/api/admin/sessions?app=bartender&page=1&limit=20',
      check: page(),
    },
    {
      name: 'admin sessions of a customer (count)',
      as: 'admin',
      path: `/api/admin/sessions?userId=${truth.customerId}&limit=1`,
      check: page(),
    },
    {
      name: 'admin sessions q=schmidt',
      as: 'admin',
      path: '/api/admin/sessions?q=schmidt&page=1&limit=20',
      check: page(),
    },
    // Users
    {
      name: 'users, page 1',
      as: 'admin',
      path: '/api/admin/users?page=1&limit=20',
      check: page(truth.users, 20),
    },
    {
      name: 'users, page 50',
      as: 'admin',
      path: '/api/admin/users?page=50&limit=20',
      check: page(truth.users, 20),
    },
    {
      name: 'users q=schmidt',
      as: 'admin',
      path: '/api/admin/users?q=schmidt&page=1&limit=20',
      check: page(),
    },
    {
      name: 'users role=bartender',
      as: 'admin',
      path: '/api/admin/users?role=bartender&page=1&limit=20',
      check: page(25),
    },
    {
      name: 'users q=lee role=customer',
      as: 'admin',
      path: '/api/admin/users?q=lee&role=customer&page=1&limit=20',
      check: page(),
    },
    {
      name: 'people search q=mar, 5',
      as: 'admin',
      path: '/api/admin/users?q=mar&limit=5',
      check: page(),
    },
    { name: 'user detail', as: 'admin', path: `/api/admin/users/${truth.customerId}` },
    // Bar
    {
      name: 'bar: open orders',
      as: 'bartender',
      path: `/api/orders?status=${open}&page=1&limit=100`,
      check: page(truth.open),
    },
    {
      name: 'bar: closed in the last 2 h',
      as: 'bartender',
      path: `/api/orders?status=completed,cancelled&updatedFrom=${twoHoursAgo}&sort=updatedAt&limit=100`,
      check: page(),
    },
    { name: 'bar: tab of table 7', as: 'bartender', path: '/api/tabs?tableNumber=7' },
    {
      name: 'bar: tab of a customer',
      as: 'bartender',
      path: `/api/tabs?customerId=${truth.customerId}`,
    },
    // Customer
    {
      name: 'customer: own orders, page 1',
      as: 'customer',
      path: '/api/orders?page=1&limit=20',
      check: page(truth.customerOrders),
    },
    {
      name: 'customer: own orders, page 2',
      as: 'customer',
      path: '/api/orders?page=2&limit=20',
      check: page(truth.customerOrders),
    },
    { name: 'customer: own sessions', as: 'customer', path: '/api/sessions' },
    // Exports
    {
      name: 'CSV orders, last month',
      as: 'admin',
      path: `/api/admin/orders.csv?from=${month.from}&to=${month.to}`,
      csv: true,
      check: lines(truth.monthOrders),
    },
    {
      name: 'CSV sales, last month',
      as: 'admin',
      path: `/api/admin/reports/sales.csv?from=${month.firstDay}&to=${month.lastDay}`,
      csv: true,
      check: lines(),
    },
    {
      name: 'CSV sales, the year',
      as: 'admin',
      path: `/api/admin/reports/sales.csv?from=${yearFrom}&to=${today}`,
      csv: true,
      check: lines(),
    },
  ];
}

/** A CSV of `expected` data lines (when given), else of at least one. */
function lines(expected?: number) {
  return (body: unknown): string | undefined => {
    const count = body as number;
    if (expected !== undefined && count !== expected) return `${count} lines, expected ${expected}`;
    return count > 0 ? undefined : 'no lines';
  };
}

async function request(url: string, token: string, route: Route): Promise<Sample> {
  const started = performance.now();
  const response = await fetch(`${url}${route.path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const firstByteMs = performance.now() - started;
  if (response.status !== 200) {
    throw new Error(`${route.name}: ${response.status} ${(await response.text()).slice(0, 300)}`);
  }
  let body: unknown;
  if (route.csv) {
    let lineEnds = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      for (const byte of chunk) if (byte === 0x0a) lineEnds++;
    }
    body = lineEnds - 1;
  } else {
    body = await response.json();
  }
  const ms = performance.now() - started;
  const wrong = route.check?.(body);
  if (wrong !== undefined) throw new Error(`${route.name}: ${wrong}`);
  return { ms, firstByteMs };
}

async function measure(url: string, token: string, route: Route): Promise<Measured> {
  // A route slower than a second needs no second warm-up, and would take minutes over 30; one
  // slower than half the route's time is reported from that one request.
  const samples: Sample[] = [];
  for (let i = 0; i < WARM_UP; i++) {
    const warmUp = await request(url, token, route);
    if (warmUp.ms > (ROUTE_SECONDS * 1000) / 2) samples.push(warmUp);
    if (warmUp.ms > 1000) break;
  }
  const started = performance.now();
  const slow = samples.length > 0;
  const more = (): boolean => {
    if (slow || samples.length >= REQUESTS) return false;
    return samples.length < MIN_SAMPLES || performance.now() - started < ROUTE_SECONDS * 1000;
  };
  while (more()) {
    samples.push(await request(url, token, route));
  }
  const sorted = samples.map((sample) => sample.ms).sort((a, b) => a - b);
  const firstBytes = samples.map((sample) => sample.firstByteMs).sort((a, b) => a - b);
  return {
    route,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    ...(route.csv ? { firstByteP95: percentile(firstBytes, 95) } : {}),
    samples: samples.length,
  };
}

const ms = (value: number): string => (value >= 100 ? `${Math.round(value)}` : value.toFixed(1));

async function benchScale(
  url: string,
  scale: number,
): Promise<{ scale: number; orders: number; results: Measured[]; load: number[] }> {
  const seeded = await seedYear(url, scale, false);
  const schema = yearSchema(scale);
  const server = await startServer(url, schema);
  try {
    const tokens: Record<Role, string> = {
      admin: await signIn(server.url, YEAR_ACCOUNTS.admin, 'admin'),
      bartender: await signIn(server.url, YEAR_ACCOUNTS.bartender, 'bartender'),
      customer: await signIn(server.url, YEAR_ACCOUNTS.customer, 'customer'),
    };
    const truth = await readTruth(url, schema);
    const cursors = await readCursors(server.url, tokens.admin, truth);
    const loadBefore = loadavg()[0] ?? 0;
    const results: Measured[] = [];
    for (const route of routes(truth, cursors)) {
      results.push(await measure(server.url, tokens[route.as], route));
    }
    const load = [loadBefore, loadavg()[0] ?? 0];
    process.stdout.write(
      `scale ${scale} (${schema}): ${truth.orders} orders, ${truth.audit} audit entries; ` +
        `${seeded.filled ? `seeded in ${seeded.seconds.toFixed(0)} s` : 'seed kept'}; ` +
        `load average ${load.map((value) => value.toFixed(1)).join(' → ')}\n`,
    );
    return { scale, orders: truth.orders, results, load };
  } finally {
    await server.stop();
  }
}

function report(runs: Awaited<ReturnType<typeof benchScale>>[]): void {
  const smallest = runs[0];
  const header =
    'route'.padEnd(44) +
    runs.map((run) => `p95 @${run.orders}`.padStart(13)).join('') +
    `  p50 (largest)  health p95 (same run)  ×smallest  target    ` +
    '\n';
  process.stdout.write(`\n${header}`);
  const names = smallest?.results.map((result) => result.route.name) ?? [];
  const largest = runs[runs.length - 1];
  for (const [index, name] of names.entries()) {
    const last = largest?.results[index];
    const first = smallest?.results[index];
    const health = largest?.results[0];
    if (!last || !first || !health) continue;
    const cells = runs
      .map((run) => {
        const result = run.results[index];
        if (!result) return ''.padStart(13);
        const ttfb = result.firstByteP95 === undefined ? '' : ` (${ms(result.firstByteP95)})`;
        return `${ms(result.p95)}${ttfb}`.padStart(13);
      })
      .join('');
    const met = last.p95 < TARGET_MS ? 'met' : 'NOT MET';
    process.stdout.write(
      `${name.padEnd(44)}${cells}  ${ms(last.p50).padStart(13)}  ${ms(health.p95).padStart(20)}` +
        `  ${(last.p95 / first.p95).toFixed(1).padStart(8)}×  < ${TARGET_MS} ms  ${met}\n`,
    );
  }
  process.stdout.write(
    `(ms; CSV rows give the time to the last byte, the first byte in brackets; ` +
      `${REQUESTS} requests a route, sequential)\n`,
  );
}

async function main(): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const scales = (process.env.BENCH_LIST_SCALES ?? '0.01,0.1,1').split(',').map(Number);
  const runs: Awaited<ReturnType<typeof benchScale>>[] = [];
  try {
    for (const scale of scales) runs.push(await benchScale(url, scale));
  } finally {
    await dropExplainRole(url);
  }
  report(runs);
  process.stdout.write(
    `${JSON.stringify(
      runs.map((run) => ({
        scale: run.scale,
        orders: run.orders,
        load: run.load,
        routes: run.results.map((result) => ({
          name: result.route.name,
          path: result.route.path,
          p50: result.p50,
          p95: result.p95,
          firstByteP95: result.firstByteP95,
          samples: result.samples,
        })),
      })),
    )}\n`,
  );
}

const serveIndex = process.argv.indexOf('--serve');
if (serveIndex >= 0) {
  await serve(process.argv[serveIndex + 1] ?? '');
} else {
  await main();
}
