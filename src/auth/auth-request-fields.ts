import type { FastifyInstance } from 'fastify';

/**
 * What the guard and passport write on each request: `auth` (the caller), and the helpers and
 * session manager passport's `authenticate` sets on every request it sees.
 */
const AUTH_REQUEST_FIELDS = [
  'auth',
  'login',
  'logIn',
  'logout',
  'logOut',
  'isAuthenticated',
  'isUnauthenticated',
  '_sessionManager',
] as const;

/**
 * Declares those fields on Fastify's requests, so every request object starts with them and
 * keeps one shape (Fastify's advice for anything written on a request) instead of growing
 * eight properties in the guard. `auth` starts `undefined`, as its type says: "no caller" is
 * `auth === undefined` everywhere (the general limits tell anonymous callers by it).
 */
export function declareAuthRequestFields(fastify: FastifyInstance): void {
  for (const field of AUTH_REQUEST_FIELDS) {
    fastify.decorateRequest(field, field === 'auth' ? undefined : null);
  }
}
