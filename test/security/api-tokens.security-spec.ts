import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  API_TOKEN_SCOPE_NAMES,
  type ApiTokenScope,
} from '../../src/api-tokens/api-token-scopes.js';
import { bearer } from '../support/auth.js';
import { type JsonResponse, request } from '../support/http.js';
import { type OpenApiDocument, fetchOpenApi } from '../support/openapi.js';
import { ACCESS, type Operation, operationsOf } from './api-surface.js';
import {
  type RefusalArgs,
  type SecurityWorld,
  collectRefusal,
  sendOperation,
  startSecurityWorld,
} from './security-world.js';

/**
 * Every guarded operation of the live OpenAPI document, called with an admin's API token
 * (`Bearer tap_…`): the scope {@link ACCESS} names lets a token in, every other scope is refused
 * with 403 FORBIDDEN, a session-only operation refuses a token with every scope, and a revoked
 * or expired token is 401. Each refusal is in the contract's format and changes nothing.
 */
describe('security: API tokens on every documented operation', () => {
  let world: SecurityWorld;
  let doc: OpenApiDocument;
  let operations: Operation[];
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    world = await startSecurityWorld();
    doc = await fetchOpenApi(world.app.url);
    operations = operationsOf(doc);
  }, 120_000);
  afterAll(async () => {
    await world.close();
  });

  const guarded = () => operations.filter((op) => ACCESS[op.key]?.public !== true);
  const send = (op: Operation, token: string, id = randomUUID()): Promise<JsonResponse> =>
    sendOperation(world, doc, op, token, id);
  const expectRefused = (...refusal: RefusalArgs): Promise<void> =>
    collectRefusal(world, ...refusal);

  /** A token of the admin with these scopes (made once per set). */
  async function tokenWith(scopes: readonly ApiTokenScope[]): Promise<string> {
    const key = [...scopes].sort().join(' ');
    const known = tokens.get(key);
    if (known !== undefined) return known;
    const response = await request(`${world.app.url}/api/tokens`, {
      method: 'POST',
      headers: bearer(world.signedIn.admin.accessToken),
      json: { name: `Security ${key}`, scopes },
    });
    if (response.status !== 201) throw new Error(`token: ${response.status} ${response.text}`);
    tokens.set(key, response.body.token);
    return response.body.token;
  }

  it('documents the scope ACCESS names for each operation, or that it is session-only', () => {
    const mismatched: string[] = [];
    for (const op of guarded()) {
      const raw = doc.paths[op.path]?.[op.method.toLowerCase()] as Record<string, unknown>;
      const documented = raw['x-token-scope'];
      const sessionOnly = raw['x-session-only'] === true;
      const expected = ACCESS[op.key]?.scope;
      if (documented !== expected || sessionOnly !== (expected === undefined)) {
        mismatched.push(
          `${op.key}: documents ${String(documented)}, ACCESS says ${String(expected)}`,
        );
      }
    }
    expect(mismatched).toEqual([]);
    // Every scope opens something.
    const used = new Set(Object.values(ACCESS).map((access) => access.scope));
    expect(API_TOKEN_SCOPE_NAMES.filter((scope) => !used.has(scope))).toEqual([]);
  });

  it('lets a token with the operation’s scope past the guard, and refuses every other scope', async () => {
    const failures: string[] = [];
    for (const op of guarded()) {
      const scope = ACCESS[op.key]?.scope;
      if (scope === undefined) continue;
      const others = await tokenWith(API_TOKEN_SCOPE_NAMES.filter((other) => other !== scope));
      await expectRefused(
        failures,
        `${op.key} without ${scope}`,
        () => send(op, others),
        403,
        'FORBIDDEN',
      );
      const allowed = await send(op, await tokenWith([scope]));
      if (allowed.status === 401 || allowed.status === 403) {
        failures.push(`${op.key} with ${scope}: ${allowed.status} ${allowed.text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses a token with every scope on each session-only operation', async () => {
    const failures: string[] = [];
    const everything = await tokenWith(API_TOKEN_SCOPE_NAMES);
    let refused = 0;
    for (const op of guarded()) {
      if (ACCESS[op.key]?.scope !== undefined) continue;
      refused += 1;
      await expectRefused(
        failures,
        `${op.key} as a token`,
        () => send(op, everything),
        403,
        'FORBIDDEN',
      );
    }
    expect(failures).toEqual([]);
    expect(refused).toBeGreaterThanOrEqual(20);
  });

  it('answers 401 to a revoked token and to an expired one, everywhere', async () => {
    const revoked = await tokenWith(['audit:read', 'users:read']);
    const [{ id: revokedId } = { id: '' }] = await world.app.sql<{ id: string }>(
      `SELECT id FROM api_tokens WHERE name = 'Security audit:read users:read'`,
    );
    const response = await request(`${world.app.url}/api/tokens/${revokedId}`, {
      method: 'DELETE',
      headers: bearer(world.signedIn.admin.accessToken),
    });
    expect(response.status).toBe(204);
    const expired = await tokenWith(['menu:read', 'orders:read']);
    await world.app.sql(
      `UPDATE api_tokens SET expires_at = now() - interval '1 minute'
       WHERE name = 'Security menu:read orders:read'`,
    );
    const failures: string[] = [];
    for (const op of guarded()) {
      await expectRefused(
        failures,
        `${op.key} revoked`,
        () => send(op, revoked),
        401,
        'TOKEN_INVALID',
      );
      await expectRefused(
        failures,
        `${op.key} expired`,
        () => send(op, expired),
        401,
        'TOKEN_EXPIRED',
      );
    }
    expect(failures).toEqual([]);
  });
});
