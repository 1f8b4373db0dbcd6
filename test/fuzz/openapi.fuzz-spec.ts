/**
 * Fuzzes every operation of the OpenAPI document: valid-looking and broken requests drawn from its
 * schemas, sent over real HTTP to a server process. Reproduce a failure with the seed fast-check
 * prints: `FUZZ_SEED=<seed> npm run test:fuzz`; `FUZZ_RUNS` sets the requests per operation.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import fc from 'fast-check';
import {
  type ServerProcess,
  freePort,
  startServerProcess,
  waitForHttp,
} from '../support/server-process.js';
import { type TestDatabase, createTestDatabase } from '../support/test-database.js';
import { fetchOpenApi } from '../support/openapi.js';
import { type Account, FuzzClient, contractViolations } from './fuzz-client.js';
import {
  type Operation,
  SchemaResolver,
  operationsOf,
  requestsFor,
} from './openapi-arbitraries.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_127);
/** Requests per operation in the measured round (the warm-up round sends a quarter as many). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const WARM_UP_RUNS = Math.max(5, Math.round(RUNS / 4));
/** Growth of the server's resident memory allowed between the warm-up and the end. */
const RSS_GROWTH_LIMIT_MB = 48;

// Seeded on the embedded database, and on PostgreSQL with SEED_DEMO=true.
const ACCOUNTS: Account[] = [
  { email: 'admin@taproom.local', password: 'admin-demo-pass-2026', app: 'admin' },
  { email: 'bartender@taproom.local', password: 'bartender-demo-pass-2026', app: 'bartender' },
  { email: 'customer@taproom.local', password: 'customer-demo-pass-2026', app: 'customer' },
];

jest.setTimeout(600_000);

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) / 1024;
}

interface OperationStats {
  valid: number;
  validOk: number;
  invalid: number;
  invalidRefused: number;
  mutations: Set<string>;
  /** Broken requests answered 2xx, by what was broken (some are harmless: junk headers ignored). */
  accepted: Set<string>;
  statuses: Map<number, number>;
}

describe('fuzzing every operation of the OpenAPI document', () => {
  let server: ServerProcess;
  let database: TestDatabase;
  let operations: Operation[];
  let resolver: SchemaResolver;
  let client: FuzzClient;
  let errorCodes: Set<string>;
  const stats = new Map<string, OperationStats>();
  const rss: { label: string; mb: number }[] = [];

  beforeAll(async () => {
    const env: Record<string, string> = {
      COOKIE_SECURE: 'false',
      RATE_LIMIT_USER_PER_MINUTE: '0',
      RATE_LIMIT_ANON_PER_MINUTE: '0',
      // Fuzzed sign-ins and password changes fail by the thousand; the limits are tested elsewhere.
      RATE_LIMIT_LOGIN_EMAIL_IP: '1000000',
      RATE_LIMIT_LOGIN_IP: '1000000',
      RATE_LIMIT_LOGIN_ACCOUNT: '1000000',
      RATE_LIMIT_REGISTER_IP: '1000000',
    };
    // The database runs outside the server process (PGlite in this one, or a PostgreSQL schema),
    // so the server's memory is the application's alone.
    database = await createTestDatabase();
    Object.assign(env, {
      DATABASE_URL: database.target.url,
      DATABASE_POOL_SIZE: String(database.target.poolSize),
      SEED_DEMO: 'true',
    });
    if (database.target.schema) env.DATABASE_SCHEMA = database.target.schema;
    const port = await freePort();
    server = startServerProcess(env, port);
    await waitForHttp(`${server.url}/api/health`);
    const document = await fetchOpenApi(server.url);
    operations = operationsOf(document);
    resolver = new SchemaResolver(document);
    errorCodes = new Set(
      resolver.resolve({ $ref: '#/components/schemas/ErrorCode' }).enum as string[],
    );
    client = new FuzzClient(server.url, ACCOUNTS);
    await client.learnRoles(operations);
    // Ids for valid requests to name: the menu, the users, the sessions, the orders.
    for (const operation of operations) {
      if (operation.method === 'GET' && !operation.path.includes('{') && !operation.streams) {
        const { valid } = requestsFor(resolver, operation);
        const [request] = fc.sample(valid, { seed: SEED, numRuns: 1 });
        await client.send(operation, { ...request!, query: [] });
      }
    }
  });

  afterAll(async () => {
    client.close();
    if (server.child.exitCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await database.drop();
  });

  /**
   * One pass over every operation; returns the median of the server's RSS sampled after each
   * operation (a single sample lands anywhere on the garbage collector's saw-tooth).
   */
  async function fuzzRound(runs: number, seedOffset: number): Promise<number> {
    const samples: number[] = [];
    for (const [index, operation] of operations.entries()) {
      const { valid, invalid } = requestsFor(resolver, operation);
      const entry = stats.get(operation.key) ?? {
        valid: 0,
        validOk: 0,
        invalid: 0,
        invalidRefused: 0,
        mutations: new Set<string>(),
        accepted: new Set<string>(),
        statuses: new Map<number, number>(),
      };
      stats.set(operation.key, entry);
      const property = fc.asyncProperty(
        fc.oneof({ weight: 2, arbitrary: valid }, { weight: 3, arbitrary: invalid }),
        async (request) => {
          const outcome = await client.send(operation, request);
          const ok = outcome.status >= 200 && outcome.status < 300;
          entry.mutations.add(request.mutation);
          entry.statuses.set(outcome.status, (entry.statuses.get(outcome.status) ?? 0) + 1);
          if (request.mutation === 'valid') {
            entry.valid += 1;
            if (ok) entry.validOk += 1;
          } else {
            entry.invalid += 1;
            if (outcome.status >= 400 && outcome.status < 500) entry.invalidRefused += 1;
            if (ok) entry.accepted.add(request.mutation);
          }
          const problems = contractViolations(operation, outcome, errorCodes);
          if (problems.length > 0) {
            throw new Error(
              `${operation.key} (${request.mutation}): ${problems.join('; ')}\n` +
                `${outcome.method} ${outcome.url.slice(0, 300)}\n` +
                `sent: ${(outcome.sentBody ?? '').slice(0, 300)}\n` +
                `answer ${outcome.status}: ${outcome.text.slice(0, 300)}`,
            );
          }
        },
      );
      try {
        await fc.assert(property, { seed: SEED + seedOffset + index, numRuns: runs });
      } catch (error) {
        // The server's state depends on every request before this one: replay the whole run.
        throw new Error(
          `${operation.key}: reproduce with FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS} npm run test:fuzz\n${(error as Error).message}`,
          { cause: error },
        );
      }
      samples.push(rssMb(server.child.pid!));
    }
    samples.sort((a, b) => a - b);
    return samples[Math.floor(samples.length / 2)]!;
  }

  it('answers every generated request within the time limit, below 500, in the contract format', async () => {
    rss.push({ label: 'warm-up round', mb: await fuzzRound(WARM_UP_RUNS, 10_000) });
    rss.push({ label: 'second round', mb: await fuzzRound(Math.ceil(RUNS / 2), 20_000) });
    rss.push({ label: 'last round', mb: await fuzzRound(Math.ceil(RUNS / 2), 30_000) });

    // The process survived it all and still answers.
    expect(server.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/api/health/ready`)).status).toBe(200);
  });

  it('keeps the server memory flat over thousands of requests', () => {
    const sent = [...stats.values()].reduce((sum, entry) => sum + entry.valid + entry.invalid, 0);
    const [warm, , end] = rss;
    const growth = end!.mb - warm!.mb;
    console.log(
      `fuzz: ${sent} requests; server RSS (median per round) ${rss.map((s) => `${s.label} ${s.mb.toFixed(1)} MB`).join(', ')}; growth ${growth.toFixed(1)} MB`,
    );
    expect(sent).toBeGreaterThanOrEqual(operations.length * RUNS);
    expect(growth).toBeLessThan(RSS_GROWTH_LIMIT_MB);
  });

  it('fuzzed every operation of the document with valid and broken requests', () => {
    const rows = operations.map((operation) => {
      const entry = stats.get(operation.key)!;
      const statuses = [...entry.statuses.entries()]
        .sort(([a], [b]) => a - b)
        // `!` marks a status the document does not list for the operation.
        .map(([status, count]) => {
          const listed = operation.documentedStatuses.includes(status);
          return `${status}${listed ? '' : '!'}×${count}`;
        })
        .join(' ');
      return `${operation.key.padEnd(38)} roles ${client.rolesFor(operation).join('/').padEnd(24)} valid ${entry.validOk}/${entry.valid} 2xx, invalid ${entry.invalidRefused}/${entry.invalid} 4xx, ${entry.mutations.size - 1} mutations; ${statuses}; accepted: ${[...entry.accepted].join(', ') || '-'}`;
    });
    const succeeded = operations.filter((operation) => stats.get(operation.key)!.validOk > 0);
    console.log(
      `fuzz: ${succeeded.length}/${operations.length} operations answered 2xx to valid requests\n${rows.join('\n')}`,
    );
    expect(stats.size).toBe(operations.length);
    for (const operation of operations) {
      const entry = stats.get(operation.key)!;
      expect({
        operation: operation.key,
        valid: entry.valid > 0,
        invalid: entry.invalid > 0,
      }).toEqual({
        operation: operation.key,
        valid: true,
        invalid: true,
      });
      // Broken requests are refused, not waved through (where there is anything to break:
      // a public route without parameters or body rightly ignores junk headers and queries, and
      // an optional header such as If-None-Match has no wrong value, only one that does not match).
      const takesInput =
        operation.secured ||
        operation.body !== undefined ||
        operation.parameters.some((parameter) => parameter.in !== 'header' || parameter.required);
      if (!takesInput) continue;
      expect({ operation: operation.key, refused: entry.invalidRefused > 0 }).toEqual({
        operation: operation.key,
        refused: true,
      });
    }
    // Most operations must be reached past validation by some valid request. Not all can be:
    // random draws rarely meet a payment's balance, a refund's paid amount, a status change's
    // version or a tab's "exactly one of" (the money routes of #20 moved the share from 75 % to
    // 73 %); the log above lists which operations never answered 2xx.
    expect(succeeded.length).toBeGreaterThanOrEqual(Math.floor(operations.length * 0.7));
    // Every status an operation answered is one the document lists for it.
    const undocumented = operations.flatMap((operation) =>
      [...stats.get(operation.key)!.statuses.keys()]
        .filter((status) => !operation.documentedStatuses.includes(status))
        .map((status) => `${operation.key} ${status}`),
    );
    expect(undocumented).toEqual([]);
  });
});
