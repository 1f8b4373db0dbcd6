import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  bearer,
  createUser,
  loginAs,
  me,
  refreshCookieOf,
  refreshWith,
  registerCustomer,
  signInNew,
} from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

// Long enough for 20 racing refreshes to be served one by one on the embedded database.
const GRACE_SECONDS = 3;

describe('auth: refresh rotation, reuse detection, logout', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { REFRESH_REUSE_GRACE_SECONDS: String(GRACE_SECONDS) },
    });
  }, 60_000);
  afterAll(() => app.close());

  const generationOf = async (sessionId: string): Promise<number> =>
    (
      await app.sql<{ generation: number }>('SELECT generation FROM sessions WHERE id = $1', [
        sessionId,
      ])
    )[0]!.generation;

  const revokedReasonOf = async (sessionId: string): Promise<string | null> =>
    (
      await app.sql<{ revoked_reason: string | null }>(
        'SELECT revoked_reason FROM sessions WHERE id = $1',
        [sessionId],
      )
    )[0]!.revoked_reason;

  describe('POST /api/auth/refresh', () => {
    it('rotates on every refresh: a new refresh token, a new access token, same session', async () => {
      const signedIn = await signInNew(app, 'customer');
      const first = await refreshWith(app, 'customer', signedIn.refreshToken!);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        tokenType: 'Bearer',
        accessToken: expect.any(String),
        accessTokenExpiresAt: expect.any(String),
        refreshToken: expect.any(String),
        user: signedIn.user,
        twoFactorSetupOnly: false,
        // A refresh is activity: the idle deadline moves on, the rest of the session stays.
        session: { ...signedIn.session, idleExpiresAt: expect.any(String) },
      });
      expect(Date.parse(first.body.session.idleExpiresAt)).toBeGreaterThanOrEqual(
        Date.parse(signedIn.session.idleExpiresAt),
      );
      expect(first.body.refreshToken).not.toBe(signedIn.refreshToken);
      expect((await me(app, first.body.accessToken)).status).toBe(200);
      const second = await refreshWith(app, 'customer', first.body.refreshToken);
      expect(second.status).toBe(200);
      expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
      expect(await generationOf(signedIn.session.id)).toBe(2);
    });

    it('never stores the refresh token in the database', async () => {
      const signedIn = await signInNew(app, 'customer');
      const [, , mac] = signedIn.refreshToken!.split('.');
      const rows = await app.sql('SELECT * FROM sessions WHERE id = $1', [signedIn.session.id]);
      const dump = JSON.stringify(rows, (_key, value: unknown) =>
        Buffer.isBuffer(value) ? value.toString('base64url') : value,
      );
      expect(dump).not.toContain(mac);
    });

    it('answers the previous token within the grace window with the current tokens, without revoking', async () => {
      const signedIn = await signInNew(app, 'customer');
      const rotated = await refreshWith(app, 'customer', signedIn.refreshToken!);
      const again = await refreshWith(app, 'customer', signedIn.refreshToken!);
      expect(again.status).toBe(200);
      expect(again.body.refreshToken).toBe(rotated.body.refreshToken);
      expect(await generationOf(signedIn.session.id)).toBe(1);
      expect((await me(app, rotated.body.accessToken)).status).toBe(200);
      expect((await refreshWith(app, 'customer', rotated.body.refreshToken)).status).toBe(200);
    });

    it('revokes the whole session when a spent refresh token is reused after the grace window', async () => {
      const signedIn = await signInNew(app, 'customer');
      const rotated = await refreshWith(app, 'customer', signedIn.refreshToken!);
      await sleep(GRACE_SECONDS * 1000 + 300);
      const reused = await refreshWith(app, 'customer', signedIn.refreshToken!);
      expectErrorBody(reused, 401, 'REFRESH_REUSED');
      expect(await revokedReasonOf(signedIn.session.id)).toBe('reuse_detected');
      expectErrorBody(await me(app, rotated.body.accessToken), 401, 'SESSION_REVOKED');
      expectErrorBody(
        await refreshWith(app, 'customer', rotated.body.refreshToken),
        401,
        'SESSION_REVOKED',
      );
      const audit = await app.sql<{ type: string }>(
        'SELECT type FROM audit_events WHERE session_id = $1 ORDER BY seq',
        [signedIn.session.id],
      );
      expect(audit.map((row) => row.type)).toEqual(
        expect.arrayContaining(['refresh_reused', 'session_revoked']),
      );
    });

    it('treats any older spent token as reuse, even inside the grace window', async () => {
      const signedIn = await signInNew(app, 'customer');
      const one = await refreshWith(app, 'customer', signedIn.refreshToken!);
      await refreshWith(app, 'customer', one.body.refreshToken);
      const reused = await refreshWith(app, 'customer', signedIn.refreshToken!);
      expectErrorBody(reused, 401, 'REFRESH_REUSED');
      expect(await revokedReasonOf(signedIn.session.id)).toBe('reuse_detected');
    });

    it('rotates once when 20 refreshes of one token race, and gives every one the same tokens', async () => {
      const signedIn = await signInNew(app, 'customer');
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => refreshWith(app, 'customer', signedIn.refreshToken!)),
      );
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      expect(new Set(responses.map((response) => response.body.refreshToken)).size).toBe(1);
      expect(await generationOf(signedIn.session.id)).toBe(1);
      expect(await revokedReasonOf(signedIn.session.id)).toBeNull();
    });

    it('reads the token from the app cookie and answers with a new cookie', async () => {
      const user = await registerCustomer(app);
      const signedIn = await loginAs(app, { ...user, app: 'customer', refreshTransport: 'cookie' });
      const response = await request(`${app.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: signedIn.cookie! },
        json: { app: 'customer' },
      });
      expect(response.status).toBe(200);
      expect(response.body.refreshToken).toBeUndefined();
      const next = refreshCookieOf(response, 'customer');
      expect(next).toBeDefined();
      expect(next).not.toBe(signedIn.cookie);
    });

    it('answers a token read from the cookie with a cookie only, whatever refreshTransport asks', async () => {
      const user = await registerCustomer(app);
      const signedIn = await loginAs(app, { ...user, app: 'customer', refreshTransport: 'cookie' });
      const response = await request(`${app.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: signedIn.cookie! },
        json: { app: 'customer', refreshTransport: 'body' },
      });
      expect(response.status).toBe(200);
      expect(response.body.refreshToken).toBeUndefined();
      const next = refreshCookieOf(response, 'customer')!;
      expect(next).toBeDefined();
      expect(response.text).not.toContain(next.split('=')[1]!);
    });

    it('needs a JSON body for a cookie refresh, so a cross-site form cannot trigger one', async () => {
      const user = await registerCustomer(app);
      const signedIn = await loginAs(app, { ...user, app: 'customer', refreshTransport: 'cookie' });
      const form = await request(`${app.url}/api/auth/refresh`, {
        method: 'POST',
        headers: {
          cookie: signedIn.cookie!,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'app=customer',
      });
      expectErrorBody(form, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const text = await request(`${app.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: signedIn.cookie!, 'content-type': 'text/plain' },
        body: '{"app":"customer"}',
      });
      expectErrorBody(text, 415, 'UNSUPPORTED_MEDIA_TYPE');
      const empty = await request(`${app.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: signedIn.cookie! },
      });
      expectErrorBody(empty, 400, 'VALIDATION_FAILED');
    });

    it('answers unknown, forged, wrong-app and missing tokens with REFRESH_INVALID', async () => {
      const signedIn = await signInNew(app, 'customer');
      const [sid, generation, mac] = signedIn.refreshToken!.split('.');
      const forged = `${sid}.${generation}.${mac!.startsWith('A') ? 'B' : 'A'}${mac!.slice(1)}`;
      const unknown = `00000000-0000-4000-8000-000000000000.0.${mac}`;
      const future = `${sid}.5.${mac}`;
      for (const token of [forged, unknown, future, 'garbage', signedIn.accessToken]) {
        expectErrorBody(await refreshWith(app, 'customer', token), 401, 'REFRESH_INVALID');
      }
      expectErrorBody(
        await refreshWith(app, 'bartender', signedIn.refreshToken!),
        401,
        'REFRESH_INVALID',
      );
      const missing = await request(`${app.url}/api/auth/refresh`, {
        method: 'POST',
        json: { app: 'customer' },
      });
      expectErrorBody(missing, 401, 'REFRESH_INVALID');
      // None of that harmed the real session.
      expect((await refreshWith(app, 'customer', signedIn.refreshToken!)).status).toBe(200);
    });

    it('refuses a refresh for a user who has been deactivated', async () => {
      const signedIn = await signInNew(app, 'customer');
      await app.sql('UPDATE users SET active = false WHERE id = $1', [signedIn.user.id]);
      const response = await refreshWith(app, 'customer', signedIn.refreshToken!);
      expect(response.status).toBe(401);
      expect(['SESSION_REVOKED', 'REFRESH_INVALID']).toContain(response.body.code);
    });
  });

  describe('POST /api/auth/logout', () => {
    it('ends the session of the bearer token at once, clears the cookie, and is idempotent', async () => {
      const user = await registerCustomer(app);
      const signedIn = await loginAs(app, { ...user, app: 'customer', refreshTransport: 'cookie' });
      const response = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        headers: { ...bearer(signedIn.accessToken), cookie: signedIn.cookie! },
      });
      expect(response.status).toBe(204);
      const cleared = response.headers.getSetCookie().find((c) => c.startsWith('rt_customer='));
      expect(cleared).toMatch(/^rt_customer=;/);
      expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
      expectErrorBody(await me(app, signedIn.accessToken), 401, 'SESSION_REVOKED');
      expect(await revokedReasonOf(signedIn.session.id)).toBe('logout');
      const again = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        headers: bearer(signedIn.accessToken),
      });
      expect(again.status).toBe(204);
      const refresh = await request(`${app.url}/api/auth/refresh`, {
        method: 'POST',
        headers: { cookie: signedIn.cookie! },
        json: { app: 'customer' },
      });
      expectErrorBody(refresh, 401, 'SESSION_REVOKED');
    });

    it('ends the session named by the refresh token (body or cookie) when there is no access token', async () => {
      const viaBody = await signInNew(app, 'customer');
      const byBody = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        json: { refreshToken: viaBody.refreshToken },
      });
      expect(byBody.status).toBe(204);
      expect(await revokedReasonOf(viaBody.session.id)).toBe('logout');

      const user = await registerCustomer(app);
      const viaCookie = await loginAs(app, {
        ...user,
        app: 'customer',
        refreshTransport: 'cookie',
      });
      const byCookie = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie: viaCookie.cookie! },
        json: { app: 'customer' },
      });
      expect(byCookie.status).toBe(204);
      expect(await revokedReasonOf(viaCookie.session.id)).toBe('logout');
    });

    it('finds the session from the only refresh cookie sent, when the client names no app', async () => {
      const user = await registerCustomer(app);
      const signedIn = await loginAs(app, { ...user, app: 'customer', refreshTransport: 'cookie' });
      const response = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie: signedIn.cookie! },
      });
      expect(response.status).toBe(204);
      expect(response.headers.getSetCookie().some((c) => c.startsWith('rt_customer=;'))).toBe(true);
      expect(await revokedReasonOf(signedIn.session.id)).toBe('logout');
    });

    it('ends the session of an expired access token too (its signature still names it)', async () => {
      const signedIn = await signInNew(app, 'customer');
      const [header, payload] = signedIn.accessToken.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const expiredPayload = Buffer.from(
        JSON.stringify({ ...claims, iat: claims.iat - 3600, exp: claims.iat - 60 }),
      ).toString('base64url');
      const signature = createHmac('sha256', app.config.secrets.jwtSecret)
        .update(`${header}.${expiredPayload}`)
        .digest('base64url');
      const expired = `${header}.${expiredPayload}.${signature}`;
      expectErrorBody(await me(app, expired), 401, 'TOKEN_EXPIRED');
      const response = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        headers: bearer(expired),
      });
      expect(response.status).toBe(204);
      expect(await revokedReasonOf(signedIn.session.id)).toBe('logout');
    });

    it('refuses (400 on app) a request whose cookies name several sessions and no app, ending none', async () => {
      const user = await createUser(app, 'admin');
      const asAdmin = await loginAs(app, { ...user, app: 'admin', refreshTransport: 'cookie' });
      const asBar = await loginAs(app, { ...user, app: 'bartender', refreshTransport: 'cookie' });
      const cookie = `${asAdmin.cookie!}; ${asBar.cookie!}`;
      const response = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie },
      });
      const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect(error.details).toEqual([{ field: 'app', errors: [expect.any(String)] }]);
      expect(response.headers.getSetCookie()).toEqual([]);
      expect(await revokedReasonOf(asAdmin.session.id)).toBeNull();
      expect(await revokedReasonOf(asBar.session.id)).toBeNull();

      // Naming the app picks its cookie: that session ends, that cookie goes, the other stays.
      const named = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        headers: { cookie },
        json: { app: 'bartender' },
      });
      expect(named.status).toBe(204);
      expect(named.headers.getSetCookie().map((c) => c.split('=')[0])).toEqual(['rt_bartender']);
      expect(await revokedReasonOf(asBar.session.id)).toBe('logout');
      expect(await revokedReasonOf(asAdmin.session.id)).toBeNull();
    });

    it('refuses an app that is not the one of the bearer token or refresh token sent', async () => {
      const signedIn = await signInNew(app, 'customer');
      const byBearer = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        headers: bearer(signedIn.accessToken),
        json: { app: 'admin' },
      });
      expectErrorBody(byBearer, 400, 'VALIDATION_FAILED');
      const byToken = await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        json: { app: 'bartender', refreshToken: signedIn.refreshToken },
      });
      expectErrorBody(byToken, 400, 'VALIDATION_FAILED');
      expect(await revokedReasonOf(signedIn.session.id)).toBeNull();
    });

    it('answers 204 when there is nothing to end', async () => {
      const response = await request(`${app.url}/api/auth/logout`, { method: 'POST' });
      expect(response.status).toBe(204);
    });
  });

  describe('POST /api/auth/logout-all', () => {
    it('ends every session of the user, or every other one with keepCurrent', async () => {
      const user = await registerCustomer(app);
      const a = await loginAs(app, { ...user, app: 'customer' });
      const b = await loginAs(app, { ...user, app: 'customer' });
      const c = await loginAs(app, { ...user, app: 'customer' });
      const keep = await request(`${app.url}/api/auth/logout-all`, {
        method: 'POST',
        headers: bearer(a.accessToken),
        json: { keepCurrent: true },
      });
      expect(keep.status).toBe(204);
      expect((await me(app, a.accessToken)).status).toBe(200);
      expectErrorBody(await me(app, b.accessToken), 401, 'SESSION_REVOKED');
      expectErrorBody(await me(app, c.accessToken), 401, 'SESSION_REVOKED');
      expect(await revokedReasonOf(b.session.id)).toBe('logout_all');

      const all = await request(`${app.url}/api/auth/logout-all`, {
        method: 'POST',
        headers: bearer(a.accessToken),
      });
      expect(all.status).toBe(204);
      expectErrorBody(await me(app, a.accessToken), 401, 'SESSION_REVOKED');
    });

    it('needs a bearer token', async () => {
      const response = await request(`${app.url}/api/auth/logout-all`, { method: 'POST' });
      expectErrorBody(response, 401, 'TOKEN_INVALID');
    });
  });

  describe('POST /api/auth/change-password', () => {
    it('changes the password and ends every other session of the user', async () => {
      const user = await registerCustomer(app);
      const current = await loginAs(app, { ...user, app: 'customer' });
      const other = await loginAs(app, { ...user, app: 'customer' });
      const newPassword = 'a-brand-new-passphrase-77';
      const response = await request(`${app.url}/api/auth/change-password`, {
        method: 'POST',
        headers: bearer(current.accessToken),
        json: { currentPassword: user.password, newPassword },
      });
      expect(response.status).toBe(204);
      expect((await me(app, current.accessToken)).status).toBe(200);
      expectErrorBody(await me(app, other.accessToken), 401, 'SESSION_REVOKED');
      expect(await revokedReasonOf(other.session.id)).toBe('password_changed');
      expect((await refreshWith(app, 'customer', current.refreshToken!)).status).toBe(200);
      const oldLogin = await request(`${app.url}/api/auth/login`, {
        method: 'POST',
        json: { email: user.email, password: user.password, app: 'customer' },
      });
      expectErrorBody(oldLogin, 401, 'INVALID_CREDENTIALS');
      expect(
        (await loginAs(app, { ...user, password: newPassword, app: 'customer' })).user.id,
      ).toBe(user.id);
      const audit = await app.sql<{ n: string }>(
        `SELECT count(*) AS n FROM audit_events WHERE type = 'password_changed' AND user_id = $1`,
        [user.id],
      );
      expect(Number(audit[0]!.n)).toBe(1);
    });

    it('refuses a wrong current password with INVALID_CREDENTIALS and a weak new one with VALIDATION_FAILED', async () => {
      const signedIn = await signInNew(app, 'customer');
      const wrong = await request(`${app.url}/api/auth/change-password`, {
        method: 'POST',
        headers: bearer(signedIn.accessToken),
        json: { currentPassword: 'not-my-password-x', newPassword: 'another-fine-passphrase' },
      });
      expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
      const weak = await request(`${app.url}/api/auth/change-password`, {
        method: 'POST',
        headers: bearer(signedIn.accessToken),
        json: { currentPassword: signedIn.credentials.password, newPassword: 'iloveyou123' },
      });
      const body = expectErrorBody(weak, 400, 'VALIDATION_FAILED');
      expect(JSON.stringify(body.details)).toContain('newPassword');
    });

    it('asks staff for at least 15 characters', async () => {
      const bartender = await signInNew(app, 'bartender');
      const response = await request(`${app.url}/api/auth/change-password`, {
        method: 'POST',
        headers: bearer(bartender.accessToken),
        json: { currentPassword: bartender.credentials.password, newPassword: 'fourteen-chars' },
      });
      const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      expect(body.message).toMatch(/at least 15/);
    });
  });
});
