import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';
import type { AppConfig } from '../config/app-config.js';

export type SecurityHeaders = ReturnType<typeof helmet>;

/**
 * Security headers on every response, set by helmet. The Content-Security-Policy allows no inline
 * script, so the SPAs (Vite builds, no inline script) and Swagger UI (external init script) run
 * under it.
 *
 * helmet's middleware is built once here and run in an `onRequest` hook. (`@fastify/helmet`
 * rebuilds every middleware and re-parses the CSP on each request: measured at a fifth of a bare
 * request's cost.) Returns the middleware for the responses that no hook sees (framework errors).
 */
export function registerSecurityHeaders(
  fastify: FastifyInstance,
  config: AppConfig,
): SecurityHeaders {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Component libraries set style attributes; scripts stay locked down.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        mediaSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HSTS only where the deployment is HTTPS, which Secure cookies imply.
    hsts: config.cookieSecure ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    headers(request.raw, reply.raw, (error?: unknown) => {
      done(error instanceof Error ? error : undefined);
    });
  });
  return headers;
}
