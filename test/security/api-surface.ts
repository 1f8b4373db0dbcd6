/**
 * The API surface as the running app documents it (`GET /api/docs-json`), and what the contract
 * says about who may call each operation. The security specs iterate over the live document, so a
 * new route is attacked automatically, and a route missing from {@link ACCESS} fails the suite.
 */
import { randomUUID } from 'node:crypto';
import type { ApiTokenScope } from '../../src/api-tokens/api-token-scopes.js';
import {
  type OpenApiDocument,
  type Schema,
  documentedOperations,
  resolveSchema,
} from '../support/openapi.js';

/** Who holds a token: a role signed in to an app. */
export type Principal = 'customer' | 'bartender' | 'adminBar' | 'admin';
export const PRINCIPALS: readonly Principal[] = ['customer', 'bartender', 'adminBar', 'admin'];

/** What a path parameter names, so the specs can put another user's id in it. */
type ParamKind = 'order' | 'ownSession' | 'anySession' | 'user' | 'menuItem' | 'table' | 'token';

export interface Access {
  /** `public`: no token needed (the contract's public routes). */
  readonly public?: true;
  /** The principals the contract allows; every other one gets 403 FORBIDDEN. */
  readonly allowed?: readonly Principal[];
  /**
   * A guest may call it (a guest is none of the {@link PRINCIPALS}: the specs that call a route
   * as whom it is for use the world's guest for it).
   */
  readonly guest?: true;
  /** What `{id}` names, and what a malformed id gets (the code the contract allows: 400 or 404). */
  readonly id?: { kind: ParamKind; malformed: 400 | 404 };
  /**
   * The scope an admin's API token (`Bearer tap_…`) needs for it; a guarded route without one is
   * for sessions only, and every token gets 403 FORBIDDEN there.
   */
  readonly scope?: ApiTokenScope;
}

const EVERYONE = PRINCIPALS;
const STAFF: readonly Principal[] = ['bartender', 'adminBar', 'admin'];
const ADMIN_APP: readonly Principal[] = ['admin'];

/** The contract's access rules, one entry per documented operation (`METHOD /path`). */
export const ACCESS: Readonly<Record<string, Access>> = {
  'POST /api/auth/register': { public: true },
  'POST /api/auth/login': { public: true },
  'POST /api/auth/refresh': { public: true },
  // Mail links: the token in the body is the credential (or nothing: a reset request).
  'POST /api/auth/password-reset': { public: true },
  'POST /api/auth/password-reset/confirm': { public: true },
  'POST /api/auth/sign-out-everywhere': { public: true },
  // Identified by the bearer token, an expired one included, or by the refresh token; idempotent.
  'POST /api/auth/logout': { public: true },
  'POST /api/auth/logout-all': { allowed: EVERYONE },
  'GET /api/auth/me': { allowed: EVERYONE },
  'POST /api/auth/change-password': { allowed: EVERYONE },
  'GET /api/auth/sign-ins': { allowed: EVERYONE },
  // Two-factor sign-in: the code step of a sign-in is public (it carries the challenge); the
  // account's own setup is for every signed-in account (not guests), sessions only (no scope).
  'POST /api/auth/login/2fa': { public: true },
  'POST /api/auth/2fa/setup': { allowed: EVERYONE },
  'POST /api/auth/2fa/enable': { allowed: EVERYONE },
  'POST /api/auth/2fa/disable': { allowed: EVERYONE },
  'GET /api/health': { public: true },
  'GET /api/health/ready': { public: true },
  'GET /api/menu': { public: true },
  'PATCH /api/menu/{id}/availability': {
    allowed: STAFF,
    id: { kind: 'menuItem', malformed: 404 },
    scope: 'menu:write',
  },
  'PATCH /api/menu/{id}/options/{optionId}/availability': {
    allowed: STAFF,
    id: { kind: 'menuItem', malformed: 404 },
    scope: 'menu:write',
  },
  'GET /api/admin/menu-items': { allowed: ADMIN_APP, scope: 'menu:read' },
  'POST /api/admin/menu-items': { allowed: ADMIN_APP, scope: 'menu:write' },
  'PATCH /api/admin/menu-items/{id}': {
    allowed: ADMIN_APP,
    id: { kind: 'menuItem', malformed: 404 },
    scope: 'menu:write',
  },
  'DELETE /api/admin/menu-items/{id}': {
    allowed: ADMIN_APP,
    id: { kind: 'menuItem', malformed: 404 },
    scope: 'menu:write',
  },
  'POST /api/admin/menu-items/{id}/restore': {
    allowed: ADMIN_APP,
    id: { kind: 'menuItem', malformed: 404 },
    scope: 'menu:write',
  },
  'POST /api/orders': { allowed: ['customer'] },
  'GET /api/orders': { allowed: EVERYONE, scope: 'orders:read' },
  'GET /api/orders/{id}': {
    allowed: EVERYONE,
    id: { kind: 'order', malformed: 404 },
    scope: 'orders:read',
  },
  'PATCH /api/orders/{id}/status': {
    allowed: STAFF,
    id: { kind: 'order', malformed: 404 },
    scope: 'orders:write',
  },
  'POST /api/orders/{id}/cancel': {
    allowed: EVERYONE,
    id: { kind: 'order', malformed: 404 },
    scope: 'orders:write',
  },
  // Payments and tabs: staff sessions (no API token); refunds are for admins, in either app.
  'POST /api/orders/{id}/payments': { allowed: STAFF, id: { kind: 'order', malformed: 404 } },
  'POST /api/orders/{id}/refunds': {
    allowed: ['adminBar', 'admin'],
    id: { kind: 'order', malformed: 404 },
  },
  'GET /api/tabs': { allowed: STAFF },
  'POST /api/tabs/payments': { allowed: STAFF },
  'GET /api/admin/reports/sales': { allowed: ADMIN_APP, scope: 'reports:read' },
  'GET /api/admin/reports/service': { allowed: ADMIN_APP, scope: 'reports:read' },
  'GET /api/admin/reports/sales.csv': { allowed: ADMIN_APP, scope: 'reports:read' },
  'GET /api/admin/orders.csv': { allowed: ADMIN_APP, scope: 'reports:read' },
  'GET /api/events': { allowed: EVERYONE },
  'GET /api/sessions': { allowed: EVERYONE },
  'DELETE /api/sessions/{id}': { allowed: EVERYONE, id: { kind: 'ownSession', malformed: 400 } },
  'GET /api/admin/sessions': { allowed: ADMIN_APP },
  'DELETE /api/admin/sessions/{id}': {
    allowed: ADMIN_APP,
    id: { kind: 'anySession', malformed: 400 },
  },
  'DELETE /api/admin/users/{id}/sessions': {
    allowed: ADMIN_APP,
    id: { kind: 'user', malformed: 400 },
  },
  'GET /api/admin/users': { allowed: ADMIN_APP, scope: 'users:read' },
  'GET /api/admin/users/{id}': {
    allowed: ADMIN_APP,
    id: { kind: 'user', malformed: 400 },
    scope: 'users:read',
  },
  'POST /api/admin/users': { allowed: ADMIN_APP },
  'PATCH /api/admin/users/{id}': { allowed: ADMIN_APP, id: { kind: 'user', malformed: 400 } },
  // Ends the user's sessions, like DELETE …/sessions; sessions only (no scope).
  'POST /api/admin/users/{id}/2fa/reset': {
    allowed: ADMIN_APP,
    id: { kind: 'user', malformed: 400 },
  },
  'GET /api/admin/audit': { allowed: ADMIN_APP, scope: 'audit:read' },
  'GET /api/venue': { public: true },
  'PATCH /api/admin/venue': { allowed: ADMIN_APP },
  'GET /api/push/key': { public: true },
  'POST /api/push/subscriptions': { allowed: ['customer'], guest: true },
  'DELETE /api/push/subscriptions': { allowed: ['customer'], guest: true },
  'GET /api/admin/tables': { allowed: ADMIN_APP },
  'POST /api/admin/tables': { allowed: ADMIN_APP },
  'PATCH /api/admin/tables/{id}': { allowed: ADMIN_APP, id: { kind: 'table', malformed: 404 } },
  'POST /api/admin/tables/{id}/rotate': {
    allowed: ADMIN_APP,
    id: { kind: 'table', malformed: 404 },
  },
  'DELETE /api/admin/tables/{id}': { allowed: ADMIN_APP, id: { kind: 'table', malformed: 404 } },
  // Which table a QR token names: anyone holding the token (the token is the secret).
  'GET /api/tables/{token}': { public: true },
  // Seats a new guest from a table's QR token: no account needed.
  'POST /api/auth/guest': { public: true },
  // Guests only; none of the principals here is one, so every one of them gets 403.
  'POST /api/auth/guest/upgrade': { allowed: [], guest: true },
  // An admin's own API tokens, from the admin app only (a token never manages tokens).
  'POST /api/tokens': { allowed: ADMIN_APP },
  'GET /api/tokens': { allowed: ADMIN_APP },
  'DELETE /api/tokens/{id}': { allowed: ADMIN_APP, id: { kind: 'token', malformed: 404 } },
};

export interface Operation {
  /** `METHOD /path` with OpenAPI placeholders, the key of {@link ACCESS}. */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly pathParams: string[];
  readonly queryParams: { name: string; schema: Schema }[];
  readonly headerParams: { name: string; required: boolean }[];
  /** The JSON request body schema, resolved. */
  readonly body?: Schema;
  /** The success response's schema, resolved (for the mass-assignment property list). */
  readonly response?: Schema;
  readonly documentsBearer: boolean;
}

/** The documented operations, as the security specs attack them. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  return documentedOperations(doc).map(({ key, method, path, raw }) => {
    const parameters = raw.parameters ?? [];
    const success = Object.entries(raw.responses ?? {}).find(([code]) => code.startsWith('2'));
    return {
      key,
      method,
      path,
      pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
      queryParams: parameters
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, schema: resolveSchema(doc, p.schema) ?? {} })),
      headerParams: parameters
        .filter((p) => p.in === 'header')
        .map((p) => ({ name: p.name, required: p.required === true })),
      body: resolveSchema(doc, raw.requestBody?.content?.['application/json']?.schema),
      response: resolveSchema(doc, success?.[1].content?.['application/json']?.schema),
      documentsBearer: (raw.security ?? []).length > 0,
    };
  });
}

/** The URL path of an operation with its path parameters filled in (URL-encoded). */
export function pathWith(operation: Operation, values: Record<string, string> = {}): string {
  return operation.path.replace(/\{(\w+)\}/g, (_match, name: string) =>
    encodeURIComponent(values[name] ?? randomUUID()),
  );
}

/** A value the schema accepts (validation-wise; the ids need not exist). */
export function sampleOf(doc: OpenApiDocument, raw: Schema | undefined, name = ''): unknown {
  const schema = resolveSchema(doc, raw) ?? {};
  if (schema.enum !== undefined && schema.enum.length > 0) return schema.enum[0];
  if (schema.properties !== undefined || schema.type === 'object') {
    const value: Record<string, unknown> = {};
    for (const property of schema.required ?? []) {
      value[property] = sampleOf(doc, schema.properties?.[property], property);
    }
    return value;
  }
  if (schema.type === 'array') {
    return Array.from({ length: Math.max(schema.minItems ?? 0, 1) }, () =>
      sampleOf(doc, schema.items, name),
    );
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    return typeof schema.example === 'number' ? schema.example : (schema.minimum ?? 1);
  }
  if (schema.type === 'boolean') return true;
  if (schema.format === 'uuid') return randomUUID();
  if (schema.format === 'email' || name === 'email') return `someone-${randomUUID()}@example.com`;
  if (schema.format === 'date' || /^(from|to)$/.test(name)) return '2026-01-01';
  if (typeof schema.example === 'string') return schema.example;
  if (/password/i.test(name)) return 'unusual-Passphrase-for-tests-9';
  return 'x'.repeat(Math.max(schema.minLength ?? 1, 1));
}

/** Every string-typed field of a body schema, as paths into the sample (`items.0.note`). */
export function stringFields(doc: OpenApiDocument, raw: Schema | undefined, prefix = ''): string[] {
  const schema = resolveSchema(doc, raw) ?? {};
  if (schema.properties !== undefined) {
    return Object.entries(schema.properties).flatMap(([name, property]) =>
      stringFields(doc, property, prefix ? `${prefix}.${name}` : name),
    );
  }
  if (schema.type === 'array') return stringFields(doc, schema.items, `${prefix}.0`);
  if (schema.type === 'string' || (schema.type === undefined && schema.enum !== undefined)) {
    return [prefix];
  }
  return [];
}

/** Returns a deep copy of `value` with `path` (dot-separated, numeric for arrays) set. */
export function withField(value: unknown, path: string, replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split('.');
  let cursor: Record<string, unknown> = copy;
  for (const key of keys.slice(0, -1)) {
    cursor[key] ??= {};
    cursor = cursor[key] as Record<string, unknown>;
  }
  cursor[keys[keys.length - 1] ?? ''] = replacement;
  return copy;
}

/** The names of every property of a schema, nested objects and arrays included. */
export function propertyNames(doc: OpenApiDocument, raw: Schema | undefined, depth = 0): string[] {
  const schema = resolveSchema(doc, raw) ?? {};
  if (depth > 4) return [];
  if (schema.type === 'array') return propertyNames(doc, schema.items, depth + 1);
  return Object.entries(schema.properties ?? {}).flatMap(([name, sub]) => [
    name,
    ...propertyNames(doc, sub, depth + 1),
  ]);
}
