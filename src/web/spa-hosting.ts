import { existsSync, readFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SPA_APPS, type SpaApp } from './spa-apps.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/** Vite puts content-hashed files under `assets/`: they never change, so cache them for a year. */
function cacheControlFor(filePath: string): string {
  return /[/\\]assets[/\\]/.test(filePath) ? IMMUTABLE : REVALIDATE;
}

function placeholderPage(app: SpaApp): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${app.title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>${app.title}</h1>
<p>The ${app.name} app has not been built yet. Run <code>npm run build</code> and restart, or use the API at <a href="/api/docs">/api/docs</a>.</p>
</body>
</html>
`;
}

function sendIndex(reply: FastifyReply, html: string): FastifyReply {
  return reply.header('cache-control', REVALIDATE).type('text/html; charset=utf-8').send(html);
}

/**
 * Serves each app's built files under its base path, and its `index.html` for every other GET
 * under that path (deep links). `/api/*` never falls back: unknown API routes stay JSON 404s, and
 * so do missing files with an extension (a missing script must not come back as HTML).
 */
export async function registerSpaHosting(fastify: FastifyInstance, webRoot: string): Promise<void> {
  for (const app of SPA_APPS) {
    const dist = join(webRoot, app.name, 'dist');
    const indexFile = join(dist, 'index.html');
    const index = existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : placeholderPage(app);
    if (existsSync(dist)) {
      await fastify.register(fastifyStatic, {
        root: dist,
        prefix: app.base,
        wildcard: false,
        index: false,
        decorateReply: false,
        cacheControl: false,
        setHeaders: (reply, filePath) => {
          void reply.header('cache-control', cacheControlFor(filePath));
          // A service worker at the app's root controls the whole app (and is never cached
          // long: browsers check it for updates).
          if (basename(filePath) === 'sw.js') void reply.header('service-worker-allowed', app.base);
        },
      });
    }

    const fallback = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
      const path = request.url.split('?')[0] ?? '';
      if (path === '/api' || path.startsWith('/api/') || extname(path) !== '') {
        reply.callNotFound();
        return reply;
      }
      return sendIndex(reply, index);
    };
    if (app.base === '/') {
      fastify.get('/', fallback);
      fastify.get('/*', fallback);
    } else {
      const bare = app.base.slice(0, -1);
      fastify.get(bare, (_request, reply) => reply.redirect(app.base, 301));
      fastify.get(app.base, fallback);
      fastify.get(`${app.base}*`, fallback);
    }
  }
}
