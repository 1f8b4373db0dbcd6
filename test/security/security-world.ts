/**
 * One app and database per security spec, with a signed-in principal of every kind, a second
 * customer whose things the first must not reach, and a row snapshot to prove "no change".
 */
import { randomUUID } from 'node:crypto';
import { expect } from '@jest/globals';
import { TokenService } from '../../src/auth/token.service.js';
import { type SignedIn, bearer, signInNew } from '../support/auth.js';
import { type JsonResponse, request } from '../support/http.js';
import {
  type TestApp,
  type TestAppOnNewDatabase,
  startAppOnNewDatabase,
} from '../support/test-app.js';
import type { TestDatabase } from '../support/test-database.js';
import type { OpenApiDocument } from '../support/openapi.js';
import { type Operation, type Principal, pathWith, sampleOf } from './api-surface.js';

export const SECURITY_ENV: Record<string, string> = {
  RATE_LIMIT_USER_PER_MINUTE: '0',
  RATE_LIMIT_ANON_PER_MINUTE: '0',
  RATE_LIMIT_TOKEN_PER_MINUTE: '0',
  RATE_LIMIT_LOGIN_EMAIL_IP: '100000',
  RATE_LIMIT_LOGIN_IP: '100000',
  RATE_LIMIT_LOGIN_ACCOUNT: '100000',
  RATE_LIMIT_REGISTER_IP: '100000',
  SESSION_MAX_ADMIN: '50',
  SESSION_MAX_BARTENDER: '50',
};

export interface SecurityWorld {
  db: TestDatabase;
  app: TestApp;
  /** A live session of each principal. */
  signedIn: Record<Principal, SignedIn>;
  /** A second customer: the owner of everything the first must not reach. */
  other: SignedIn;
  /** A guest seated at a table by its QR token. */
  guest: SignedIn;
  otherOrderId: string;
  ownOrderId: string;
  menuItemId: string;
  close(): Promise<void>;
}

const roleOf = (principal: Principal) => (principal === 'adminBar' ? 'admin' : principal);
const appOf = (principal: Principal) => (principal === 'adminBar' ? 'bartender' : principal);

function signInPrincipal(app: TestApp, principal: Principal): Promise<SignedIn> {
  return signInNew(app, roleOf(principal), appOf(principal));
}

export async function startSecurityWorld(env: Record<string, string> = {}): Promise<SecurityWorld> {
  const app = await startAppOnNewDatabase({ env: { ...SECURITY_ENV, ...env } });
  try {
    return await populate(app);
  } catch (error) {
    // A set-up that fails half-way still releases its app and database.
    await app.close();
    throw error;
  }
}

async function populate(app: TestAppOnNewDatabase): Promise<SecurityWorld> {
  const signedIn = {
    customer: await signInPrincipal(app, 'customer'),
    bartender: await signInPrincipal(app, 'bartender'),
    adminBar: await signInPrincipal(app, 'adminBar'),
    admin: await signInPrincipal(app, 'admin'),
  };
  const other = await signInPrincipal(app, 'customer');
  const item = await request(`${app.url}/api/admin/menu-items`, {
    method: 'POST',
    headers: bearer(signedIn.admin.accessToken),
    json: { name: 'Security Stout', category: 'Beer', priceCents: 650, stock: 100 },
  });
  if (item.status !== 201) throw new Error(`menu item: ${item.status} ${item.text}`);
  const menuItemId = (item.body as { id: string }).id;
  const order = async (who: SignedIn) => {
    const response = await request(`${app.url}/api/orders`, {
      method: 'POST',
      headers: { ...bearer(who.accessToken), 'idempotency-key': randomUUID() },
      json: { items: [{ menuItemId, quantity: 1 }], tableNumber: 4 },
    });
    if (response.status !== 201) throw new Error(`order: ${response.status} ${response.text}`);
    return (response.body as { id: string }).id;
  };
  const table = await request(`${app.url}/api/admin/tables`, {
    method: 'POST',
    headers: bearer(signedIn.admin.accessToken),
    json: { number: 4 },
  });
  if (table.status !== 201) throw new Error(`table: ${table.status} ${table.text}`);
  const tableToken = (table.body as { qrUrl: string }).qrUrl.split('/t/')[1];
  const guest = await request(`${app.url}/api/auth/guest`, {
    method: 'POST',
    json: { tableToken, refreshTransport: 'body' },
  });
  if (guest.status !== 200) throw new Error(`guest: ${guest.status} ${guest.text}`);
  return {
    db: app.database,
    app,
    signedIn,
    other,
    guest: { ...(guest.body as Omit<SignedIn, 'response'>), response: guest },
    menuItemId,
    ownOrderId: await order(signedIn.customer),
    otherOrderId: await order(other),
    close: () => app.close(),
  };
}

/** An access token signed by the server's own TokenService for a live session, already expired. */
export function expiredTokenFor(app: TestApp, who: SignedIn): string {
  return app.app.get(TokenService).sign(
    {
      userId: who.user.id,
      sessionId: who.session.id,
      role: who.user.role,
      app: who.session.app,
    },
    new Date(Date.now() - 120_000),
  ).token;
}

/** A fresh session of the principal, then ended with logout: its access token is still unexpired. */
export async function revokedTokenFor(app: TestApp, principal: Principal): Promise<string> {
  const session = await signInPrincipal(app, principal);
  const logout = await request(`${app.url}/api/auth/logout`, {
    method: 'POST',
    headers: bearer(session.accessToken),
    json: {},
  });
  if (logout.status !== 204) throw new Error(`logout: ${logout.status} ${logout.text}`);
  return session.accessToken;
}

/**
 * Row count and checksum of every table of the app's schema. Columns that change in the background
 * on any accepted request (a session's `last_active_at` and `idle_expires_at`, written by the
 * guard's activity touch, and an API token's `last_used_at`) are left out; `ignore` leaves out whole tables.
 */
export async function snapshot(
  app: TestApp,
  ignore: readonly string[] = [],
): Promise<Record<string, string>> {
  const tables = await app.sql<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const wanted = tables.map((table) => table.name).filter((name) => !ignore.includes(name));
  if (wanted.length < 5) throw new Error(`snapshot found only ${wanted.length} tables`);
  const parts = wanted.map(
    (name) =>
      `SELECT '${name}' AS name, count(*)::text || ':' || md5(coalesce(string_agg(r, '|' ORDER BY r), '')) AS sum
       FROM (SELECT (to_jsonb(t) - 'last_active_at' - 'idle_expires_at' - 'last_used_at')::text AS r FROM "${name}" t) rows`,
  );
  const rows = await app.sql<{ name: string; sum: string }>(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((row) => [row.name, row.sum]));
}

/** Runs a request that must be refused, and proves that the database did not change. */
export async function refusedWithoutChange(
  app: TestApp,
  send: () => Promise<JsonResponse>,
  ignore: readonly string[] = [],
): Promise<JsonResponse> {
  const before = await snapshot(app, ignore);
  const response = await send();
  expect(await snapshot(app, ignore)).toEqual(before);
  return response;
}

/** The contract's error format, exactly: statusCode, code, message and at most details. */
export function expectContractError(
  response: JsonResponse,
  status: number,
  code?: string,
  context = '',
): void {
  const body = response.body as Record<string, unknown> | undefined;
  const shown = `${context} → ${response.status} ${response.text.slice(0, 300)}`;
  expect({ shown, status: response.status }).toEqual({ shown, status });
  expect({ shown, type: response.headers.get('content-type') }).toEqual({
    shown,
    type: expect.stringMatching(/^application\/json/),
  });
  const keys = Object.keys(body ?? {})
    .filter((key) => key !== 'details')
    .sort();
  expect({ shown, keys }).toEqual({ shown, keys: ['code', 'message', 'statusCode'] });
  expect({ shown, statusCode: body?.statusCode }).toEqual({ shown, statusCode: status });
  expect({ shown, code: body?.code }).toEqual({
    shown,
    code: code ?? expect.stringMatching(/^[A-Z][A-Z_]+$/),
  });
  expect(typeof body?.message).toBe('string');
  // Never a stack trace, an ORM or driver message, or SQL.
  expect(response.text).not.toMatch(
    /\bat .+\.(js|ts):\d+|QueryFailedError|TypeORM|syntax error|relation "|SELECT .* FROM/i,
  );
}

/**
 * Calls a documented operation with `token` (none: anonymously) and `id` in its path, a sample
 * of its body, and a fresh `Idempotency-Key` where it takes one.
 */
export function sendOperation(
  world: SecurityWorld,
  doc: OpenApiDocument,
  op: Operation,
  token?: string,
  id?: string,
): Promise<JsonResponse> {
  const headers: Record<string, string> = token === undefined ? {} : bearer(token);
  for (const header of op.headerParams) {
    if (header.name.toLowerCase() === 'idempotency-key') headers[header.name] = randomUUID();
  }
  return request(`${world.app.url}${pathWith(op, id === undefined ? {} : { id })}`, {
    method: op.method,
    headers,
    ...(op.body === undefined ? {} : { json: sampleOf(doc, op.body) }),
  });
}

/** What {@link collectRefusal} takes after the world. */
export type RefusalArgs = [
  failures: string[],
  label: string,
  sendIt: () => Promise<JsonResponse>,
  status: number,
  code: string,
];

/**
 * Sends, expects the refusal in the contract's format and an unchanged database; what went
 * wrong goes to `failures` (so one test lists every operation that failed, not the first).
 */
export async function collectRefusal(
  world: SecurityWorld,
  ...[failures, label, sendIt, status, code]: RefusalArgs
): Promise<void> {
  try {
    const response = await refusedWithoutChange(world.app, sendIt);
    expectContractError(response, status, code, label);
  } catch (error) {
    failures.push(`${label}: ${(error as Error).message.split('\n').slice(0, 12).join(' ')}`);
  }
}
