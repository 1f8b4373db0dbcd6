import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  STRONG_PASSWORD,
  bearer,
  createUser,
  loginAs,
  loginRequest,
  me,
  refreshCookieOf,
  registerCustomer,
  uniqueEmail,
} from '../support/auth.js';
import { EventBus } from '../../src/events/event-bus.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

describe('auth: register, login, me', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase();
  }, 60_000);
  afterAll(() => app.close());

  describe('POST /api/auth/register', () => {
    it('creates a customer and answers 201 {user} without secrets', async () => {
      const email = uniqueEmail('Reg');
      const response = await request(`${app.url}/api/auth/register`, {
        method: 'POST',
        json: { email: `  ${email} `, password: STRONG_PASSWORD, name: ' Ann ' },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        user: {
          id: expect.any(String),
          email,
          name: 'Ann',
          role: 'customer',
          tableNumber: null,
          twoFactorEnabled: false,
        },
      });
      expect(response.text).not.toMatch(/hash|argon/i);
    });

    it('refuses an email already taken in another letter case with 409 EMAIL_TAKEN', async () => {
      const user = await registerCustomer(app);
      const response = await request(`${app.url}/api/auth/register`, {
        method: 'POST',
        json: { email: user.email.toUpperCase(), password: STRONG_PASSWORD, name: 'B' },
      });
      expectErrorBody(response, 409, 'EMAIL_TAKEN');
    });

    it.each([
      ['too short', 'short-pw1', /at least 10/],
      ['too long', 'x'.repeat(129), /at most 128/],
      ['a commonly used password', 'password123', /commonly used/],
      ['a common password in another case', 'QwertyUIOP', /commonly used/],
    ])('refuses a password that is %s, naming the rule', async (_label, password, rule) => {
      const response = await request(`${app.url}/api/auth/register`, {
        method: 'POST',
        json: { email: uniqueEmail(), password, name: 'Pat' },
      });
      const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect(body.message).toMatch(rule);
      expect(body.details).toEqual([{ field: 'password', errors: [expect.stringMatching(rule)] }]);
    });

    it('refuses unknown properties such as a role', async () => {
      const response = await request(`${app.url}/api/auth/register`, {
        method: 'POST',
        json: { email: uniqueEmail(), password: STRONG_PASSWORD, name: 'Eve', role: 'admin' },
      });
      expectErrorBody(response, 400, 'VALIDATION_FAILED');
    });
  });

  describe('POST /api/auth/login', () => {
    it('signs in with the cookie transport by default, cookie attributes as the contract says', async () => {
      const user = await registerCustomer(app);
      const response = await request(`${app.url}/api/auth/login`, {
        method: 'POST',
        json: { email: user.email, password: user.password, app: 'customer' },
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        tokenType: 'Bearer',
        accessToken: expect.any(String),
        accessTokenExpiresAt: expect.any(String),
        twoFactorSetupOnly: false,
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          role: 'customer',
          tableNumber: null,
          twoFactorEnabled: false,
        },
        session: {
          id: expect.any(String),
          app: 'customer',
          idleExpiresAt: expect.any(String),
          expiresAt: expect.any(String),
          idleTimeoutSeconds: 30 * 24 * 3600,
        },
      });
      const { idleExpiresAt, expiresAt } = response.body.session;
      expect(Date.parse(idleExpiresAt) - Date.now()).toBeGreaterThan(30 * 24 * 3600_000 - 60_000);
      expect(Date.parse(idleExpiresAt)).toBeLessThanOrEqual(Date.parse(expiresAt));
      expect(response.body.refreshToken).toBeUndefined();
      const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('rt_customer='));
      expect(setCookie).toBeDefined();
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      expect(setCookie).toMatch(/Path=\/api\/auth(;|$)/);
      // The test app runs with COOKIE_SECURE=false.
      expect(setCookie).not.toMatch(/Secure/i);
    });

    it('returns the refresh token in the body with refreshTransport "body", and sets no cookie', async () => {
      const user = await registerCustomer(app);
      const signedIn = await loginAs(app, {
        email: user.email,
        password: user.password,
        app: 'customer',
        refreshTransport: 'body',
      });
      expect(signedIn.refreshToken).toMatch(/^[0-9a-f-]{36}\.0\.[A-Za-z0-9_-]{43}$/);
      expect(signedIn.cookie).toBeUndefined();
    });

    it('issues an access token with the contract claims and a kid header', async () => {
      const user = await registerCustomer(app);
      const { accessToken, session, accessTokenExpiresAt } = await loginAs(app, {
        email: user.email,
        password: user.password,
        app: 'customer',
      });
      const [headerPart, payloadPart] = accessToken.split('.');
      const header = JSON.parse(Buffer.from(headerPart!, 'base64url').toString());
      const payload = JSON.parse(Buffer.from(payloadPart!, 'base64url').toString());
      expect(header).toEqual({ alg: 'HS256', typ: 'JWT', kid: expect.any(String) });
      expect(payload).toEqual({
        sub: user.id,
        sid: session.id,
        role: 'customer',
        app: 'customer',
        iat: expect.any(Number),
        exp: expect.any(Number),
        iss: 'taproom',
        aud: 'taproom-api',
      });
      expect(payload.exp - payload.iat).toBe(600);
      expect(new Date(accessTokenExpiresAt).getTime()).toBe(payload.exp * 1000);
    });

    it('compares the email trimmed and case-insensitively', async () => {
      const user = await registerCustomer(app);
      const response = await loginRequest(app, {
        email: `  ${user.email.toUpperCase()}  `,
        password: user.password,
        app: 'customer',
      });
      expect(response.status).toBe(200);
    });

    it('gives a wrong password and an unknown email the same 401 INVALID_CREDENTIALS', async () => {
      const user = await registerCustomer(app);
      const wrong = await loginRequest(app, {
        email: user.email,
        password: 'not-the-password-at-all',
        app: 'customer',
      });
      const unknown = await loginRequest(app, {
        email: uniqueEmail('nobody'),
        password: 'not-the-password-at-all',
        app: 'customer',
      });
      const a = expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
      const b = expectErrorBody(unknown, 401, 'INVALID_CREDENTIALS');
      expect(a).toEqual(b);
    });

    it('takes about as long for an unknown email as for a wrong password (dummy hash)', async () => {
      const user = await registerCustomer(app);
      const time = async (email: string): Promise<number> => {
        const started = performance.now();
        await loginRequest(app, { email, password: 'wrong-password-123', app: 'customer' });
        return performance.now() - started;
      };
      await time(user.email);
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        known.push(await time(user.email));
        unknown.push(await time(uniqueEmail('ghost')));
      }
      const median = (values: number[]): number => values.sort((x, y) => x - y)[1]!;
      // Without the dummy hash an unknown email answers many times faster than argon2.
      expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
    });

    it('answers ROLE_NOT_ALLOWED only after a correct password', async () => {
      const customer = await registerCustomer(app);
      const wrong = await loginRequest(app, {
        email: customer.email,
        password: 'definitely-wrong-pass',
        app: 'admin',
      });
      expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
      for (const target of ['admin', 'bartender'] as const) {
        const response = await loginRequest(app, {
          email: customer.email,
          password: customer.password,
          app: target,
        });
        expectErrorBody(response, 403, 'ROLE_NOT_ALLOWED');
      }
      const bartender = await createUser(app, 'bartender');
      for (const target of ['admin', 'customer'] as const) {
        const response = await loginRequest(app, {
          email: bartender.email,
          password: bartender.password,
          app: target,
        });
        expectErrorBody(response, 403, 'ROLE_NOT_ALLOWED');
      }
      const admin = await createUser(app, 'admin');
      expectErrorBody(
        await loginRequest(app, { email: admin.email, password: admin.password, app: 'customer' }),
        403,
        'ROLE_NOT_ALLOWED',
      );
      for (const target of ['admin', 'bartender'] as const) {
        const response = await loginRequest(app, {
          email: admin.email,
          password: admin.password,
          app: target,
        });
        expect(response.status).toBe(200);
      }
    });

    it('tells a deactivated account 403 ACCOUNT_DISABLED only after its right password, and audits login_denied', async () => {
      const user = await registerCustomer(app);
      await app.sql('UPDATE users SET active = false WHERE id = $1', [user.id]);
      const wrong = await loginRequest(app, {
        email: user.email,
        password: 'definitely-wrong-pass',
        app: 'customer',
      });
      expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
      const right = await loginRequest(app, {
        email: user.email,
        password: user.password,
        app: 'customer',
      });
      expect(expectErrorBody(right, 403, 'ACCOUNT_DISABLED').message).toMatch(/admin/i);
      const denied = await app.sql<{ details: { app: string; code: string } }>(
        `SELECT details FROM audit_events WHERE type = 'login_denied' AND user_id = $1`,
        [user.id],
      );
      expect(denied.map((row) => row.details)).toEqual([
        { app: 'customer', code: 'ACCOUNT_DISABLED' },
      ]);
      expect(await app.sql(`SELECT id FROM sessions WHERE user_id = $1`, [user.id])).toEqual([]);
    });

    it('refuses a bad app or transport with VALIDATION_FAILED', async () => {
      for (const json of [
        { email: 'a@b.co', password: 'x', app: 'kitchen' },
        { email: 'a@b.co', password: 'x', app: 'customer', refreshTransport: 'query' },
        { email: 'a@b.co', app: 'customer' },
      ]) {
        const response = await request(`${app.url}/api/auth/login`, { method: 'POST', json });
        expectErrorBody(response, 400, 'VALIDATION_FAILED');
      }
    });

    it('keeps one cookie per app, so one browser can hold an admin and a bartender session', async () => {
      const admin = await createUser(app, 'admin');
      const asAdmin = await loginAs(app, { ...admin, app: 'admin', refreshTransport: 'cookie' });
      const asBar = await loginAs(app, { ...admin, app: 'bartender', refreshTransport: 'cookie' });
      expect(asAdmin.cookie).toMatch(/^rt_admin=/);
      expect(asBar.cookie).toMatch(/^rt_bartender=/);
      expect((await me(app, asAdmin.accessToken)).status).toBe(200);
      expect((await me(app, asBar.accessToken)).status).toBe(200);
      expect(refreshCookieOf(asAdmin.response, 'bartender')).toBeUndefined();
    });
  });

  describe('GET /api/auth/me and the guard', () => {
    it('answers {user, session} for a valid token', async () => {
      const user = await registerCustomer(app);
      const signedIn = await loginAs(app, { ...user, app: 'customer' });
      const response = await me(app, signedIn.accessToken);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        user: {
          id: user.id,
          email: user.email,
          name: user.name,
          role: 'customer',
          tableNumber: null,
          twoFactorEnabled: false,
        },
        session: { ...signedIn.session, idleExpiresAt: expect.any(String) },
        twoFactorSetupOnly: false,
      });
      const { session } = response.body;
      expect(Date.parse(session.idleExpiresAt)).toBeGreaterThanOrEqual(
        Date.parse(signedIn.session.idleExpiresAt),
      );
    });

    it('answers 401 TOKEN_INVALID without a token or with a malformed one', async () => {
      expectErrorBody(await request(`${app.url}/api/auth/me`), 401, 'TOKEN_INVALID');
      expectErrorBody(await me(app, 'not-a-jwt'), 401, 'TOKEN_INVALID');
      const basic = await request(`${app.url}/api/auth/me`, {
        headers: { authorization: 'Basic dXNlcjpwYXNz' },
      });
      expectErrorBody(basic, 401, 'TOKEN_INVALID');
    });

    it('keeps routes under /api/admin/ to tokens of the admin app', async () => {
      const admin = await createUser(app, 'admin');
      const asBar = await loginAs(app, { ...admin, app: 'bartender' });
      const asAdmin = await loginAs(app, { ...admin, app: 'admin' });
      const customer = await registerCustomer(app);
      const asCustomer = await loginAs(app, { ...customer, app: 'customer' });
      const url = `${app.url}/api/admin/audit`;
      expectErrorBody(await request(url, { headers: bearer(asBar.accessToken) }), 403, 'FORBIDDEN');
      expectErrorBody(
        await request(url, { headers: bearer(asCustomer.accessToken) }),
        403,
        'FORBIDDEN',
      );
      expectErrorBody(await request(url), 401, 'TOKEN_INVALID');
      expect((await request(url, { headers: bearer(asAdmin.accessToken) })).status).toBe(200);
    });

    it('leaves public routes open', async () => {
      expect((await request(`${app.url}/api/health`)).status).toBe(200);
    });
  });
  describe('GET /api/auth/me without a database query', () => {
    it('answers from the per-instance cache, and drops the entry on user.changed', async () => {
      const user = await registerCustomer(app);
      const signedIn = await loginAs(app, { ...user, app: 'customer' });
      // Changed behind the service's back: the cached view is what me answers with.
      await app.sql(`UPDATE users SET name = 'Renamed' WHERE id = $1`, [user.id]);
      expect((await me(app, signedIn.accessToken)).body.user.name).toBe(user.name);
      await app.app.get(EventBus).publish({ type: 'user.changed', userId: user.id });
      expect((await me(app, signedIn.accessToken)).body.user.name).toBe('Renamed');
    });
  });

  describe('audit', () => {
    it('records the sign-up, successful and failed logins, without secrets', async () => {
      const user = await registerCustomer(app);
      const signedIn = await loginAs(app, { ...user, app: 'customer' });
      await loginRequest(app, { ...user, password: 'a-wrong-password-1', app: 'customer' });
      const rows = await app.sql<{ type: string; session_id: string | null; details: object }>(
        `SELECT type, session_id, details FROM audit_events WHERE user_id = $1 ORDER BY seq`,
        [user.id],
      );
      expect(rows.map((row) => row.type)).toEqual([
        'user_created',
        'login_succeeded',
        'login_failed',
      ]);
      expect(rows[0]!.details).toEqual({
        email: user.email,
        role: 'customer',
        selfRegistered: true,
      });
      expect(rows[1]!.session_id).toBe(signedIn.session.id);
      const text = JSON.stringify(rows);
      expect(text).not.toContain(user.password);
      expect(text).not.toContain('a-wrong-password-1');
      expect(text).not.toContain(signedIn.refreshToken!.split('.')[2]);
    });
  });

  describe('OpenAPI', () => {
    it('documents every auth and session route with its error responses', async () => {
      const document = (await request(`${app.url}/api/docs-json`)).body;
      const routes: [string, string, string[]][] = [
        ['/api/auth/register', 'post', ['201', '400', '409']],
        ['/api/auth/login', 'post', ['200', '400', '401', '403', '409']],
        ['/api/auth/refresh', 'post', ['200', '400', '401']],
        ['/api/auth/logout', 'post', ['204']],
        ['/api/auth/logout-all', 'post', ['204', '401']],
        ['/api/auth/me', 'get', ['200', '401']],
        ['/api/auth/change-password', 'post', ['204', '400', '401']],
        ['/api/sessions', 'get', ['200', '401']],
        ['/api/sessions/{id}', 'delete', ['204', '401', '404']],
        ['/api/admin/sessions', 'get', ['200', '401', '403']],
        ['/api/admin/sessions/{id}', 'delete', ['204', '401', '403', '404']],
        ['/api/admin/users/{id}/sessions', 'delete', ['204', '401', '403', '404']],
      ];
      for (const [path, method, statuses] of routes) {
        const operation = document.paths[path]?.[method];
        expect(operation).toBeDefined();
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(statuses));
      }
      expect(document.paths['/api/auth/me'].get.security).toEqual([{ bearer: [] }]);
    });
  });
});
