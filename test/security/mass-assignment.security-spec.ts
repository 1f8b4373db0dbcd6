import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, me } from '../support/auth.js';
import { type JsonResponse, request } from '../support/http.js';
import {
  type OpenApiDocument,
  type Schema,
  fetchOpenApi,
  resolveSchema,
} from '../support/openapi.js';
import {
  ACCESS,
  type Operation,
  operationsOf,
  pathWith,
  propertyNames,
  sampleOf,
} from './api-surface.js';
import {
  type SecurityWorld,
  expectContractError,
  refusedWithoutChange,
  startSecurityWorld,
} from './security-world.js';

/** Properties a client must never set: identity, ownership, money, state, bookkeeping. */
const SENSITIVE = [
  'id',
  'role',
  'roles',
  'isAdmin',
  'admin',
  'active',
  'userId',
  'customerId',
  'customer',
  'sessionId',
  'ownerId',
  'assignee',
  'assigneeId',
  'price',
  'priceCents',
  'unitPriceCents',
  'totalCents',
  'status',
  'version',
  'createdAt',
  'updatedAt',
  'archivedAt',
  'passwordHash',
  'tokenVersion',
  'number',
  'history',
];

const VALUES: Record<string, unknown> = {
  role: 'admin',
  roles: ['admin'],
  isAdmin: true,
  admin: true,
  active: true,
  status: 'completed',
  version: 99,
  price: 0,
  priceCents: 0,
  unitPriceCents: 0,
  totalCents: 0,
  number: 1,
  createdAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z',
  archivedAt: '2020-01-01T00:00:00.000Z',
  history: [],
};

interface Attempt {
  op: Operation;
  /** Dot path of the smuggled property (`role`, `items.0.unitPriceCents`). */
  path: string;
  body: unknown;
}

/**
 * Mass assignment: every operation with a body, sent a valid body plus one property it does not
 * declare — a sensitive name, or any property of its response that the request does not have —
 * at the top level and inside every array of objects. The contract rejects unknown properties:
 * `400 VALIDATION_FAILED` naming the property, and nothing changes.
 */
describe('security: mass assignment and property-level authorization', () => {
  let world: SecurityWorld;
  let doc: OpenApiDocument;
  let operations: Operation[];

  beforeAll(async () => {
    world = await startSecurityWorld();
    doc = await fetchOpenApi(world.app.url);
    operations = operationsOf(doc);
  }, 120_000);
  afterAll(async () => {
    await world.close();
  });

  function attemptsFor(op: Operation): Attempt[] {
    const bodySchema = op.body ?? {};
    const base = sampleOf(doc, bodySchema) as Record<string, unknown>;
    const declared = new Set(Object.keys(bodySchema.properties ?? {}));
    const candidates = [...new Set([...SENSITIVE, ...propertyNames(doc, op.response)])];
    const attempts: Attempt[] = candidates
      .filter((name) => !declared.has(name))
      .map((name) => ({ op, path: name, body: { ...base, [name]: valueFor(name) } }));
    // Inside arrays of objects (order lines): the line's price, name, total…
    for (const [name, property] of Object.entries(bodySchema.properties ?? {})) {
      const items =
        resolveSchema(doc, property)?.type === 'array' ? itemSchema(property) : undefined;
      if (items?.properties === undefined) continue;
      const lineDeclared = new Set(Object.keys(items.properties));
      const line = sampleOf(doc, items) as Record<string, unknown>;
      for (const extra of candidates.filter((candidate) => !lineDeclared.has(candidate))) {
        attempts.push({
          op,
          path: `${name}.0.${extra}`,
          body: { ...base, [name]: [{ ...line, [extra]: valueFor(extra) }] },
        });
      }
    }
    return attempts;
  }

  function itemSchema(property: Schema): Schema | undefined {
    return resolveSchema(doc, resolveSchema(doc, property)?.items);
  }

  function valueFor(name: string): unknown {
    if (name in VALUES) return VALUES[name];
    if (name.endsWith('Id')) return world.other.user.id;
    if (name === 'customer' || name === 'assignee') return { id: world.other.user.id, name: 'x' };
    return 'smuggled';
  }

  function send(op: Operation, body: string): Promise<JsonResponse> {
    const rule = ACCESS[op.key];
    const principal = rule?.allowed?.[0];
    const token =
      principal !== undefined
        ? world.signedIn[principal].accessToken
        : rule?.guest === true
          ? world.guest.accessToken
          : undefined;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      ...(token === undefined ? {} : bearer(token)),
    };
    if (op.headerParams.some((header) => header.name.toLowerCase() === 'idempotency-key')) {
      headers['idempotency-key'] = randomUUID();
    }
    const id = rule?.id?.kind === 'order' ? world.ownOrderId : world.menuItemId;
    return request(`${world.app.url}${pathWith(op, { id })}`, {
      method: op.method,
      headers,
      body,
    });
  }

  it('refuses every undeclared property in every body with 400 VALIDATION_FAILED naming it, and changes nothing', async () => {
    const withBody = operations.filter((op) => op.body !== undefined);
    expect(withBody.length).toBeGreaterThanOrEqual(14);
    const attempts = withBody.flatMap(attemptsFor);
    const tried = new Set(attempts.map((attempt) => `${attempt.op.key} ${attempt.path}`));
    // The contract's examples are among what is tried.
    for (const expected of [
      'POST /api/auth/register role',
      'POST /api/orders customerId',
      'POST /api/orders totalCents',
      'POST /api/orders status',
      'POST /api/orders items.0.unitPriceCents',
      'POST /api/orders items.0.priceCents',
      'POST /api/orders/{id}/cancel status',
      'PATCH /api/orders/{id}/status totalCents',
      'PATCH /api/menu/{id}/availability priceCents',
      'PATCH /api/admin/users/{id} email',
      'POST /api/auth/login role',
      'POST /api/auth/change-password userId',
    ]) {
      expect(tried).toContain(expected);
    }

    const failures: string[] = [];
    for (const attempt of attempts) {
      const label = `${attempt.op.key} +${attempt.path}`;
      try {
        // Sign-in attempts that reach the password check may audit; nothing else may change.
        const response = await refusedWithoutChange(world.app, () =>
          send(attempt.op, JSON.stringify(attempt.body)),
        );
        expectContractError(response, 400, 'VALIDATION_FAILED', label);
        const details = (response.body as { details?: { field: string }[] }).details ?? [];
        const named = details.some(
          (detail) => detail.field === attempt.path || detail.field.endsWith(`.${attempt.path}`),
        );
        if (!named) failures.push(`${label}: details do not name it: ${response.text}`);
      } catch (error) {
        failures.push(`${label}: ${(error as Error).message.split('\n').slice(0, 10).join(' ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(attempts.length).toBeGreaterThan(200);
    // The principals whose tokens were used are all still signed in (nothing was logged out).
    for (const signedIn of Object.values(world.signedIn)) {
      expect((await me(world.app, signedIn.accessToken)).status).toBe(200);
    }
  });

  it('refuses prototype-pollution keys in every body', async () => {
    const failures: string[] = [];
    for (const op of operations.filter((candidate) => candidate.body !== undefined)) {
      const base = JSON.stringify(sampleOf(doc, op.body));
      const inner = base === '{}' ? '' : `,${base.slice(1, -1)}`;
      for (const key of ['__proto__', 'constructor']) {
        const body = `{"${key}":{"role":"admin","isAdmin":true,"prototype":{"isAdmin":true}}${inner}}`;
        try {
          const response = await refusedWithoutChange(world.app, () => send(op, body));
          expectContractError(response, 400, undefined, `${op.key} ${key}`);
        } catch (error) {
          failures.push(
            `${op.key} ${key}: ${(error as Error).message.split('\n').slice(0, 8).join(' ')}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    // Nothing leaked into the prototypes of this process's objects either.
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses undeclared query parameters on every operation that declares its query', async () => {
    const failures: string[] = [];
    const withQuery = operations.filter((op) => op.queryParams.length > 0);
    expect(withQuery.length).toBeGreaterThanOrEqual(5);
    for (const op of withQuery) {
      const principal = ACCESS[op.key]?.allowed?.[0] ?? 'customer';
      const declared = new Set(op.queryParams.map((param) => param.name));
      for (const name of ['customerId', 'userId', 'role', 'status', 'isAdmin', 'sessionId']) {
        if (declared.has(name)) continue;
        const url = `${world.app.url}${op.path}?${name}=${encodeURIComponent(String(valueFor(name)))}`;
        try {
          const response = await refusedWithoutChange(world.app, () =>
            request(url, { headers: bearer(world.signedIn[principal].accessToken) }),
          );
          expectContractError(response, 400, 'VALIDATION_FAILED', `${op.key} ?${name}`);
        } catch (error) {
          failures.push(`${op.key} ?${name}: ${(error as Error).message.split('\n')[0]}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('keeps server-owned values when a customer orders: prices and totals come from the menu', async () => {
    const customer = world.signedIn.customer;
    const response = await request(`${world.app.url}/api/orders`, {
      method: 'POST',
      headers: { ...bearer(customer.accessToken), 'idempotency-key': randomUUID() },
      json: { items: [{ menuItemId: world.menuItemId, quantity: 2 }] },
    });
    expect(response.status).toBe(201);
    expect(response.body.customer.id).toBe(customer.user.id);
    expect(response.body.status).toBe('pending');
    expect(response.body.items[0].unitPriceCents).toBe(650);
    expect(response.body.totalCents).toBe(1300);
    expect(response.body.version).toBe(1);
  });

  it('always registers a customer, and keeps the user admin routes closed to one', async () => {
    // A customer's own role is not theirs to set: the only self-service route with a role-like
    // field is register, which always makes a customer.
    const register = await request(`${world.app.url}/api/auth/register`, {
      method: 'POST',
      json: {
        email: `plain-${randomUUID().slice(0, 8)}@example.com`,
        password: 'unusual-Passphrase-for-tests-9',
        name: 'Plain',
      },
    });
    expect(register.status).toBe(201);
    expect(register.body.user.role).toBe('customer');
    const rows = await world.app.sql<{ role: string }>('SELECT role FROM users WHERE id = $1', [
      register.body.user.id,
    ]);
    expect(rows).toEqual([{ role: 'customer' }]);
    // The admin user routes stay closed to a customer whatever the body says.
    const patch = await refusedWithoutChange(world.app, () =>
      request(`${world.app.url}/api/admin/users/${world.signedIn.customer.user.id}`, {
        method: 'PATCH',
        headers: bearer(world.signedIn.customer.accessToken),
        json: { role: 'admin' },
      }),
    );
    expectContractError(patch, 403, 'FORBIDDEN');
  });
});
