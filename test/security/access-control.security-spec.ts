import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, me } from '../support/auth.js';
import { type JsonResponse, request } from '../support/http.js';
import { type OpenApiDocument, fetchOpenApi } from '../support/openapi.js';
import {
  ACCESS,
  type Operation,
  PRINCIPALS,
  type Principal,
  operationsOf,
  pathWith,
  sampleOf,
} from './api-surface.js';
import {
  type RefusalArgs,
  type SecurityWorld,
  collectRefusal,
  sendOperation,
  expectContractError,
  expiredTokenFor,
  refusedWithoutChange,
  revokedTokenFor,
  startSecurityWorld,
} from './security-world.js';

const MALFORMED_IDS = ['not-a-uuid', '1', "1' OR '1'='1", '00000000-0000-0000-0000-00000000000g'];

/**
 * Every operation of the live OpenAPI document: without a token, with an expired one, with a
 * revoked session's, with a token of a principal the contract does not allow, and with ids that
 * are not the caller's, do not exist or are malformed. Each refusal is in the contract's format
 * and leaves every table as it was.
 */
describe('security: access control on every documented operation', () => {
  let world: SecurityWorld;
  let doc: OpenApiDocument;
  let operations: Operation[];
  const revoked = {} as Record<Principal, string>;

  beforeAll(async () => {
    world = await startSecurityWorld();
    doc = await fetchOpenApi(world.app.url);
    operations = operationsOf(doc);
    for (const principal of PRINCIPALS) {
      revoked[principal] = await revokedTokenFor(world.app, principal);
    }
  }, 120_000);
  afterAll(async () => {
    await world.close();
  });

  const guarded = () => operations.filter((op) => ACCESS[op.key]?.public !== true);
  const send = (op: Operation, token?: string, id?: string): Promise<JsonResponse> =>
    sendOperation(world, doc, op, token, id);
  const expectRefused = (...refusal: RefusalArgs): Promise<void> =>
    collectRefusal(world, ...refusal);

  it('classifies every documented operation, and documents every classified one', () => {
    const documented = operations.map((op) => op.key);
    expect(documented.length).toBeGreaterThanOrEqual(30);
    expect(documented.filter((key) => !(key in ACCESS))).toEqual([]);
    expect(Object.keys(ACCESS).filter((key) => !documented.includes(key))).toEqual([]);
    // The document marks bearer security exactly on the routes that need a token (and logout,
    // which reads one when it is there).
    const mismatched = operations.filter(
      (op) => op.documentsBearer !== (ACCESS[op.key]?.public !== true),
    );
    expect(mismatched.map((op) => op.key)).toEqual(['POST /api/auth/logout']);
  });

  it('answers 401 TOKEN_INVALID without a token, or with a malformed one', async () => {
    const failures: string[] = [];
    for (const op of guarded()) {
      await expectRefused(failures, `${op.key} no token`, () => send(op), 401, 'TOKEN_INVALID');
      await expectRefused(
        failures,
        `${op.key} garbage token`,
        () => send(op, 'not.a.jwt'),
        401,
        'TOKEN_INVALID',
      );
    }
    expect(failures).toEqual([]);
  });

  it('answers 401 TOKEN_EXPIRED to a correctly signed but expired token of an allowed principal', async () => {
    const failures: string[] = [];
    for (const op of guarded()) {
      const principal = ACCESS[op.key]?.allowed?.[0] ?? 'customer';
      const token = expiredTokenFor(world.app, world.signedIn[principal]);
      await expectRefused(
        failures,
        `${op.key} expired`,
        () => send(op, token),
        401,
        'TOKEN_EXPIRED',
      );
    }
    expect(failures).toEqual([]);
    // The control case: the session itself is alive.
    expect((await me(world.app, world.signedIn.customer.accessToken)).status).toBe(200);
  });

  it('answers 401 SESSION_REVOKED to an unexpired token of a revoked session', async () => {
    const failures: string[] = [];
    for (const op of guarded()) {
      for (const principal of ACCESS[op.key]?.allowed ?? []) {
        await expectRefused(
          failures,
          `${op.key} revoked ${principal}`,
          () => send(op, revoked[principal]),
          401,
          'SESSION_REVOKED',
        );
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 FORBIDDEN to every principal the contract does not allow', async () => {
    const failures: string[] = [];
    let attempts = 0;
    for (const op of guarded()) {
      const allowed = ACCESS[op.key]?.allowed ?? [];
      for (const principal of PRINCIPALS.filter((p) => !allowed.includes(p))) {
        attempts += 1;
        const token = world.signedIn[principal].accessToken;
        await expectRefused(
          failures,
          `${op.key} as ${principal}`,
          () => send(op, token, world.ownOrderId),
          403,
          'FORBIDDEN',
        );
      }
    }
    expect(failures).toEqual([]);
    // Admin routes alone give 3 refused principals each.
    expect(attempts).toBeGreaterThanOrEqual(30);
  });

  it('answers 404 to an id that does not exist and 400/404 to a malformed one, for every allowed principal', async () => {
    const failures: string[] = [];
    const withId = guarded().filter((op) => op.pathParams.length > 0);
    expect(withId.length).toBeGreaterThanOrEqual(9);
    for (const op of withId) {
      const rule = ACCESS[op.key]?.id;
      if (rule === undefined) {
        failures.push(`${op.key}: path parameter not classified in ACCESS`);
        continue;
      }
      // `{id}`, and for one option of a menu item, `{optionId}` after it.
      const inner = op.pathParams.filter((name) => name !== 'id');
      expect(op.pathParams[0]).toBe('id');
      expect(inner).toEqual(op.path.includes('{optionId}') ? ['optionId'] : []);
      for (const principal of ACCESS[op.key]?.allowed ?? []) {
        const token = world.signedIn[principal].accessToken;
        for (const name of inner) {
          // A real item, and an option that is not one of its (or not an id at all): 404.
          for (const value of [randomUUID(), ...MALFORMED_IDS]) {
            await expectRefused(
              failures,
              `${op.key} ${name} ${JSON.stringify(value)} as ${principal}`,
              () =>
                request(
                  `${world.app.url}${pathWith(op, { id: world.menuItemId, [name]: value })}`,
                  {
                    method: op.method,
                    headers: bearer(token),
                    ...(op.body === undefined ? {} : { json: sampleOf(doc, op.body) }),
                  },
                ),
              404,
              'NOT_FOUND',
            );
          }
        }
        await expectRefused(
          failures,
          `${op.key} random id as ${principal}`,
          () => send(op, token, randomUUID()),
          404,
          'NOT_FOUND',
        );
        for (const id of MALFORMED_IDS) {
          await expectRefused(
            failures,
            `${op.key} id ${JSON.stringify(id)} as ${principal}`,
            () => send(op, token, id),
            rule.malformed,
            rule.malformed === 400 ? 'VALIDATION_FAILED' : 'NOT_FOUND',
          );
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("answers 404 to a customer who names another customer's order or session (BOLA)", async () => {
    const failures: string[] = [];
    const otherIds = {
      order: world.otherOrderId,
      ownSession: world.other.session.id,
    } as Record<string, string>;
    const targets = guarded().filter((op) => {
      const rule = ACCESS[op.key];
      return rule?.allowed?.includes('customer') === true && rule.id?.kind !== undefined;
    });
    expect(targets.map((op) => op.key).sort()).toEqual([
      'DELETE /api/sessions/{id}',
      'GET /api/orders/{id}',
      'GET /api/orders/{id}/receipt',
      'POST /api/orders/{id}/cancel',
    ]);
    const token = world.signedIn.customer.accessToken;
    for (const op of targets) {
      const id = otherIds[ACCESS[op.key]?.id?.kind ?? ''];
      if (id === undefined) {
        failures.push(`${op.key}: no foreign id of kind ${ACCESS[op.key]?.id?.kind}`);
        continue;
      }
      await expectRefused(
        failures,
        `${op.key} foreign id`,
        () => send(op, token, id),
        404,
        'NOT_FOUND',
      );
    }
    expect(failures).toEqual([]);

    // The control cases: the owner still reaches both, and the same requests work on one's own.
    const otherOrder = await request(`${world.app.url}/api/orders/${world.otherOrderId}`, {
      headers: bearer(world.other.accessToken),
    });
    expect(otherOrder.status).toBe(200);
    expect(otherOrder.body.status).toBe('pending');
    expect((await me(world.app, world.other.accessToken)).status).toBe(200);
    const own = await request(`${world.app.url}/api/orders/${world.ownOrderId}`, {
      headers: bearer(token),
    });
    expect(own.status).toBe(200);
  });

  it("never lists another customer's orders or sessions to a customer", async () => {
    const token = world.signedIn.customer.accessToken;
    const orders = await request(`${world.app.url}/api/orders?limit=100`, {
      headers: bearer(token),
    });
    expect(orders.status).toBe(200);
    const orderIds = (orders.body.items as { id: string; customer: { id: string } }[]).map(
      (order) => order.id,
    );
    expect(orderIds).toContain(world.ownOrderId);
    expect(orderIds).not.toContain(world.otherOrderId);
    const sessions = await request(`${world.app.url}/api/sessions`, { headers: bearer(token) });
    expect(sessions.status).toBe(200);
    const sessionIds = (sessions.body as { id: string }[]).map((session) => session.id);
    expect(sessionIds).toContain(world.signedIn.customer.session.id);
    expect(sessionIds).not.toContain(world.other.session.id);
    // customerId is the staff's filter: a customer naming someone else finds nothing of theirs.
    for (const id of [world.other.user.id, world.other.user.id.toUpperCase()]) {
      const named = await request(`${world.app.url}/api/orders?customerId=${id}`, {
        headers: bearer(token),
      });
      expect(named.status).toBe(200);
      expect(named.body).toEqual({ items: [], total: 0, totalIsEstimate: false, nextCursor: null });
    }
    // Filters that would widen the view are not accepted from anyone.
    const query = `userId=${world.other.user.id}`;
    const response = await refusedWithoutChange(world.app, () =>
      request(`${world.app.url}/api/orders?${query}`, { headers: bearer(token) }),
    );
    expectContractError(response, 400, 'VALIDATION_FAILED', query);
  });
});
