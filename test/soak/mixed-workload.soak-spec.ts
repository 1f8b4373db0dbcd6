/**
 * Soak: a bounded mixed workload for SOAK_DURATION seconds (default 600) on two API processes
 * (dist/src/main.js) sharing the machine's PostgreSQL (a fresh schema, dropped at the end) and
 * Redis (a fresh key prefix, deleted at the end). Customers register, sign in, browse, order
 * (with Idempotency-Key, retried, twinned), stream, cancel, refresh and sign out; bartenders move
 * orders along from their live streams (racing each other), recall, cancel and 86 items; an admin
 * browses users, sessions, audit and reports, restocks, revokes customer sessions and signs in on
 * another device (evicting the old session). Default limits and session policy throughout.
 *
 * At the end: no 5xx and no unexpected answer (every call states what the contract allows in its
 * situation), every order answered 201 exists exactly once and nothing else does, stock
 * reconciles with the orders and restocks, every stream saw the final state of the orders it
 * should see, revoked sessions were refused on both instances, and RSS and event-loop delay of
 * both processes stay flat (last third against the first, generous bounds).
 *
 * Event-loop delay comes from `perf_hooks.monitorEventLoopDelay` in each server process, loaded
 * with `--import` from a file this test writes (no endpoint is added); RSS from /proc/<pid>/status.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import pg from 'pg';
import { request } from '../support/http.js';
import { sharedRedisUrl } from '../support/redis-server.js';
import {
  type ServerProcess,
  errorLogLines,
  freePort,
  startServerProcess,
  waitForHttp,
} from '../support/server-process.js';
import { Recorder, median, percentile } from './recorder.js';
import {
  Admin,
  Bartender,
  Customer,
  STRONG_PASSWORD,
  World,
  door,
  duplicateReport,
  latestOrders,
  outOfOrder,
  streamsReport,
} from './workload.js';

const DURATION_S = Number(process.env.SOAK_DURATION ?? 600);
if (!Number.isFinite(DURATION_S) || DURATION_S < 30) {
  throw new Error(
    `SOAK_DURATION must be a number of seconds ≥ 30, got ${process.env.SOAK_DURATION}`,
  );
}
const DURATION_MS = DURATION_S * 1000;
const ACTIVE_CUSTOMERS = 10;
const postgresUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// The run itself, plus start-up, settling, the checks and shutdown.
jest.setTimeout(DURATION_MS + 240_000);

/** Written into each server process with `--import`: event-loop delay every 2 s, to a file. */
const PROBE_SOURCE = `
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
const file = process.env.SOAK_PROBE_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  setInterval(() => {
    const ms = (ns) => Math.round(ns / 1e4) / 100;
    const line = { at: Date.now(), p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), heapUsed: process.memoryUsage().heapUsed };
    appendFileSync(file, JSON.stringify(line) + '\\n');
    histogram.reset();
  }, 2000).unref();
}
`;

interface Sample {
  at: number;
  rssMb: number;
  healthMs: number;
}

interface LoopSample {
  at: number;
  p50: number;
  p99: number;
  max: number;
  heapUsed: number;
}

function rssMbOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** The samples taken after warm-up, split into first and last thirds. */
function thirds<T extends { at: number }>(samples: T[], from: number, to: number): [T[], T[]] {
  const span = (to - from) / 3;
  return [
    samples.filter((s) => s.at >= from && s.at < from + span),
    samples.filter((s) => s.at >= to - span && s.at <= to),
  ];
}

async function sql<T = any>(query: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe(`soak: ${DURATION_S} s of mixed traffic on two instances (PostgreSQL + Redis)`, () => {
  const schema = `soak_${randomBytes(5).toString('hex')}`;
  const redisPrefix = `soak-${randomBytes(4).toString('hex')}:`;
  const probeDir = mkdtempSync(join(tmpdir(), 'taproom-soak-'));
  const servers: ServerProcess[] = [];
  const probeFiles: string[] = [];
  const rec = new Recorder();
  let running: World | undefined;
  const bartenders: Bartender[] = [];
  let schemaCreated = false;

  beforeAll(async () => {
    await sql(`CREATE SCHEMA ${schema}`);
    schemaCreated = true;
    const probe = join(probeDir, 'event-loop-probe.mjs');
    writeFileSync(probe, PROBE_SOURCE);
    const env = {
      DATABASE_URL: postgresUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: sharedRedisUrl,
      REDIS_KEY_PREFIX: redisPrefix,
      SEED_DEMO: 'true',
      COOKIE_SECURE: 'false',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      REFRESH_TOKEN_KEY: randomBytes(32).toString('base64url'),
      NODE_OPTIONS: `--import ${probe}`,
    };
    const ports = [await freePort(), await freePort()];
    ports.forEach((port, index) => {
      const file = join(probeDir, `loop-${index}.jsonl`);
      probeFiles.push(file);
      servers.push(startServerProcess({ ...env, SOAK_PROBE_FILE: file }, port));
    });
    try {
      await Promise.all(servers.map((server) => waitForHttp(`${server.url}/api/health/ready`)));
    } catch (error) {
      throw new Error(`${String(error)}\n${servers.map((s) => s.output()).join('\n')}`, {
        cause: error,
      });
    }
    running = new World(
      servers.map((server) => server.url),
      rec,
    );
  });

  afterAll(async () => {
    if (running) running.stopped = true;
    for (const customer of running?.customers ?? []) {
      for (const stream of customer.streams) stream.close();
    }
    for (const bartender of bartenders) bartender.stream?.close();
    for (const server of servers) {
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
    }
    await Promise.all(
      servers.map(async (server) => {
        const timedOut = await Promise.race([
          server.exited.then(() => false),
          sleep(15_000, true, { ref: false }),
        ]);
        if (timedOut) {
          server.child.kill('SIGKILL');
          await server.exited;
        }
      }),
    );
    if (schemaCreated) await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    const redis = new Redis(sharedRedisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      for await (const keys of redis.scanStream({ match: `${redisPrefix}*`, count: 500 })) {
        if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
      }
    } finally {
      redis.disconnect();
    }
    rmSync(probeDir, { recursive: true, force: true });
  });

  it('serves customers, bartenders and an admin without 5xx, lost orders, gaps or leaks', async () => {
    if (!running) throw new Error('the servers did not start');
    const world = running;
    // Set-up: staff accounts by the demo admin, two stocked items that run out and get restocked.
    const setup = await request(`${world.urls[0]!}/api/auth/login`, {
      method: 'POST',
      json: { email: 'admin@taproom.local', password: 'admin-demo-pass-2026', app: 'admin' },
    });
    expect(setup.status).toBe(200);
    const adminHeaders = { authorization: `Bearer ${setup.body.accessToken as string}` };
    const bartenderEmails: string[] = [];
    for (const n of [1, 2]) {
      const email = `soak-bar-${n}-${randomBytes(3).toString('hex')}@example.com`;
      const created = await request(`${world.urls[n - 1]!}/api/admin/users`, {
        method: 'POST',
        headers: adminHeaders,
        json: { email, name: `Bartender ${n}`, role: 'bartender', password: STRONG_PASSWORD },
      });
      expect(created.status).toBe(201);
      bartenderEmails.push(email);
    }
    for (const stock of [30, 12]) {
      const item = await request(`${world.urls[0]!}/api/admin/menu-items`, {
        method: 'POST',
        headers: adminHeaders,
        json: { name: `Soak special ${stock}`, category: 'Soak', priceCents: 450, stock },
      });
      expect(item.status).toBe(201);
    }

    const admin = new Admin(world, 'admin@taproom.local', 'admin-demo-pass-2026');
    await admin.start();
    bartenders.push(
      ...bartenderEmails.map((email) => new Bartender(world, email, STRONG_PASSWORD)),
    );
    for (const bartender of bartenders) await bartender.start();
    for (let n = 0; n < ACTIVE_CUSTOMERS; n++) {
      const email = `soak-c${n}-${randomBytes(4).toString('hex')}@example.com`;
      const registered = await request(world.url('/api/auth/register'), {
        method: 'POST',
        json: { email, password: STRONG_PASSWORD, name: `Customer ${n}` },
      });
      expect(registered.status).toBe(201);
      const customer = new Customer(world, email, STRONG_PASSWORD);
      expect(await customer.signIn()).toBe(true);
      world.customers.push(customer);
    }
    await world.customers[0]!.browse();
    const initialStock = new Map(
      (
        await sql<{ id: string; stock: number }>(
          `SELECT id, stock FROM ${schema}.menu_items WHERE stock IS NOT NULL`,
        )
      ).map((row) => [row.id, row.stock]),
    );

    // The run.
    const started = Date.now();
    const samples: Sample[][] = servers.map(() => []);
    const actors: Promise<void>[] = [];
    // A bug in an actor is a failure of the run, not a reason to leave the others running.
    const actor = (run: Promise<void>) => {
      actors.push(
        run.catch((error: unknown) => {
          rec.problem(`an actor crashed: ${error instanceof Error ? error.stack : String(error)}`);
        }),
      );
    };
    const sampler = (async () => {
      while (!world.stopped) {
        for (const [index, server] of servers.entries()) {
          const t0 = performance.now();
          const health = await rec.call(
            'GET /health (probe)',
            `${server.url}/api/health`,
            {},
            (s) => s === 200,
          );
          samples[index]!.push({
            at: Date.now(),
            rssMb: rssMbOf(server.child.pid!),
            healthMs: health ? performance.now() - t0 : Number.NaN,
          });
        }
        await sleep(1_000);
      }
    })();
    for (const customer of world.customers) actor(customer.run());
    for (const bartender of bartenders) actor(bartender.run());
    actor(admin.run());
    actor(
      door(world, (customer) => {
        world.customers.push(customer);
        // Bounded: one joins, the longest-serving active one stops acting (its stream stays
        // open, watching its orders to the end).
        const leaving = world.customers.find(
          (c) => c.active && c !== customer && c.session && !world.adminRevoked.has(c.session.id),
        );
        if (leaving) leaving.active = false;
        actor(
          (async () => {
            if (await customer.signIn()) await customer.run();
          })(),
        );
      }),
    );
    await sleep(DURATION_MS);
    world.stopped = true;
    const stoppedAt = Date.now();
    // Actors may add more while the first ones finish (a late registration).
    for (let settled = 0; settled < actors.length; settled = actors.length) {
      await Promise.all(actors.slice(settled));
    }
    await sampler;
    await Promise.all(world.customers.map((customer) => customer.rejoin()));

    // Settling: live events of the last moves reach every stream within a few seconds.
    const db = async () => ({
      orders: await sql<{ id: string; customer_id: string; status: string; version: number }>(
        `SELECT id, customer_id, status, version FROM ${schema}.orders`,
      ),
      lines: await sql<{
        order_id: string;
        menu_item_id: string;
        quantity: number;
        status: string;
      }>(
        `SELECT l.order_id, l.menu_item_id, l.quantity, o.status
           FROM ${schema}.order_items l JOIN ${schema}.orders o ON o.id = l.order_id
          ORDER BY l.order_id, l.line_no`,
      ),
    });
    const { orders, lines } = await db();
    const streamGaps = (): string[] => {
      const gaps: string[] = [];
      const check = (
        who: string,
        events: (typeof world.customers)[number]['allEvents'],
        expected: typeof orders,
      ) => {
        const latest = latestOrders(events);
        const ids = events.map((event) => event.id);
        if (new Set(ids).size !== ids.length) {
          const customer = world.customers.find((c) => c.email === who);
          const where = customer ? duplicateReport(customer).join('; ') : '';
          gaps.push(`${who}: an event id delivered twice: ${where}`);
        }
        for (const order of expected) {
          const created = events.filter(
            (e) => e.event === 'order.created' && e.data.id === order.id,
          );
          const seen = latest.get(order.id);
          if (created.length !== 1)
            gaps.push(`${who}: order.created ×${created.length} for ${order.id}`);
          else if (seen?.version !== order.version || seen.status !== order.status) {
            const customer = world.customers.find((c) => c.email === who);
            gaps.push(
              `${who}: ${order.id} seen at v${seen?.version} ${seen?.status}, is v${order.version} ${order.status}${customer ? `; ${streamsReport(customer)}` : ''}`,
            );
          } else {
            // Every change bumps the version by one and is published: no version may be missing.
            const versions = new Set(
              events.filter((e) => e.data?.id === order.id).map((e) => e.data.version as number),
            );
            if (versions.size !== order.version) {
              gaps.push(
                `${who}: ${order.id} saw versions ${[...versions].join()} of ${order.version}`,
              );
            }
          }
        }
      };
      bartenders.forEach((bartender, index) => {
        check(`bartender ${index + 1}`, bartender.stream!.events, orders);
      });
      for (const customer of world.customers) {
        // Never signed in: refused at the door, and reported as such.
        if (!customer.session) continue;
        if (customer.stream?.isEnded !== false)
          gaps.push(`${customer.email}: no open stream at the end`);
        check(
          customer.email,
          customer.allEvents,
          orders.filter((o) => o.customer_id === customer.id),
        );
        if (customer.allEvents.some((event) => event.event === 'resync')) {
          gaps.push(`${customer.email}: resync (Last-Event-ID not replayed)`);
        }
      }
      return gaps;
    };
    let gaps = streamGaps();
    for (const deadline = Date.now() + 15_000; gaps.length > 0 && Date.now() < deadline;) {
      await sleep(250);
      gaps = streamGaps();
    }

    // Figures.
    const warmUp = started + Math.max(10_000, DURATION_MS / 10);
    const loops = probeFiles.map((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LoopSample),
    );
    const perServer = servers.map((_, index) => {
      const [rssFirst, rssLast] = thirds(samples[index]!, warmUp, stoppedAt);
      const [loopFirst, loopLast] = thirds(loops[index]!, warmUp, stoppedAt);
      const health = samples[index]!.map((s) => s.healthMs);
      return {
        rssStart: samples[index]![0]!.rssMb,
        rssFirst: median(rssFirst.map((s) => s.rssMb)),
        rssLast: median(rssLast.map((s) => s.rssMb)),
        rssMax: Math.max(...samples[index]!.map((s) => s.rssMb)),
        heapFirst: median(loopFirst.map((s) => s.heapUsed)) / 2 ** 20,
        heapLast: median(loopLast.map((s) => s.heapUsed)) / 2 ** 20,
        loopP99First: median(loopFirst.map((s) => s.p99)),
        loopP99Last: median(loopLast.map((s) => s.p99)),
        // After warm-up: start-up (migrations, the demo seed) blocks the loop by design.
        loopMax: Math.max(...loops[index]!.filter((s) => s.at >= warmUp).map((s) => s.max)),
        healthP99First: percentile(
          samples[index]!.filter(
            (s) => s.at >= warmUp && s.at < warmUp + (stoppedAt - warmUp) / 3,
          ).map((s) => s.healthMs),
          99,
        ),
        healthP99: percentile(health, 99),
      };
    });
    const byStatus = new Map<string, number>();
    for (const order of orders) byStatus.set(order.status, (byStatus.get(order.status) ?? 0) + 1);
    const f = (n: number) => n.toFixed(1);
    const summary = [
      `soak ${DURATION_S} s, ${rec.total} requests (${f(rec.total / DURATION_S)}/s), p50 ${f(percentile(rec.latencies, 50))} ms, p99 ${f(percentile(rec.latencies, 99))} ms, max ${f(Math.max(...rec.latencies))} ms`,
      `5xx: ${rec.serverErrors}, network errors: ${rec.networkErrors}, unexpected answers: ${rec.unexpected.length}, problems: ${rec.problems.length}`,
      `orders: ${orders.length} (${[...byStatus].map(([s, n]) => `${s} ${n}`).join(', ')}); idempotent replays ${world.idempotentReplays}, concurrent twins ${world.concurrentTwins}`,
      `events delivered out of id order: bartenders ${bartenders.map((b) => outOfOrder(b.stream!.events)).join(' / ')}, customer streams ${world.customers.reduce((sum, c) => sum + c.streams.reduce((n, st) => n + outOfOrder(st.events), 0), 0)}`,
      `requests and streams per instance: ${world.perInstance.join(' / ')} (health probes aside)`,
      `customers: ${world.customers.length}, revoked sessions checked refused on both instances: ${world.revocationChecks}, admin revokes: ${world.adminRevoked.size}`,
      ...perServer.map(
        (s, i) =>
          `instance ${i + 1}: RSS start ${f(s.rssStart)} MB, first third ${f(s.rssFirst)}, last third ${f(s.rssLast)}, max ${f(s.rssMax)}; heap ${f(s.heapFirst)} -> ${f(s.heapLast)} MB; event-loop p99 ${f(s.loopP99First)} -> ${f(s.loopP99Last)} ms (max ${f(s.loopMax)}); /api/health p99 ${f(s.healthP99First)} (first third) / ${f(s.healthP99)} ms (all)`,
      ),
      'requests by kind and status:',
      rec.summary(),
      ...(rec.unexpected.length > 0 ? ['unexpected answers:', ...rec.unexpected.slice(0, 20)] : []),
      ...(gaps.length > 0 ? ['stream gaps:', ...gaps.slice(0, 20)] : []),
      // What the servers logged at error level (pino: 50 error, 60 fatal), for any 5xx.
      ...servers.flatMap((server, index) =>
        errorLogLines(server)
          .slice(0, 10)
          .map((line) => `instance ${index + 1} logged: ${line.slice(0, 1500)}`),
      ),
    ].join('\n');
    process.stdout.write(`\n${summary}\n`);

    // Nothing failed on the server, and every answer was one the contract allows there.
    expect(rec.serverErrors).toBe(0);
    expect(rec.networkErrors).toBe(0);
    expect(rec.unexpected).toEqual([]);
    expect(rec.problems).toEqual([]);

    // Every order answered 201 exists exactly once, with its lines; nothing else was created.
    expect(orders.map((o) => o.id).sort()).toEqual([...world.orders.keys()].sort());
    for (const order of orders) {
      expect(order.customer_id).toBe(world.orders.get(order.id)!.customerId);
    }
    const linesOf = (id: string) =>
      lines.filter((l) => l.order_id === id).map((l) => `${l.menu_item_id}x${l.quantity}`);
    for (const placed of world.orders.values()) {
      expect(linesOf(placed.id)).toEqual(placed.lines.map((l) => `${l.menuItemId}x${l.quantity}`));
    }
    // Each change is one history entry (creation included): history length equals the version.
    const histories = await sql<{ id: string; version: number; entries: number }>(
      `SELECT o.id, o.version, count(h.seq)::int AS entries
         FROM ${schema}.orders o LEFT JOIN ${schema}.order_history h ON h.order_id = o.id
        GROUP BY o.id, o.version`,
    );
    expect(histories.filter((h) => h.entries !== h.version)).toEqual([]);
    const [{ keys }] = (await sql<{ keys: number }>(
      `SELECT count(*)::int AS keys FROM ${schema}.order_idempotency_keys`,
    )) as [{ keys: number }];
    expect(keys).toBe(orders.length);

    // Stock: what it started with, plus restocks, minus what orders that stand hold.
    const stockNow = await sql<{ id: string; stock: number }>(
      `SELECT id, stock FROM ${schema}.menu_items WHERE stock IS NOT NULL`,
    );
    const expectedStock: Record<string, number> = {};
    const actualStock: Record<string, number> = {};
    for (const { id, stock } of stockNow) {
      const held = lines
        .filter((l) => l.menu_item_id === id && l.status !== 'cancelled')
        .reduce((sum, l) => sum + l.quantity, 0);
      expectedStock[id] =
        (initialStock.get(id) ?? Number.NaN) + (world.restocks.get(id) ?? 0) - held;
      actualStock[id] = stock;
    }
    expect(actualStock).toEqual(expectedStock);

    // Every stream saw every order it should, once, at its final status and version.
    expect(gaps).toEqual([]);

    // The run did what it claims (a run that ordered nothing would prove nothing).
    expect(orders.length).toBeGreaterThan(DURATION_S / 10);
    expect(byStatus.get('completed') ?? 0).toBeGreaterThan(0);
    expect(byStatus.get('cancelled') ?? 0).toBeGreaterThan(0);
    expect(world.revocationChecks).toBeGreaterThan(0);
    expect(world.idempotentReplays).toBeGreaterThan(0);

    // Flat: memory and event-loop delay of the last third against the first (generous bounds,
    // the machine is shared).
    for (const s of perServer) {
      expect(s.rssLast).toBeLessThan(s.rssFirst * 1.25 + 25);
      expect(s.loopP99Last).toBeLessThan(s.loopP99First * 3 + 25);
    }
  });
});
