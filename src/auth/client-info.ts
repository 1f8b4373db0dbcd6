import type { FastifyRequest } from 'fastify';
import type { Actor, AuthContext } from './auth-context.js';
import type { ClientInfo } from './auth.service.js';

/** The caller's address (Fastify applies `TRUST_PROXY`) and user agent. */
export function clientOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return {
    ip: request.ip || null,
    userAgent: typeof userAgent === 'string' ? userAgent : undefined,
  };
}

/** The token of an `Authorization: Bearer …` header, if there is one. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

/** The caller as the author of a change. */
export function actorOf(auth: AuthContext, request: FastifyRequest): Actor {
  return { userId: auth.userId, sessionId: auth.sessionId, ip: request.ip || null };
}
