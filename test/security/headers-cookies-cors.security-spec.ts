import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AppName } from '../../src/auth/auth-context.js';
import { bearer, loginRequest, signInNew } from '../support/auth.js';
import { openEvents } from '../support/event-stream.js';
import { type JsonResponse, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';
import { SECURITY_ENV, expectContractError } from './security-world.js';

const ALLOWED_ORIGIN = 'https://bar.example.com';
const FOREIGN_ORIGINS = [
  'https://evil.example',
  'https://bar.example.com.evil.example',
  'http://bar.example.com',
  'null',
];

/** Built customer and bartender apps with content-hashed assets; the admin app is not built. */
function makeWebRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'taproom-sec-web-'));
  for (const name of ['customer', 'bartender']) {
    const dist = join(root, name, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(
      join(dist, 'index.html'),
      `<!doctype html><title>${name}</title><script type="module" src="assets/index-5f3c9a1b.js"></script>`,
    );
    writeFileSync(join(dist, 'assets', 'index-5f3c9a1b.js'), `console.log('${name}')`);
    writeFileSync(join(dist, 'assets', 'index-77aa01cd.css'), 'body{margin:0}');
  }
  return root;
}

interface Observed {
  label: string;
  response: { status: number; headers: Headers };
  kind: 'api' | 'spa' | 'asset' | 'docs';
}

/** The contract's Operations rules for every response; `secure` when cookies are Secure. */
function headerFailures(observed: Observed, secure: boolean): string[] {
  const { headers, status } = observed.response;
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(`${observed.label} (${status}): ${what}`);
  };
  check(headers.get('x-content-type-options') === 'nosniff', 'X-Content-Type-Options: nosniff');
  check(headers.get('referrer-policy') === 'no-referrer', 'Referrer-Policy: no-referrer');
  const csp = headers.get('content-security-policy') ?? '';
  check(
    headers.get('x-frame-options') === 'DENY' || csp.includes("frame-ancestors 'none'"),
    'framing denied',
  );
  check(headers.get('x-powered-by') === null, 'no X-Powered-By');
  if (observed.kind === 'spa' || observed.kind === 'docs') {
    const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? /default-src ([^;]*)/.exec(csp)?.[1];
    check(scriptSrc !== undefined, `a CSP with script-src: ${csp}`);
    check(!/unsafe-inline|unsafe-eval|\*/.test(scriptSrc ?? ''), `no inline script: ${csp}`);
    check(csp.includes("object-src 'none'"), `object-src 'none': ${csp}`);
  }
  if (observed.kind === 'api' || observed.kind === 'docs') {
    check((headers.get('cache-control') ?? '').includes('no-store'), 'Cache-Control: no-store');
  }
  const hsts = headers.get('strict-transport-security');
  check(secure ? /max-age=\d{7,}/.test(hsts ?? '') : hsts === null, `HSTS ${String(hsts)}`);
  return failures;
}

function cookieLine(response: JsonResponse, app: AppName): string | undefined {
  return response.headers.getSetCookie().find((line) => line.startsWith(`rt_${app}=`));
}

function attributesOf(line: string): Map<string, string> {
  const [, ...parts] = line.split(';');
  return new Map(
    parts.map((part) => {
      const [name = '', ...value] = part.trim().split('=');
      return [name.toLowerCase(), value.join('=')];
    }),
  );
}

describe('security: headers on every kind of response, cookies, CORS', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: {
        ...SECURITY_ENV,
        WEB_ROOT: makeWebRoot(),
        COOKIE_SECURE: 'true',
        CORS_ORIGINS: ALLOWED_ORIGIN,
      },
    });
  }, 60_000);
  afterAll(() => app.close());

  const get = (path: string, init?: RequestInit & { json?: unknown }) =>
    request(`${app.url}${path}`, init);

  it('sets the security headers on API JSON, API errors, SPA pages, assets, docs, 404s and SSE', async () => {
    const customer = await signInNew(app, 'customer');
    const observed: Observed[] = [];
    const add = async (
      label: string,
      kind: Observed['kind'],
      path: string,
      init?: RequestInit & { json?: unknown },
      status?: number,
    ) => {
      const response = await get(path, init);
      if (status !== undefined)
        expect({ label, status: response.status }).toEqual({ label, status });
      observed.push({ label, kind, response });
      return response;
    };
    await add('API JSON', 'api', '/api/menu', undefined, 200);
    await add(
      'API JSON with a token',
      'api',
      '/api/auth/me',
      { headers: bearer(customer.accessToken) },
      200,
    );
    await add('health', 'api', '/api/health', undefined, 200);
    await add('API 204', 'api', '/api/auth/logout', { method: 'POST', json: {} }, 204);
    const errors: [string, string, RequestInit & { json?: unknown }, number][] = [
      ['API 401', '/api/auth/me', {}, 401],
      ['API 403', '/api/admin/users', { headers: bearer(customer.accessToken) }, 403],
      ['API 404 unknown route', '/api/no-such-route', {}, 404],
      ['API 404 bare prefix with a query', '/api?x=1', {}, 404],
      ['API 400 broken percent-encoding', '/api/orders/%E0%A4%A', {}, 400],
      [
        'API 404 unknown order',
        `/api/orders/${customer.user.id}`,
        { headers: bearer(customer.accessToken) },
        404,
      ],
      ['API 400 validation', '/api/auth/login', { method: 'POST', json: { email: 'x' } }, 400],
      [
        'API 400 malformed JSON',
        '/api/auth/login',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' },
        400,
      ],
      [
        'API 415',
        '/api/auth/login',
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' },
        415,
      ],
      ['API 413', '/api/auth/login', { method: 'POST', json: { email: 'x'.repeat(200_000) } }, 413],
    ];
    for (const [label, path, init, status] of errors) {
      const response = await add(label, 'api', path, init, status);
      expectContractError(response, status, undefined, label);
    }
    const index = await add('SPA index.html', 'spa', '/', undefined, 200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    await add('SPA deep link', 'spa', '/orders/42', undefined, 200);
    await add('bartender SPA deep link', 'spa', '/bartender/queue', undefined, 200);
    await add('admin placeholder page', 'spa', '/admin/users', undefined, 200);
    const asset = await add('hashed script', 'asset', '/assets/index-5f3c9a1b.js', undefined, 200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    await add('hashed stylesheet', 'asset', '/bartender/assets/index-77aa01cd.css', undefined, 200);
    await add('missing asset 404', 'asset', '/assets/index-00000000.js', undefined, 404);
    const docs = await add('Swagger UI', 'docs', '/api/docs', undefined, 200);
    await add('OpenAPI JSON', 'docs', '/api/docs-json', undefined, 200);
    // Swagger UI's own scripts and styles, as its page links them.
    const linked = [...docs.text.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map(
      (m) => m[1] ?? '',
    );
    expect(linked.length).toBeGreaterThanOrEqual(2);
    for (const href of linked) {
      const path = new URL(href, `${app.url}/api/docs`).pathname;
      // Swagger UI's static files may be cached; they carry every other header.
      await add(`Swagger asset ${path}`, 'asset', path, undefined, 200);
    }
    // The Swagger page itself runs no inline script.
    expect(docs.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>\s*\S/);

    const failures = observed.flatMap((entry) => headerFailures(entry, true));
    const stream = await openEvents(app.url, customer.accessToken);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      failures.push(
        ...headerFailures({ label: 'SSE stream', kind: 'api', response: stream }, true),
      );
    } finally {
      stream.stream?.close();
    }
    expect(failures).toEqual([]);
    expect(observed.length).toBeGreaterThanOrEqual(22);
  });

  it.each(['customer', 'bartender', 'admin'] as const)(
    'sets, rotates and clears rt_%s with HttpOnly, SameSite=Strict, Path=/api/auth, Secure and an expiry',
    async (appName) => {
      const who = await signInNew(app, appName, appName, { refreshTransport: 'cookie' });
      const line = cookieLine(who.response, appName);
      expect(line).toBeDefined();
      expect(who.response.body.refreshToken).toBeUndefined();
      const expectAttributes = (cookie: string, expiresAt: string) => {
        const attributes = attributesOf(cookie);
        expect(attributes.has('httponly')).toBe(true);
        expect(attributes.get('samesite')).toBe('Strict');
        expect(attributes.get('path')).toBe('/api/auth');
        expect(attributes.has('secure')).toBe(true);
        expect(attributes.has('domain')).toBe(false);
        const expires = Date.parse(attributes.get('expires') ?? '');
        const maxAge = attributes.get('max-age');
        const end = maxAge !== undefined ? Date.now() + Number(maxAge) * 1000 : expires;
        expect(Math.abs(end - Date.parse(expiresAt))).toBeLessThan(60_000);
      };
      expectAttributes(line ?? '', who.session.expiresAt);

      // Refresh with the cookie rotates it, same attributes.
      const refreshed = await get('/api/auth/refresh', {
        method: 'POST',
        headers: { cookie: (line ?? '').split(';')[0] ?? '' },
        json: { app: appName },
      });
      expect(refreshed.status).toBe(200);
      const rotated = cookieLine(refreshed, appName);
      expect(rotated).toBeDefined();
      expect(rotated?.split(';')[0]).not.toBe(line?.split(';')[0]);
      expectAttributes(rotated ?? '', refreshed.body.session.expiresAt);
      expect(refreshed.body.refreshToken).toBeUndefined();

      // Logout clears it with the same Path (or the browser would keep it), expired.
      const logout = await get('/api/auth/logout', {
        method: 'POST',
        headers: { ...bearer(refreshed.body.accessToken) },
        json: { app: appName },
      });
      expect(logout.status).toBe(204);
      const cleared = cookieLine(logout, appName) ?? '';
      const attributes = attributesOf(cleared);
      expect(cleared.split(';')[0]).toBe(`rt_${appName}=`);
      expect(attributes.get('path')).toBe('/api/auth');
      expect(attributes.has('httponly')).toBe(true);
      const clearedAt = Date.parse(attributes.get('expires') ?? '');
      expect(clearedAt < Date.now() || attributes.get('max-age') === '0').toBe(true);
    },
  );

  it('refuses a cookie refresh from a cross-site form (no JSON body) without rotating anything', async () => {
    const who = await signInNew(app, 'customer', 'customer', { refreshTransport: 'cookie' });
    const cookie = (cookieLine(who.response, 'customer') ?? '').split(';')[0] ?? '';
    for (const contentType of [
      'application/x-www-form-urlencoded',
      'text/plain',
      'multipart/form-data; boundary=x',
    ]) {
      const response = await get('/api/auth/refresh', {
        method: 'POST',
        headers: { cookie, 'content-type': contentType, origin: 'https://evil.example' },
        body: contentType.startsWith('multipart') ? '--x--\r\n' : 'app=customer',
      });
      expectContractError(response, 415, 'UNSUPPORTED_MEDIA_TYPE', contentType);
      expect(cookieLine(response, 'customer')).toBeUndefined();
    }
    // The cookie still works: nothing was spent.
    const refreshed = await get('/api/auth/refresh', {
      method: 'POST',
      headers: { cookie },
      json: { app: 'customer' },
    });
    expect(refreshed.status).toBe(200);
  });

  it('grants CORS to CORS_ORIGINS only, on preflights and on simple requests', async () => {
    const preflight = (origin: string) =>
      fetch(`${app.url}/api/auth/login`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
    const simple = (origin: string) => get('/api/menu', { headers: { origin } });

    const allowedPreflight = await preflight(ALLOWED_ORIGIN);
    expect(allowedPreflight.status).toBeLessThan(300);
    expect(allowedPreflight.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowedPreflight.headers.get('access-control-allow-credentials')).toBe('true');
    const allowedSimple = await simple(ALLOWED_ORIGIN);
    expect(allowedSimple.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
    expect(allowedSimple.headers.get('vary')).toMatch(/origin/i);

    for (const origin of FOREIGN_ORIGINS) {
      const refused = await preflight(origin);
      expect({ origin, acao: refused.headers.get('access-control-allow-origin') }).toEqual({
        origin,
        acao: null,
      });
      // (@fastify/cors still echoes allow-credentials and allow-headers: without
      // Access-Control-Allow-Origin a browser fails the preflight all the same.)
      const plain = await simple(origin);
      expect(plain.status).toBe(200);
      expect({ origin, acao: plain.headers.get('access-control-allow-origin') }).toEqual({
        origin,
        acao: null,
      });
      // A login from a foreign page gets no readable answer either.
      const login = await loginRequest(app, {
        email: 'nobody@example.com',
        password: 'unusual-Passphrase-for-tests-9',
        app: 'customer',
        headers: { origin },
      });
      expect(login.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('security: defaults without CORS_ORIGINS and with COOKIE_SECURE=false', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({ env: { ...SECURITY_ENV } });
  }, 60_000);
  afterAll(() => app.close());

  it('grants CORS to no origin at all, sends no HSTS and no Secure cookie', async () => {
    for (const origin of [ALLOWED_ORIGIN, ...FOREIGN_ORIGINS]) {
      const response = await request(`${app.url}/api/menu`, { headers: { origin } });
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await fetch(`${app.url}/api/menu`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    }
    const menu = await request(`${app.url}/api/menu`);
    expect(headerFailures({ label: 'menu', kind: 'api', response: menu }, false)).toEqual([]);
    const who = await signInNew(app, 'customer', 'customer', { refreshTransport: 'cookie' });
    const attributes = attributesOf(cookieLine(who.response, 'customer') ?? '');
    expect(attributes.has('httponly')).toBe(true);
    expect(attributes.has('secure')).toBe(false);
  });
});
