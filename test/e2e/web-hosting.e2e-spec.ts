import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

/** A web root with built customer and bartender apps, and no admin build (placeholder). */
function makeWebRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'taproom-web-'));
  for (const name of ['customer', 'bartender']) {
    const dist = join(root, name, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), `<!doctype html><title>${name} app</title>`);
    writeFileSync(join(dist, 'assets', `index-a1b2c3.js`), `console.log('${name}')`);
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  }
  const customer = join(root, 'customer', 'dist');
  writeFileSync(join(customer, 'sw.js'), `self.addEventListener('push', () => undefined);`);
  writeFileSync(join(customer, 'manifest.webmanifest'), '{"name":"Taproom"}');
  return root;
}

describe('web hosting and security headers', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { WEB_ROOT: makeWebRoot(), COOKIE_SECURE: 'true' },
    });
  });
  afterAll(() => app.close());

  const get = (path: string, init?: RequestInit) => request(`${app.url}${path}`, init);

  it.each([
    ['/', 'customer app'],
    ['/orders/123', 'customer app'],
    ['/bartender/', 'bartender app'],
    ['/bartender/queue', 'bartender app'],
  ])('serves the right index.html for %s, never cached', async (path, title) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.text).toContain(`<title>${title}</title>`);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('serves a placeholder for an app that is not built yet, deep links included', async () => {
    for (const path of ['/admin/', '/admin/users']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.text).toContain('The admin app has not been built yet');
    }
  });

  it('redirects an app path without its trailing slash', async () => {
    const response = await get('/bartender');
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe('/bartender/');
  });

  it("serves the customer app's service worker and manifest at its root, never cached long", async () => {
    const worker = await get('/sw.js');
    expect(worker.status).toBe(200);
    expect(worker.headers.get('content-type')).toMatch(/javascript/);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    expect(worker.headers.get('service-worker-allowed')).toBe('/');
    expect(worker.text).toContain("addEventListener('push'");
    const manifest = await get('/manifest.webmanifest');
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    expect(JSON.parse(manifest.text)).toEqual({ name: 'Taproom' });
  });

  it('caches hashed assets for a year and revalidates other files', async () => {
    const asset = await get('/bartender/assets/index-a1b2c3.js');
    expect(asset.status).toBe(200);
    expect(asset.text).toContain("console.log('bartender')");
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing asset with 404, not with index.html', async () => {
    expectErrorBody(await get('/assets/missing-123.js'), 404, 'NOT_FOUND');
    expectErrorBody(await get('/bartender/assets/nope.css'), 404, 'NOT_FOUND');
  });

  it('never falls back to an app under /api', async () => {
    for (const path of ['/api', '/api/', '/api/unknown', '/api/orders/deep/link']) {
      expectErrorBody(await get(path), 404, 'NOT_FOUND');
    }
  });

  it('puts a strict Content-Security-Policy and the common headers on SPA pages', async () => {
    const response = await get('/bartender/queue');
    const csp = response.headers.get('content-security-policy') ?? '';
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1];
    expect(scriptSrc).toBe("'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('marks API responses no-store, errors included, with the same security headers', async () => {
    for (const path of ['/api/health', '/api/nope']) {
      const response = await get(path);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('serves Swagger UI and an OpenAPI document with the error schema and bearer scheme', async () => {
    const ui = await get('/api/docs');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger-ui');
    expect(ui.headers.get('x-frame-options')).toBe('DENY');
    const doc = await get('/api/docs-json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.paths['/api/health/ready'].get).toBeDefined();
    expect(doc.body.components.schemas.ErrorResponseDto.properties).toHaveProperty('code');
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ scheme: 'bearer' });
  });

  it('shows, for every documented error, an example body with that status and code', async () => {
    const doc = await get('/api/docs-json');
    let examples = 0;
    for (const [path, operations] of Object.entries<any>(doc.body.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        for (const [status, response] of Object.entries<any>(operation.responses ?? {})) {
          const json = response.content?.['application/json'];
          // Readiness answers 503 with its own body; every other error is an ErrorResponseDto.
          if (json?.schema?.$ref !== '#/components/schemas/ErrorResponseDto') continue;
          const where = `${method.toUpperCase()} ${path} ${status}`;
          const shown = json.examples ?? {};
          const codes = String(response.description).split(', ');
          expect([where, Object.keys(shown)]).toEqual([where, codes]);
          for (const code of codes) {
            expect([where, shown[code].value]).toMatchObject([
              where,
              { statusCode: Number(status), code, message: expect.any(String) },
            ]);
            examples += 1;
          }
        }
      }
    }
    expect(examples).toBeGreaterThan(100);
  });

  it('sends no CORS permission to a foreign origin by default', async () => {
    const response = await get('/api/health', { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with CORS_ORIGINS', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { CORS_ORIGINS: 'https://admin.bar.example' },
    });
  });
  afterAll(() => app.close());

  it('allows the listed origin and no other, also in preflight', async () => {
    const allowed = await request(`${app.url}/api/health`, {
      headers: { origin: 'https://admin.bar.example' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://admin.bar.example');
    const foreign = await request(`${app.url}/api/health`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await request(`${app.url}/api/auth/login`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('has no HSTS while cookies are not Secure', async () => {
    const response = await request(`${app.url}/api/health`);
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });
});
