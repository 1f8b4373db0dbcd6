import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;
const assigned = new WeakMap<IncomingMessage, string>();

/**
 * The request's id: the `X-Request-Id` a proxy sent when it looks like an id, else a new UUID.
 * The same raw request always gets the same id, so Fastify and the logger agree.
 */
export function requestIdOf(request: IncomingMessage): string {
  let id = assigned.get(request);
  if (id === undefined) {
    const header = request.headers['x-request-id'];
    id = typeof header === 'string' && SAFE_REQUEST_ID.test(header) ? header : randomUUID();
    assigned.set(request, id);
  }
  return id;
}
