/**
 * Live events fan-out: how long an order update takes to reach 100, 1,000 and 5,000 open
 * `GET /api/events` streams, and what the streams cost in server memory.
 *
 * 1. One instance (in-process bus): a bartender moves an order one step along (PATCH status over
 *    HTTP; the orders go pending → accepted → preparing → ready → completed, so each stays the
 *    size of a real one), one update at a time, and every stream must receive each
 *    `order.updated` exactly once (the run fails otherwise). Latency is measured from just before
 *    the PATCH is sent to the moment each stream's client reads the event. Baseline: the same
 *    updates with a single stream open. Then the streams grow, step by step, to each count of the
 *    curve (BENCH_STREAMS), and the updates are made again at each: delivery p50/p99 and the
 *    server's RSS growth per stream over the 1-stream baseline, printed as a table at the end.
 *    Targets: p99 < 100 ms at 1,000 streams, server RSS < 200 MB with them open. For
 *    attribution, the server also notes when its bus hands an update out and when the fan-out
 *    loop is over, and the readers note their own parsing time.
 * 2. Two instances sharing PostgreSQL and Redis (pub/sub bus), 500 streams on each; updates are
 *    made on A, latency is reported for A's streams and B's separately.
 *
 * Sessions: the contract allows 5 streams per session, so 5,000 streams are 1,000 bartender
 * sessions (bartenders see every order): 10 bartender accounts with 100 sessions each, made by
 * real logins; SESSION_MAX_BARTENDER is raised to 101 for that (the updater has a session of its
 * own).
 *
 * File descriptors: each stream is a socket in the server and one in the reader process, so
 * 5,000 streams need a limit above 5,000 open files in each (Node raises its soft `ulimit -n` to
 * the hard limit when it starts; with a hard limit of 4,096 the last streams would fail to open).
 * The run checks the limit before it starts.
 *
 * Processes: every API instance is a child process; the streams are read by a separate client
 * process (BENCH_CLIENT_PROCESSES of them, default 1) that does nothing but read the sockets and
 * timestamp each chunk before parsing it; this process sends the updates. Timestamps come from
 * the monotonic clock (`process.hrtime`), which all processes on the machine share.
 *
 * Environment: BENCH_STREAMS (the curve's stream counts, default 100,1000,5000; the comparison
 * with a bare server and the two instances use 1,000 of them, or the largest when 1,000 is not
 * among them), BENCH_UPDATES (per step, default 50), BENCH_BASELINE_UPDATES
 * (default 20), BENCH_SPACING_MS (pause between updates, default 100), BENCH_CLIENT_PROCESSES
 * (default 1), BENCH_DATABASE_URL (PostgreSQL, default postgres://postgres@127.0.0.1:5432/test,
 * a fresh schema per scenario, dropped at the end; "none" for the embedded database, which runs
 * scenario 1 only), BENCH_REDIS_URL (default redis://127.0.0.1:6379; "none" skips scenario 2),
 * BENCH_PROFILE=<dir> (CPU profiles of the server processes).
 */
import { BENCH_ACTOR } from './bench-actor.js';
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import {
  type IncomingMessage,
  type ServerResponse,
  createServer,
  request as httpRequest,
} from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { dropRedisKeys } from './bench-server.js';

/** The stream counts of the growth curve, ascending. */
const CURVE = [
  ...new Set(
    (process.env.BENCH_STREAMS ?? '100,1000,5000')
      .split(',')
      .map(Number)
      .filter((count) => Number.isInteger(count) && count > 1),
  ),
].sort((a, b) => a - b);
if (CURVE.length === 0) throw new Error('BENCH_STREAMS: stream counts above 1, comma-separated');
/** The most streams open at once: there are sessions for this many. */
const STREAMS = CURVE[CURVE.length - 1]!;
/** The count compared with a bare server, and split over two instances. */
const COMPARE_STREAMS = CURVE.includes(1000) ? 1000 : STREAMS;
const UPDATES = Number(process.env.BENCH_UPDATES ?? 50);
const BASELINE_UPDATES = Number(process.env.BENCH_BASELINE_UPDATES ?? 20);
const SPACING_MS = Number(process.env.BENCH_SPACING_MS ?? 100);
const CLIENT_PROCESSES = Math.max(1, Number(process.env.BENCH_CLIENT_PROCESSES ?? 1));
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const STREAMS_PER_SESSION = 5;
const BARTENDER_ACCOUNTS = 10;
const PASSWORD = 'bench-events-password-2026';
/** An update that has not reached every stream after this long fails the run. */
const DELIVERY_TIMEOUT_MS = 15_000;

const SESSIONS = Math.ceil(STREAMS / STREAMS_PER_SESSION);
const SESSIONS_PER_ACCOUNT = Math.ceil(SESSIONS / BARTENDER_ACCOUNTS);

/** Microseconds on the machine's monotonic clock, comparable across processes. */
function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------- server (child process)

interface Fixture {
  url: string;
  customerEmail: string;
  bartenderEmails: string[];
  itemId: string;
}

interface ServerStats {
  rss: number;
  heapUsed: number;
  streams: number;
}

/** When the server's bus began handing out an update, and when its fan-out loop was over. */
interface FanOutMark {
  /** `<order id>:<version>`, the key of an update. */
  key: string;
  publishedAt: number;
  writtenAt: number;
}

interface OrderCheck {
  id: string;
  version: number;
  status: string;
  updatedEvents: number;
}

async function serve(): Promise<void> {
  const [
    { createApp },
    { loadConfig },
    { UsersService },
    { MenuService },
    { EventStreams },
    { EventBus },
    { DataSource },
  ] = await Promise.all([
    import('../src/app.factory.js'),
    import('../src/config/app-config.js'),
    import('../src/users/users.service.js'),
    import('../src/menu/menu.service.js'),
    import('../src/events/event-streams.service.js'),
    import('../src/events/event-bus.js'),
    import('typeorm'),
  ]);
  const schema = process.env.BENCH_SCHEMA ?? '';
  const redis = process.env.BENCH_SERVER_REDIS ?? '';
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'taproom-bench-')),
    WEB_ROOT: join(tmpdir(), 'taproom-bench-no-web'),
    COOKIE_SECURE: 'false',
    SEED_DEMO: 'false',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_ANON_PER_MINUTE: '0',
    // 200 logins from one address onto 10 accounts in a few seconds.
    RATE_LIMIT_LOGIN_EMAIL_IP: '1000000',
    RATE_LIMIT_LOGIN_IP: '1000000',
    RATE_LIMIT_LOGIN_ACCOUNT: '1000000',
    SESSION_MAX_BARTENDER: String(SESSIONS_PER_ACCOUNT + 1),
    ...(schema ? { DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
    ...(redis
      ? {
          REDIS_URL: redis,
          REDIS_KEY_PREFIX: process.env.BENCH_REDIS_PREFIX,
          JWT_SECRET: process.env.BENCH_JWT_SECRET,
          REFRESH_TOKEN_KEY: process.env.BENCH_REFRESH_TOKEN_KEY,
        }
      : {}),
  });
  const taproom = await createApp(config);
  await taproom.app.listen({ port: 0, host: '127.0.0.1' });
  const address = taproom.app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('not on TCP');
  const url = `http://127.0.0.1:${address.port}`;

  let fixture: Fixture | undefined;
  if (process.env.BENCH_FIXTURE === '1') {
    const users = taproom.app.get(UsersService);
    const run = randomBytes(4).toString('hex');
    const customer = await users.create({
      email: `bench-${run}-customer@example.com`,
      name: 'Bench Customer',
      role: 'customer',
      password: PASSWORD,
    });
    const bartenders = await Promise.all(
      Array.from({ length: BARTENDER_ACCOUNTS }, (_, index) =>
        users.create({
          email: `bench-${run}-bar-${index}@example.com`,
          name: `Bench Bartender ${index}`,
          role: 'bartender',
          password: PASSWORD,
        }),
      ),
    );
    const item = await taproom.app
      .get(MenuService)
      .create({ name: 'Bench Lager', category: 'Bench', priceCents: 450 }, BENCH_ACTOR);
    fixture = {
      url,
      customerEmail: customer.email,
      bartenderEmails: bartenders.map((user) => user.email),
      itemId: item.id,
    };
  }
  const streams = taproom.app.get(EventStreams);
  // For attribution only: this subscriber comes before every stream's, so it sees each order
  // update when the bus starts handing it out; the immediate runs once the synchronous
  // fan-out loop (one socket write per stream) is over.
  const marks: FanOutMark[] = [];
  taproom.app.get(EventBus).subscribe((event) => {
    if (event.type !== 'order.updated') return;
    const order = event.order as { id: string; version: number };
    const key = `${order.id}:${order.version}`;
    const publishedAt = nowUs();
    setImmediate(() => marks.push({ key, publishedAt, writtenAt: nowUs() }));
  });
  const dataSource = taproom.app.get(DataSource);

  process.on('message', (message: { type: string; orderIds?: string[]; collect?: boolean }) => {
    void (async () => {
      if (message.type === 'marks') {
        process.send?.({ type: 'marks', marks: marks.splice(0) });
      } else if (message.type === 'stats') {
        // On request, after a full collection: what the streams keep, not garbage not yet freed.
        if (message.collect) (globalThis as { gc?: () => void }).gc?.();
        const memory = process.memoryUsage();
        const stats: ServerStats = {
          rss: memory.rss,
          heapUsed: memory.heapUsed,
          streams: streams.size,
        };
        process.send?.({ type: 'stats', stats });
      } else if (message.type === 'check') {
        const checks = await dataSource.query<OrderCheck[]>(
          `SELECT o.id::text AS id, o.version, o.status,
                  (SELECT count(*)::int FROM event_log e
                    WHERE e.type = 'order.updated' AND e.payload->'order'->>'id' = o.id::text)
                    AS "updatedEvents"
             FROM orders o WHERE o.id = ANY($1::uuid[])`,
          [message.orderIds],
        );
        process.send?.({ type: 'check', checks });
      } else if (message.type === 'stop') {
        await taproom.close();
        process.exit(0);
      }
    })();
  });
  // The bare baseline: plain node:http in the same process, holding its SSE responses in a Set
  // and writing each frame to all of them; no framework, no auth, no filtering.
  const bareStreams = new Set<ServerResponse>();
  const bare = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
    response.write(': connected\n\n');
    bareStreams.add(response);
    response.on('close', () => bareStreams.delete(response));
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const bareAddress = bare.address();
  if (bareAddress === null || typeof bareAddress === 'string') throw new Error('not on TCP');
  process.on('message', (message: { type: string; frame?: string; key?: string }) => {
    if (message.type !== 'bare-publish') return;
    const publishedAt = nowUs();
    const frame = Buffer.from(message.frame ?? '');
    for (const response of bareStreams) response.write(frame);
    const key = message.key ?? '';
    setImmediate(() => marks.push({ key, publishedAt, writtenAt: nowUs() }));
    process.send?.({ type: 'bare-publish', streams: bareStreams.size });
  });
  process.send?.({
    type: 'ready',
    url,
    bareUrl: `http://127.0.0.1:${bareAddress.port}`,
    fixture,
  });
}

// ---------------------------------------------------------------- stream reader (child process)

interface StreamSpec {
  url: string;
  token: string;
  group: string;
}

interface StreamReport {
  group: string;
  /** `<order id>:<version>` of the watched orders' `order.updated` events, in arrival order. */
  keys: string[];
  /** Arrival time (µs, monotonic) of each of those, same order. */
  arrivals: number[];
  /** Events without an `id:` or whose id repeated an earlier one. */
  badIds: number;
  closed: boolean;
}

class StreamReader {
  private buffer = '';
  private readonly ids = new Set<string>();
  readonly report: StreamReport;

  constructor(
    group: string,
    private readonly watched: Set<string>,
    private readonly onKey: (key: string) => void,
  ) {
    this.report = { group, keys: [], arrivals: [], badIds: 0, closed: false };
  }

  /** `at` is taken before any parsing, so parsing other streams' chunks never counts here. */
  receive(chunk: string, at: number): void {
    this.buffer += chunk;
    let end = this.buffer.indexOf('\n\n');
    while (end >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      this.frame(frame, at);
      end = this.buffer.indexOf('\n\n');
    }
  }

  private frame(frame: string, at: number): void {
    if (frame.startsWith(':')) return;
    let id: string | undefined;
    let event: string | undefined;
    let data: string | undefined;
    for (const line of frame.split('\n')) {
      if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data = line.slice(6);
    }
    if (id === undefined || this.ids.has(id)) this.report.badIds += 1;
    else this.ids.add(id);
    if (event !== 'order.updated' || data === undefined) return;
    const order = JSON.parse(data) as { id: string; version: number };
    if (!this.watched.has(order.id)) return;
    const key = `${order.id}:${order.version}`;
    this.report.keys.push(key);
    this.report.arrivals.push(at);
    this.onKey(key);
  }
}

/** Time this reader process spent in its stream handlers (after the timestamp), and how often. */
const busy = { us: 0, chunks: 0 };

function openStream(spec: StreamSpec, reader: StreamReader): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${spec.url}/api/events`, {
      agent: false,
      headers: { authorization: `Bearer ${spec.token}`, accept: 'text/event-stream' },
    });
    request.on('error', reject);
    request.on('response', (response) => {
      response.setEncoding('utf8');
      if (response.statusCode !== 200) {
        let body = '';
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          reject(new Error(`GET /api/events: ${String(response.statusCode)} ${body}`));
        });
        return;
      }
      let connected = false;
      response.on('data', (chunk: string) => {
        const at = nowUs();
        reader.receive(chunk, at);
        busy.us += nowUs() - at;
        busy.chunks += 1;
        if (!connected) {
          connected = true;
          resolve(response);
        }
      });
      response.on('close', () => {
        reader.report.closed = true;
        if (!connected) reject(new Error('stream closed before it opened'));
      });
    });
    request.end();
  });
}

/** Opens the streams it is given and reports, for each update, when all of them have it. */
function readStreams(): void {
  const watched = new Set<string>();
  const readers: StreamReader[] = [];
  const responses: IncomingMessage[] = [];
  const counts = new Map<string, number>();
  const onKey = (key: string): void => {
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count === readers.length) process.send?.({ type: 'all', key });
  };
  process.on(
    'message',
    (message: { type: string; orderIds?: string[]; specs?: StreamSpec[]; key?: string }) => {
      void (async () => {
        if (message.type === 'watch') {
          for (const id of message.orderIds ?? []) watched.add(id);
        } else if (message.type === 'open') {
          const specs = message.specs ?? [];
          let next = 0;
          const failures: string[] = [];
          const worker = async (): Promise<void> => {
            while (next < specs.length) {
              const spec = specs[next++]!;
              const reader = new StreamReader(spec.group, watched, onKey);
              try {
                responses.push(await openStream(spec, reader));
                readers.push(reader);
              } catch (error) {
                failures.push(String(error));
              }
            }
          };
          await Promise.all(Array.from({ length: 25 }, worker));
          process.send?.({ type: 'open', open: readers.length, failures });
        } else if (message.type === 'count') {
          // How many streams have an update (for the error when a delivery is missing).
          process.send?.({
            type: 'count',
            key: message.key,
            count: counts.get(message.key ?? '') ?? 0,
            open: readers.length,
          });
        } else if (message.type === 'busy') {
          process.send?.({ type: 'busy', ...busy });
        } else if (message.type === 'report') {
          process.send?.({ type: 'report', reports: readers.map((reader) => reader.report) });
        } else if (message.type === 'stop') {
          for (const response of responses) response.destroy();
          process.exit(0);
        }
      })();
    },
  );
  process.send?.({ type: 'ready' });
}

// ---------------------------------------------------------------- driver (this process)

/** A child process spoken to by messages `{type}`; answers come back with the same type. */
class Child {
  private readonly process: ChildProcess;
  private readonly exited: Promise<unknown>;
  private exitError: Error | undefined;

  constructor(args: string[], env: Record<string, string>, profile: boolean) {
    this.process = fork(fileURLToPath(import.meta.url), args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [
        // Servers: `stats` may ask for a full collection first.
        ...(args.includes('--serve') ? ['--expose-gc'] : []),
        ...(profile && process.env.BENCH_PROFILE
          ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
          : []),
      ],
    });
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code) => {
        this.exitError = new Error(`${args.join(' ')} process exited with ${String(code)}`);
        resolve(code);
      });
    });
  }

  on(type: string, listener: (message: any) => void): () => void {
    const handler = (message: any): void => {
      if (message?.type === type) listener(message);
    };
    this.process.on('message', handler);
    return () => this.process.off('message', handler);
  }

  next<T = any>(type: string, timeoutMs = 120_000): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.exitError) {
        reject(this.exitError);
        return;
      }
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no "${type}" from the child within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(type, (message) => {
        clearTimeout(timer);
        off();
        resolve(message as T);
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        off();
        reject(this.exitError ?? new Error('child exited'));
      });
    });
  }

  async ask<T = any>(message: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    const reply = this.next<T>(String(message.type), timeoutMs);
    this.process.send(message);
    return reply;
  }

  send(message: Record<string, unknown>): void {
    this.process.send(message);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.send({ type: 'stop' });
    await this.exited;
  }
}

interface Server {
  child: Child;
  url: string;
  /** The bare node:http SSE server in the same process. */
  bareUrl: string;
  fixture?: Fixture;
  /** Its memory now; after a full garbage collection with `collect`. */
  stats(collect?: boolean): Promise<ServerStats>;
  /** The fan-out marks since the last call, by update key. */
  marks(): Promise<Map<string, FanOutMark>>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = new Child(['--serve'], env, true);
  const ready = await child.next<{ url: string; bareUrl: string; fixture?: Fixture }>('ready');
  return {
    child,
    url: ready.url,
    bareUrl: ready.bareUrl,
    ...(ready.fixture ? { fixture: ready.fixture } : {}),
    stats: async (collect = false) =>
      (await child.ask<{ stats: ServerStats }>({ type: 'stats', collect })).stats,
    marks: async () => {
      const { marks } = await child.ask<{ marks: FanOutMark[] }>({ type: 'marks' });
      return new Map(marks.map((mark) => [mark.key, mark]));
    },
  };
}

async function call(
  url: string,
  method: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<any> {
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return JSON.parse(text);
}

async function login(url: string, email: string, app: 'customer' | 'bartender'): Promise<string> {
  const body = await call(`${url}/api/auth/login`, 'POST', {
    email,
    password: PASSWORD,
    app,
    refreshTransport: 'body',
  });
  return (body as { accessToken: string }).accessToken;
}

/** Runs `work` over `items` with at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

/** The stream readers: one or more client processes, streams dealt out round-robin. */
class Readers {
  private readonly streamsOf: number[];
  /** For each update key, how many clients have reported that all their streams have it. */
  private readonly complete = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly clients: Child[]) {
    this.streamsOf = clients.map(() => 0);
    // Listening from the start: a client may report before the PATCH that caused it returns.
    for (const client of clients) {
      client.on('all', (message: { key: string }) => {
        this.complete.set(message.key, (this.complete.get(message.key) ?? 0) + 1);
        for (const waiter of this.waiters) waiter();
      });
    }
  }

  static async start(count: number): Promise<Readers> {
    const clients = Array.from({ length: count }, () => new Child(['--read'], {}, false));
    await Promise.all(clients.map((client) => client.next('ready')));
    return new Readers(clients);
  }

  watch(orderIds: string[]): void {
    for (const client of this.clients) client.send({ type: 'watch', orderIds });
  }

  async open(specs: StreamSpec[]): Promise<void> {
    const shares = this.clients.map((_, index) =>
      specs.filter((__, position) => position % this.clients.length === index),
    );
    const replies = await Promise.all(
      this.clients.map((client, index) =>
        shares[index]!.length === 0
          ? Promise.resolve({ open: this.streamsOf[index]!, failures: [] as string[] })
          : client.ask<{ open: number; failures: string[] }>({
              type: 'open',
              specs: shares[index],
            }),
      ),
    );
    replies.forEach((reply, index) => (this.streamsOf[index] = reply.open));
    const failures = replies.flatMap((reply) => reply.failures);
    if (failures.length > 0) {
      throw new Error(`${failures.length} streams did not open, e.g. ${failures[0] ?? ''}`);
    }
  }

  /** Resolves once every stream of every client has the update; fails after the timeout. */
  async allHave(key: string): Promise<void> {
    const needed = this.streamsOf.filter((count) => count > 0).length;
    const reached = await new Promise<boolean>((resolve) => {
      const check = (): void => {
        if ((this.complete.get(key) ?? 0) < needed) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        resolve(false);
      }, DELIVERY_TIMEOUT_MS);
      this.waiters.add(check);
      check();
    });
    if (reached) return;
    const counts = await Promise.all(
      this.clients.map((client) =>
        client.ask<{ count: number; open: number }>({ type: 'count', key }),
      ),
    );
    const got = counts.reduce((sum, reply) => sum + reply.count, 0);
    const open = counts.reduce((sum, reply) => sum + reply.open, 0);
    throw new Error(
      `update ${key} reached ${got} of ${open} streams within ${DELIVERY_TIMEOUT_MS} ms`,
    );
  }

  /** Milliseconds the reader processes spent parsing, and chunks read, so far (summed). */
  async busy(): Promise<{ ms: number; chunks: number }> {
    const replies = await Promise.all(
      this.clients.map((client) => client.ask<{ us: number; chunks: number }>({ type: 'busy' })),
    );
    return {
      ms: replies.reduce((sum, reply) => sum + reply.us, 0) / 1000,
      chunks: replies.reduce((sum, reply) => sum + reply.chunks, 0),
    };
  }

  async reports(): Promise<StreamReport[]> {
    const replies = await Promise.all(
      this.clients.map((client) => client.ask<{ reports: StreamReport[] }>({ type: 'report' })),
    );
    return replies.flatMap((reply) => reply.reports);
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.map((client) => client.stop()));
  }
}

/** The bar's life cycle: each order goes through it once, so its history stays short. */
const NEXT_STATUS: Record<string, string | undefined> = {
  pending: 'accepted',
  accepted: 'preparing',
  preparing: 'ready',
  ready: 'completed',
};
const MOVES_PER_ORDER = 4;

interface TrackedOrder {
  id: string;
  version: number;
  status: string;
  updates: number;
}

interface Updater {
  url: string;
  token: string;
  orders: TrackedOrder[];
  /** Send time (µs, monotonic) of each update, by `<order id>:<version>`. */
  sentAt: Map<string, number>;
  /** Round trip of each PATCH, ms. */
  roundTrips: number[];
}

/** One update: the first order not yet completed moves one step along; returns its key. */
async function update(updater: Updater): Promise<string> {
  const order = updater.orders.find((candidate) => NEXT_STATUS[candidate.status] !== undefined);
  if (!order) throw new Error('no order left to move');
  const status = NEXT_STATUS[order.status]!;
  const sentAt = nowUs();
  const moved = (await call(
    `${updater.url}/api/orders/${order.id}/status`,
    'PATCH',
    { status, version: order.version },
    { authorization: `Bearer ${updater.token}` },
  )) as { id: string; version: number; status: string };
  updater.roundTrips.push((nowUs() - sentAt) / 1000);
  if (moved.id !== order.id || moved.status !== status || moved.version !== order.version + 1) {
    throw new Error(`PATCH answered ${moved.status} v${moved.version}, not ${status}`);
  }
  order.version = moved.version;
  order.status = status;
  order.updates += 1;
  const key = `${order.id}:${moved.version}`;
  updater.sentAt.set(key, sentAt);
  return key;
}

/** Makes `count` updates, each after every stream has the previous one; returns their keys. */
async function updates(updater: Updater, readers: Readers, count: number): Promise<string[]> {
  const keys: string[] = [];
  for (let index = 0; index < count; index++) {
    await sleep(SPACING_MS);
    const key = await update(updater);
    keys.push(key);
    await readers.allHave(key);
  }
  return keys;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Latency {
  deliveries: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Latencies (ms) of the updates `keys` over the streams in `reports`, after checking that each of
 * those streams received each update exactly once and nothing else went wrong: any miss,
 * duplicate or closed stream throws.
 */
function latencies(
  what: string,
  reports: StreamReport[],
  keys: string[],
  sentAt: Map<string, number>,
): Latency {
  const wanted = new Set(keys);
  const values: number[] = [];
  const problems: string[] = [];
  for (const [index, report] of reports.entries()) {
    if (report.closed) problems.push(`stream ${index} closed`);
    if (report.badIds > 0) problems.push(`stream ${index}: ${report.badIds} missing/repeated ids`);
    const seen = new Map<string, number>();
    report.keys.forEach((key, position) => {
      if (!wanted.has(key)) return;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      values.push((report.arrivals[position]! - sentAt.get(key)!) / 1000);
    });
    for (const key of keys) {
      const times = seen.get(key) ?? 0;
      if (times !== 1) problems.push(`stream ${index} got update ${key} ${times} times`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `${what}: ${problems.length} problems, e.g. ${problems.slice(0, 5).join('; ')}`,
    );
  }
  const expected = reports.length * keys.length;
  if (values.length !== expected)
    throw new Error(`${what}: ${values.length} deliveries, expected ${expected}`);
  values.sort((a, b) => a - b);
  return {
    deliveries: values.length,
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: values[values.length - 1] ?? NaN,
  };
}

/**
 * Where the time goes, from the server's side: how long after the PATCH was sent the bus began
 * handing out the update (the request, the transaction, the commit), and how long until the
 * fan-out loop was over (an upper bound: the immediate also waits for whatever else that turn of
 * the event loop runs).
 */
function attribution(
  label: string,
  marks: Map<string, FanOutMark>,
  keys: string[],
  sentAt: Map<string, number>,
): void {
  const found = keys.map((key) => marks.get(key)).filter((mark) => mark !== undefined);
  if (found.length !== keys.length) {
    throw new Error(`${label}: ${found.length} of ${keys.length} updates seen by its bus`);
  }
  const publish = found.map((mark) => (mark.publishedAt - sentAt.get(mark.key)!) / 1000);
  const loop = found.map((mark) => (mark.writtenAt - mark.publishedAt) / 1000);
  publish.sort((a, b) => a - b);
  loop.sort((a, b) => a - b);
  line(
    `${label}: PATCH sent → bus hands it out`,
    `p50 ${ms(percentile(publish, 50))}`,
    `p99 ${ms(percentile(publish, 99))}`,
  );
  line(
    `${label}: bus → every stream written`,
    `p50 ${ms(percentile(loop, 50))}`,
    `p99 ${ms(percentile(loop, 99))}`,
  );
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;

function readerLine(
  before: { ms: number; chunks: number },
  after: { ms: number; chunks: number },
  label = '',
): void {
  line(
    `reader processes: parsing time per update${label}`,
    ms((after.ms - before.ms) / UPDATES),
    `${((after.chunks - before.chunks) / UPDATES).toFixed(0)} chunks per update, summed over ${CLIENT_PROCESSES} process(es)`,
  );
}

function line(what: string, figure: string, note = ''): void {
  process.stdout.write(`events  ${what.padEnd(44)} ${figure.padStart(22)}   ${note}\n`);
}

function loadLine(when: string): void {
  const [one, five] = loadavg();
  line(`load average (${when})`, `${one!.toFixed(2)} / ${five!.toFixed(2)}`, '1 min / 5 min');
}

/** Logs in the stream sessions and the updater, and places enough orders for every update. */
async function prepare(
  url: string,
  fixture: Fixture,
  updateCount: number,
): Promise<{ tokens: string[]; updater: Updater }> {
  const emails = Array.from(
    { length: SESSIONS },
    (_, index) => fixture.bartenderEmails[index % BARTENDER_ACCOUNTS]!,
  );
  const tokens = await pool(emails, 4, (email) => login(url, email, 'bartender'));
  const customer = await login(url, fixture.customerEmail, 'customer');
  const count = Math.ceil(updateCount / MOVES_PER_ORDER);
  const orders = await pool(Array.from({ length: count }), 4, async () => {
    const order = (await call(
      `${url}/api/orders`,
      'POST',
      { items: [{ menuItemId: fixture.itemId, quantity: 2 }], tableNumber: 7 },
      { authorization: `Bearer ${customer}`, 'idempotency-key': randomUUID() },
    )) as { id: string; version: number; status: string };
    return { id: order.id, version: order.version, status: order.status, updates: 0 };
  });
  const updater: Updater = {
    url,
    token: await login(url, fixture.bartenderEmails[0]!, 'bartender'),
    orders,
    sentAt: new Map(),
    roundTrips: [],
  };
  return { tokens, updater };
}

/** Stream i uses session ⌊i / 5⌋. */
function specsFor(tokens: string[], from: number, to: number, url: string, group: string) {
  return Array.from({ length: to - from }, (_, offset) => ({
    url,
    token: tokens[Math.floor((from + offset) / STREAMS_PER_SESSION)]!,
    group,
  }));
}

/** Every order's version, status and logged `order.updated` events match the updates made. */
async function checkDatabase(server: Server, updater: Updater): Promise<void> {
  const { checks } = await server.child.ask<{ checks: OrderCheck[] }>({
    type: 'check',
    orderIds: updater.orders.map((order) => order.id),
  });
  const byId = new Map(checks.map((check) => [check.id, check]));
  for (const order of updater.orders) {
    const check = byId.get(order.id);
    if (
      check?.version !== order.version ||
      check.status !== order.status ||
      check.updatedEvents !== order.updates
    ) {
      throw new Error(
        `database: order ${order.id} is ${JSON.stringify(check)}; expected v${order.version} ` +
          `${order.status} with ${order.updates} order.updated events`,
      );
    }
  }
  const logged = checks.reduce((sum, check) => sum + check.updatedEvents, 0);
  line('database check', 'ok', `${checks.length} orders, ${logged} order.updated logged`);
}

/** The id of the order the bare server's frames carry (no such order exists anywhere). */
const BARE_ORDER_ID = '00000000-0000-4000-8000-000000000000';

/** When each update's bus began handing it out, by key: latencies "since the bus". */
function busTimes(marks: Map<string, FanOutMark>): Map<string, number> {
  return new Map([...marks].map(([key, mark]) => [key, mark.publishedAt]));
}

/**
 * The same fan-out without Taproom: the bare node:http server in the server's process writes
 * frames of the same size (a real order's JSON) to as many streams, read by fresh readers.
 */
async function bareFanOut(
  server: Server,
  updater: Updater,
): Promise<{ sinceBus: Latency; marks: Map<string, FanOutMark>; keys: string[] }> {
  const last = updater.orders.find((order) => order.updates > 0) ?? updater.orders[0]!;
  const response = await fetch(`${server.url}/api/orders/${last.id}`, {
    headers: { authorization: `Bearer ${updater.token}` },
  });
  if (!response.ok) throw new Error(`GET order: ${response.status}`);
  const sample = (await response.json()) as Record<string, unknown>;
  const readers = await Readers.start(CLIENT_PROCESSES);
  try {
    readers.watch([BARE_ORDER_ID]);
    await readers.open(
      Array.from({ length: COMPARE_STREAMS }, () => ({
        url: server.bareUrl,
        token: 'none',
        group: 'bare',
      })),
    );
    await server.marks();
    const keys: string[] = [];
    for (let version = 1; version <= UPDATES; version++) {
      await sleep(SPACING_MS);
      const key = `${BARE_ORDER_ID}:${version}`;
      const data = JSON.stringify({ ...sample, id: BARE_ORDER_ID, version });
      const frame = `id: ${version}\nevent: order.updated\ndata: ${data}\n\n`;
      const reply = await server.child.ask<{ streams: number }>({
        type: 'bare-publish',
        frame,
        key,
      });
      if (reply.streams !== COMPARE_STREAMS) {
        throw new Error(`bare server: ${reply.streams} streams`);
      }
      keys.push(key);
      await readers.allHave(key);
    }
    const marks = await server.marks();
    const reports = await readers.reports();
    return { sinceBus: latencies('bare fan-out', reports, keys, busTimes(marks)), marks, keys };
  } finally {
    await readers.stop();
  }
}

/** One step of the curve: the streams open, and what the updates made with them measured. */
interface CurveStep {
  streams: number;
  keys: string[];
  marks: Map<string, FanOutMark>;
  opened: ServerStats;
  after: ServerStats;
  /** After the updates and a full garbage collection. */
  settled: ServerStats;
  roundTrips: number[];
  busy: { ms: number; chunks: number };
}

/**
 * The soft limit on open files Node will run with (it raises its soft limit to the hard one),
 * from this process's `/proc/self/limits` (Linux); `undefined` elsewhere.
 */
function openFileLimit(): number | undefined {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const hard = /^Max open files\s+\S+\s+(\S+)/m.exec(limits)?.[1];
    return hard === undefined ? undefined : hard === 'unlimited' ? Infinity : Number(hard);
  } catch {
    return undefined;
  }
}

/** Fails early, with what to do, when the server or the reader could not open every stream. */
function checkFileLimit(): void {
  const limit = openFileLimit();
  // The sockets, plus what a Node process has open anyway (pools, pipes, the event loop).
  const needed = STREAMS + 200;
  line('open files (hard limit, per process)', String(limit ?? 'unknown'), `needed ~${needed}`);
  if (limit !== undefined && limit < needed) {
    throw new Error(
      `${STREAMS} streams need ~${needed} open files per process; the hard limit is ${limit} ` +
        `(raise it: ulimit -Hn ${needed * 2}, or LimitNOFILE= for a systemd service)`,
    );
  }
}

/** The streams of the steps up to `streams`: the 1-stream baseline's and each step's. */
function streamsUpTo(reports: StreamReport[], streams: number): StreamReport[] {
  return reports.filter((report) => report.group === 'one' || Number(report.group) <= streams);
}

async function singleInstance(schema: string | undefined): Promise<void> {
  const server = await startServer({ BENCH_SCHEMA: schema ?? '', BENCH_FIXTURE: '1' });
  const readers = await Readers.start(CLIENT_PROCESSES);
  try {
    const atStart = await server.stats();
    const { tokens, updater } = await prepare(
      server.url,
      server.fixture!,
      BASELINE_UPDATES + UPDATES * CURVE.length,
    );
    readers.watch(updater.orders.map((order) => order.id));
    await sleep(500);

    await readers.open(specsFor(tokens, 0, 1, server.url, 'one'));
    const baselineKeys = await updates(updater, readers, BASELINE_UPDATES);
    const before = await server.stats();
    const settled = await server.stats(true);
    const calmTrip = [...updater.roundTrips].sort((a, b) => a - b);
    const baselineMarks = await server.marks();

    // The streams grow step by step; each step's streams are named by its count.
    const steps: CurveStep[] = [];
    let open = 1;
    for (const streams of CURVE) {
      await readers.open(specsFor(tokens, open, streams, server.url, String(streams)));
      open = streams;
      const opened = await server.stats();
      if (opened.streams !== streams)
        throw new Error(`the server has ${opened.streams} streams open, not ${streams}`);
      const tripsBefore = updater.roundTrips.length;
      await server.marks();
      const busyBefore = await readers.busy();
      const keys = await updates(updater, readers, UPDATES);
      const busyAfter = await readers.busy();
      steps.push({
        streams,
        keys,
        marks: await server.marks(),
        opened,
        after: await server.stats(),
        settled: await server.stats(true),
        roundTrips: updater.roundTrips.slice(tripsBefore).sort((a, b) => a - b),
        busy: { ms: busyAfter.ms - busyBefore.ms, chunks: busyAfter.chunks - busyBefore.chunks },
      });
    }

    const reports = await readers.reports();
    const baseline = latencies('baseline', streamsUpTo(reports, 1), baselineKeys, updater.sentAt);
    line(
      'PATCH status round trip, 1 stream',
      `p50 ${ms(percentile(calmTrip, 50))}`,
      `p99 ${ms(percentile(calmTrip, 99))}`,
    );
    line(
      'fan-out, 1 stream',
      `p50 ${ms(baseline.p50)}`,
      `p99 ${ms(baseline.p99)}, ${baseline.deliveries} deliveries — baseline`,
    );
    attribution('1 stream', baselineMarks, baselineKeys, updater.sentAt);
    line(
      'server RSS, just started',
      mb(atStart.rss),
      `heap ${mb(atStart.heapUsed)}${schema ? '' : ' (RSS includes the embedded PGlite database)'}`,
    );
    line(
      'server RSS, 1 stream',
      mb(before.rss),
      `heap ${mb(before.heapUsed)} (after ${SESSIONS + 2} logins and ${BASELINE_UPDATES} updates)`,
    );
    const curve: { step: CurveStep; loaded: Latency }[] = [];
    for (const step of steps) {
      const { streams, keys } = step;
      const loaded = latencies(
        `${streams} streams`,
        streamsUpTo(reports, streams),
        keys,
        updater.sentAt,
      );
      curve.push({ step, loaded });
      process.stdout.write(`events  -- ${streams} streams\n`);
      line(
        `PATCH status round trip, ${streams} streams`,
        `p50 ${ms(percentile(step.roundTrips, 50))}`,
        `p99 ${ms(percentile(step.roundTrips, 99))}`,
      );
      line(
        `fan-out, ${streams} streams`,
        `p50 ${ms(loaded.p50)}`,
        `p99 ${ms(loaded.p99)}${streams === 1000 ? ' (target < 100 ms)' : ''}, ` +
          `max ${ms(loaded.max)}, p99 ${(loaded.p99 / Math.max(baseline.p99, 0.001)).toFixed(1)}× ` +
          `baseline; ${loaded.deliveries} deliveries = ${streams} × ${UPDATES}, each exactly once`,
      );
      attribution(`${streams} streams`, step.marks, keys, updater.sentAt);
      readerLine({ ms: 0, chunks: 0 }, step.busy, `, ${streams} streams`);
      line(
        `server RSS, ${streams} streams open`,
        mb(rssWith(step)),
        `${streams === 1000 ? '(target < 200 MB) ' : ''}${mb(step.opened.rss)} after opening, ` +
          `${mb(step.after.rss)} after the updates; heap ${mb(step.after.heapUsed)}; ` +
          `per stream over 1 stream, both after a full GC: ${kbPerStream(step, settled)}`,
      );
      line(
        `heap after a full GC, ${streams} streams`,
        mb(step.settled.heapUsed),
        `1 stream ${mb(settled.heapUsed)}; ${liveKbPerStream(step, settled)} per stream kept`,
      );
    }
    curveTable(baseline, settled, curve);

    // Taproom's streams closed, then the same fan-out from a bare node:http server.
    await readers.stop();
    const compared = steps.find((step) => step.streams === COMPARE_STREAMS)!;
    const sinceBus = latencies(
      `${COMPARE_STREAMS} streams`,
      streamsUpTo(reports, COMPARE_STREAMS),
      compared.keys,
      busTimes(compared.marks),
    );
    const bare = await bareFanOut(server, updater);
    const loop = (found: Map<string, FanOutMark>, which: string[]): number[] =>
      which
        .map((key) => found.get(key)!)
        .map((mark) => (mark.writtenAt - mark.publishedAt) / 1000)
        .sort((a, b) => a - b);
    const bareLoop = loop(bare.marks, bare.keys);
    const taproomLoop = loop(compared.marks, compared.keys);
    line(
      `bare node:http, ${COMPARE_STREAMS} streams: write → read`,
      `p50 ${ms(bare.sinceBus.p50)}`,
      `p99 ${ms(bare.sinceBus.p99)}; all written in p50 ${ms(percentile(bareLoop, 50))} ` +
        `p99 ${ms(percentile(bareLoop, 99))} — baseline`,
    );
    line(
      `Taproom, ${COMPARE_STREAMS} streams: bus → read`,
      `p50 ${ms(sinceBus.p50)}`,
      `p99 ${ms(sinceBus.p99)}, ${(sinceBus.p99 / Math.max(bare.sinceBus.p99, 0.001)).toFixed(1)}× bare; ` +
        `all written in p50 ${ms(percentile(taproomLoop, 50))}, ` +
        `${(percentile(taproomLoop, 50) / Math.max(percentile(bareLoop, 50), 0.001)).toFixed(1)}× bare`,
    );
    await checkDatabase(server, updater);
  } finally {
    await readers.stop();
    await server.child.stop();
  }
}

/** The server's RSS at a step: the larger of after opening and after the updates. */
function rssWith(step: CurveStep): number {
  return Math.max(step.opened.rss, step.after.rss);
}

/**
 * RSS growth over the 1-stream baseline, per stream added; both after a full collection (RSS
 * before one says more about when V8 last collected than about the streams).
 */
function kbPerStream(step: CurveStep, base: ServerStats): string {
  return `${((step.settled.rss - base.rss) / (step.streams - 1) / 1024).toFixed(1)} KB`;
}

/** Live heap (after a full collection) over the 1-stream baseline's, per stream added. */
function liveKbPerStream(step: CurveStep, base: ServerStats): string {
  return `${((step.settled.heapUsed - base.heapUsed) / (step.streams - 1) / 1024).toFixed(1)} KB`;
}

/** The curve as a Markdown table, for bench/README.md. */
function curveTable(
  baseline: Latency,
  base: ServerStats,
  curve: { step: CurveStep; loaded: Latency }[],
): void {
  const rows = [
    '| streams | fan-out p50 | fan-out p99 | p99 / 1 stream | server RSS (peak) | per stream, after a full GC: RSS | live heap |',
    '| ------: | ----------: | ----------: | -------------: | ----------------: | -------------------------------: | --------: |',
    `| 1 (baseline) | ${ms(baseline.p50)} | ${ms(baseline.p99)} | 1.0× | ${mb(base.rss)} | | |`,
    ...curve.map(
      ({ step, loaded }) =>
        `| ${step.streams.toLocaleString('en')} | ${ms(loaded.p50)} | ${ms(loaded.p99)} | ` +
        `${(loaded.p99 / Math.max(baseline.p99, 0.001)).toFixed(1)}× | ${mb(rssWith(step))} | ` +
        `${kbPerStream(step, base)} | ${liveKbPerStream(step, base)} |`,
    ),
  ];
  process.stdout.write(`events  -- the curve, one instance (Markdown)\n${rows.join('\n')}\n`);
}

async function twoInstances(schema: string): Promise<void> {
  const shared = {
    BENCH_SCHEMA: schema,
    BENCH_SERVER_REDIS: REDIS_URL,
    BENCH_REDIS_PREFIX: `bench-${randomBytes(6).toString('hex')}:`,
    BENCH_JWT_SECRET: randomBytes(32).toString('hex'),
    BENCH_REFRESH_TOKEN_KEY: randomBytes(32).toString('hex'),
  };
  const a = await startServer({ ...shared, BENCH_FIXTURE: '1' });
  let b: Server | undefined;
  const readers = await Readers.start(CLIENT_PROCESSES);
  try {
    b = await startServer(shared);
    const { tokens, updater } = await prepare(a.url, a.fixture!, BASELINE_UPDATES + UPDATES);
    readers.watch(updater.orders.map((order) => order.id));
    await sleep(500);

    const half = Math.floor(COMPARE_STREAMS / 2);
    await readers.open([
      ...specsFor(tokens, 0, 1, a.url, 'A'),
      ...specsFor(tokens, half, half + 1, b.url, 'B'),
    ]);
    const baselineKeys = await updates(updater, readers, BASELINE_UPDATES);
    const [beforeA, beforeB] = await Promise.all([a.stats(), b.stats()]);

    await readers.open([
      ...specsFor(tokens, 1, half, a.url, 'A'),
      ...specsFor(tokens, half + 1, COMPARE_STREAMS, b.url, 'B'),
    ]);
    const [openA, openB] = await Promise.all([a.stats(), b.stats()]);
    if (openA.streams + openB.streams !== COMPARE_STREAMS)
      throw new Error(`A has ${openA.streams} and B ${openB.streams} streams open`);
    await Promise.all([a.marks(), b.marks()]);
    const busyBefore = await readers.busy();
    const keys = await updates(updater, readers, UPDATES);
    const busyAfter = await readers.busy();
    const [marksA, marksB] = await Promise.all([a.marks(), b.marks()]);
    const [afterA, afterB] = await Promise.all([a.stats(), b.stats()]);

    const reports = await readers.reports();
    const onA = reports.filter((report) => report.group === 'A');
    const onB = reports.filter((report) => report.group === 'B');
    const baseA = latencies('baseline A', onA.slice(0, 1), baselineKeys, updater.sentAt);
    const baseB = latencies('baseline B', onB.slice(0, 1), baselineKeys, updater.sentAt);
    const loadA = latencies(`${onA.length} streams on A`, onA, keys, updater.sentAt);
    const loadB = latencies(`${onB.length} streams on B`, onB, keys, updater.sentAt);

    line(
      'fan-out, 1 stream on A (updates on A)',
      `p50 ${ms(baseA.p50)}`,
      `p99 ${ms(baseA.p99)} — baseline`,
    );
    line(
      'fan-out, 1 stream on B (via Redis)',
      `p50 ${ms(baseB.p50)}`,
      `p99 ${ms(baseB.p99)} — baseline`,
    );
    for (const [name, load, base] of [
      ['A', loadA, baseA],
      ['B', loadB, baseB],
    ] as const) {
      line(
        `fan-out, ${name === 'A' ? onA.length : onB.length} streams on ${name}`,
        `p50 ${ms(load.p50)}`,
        `p99 ${ms(load.p99)} (target < 100 ms), max ${ms(load.max)}, ` +
          `p99 ${(load.p99 / Math.max(base.p99, 0.001)).toFixed(1)}× baseline; ${load.deliveries} deliveries, each exactly once`,
      );
    }
    attribution(`A, ${onA.length} streams`, marksA, keys, updater.sentAt);
    attribution(`B, ${onB.length} streams`, marksB, keys, updater.sentAt);
    readerLine(busyBefore, busyAfter);
    for (const [name, before, open, after] of [
      ['A', beforeA, openA, afterA],
      ['B', beforeB, openB, afterB],
    ] as const) {
      line(
        `server ${name} RSS, ${open.streams} streams open`,
        mb(Math.max(open.rss, after.rss)),
        `1 stream ${mb(before.rss)}; ${mb(open.rss)} after opening, ${mb(after.rss)} after the updates`,
      );
    }
    await checkDatabase(a, updater);
  } finally {
    await readers.stop();
    await b?.child.stop();
    await a.child.stop();
    await dropRedisKeys(REDIS_URL, shared.BENCH_REDIS_PREFIX);
  }
}

async function withSchema(work: (schema: string) => Promise<void>): Promise<void> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    await work(schema);
  } finally {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  const embedded = DATABASE_URL === 'none';
  const started = Date.now();
  line(
    'setup',
    `${CURVE.join(', ')} streams`,
    `${SESSIONS} bartender sessions (${STREAMS_PER_SESSION} streams each), ${UPDATES} updates ` +
      `${SPACING_MS} ms apart, baseline ${BASELINE_UPDATES}, ${CLIENT_PROCESSES} reader process(es), ` +
      (embedded ? 'embedded PGlite' : 'PostgreSQL'),
  );
  loadLine('start');
  checkFileLimit();
  process.stdout.write('events  -- one instance, in-process bus\n');
  if (embedded) await singleInstance(undefined);
  else await withSchema((schema) => singleInstance(schema));
  if (embedded || REDIS_URL === 'none') {
    process.stdout.write('events  -- two instances: skipped (needs PostgreSQL and Redis)\n');
  } else {
    process.stdout.write('events  -- two instances, PostgreSQL + Redis, updates on A\n');
    await withSchema((schema) => twoInstances(schema));
  }
  loadLine('end');
  line('total time', `${((Date.now() - started) / 1000).toFixed(0)} s`);
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv.includes('--read')) readStreams();
else await main();
