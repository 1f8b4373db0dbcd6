import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, createUser, me } from '../support/auth.js';
import { openEvents } from '../support/event-stream.js';
import { type JsonResponse, request } from '../support/http.js';
import { type OpenApiDocument, fetchOpenApi } from '../support/openapi.js';
import {
  ACCESS,
  type Operation,
  operationsOf,
  pathWith,
  propertyNames,
  sampleOf,
  stringFields,
  withField,
} from './api-surface.js';
import {
  type SecurityWorld,
  expectContractError,
  snapshot,
  startSecurityWorld,
} from './security-world.js';

/** Seconds the time-based payloads ask PostgreSQL to sleep; a request taking this long is a finding. */
const SLEEP_SECONDS = 20;
const TIME_BOUND_MS = (SLEEP_SECONDS - 5) * 1000;

const PAYLOADS = [
  "' OR 1=1--",
  '" OR ""="',
  "'; DROP TABLE users;--",
  `1' AND pg_sleep(${SLEEP_SECONDS})--`,
  `'; SELECT pg_sleep(${SLEEP_SECONDS});--`,
  `' || (SELECT pg_sleep(${SLEEP_SECONDS})) || '`,
  "' UNION SELECT email, password_hash FROM users--",
  "\\'; --",
  'ʼ OR 1=1--',
  "a\u0000b' OR 1=1--",
  '\ud800',
  'A'.repeat(50_000),
];

/** Every byte percent-encoded, so unpaired surrogates travel as the bytes Node would send. */
function percentEncoded(payload: string): string {
  return [...Buffer.from(payload, 'utf8')]
    .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
    .join('');
}

/** In a URL, also byte sequences that are not UTF-8 at all (a surrogate, an overlong quote). */
const URL_PAYLOADS = [
  ...PAYLOADS.map(percentEncoded),
  '%ED%A0%80',
  '%C0%A7%20OR%201%3D1--',
  '%FF%27',
  '%27%00--',
];

/** Payloads that can travel in an HTTP header (visible ASCII, bounded). */
const HEADER_PAYLOADS = PAYLOADS.filter((payload) => /^[\x20-\x7e]{1,300}$/.test(payload));

function decodeURIComponentSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function containsString(value: unknown, wanted: string): boolean {
  if (typeof value === 'string') return value === wanted;
  if (Array.isArray(value)) return value.some((item) => containsString(item, wanted));
  if (value !== null && typeof value === 'object') {
    return Object.values(value).some((item) => containsString(item, wanted));
  }
  return false;
}

/** Operations whose refusals may write an audit row (failed sign-ins) but nothing else. */
const AUDITED = new Set([
  'POST /api/auth/login',
  'POST /api/auth/change-password',
  'POST /api/auth/refresh',
  // A wrong password or code is a failed sign-in (audited), as for change-password.
  'POST /api/auth/2fa/setup',
  'POST /api/auth/2fa/disable',
  'POST /api/auth/login/2fa',
]);

/**
 * SQL injection by hand: classic, time-based, unicode, NUL and oversized payloads in every string
 * field of every body, every query and path parameter and the request headers the document lists.
 * The server never answers 5xx, always in the contract's format, never takes as long as a
 * `pg_sleep` would, and a refused request changes nothing; an accepted one stores the payload
 * verbatim (it was a value, not SQL).
 */
describe('security: SQL injection payloads in every parameter', () => {
  let world: SecurityWorld;
  let doc: OpenApiDocument;
  let operations: Operation[];
  let victimId: string;
  let slowest = { label: '', ms: 0 };
  let lastSnapshot: { key: string; rows: Record<string, string> } | undefined;

  beforeAll(async () => {
    world = await startSecurityWorld();
    doc = await fetchOpenApi(world.app.url);
    operations = operationsOf(doc);
    victimId = (await createUser(world.app, 'bartender')).id;
  }, 120_000);
  afterAll(async () => {
    await world.close();
  });

  function tokenFor(op: Operation): string | undefined {
    const principal = ACCESS[op.key]?.allowed?.[0];
    if (principal !== undefined) return world.signedIn[principal].accessToken;
    return ACCESS[op.key]?.guest === true ? world.guest.accessToken : undefined;
  }

  function idFor(op: Operation): string {
    const kind = ACCESS[op.key]?.id?.kind;
    if (kind === 'order') return world.ownOrderId;
    if (kind === 'menuItem') return world.menuItemId;
    if (kind === 'user') return victimId;
    return randomUUID();
  }

  /** A body that passes validation and names real things, so payloads reach the queries. */
  function baseBody(op: Operation): unknown {
    const sample = sampleOf(doc, op.body) as Record<string, unknown>;
    if (op.key === 'POST /api/orders') {
      return { items: [{ menuItemId: world.menuItemId, quantity: 1 }], note: 'fine' };
    }
    if (op.key === 'POST /api/auth/login') {
      return { ...sample, email: world.other.user.email, app: 'customer' };
    }
    return sample;
  }

  async function timed(
    label: string,
    send: () => Promise<JsonResponse>,
  ): Promise<{ response: JsonResponse; ms: number }> {
    const started = performance.now();
    const response = await send();
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { label, ms };
    return { response, ms };
  }

  /** Sends, then checks: no 5xx, contract format, time bound, no change when refused. */
  async function attack(
    failures: string[],
    label: string,
    op: Operation,
    send: () => Promise<JsonResponse>,
    echoed?: string,
  ): Promise<JsonResponse | undefined> {
    try {
      const ignore = AUDITED.has(op.key) ? ['audit_events'] : [];
      const key = ignore.join();
      const before =
        lastSnapshot?.key === key ? lastSnapshot.rows : await snapshot(world.app, ignore);
      lastSnapshot = undefined;
      const { response, ms } = await timed(label, send);
      if (response.status >= 500) {
        failures.push(`${label}: ${response.status} ${response.text.slice(0, 200)}`);
        return response;
      }
      if (ms > TIME_BOUND_MS) failures.push(`${label}: took ${Math.round(ms)} ms`);
      if (response.status >= 400) {
        expectContractError(response, response.status, undefined, label);
        const after = await snapshot(world.app, ignore);
        expect(after).toEqual(before);
        // A refusal writes nothing, not even later: the next request may start from here.
        lastSnapshot = { key, rows: after };
      } else if (echoed !== undefined && !containsString(response.body, echoed)) {
        failures.push(`${label}: accepted but not stored verbatim: ${response.text.slice(0, 200)}`);
      }
      return response;
    } catch (error) {
      failures.push(`${label}: ${(error as Error).message.split('\n').slice(0, 40).join(' ')}`);
      return undefined;
    }
  }

  it('survives every payload in every string field of every body', async () => {
    const failures: string[] = [];
    let attempts = 0;
    const withBody = operations.filter((op) => op.body !== undefined);
    for (const op of withBody) {
      const fields = stringFields(doc, op.body);
      const responseNames = new Set(propertyNames(doc, op.response));
      for (const field of fields) {
        for (const payload of PAYLOADS) {
          attempts += 1;
          const body = withField(baseBody(op), field, payload);
          const token = tokenFor(op);
          const echoed = field.split('.').some((part) => responseNames.has(part))
            ? payload
            : undefined;
          await attack(
            failures,
            `${op.key} ${field}=${JSON.stringify(payload.slice(0, 40))}`,
            op,
            () =>
              request(`${world.app.url}${pathWith(op, { id: idFor(op) })}`, {
                method: op.method,
                headers: {
                  ...(token === undefined ? {} : bearer(token)),
                  'idempotency-key': randomUUID(),
                },
                json: body,
              }),
            // Accepted values come back in the response exactly as sent (NUL bytes are refused).
            echoed,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(attempts).toBeGreaterThan(400);
    // The accounts the attacks ran under are intact.
    expect((await me(world.app, world.signedIn.customer.accessToken)).status).toBe(200);
    expect((await me(world.app, world.signedIn.admin.accessToken)).status).toBe(200);
  }, 300_000);

  it('survives every payload in every query and path parameter', async () => {
    const failures: string[] = [];
    let attempts = 0;
    for (const op of operations) {
      if (op.key === 'GET /api/events') continue; // a stream: see the header test
      const token = tokenFor(op);
      const headers = {
        ...(token === undefined ? {} : bearer(token)),
        'idempotency-key': randomUUID(),
      };
      const body = op.body === undefined ? {} : { json: baseBody(op) };
      for (const payload of URL_PAYLOADS) {
        const shown = decodeURIComponentSafely(payload).slice(0, 40);
        for (const param of op.queryParams) {
          attempts += 1;
          const url = `${world.app.url}${op.path}?${param.name}=${payload}`;
          await attack(failures, `${op.key} ?${param.name}=${shown}`, op, () =>
            request(url, { method: op.method, headers }),
          );
        }
        if (op.pathParams.length > 0) {
          attempts += 1;
          const url = `${world.app.url}${op.path.replace('{id}', payload)}`;
          const response = await attack(failures, `${op.key} id=${shown}`, op, () =>
            request(url, { method: op.method, headers, ...body }),
          );
          if (response !== undefined && ![400, 404, 414].includes(response.status)) {
            failures.push(`${op.key} id=${shown}: ${response.status}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(attempts).toBeGreaterThan(300);
  }, 240_000);

  it('survives every payload in the documented request headers', async () => {
    const failures: string[] = [];
    const createOrder = operations.find((op) => op.key === 'POST /api/orders');
    expect(createOrder?.headerParams.map((header) => header.name)).toContain('Idempotency-Key');
    for (const payload of HEADER_PAYLOADS) {
      if (createOrder === undefined) break;
      await attack(failures, `Idempotency-Key: ${payload.slice(0, 40)}`, createOrder, () =>
        request(`${world.app.url}/api/orders`, {
          method: 'POST',
          headers: {
            ...bearer(world.signedIn.customer.accessToken),
            'idempotency-key': payload,
          },
          json: { items: [{ menuItemId: world.menuItemId, quantity: 1 }] },
        }),
      );
    }
    const events = operations.find((op) => op.key === 'GET /api/events');
    expect(events?.headerParams.map((header) => header.name)).toContain('Last-Event-ID');
    for (const payload of HEADER_PAYLOADS) {
      const before = await snapshot(world.app);
      const started = performance.now();
      const opened = await openEvents(world.app.url, world.signedIn.customer.accessToken, {
        lastEventId: payload,
      });
      const ms = performance.now() - started;
      try {
        if (opened.stream !== undefined) {
          // An unknown id is answered with a resync, never an error.
          const first = await opened.stream.next(() => true, 5_000);
          expect(first.event).toBe('resync');
        } else if (opened.status >= 500 || opened.body?.code === undefined) {
          failures.push(`Last-Event-ID ${payload.slice(0, 40)}: ${opened.status}`);
        }
        if (ms > TIME_BOUND_MS) failures.push(`Last-Event-ID ${payload}: ${Math.round(ms)} ms`);
      } catch (error) {
        failures.push(`Last-Event-ID ${payload.slice(0, 40)}: ${(error as Error).message}`);
      } finally {
        opened.stream?.close();
      }
      expect(await snapshot(world.app)).toEqual(before);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('still has every table and the accounts it started with', async () => {
    const tables = await world.app.sql<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`,
    );
    expect(tables.map((table) => table.name)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'orders', 'order_items', 'menu_items']),
    );
    const users = await world.app.sql<{ count: string }>(
      'SELECT count(*)::text AS count FROM users',
    );
    expect(Number(users[0]?.count)).toBeGreaterThanOrEqual(6);
    // No payload ever took as long as a pg_sleep it carried.
    expect(slowest.ms).toBeLessThan(TIME_BOUND_MS);
  });
});
