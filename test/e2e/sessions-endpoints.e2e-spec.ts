import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RevocationRegistry } from '../../src/sessions/revocation-registry.js';
import { SessionsService } from '../../src/sessions/sessions.service.js';
import {
  bearer,
  createUser,
  loginAs,
  me,
  refreshWith,
  registerCustomer,
  signInNew,
} from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const ANDROID_CHROME =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
const WINDOWS_FIREFOX =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0';

describe('sessions: listing and ending them', () => {
  let app: TestApp;

  beforeAll(async () => {
    // The admin's cap is raised here so one admin can hold sessions in several tests at once.
    app = await startAppOnNewDatabase({ env: { SESSION_MAX_ADMIN: '5' } });
  }, 60_000);
  afterAll(() => app.close());

  const reasonOf = async (sessionId: string): Promise<string | null> =>
    (
      await app.sql<{ revoked_reason: string | null }>(
        'SELECT revoked_reason FROM sessions WHERE id = $1',
        [sessionId],
      )
    )[0]!.revoked_reason;

  describe('GET /api/sessions', () => {
    it('lists the caller’s active sessions, most recently active first, in the contract shape', async () => {
      const user = await registerCustomer(app);
      const phone = await loginAs(app, { ...user, app: 'customer', userAgent: ANDROID_CHROME });
      const laptop = await loginAs(app, { ...user, app: 'customer', userAgent: WINDOWS_FIREFOX });
      const ended = await loginAs(app, { ...user, app: 'customer' });
      await request(`${app.url}/api/auth/logout`, {
        method: 'POST',
        headers: bearer(ended.accessToken),
      });
      await app.sql(
        `UPDATE sessions SET last_active_at = now() - interval '1 hour' WHERE id = $1`,
        [laptop.session.id],
      );
      const response = await request(`${app.url}/api/sessions`, {
        headers: bearer(laptop.accessToken),
      });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        {
          id: phone.session.id,
          app: 'customer',
          userAgent: ANDROID_CHROME,
          device: 'Chrome on Android',
          ip: '127.0.0.1',
          createdAt: expect.any(String),
          lastActiveAt: expect.any(String),
          idleExpiresAt: expect.any(String),
          expiresAt: phone.session.expiresAt,
          current: false,
        },
        expect.objectContaining({
          id: laptop.session.id,
          device: 'Firefox on Windows',
          current: true,
        }),
      ]);
    });

    it('shows no one else’s sessions', async () => {
      const a = await signInNew(app, 'customer');
      const b = await signInNew(app, 'customer');
      const response = await request(`${app.url}/api/sessions`, { headers: bearer(a.accessToken) });
      expect(response.body.map((session: { id: string }) => session.id)).toEqual([a.session.id]);
      expect(JSON.stringify(response.body)).not.toContain(b.session.id);
    });
  });

  describe('DELETE /api/sessions/:id', () => {
    it('ends one of the caller’s sessions at once', async () => {
      const user = await registerCustomer(app);
      const a = await loginAs(app, { ...user, app: 'customer' });
      const b = await loginAs(app, { ...user, app: 'customer' });
      const response = await request(`${app.url}/api/sessions/${b.session.id}`, {
        method: 'DELETE',
        headers: bearer(a.accessToken),
      });
      expect(response.status).toBe(204);
      expectErrorBody(await me(app, b.accessToken), 401, 'SESSION_REVOKED');
      expectErrorBody(await refreshWith(app, 'customer', b.refreshToken!), 401, 'SESSION_REVOKED');
      expect((await me(app, a.accessToken)).status).toBe(200);
    });

    it('answers 404 for another user’s session and leaves it alone', async () => {
      const a = await signInNew(app, 'customer');
      const b = await signInNew(app, 'customer');
      const response = await request(`${app.url}/api/sessions/${b.session.id}`, {
        method: 'DELETE',
        headers: bearer(a.accessToken),
      });
      expectErrorBody(response, 404, 'NOT_FOUND');
      expect((await me(app, b.accessToken)).status).toBe(200);
      const unknown = await request(
        `${app.url}/api/sessions/00000000-0000-4000-8000-000000000000`,
        { method: 'DELETE', headers: bearer(a.accessToken) },
      );
      expectErrorBody(unknown, 404, 'NOT_FOUND');
      const malformed = await request(`${app.url}/api/sessions/not-a-uuid`, {
        method: 'DELETE',
        headers: bearer(a.accessToken),
      });
      expectErrorBody(malformed, 400, 'VALIDATION_FAILED');
    });
  });

  describe('admin endpoints', () => {
    it('lists everyone’s active sessions with their users, filtered and paginated', async () => {
      const admin = await signInNew(app, 'admin');
      const bartender = await signInNew(app, 'bartender');
      const customer = await signInNew(app, 'customer');
      const get = (query: string) =>
        request(`${app.url}/api/admin/sessions${query}`, { headers: bearer(admin.accessToken) });

      const byUser = await get(`?userId=${customer.user.id}`);
      expect(byUser.status).toBe(200);
      expect(byUser.body).toEqual({
        items: [
          expect.objectContaining({
            id: customer.session.id,
            app: 'customer',
            current: false,
            user: {
              id: customer.user.id,
              email: customer.user.email,
              name: customer.user.name,
              role: 'customer',
            },
          }),
        ],
        total: 1,
        totalIsEstimate: false,
      });

      const bartenders = await get('?role=bartender');
      expect(
        bartenders.body.items.map((item: { user: { role: string } }) => item.user.role),
      ).toEqual(Array(bartenders.body.items.length).fill('bartender'));
      expect(bartenders.body.items.map((item: { id: string }) => item.id)).toContain(
        bartender.session.id,
      );

      const adminApp = await get('?app=admin');
      expect(adminApp.body.items.every((item: { app: string }) => item.app === 'admin')).toBe(true);
      expect(
        adminApp.body.items.find((item: { id: string }) => item.id === admin.session.id)?.current,
      ).toBe(true);

      const all = await get('?limit=2&page=1');
      expect(all.body.items).toHaveLength(2);
      expect(all.body.total).toBeGreaterThanOrEqual(3);
      const page2 = await get('?limit=2&page=2');
      const ids = [...all.body.items, ...page2.body.items].map((item: { id: string }) => item.id);
      expect(new Set(ids).size).toBe(ids.length);

      expectErrorBody(await get('?limit=101'), 400, 'VALIDATION_FAILED');
      expectErrorBody(await get('?role=owner'), 400, 'VALIDATION_FAILED');
      expectErrorBody(await get('?userId=nope'), 400, 'VALIDATION_FAILED');
    });

    it('lets an admin end any session, with reason admin, effective at once', async () => {
      const admin = await signInNew(app, 'admin');
      const customer = await signInNew(app, 'customer');
      const response = await request(`${app.url}/api/admin/sessions/${customer.session.id}`, {
        method: 'DELETE',
        headers: bearer(admin.accessToken),
      });
      expect(response.status).toBe(204);
      expectErrorBody(await me(app, customer.accessToken), 401, 'SESSION_REVOKED');
      expect(await reasonOf(customer.session.id)).toBe('admin');
      const unknown = await request(
        `${app.url}/api/admin/sessions/00000000-0000-4000-8000-000000000000`,
        { method: 'DELETE', headers: bearer(admin.accessToken) },
      );
      expectErrorBody(unknown, 404, 'NOT_FOUND');
    });

    it('lets an admin end every session of a user', async () => {
      const admin = await signInNew(app, 'admin');
      const user = await registerCustomer(app);
      const a = await loginAs(app, { ...user, app: 'customer' });
      const b = await loginAs(app, { ...user, app: 'customer' });
      const response = await request(`${app.url}/api/admin/users/${user.id}/sessions`, {
        method: 'DELETE',
        headers: bearer(admin.accessToken),
      });
      expect(response.status).toBe(204);
      expectErrorBody(await me(app, a.accessToken), 401, 'SESSION_REVOKED');
      expectErrorBody(await me(app, b.accessToken), 401, 'SESSION_REVOKED');
      expect(await reasonOf(a.session.id)).toBe('admin');
      const unknown = await request(
        `${app.url}/api/admin/users/00000000-0000-4000-8000-000000000000/sessions`,
        { method: 'DELETE', headers: bearer(admin.accessToken) },
      );
      expectErrorBody(unknown, 404, 'NOT_FOUND');
    });

    it('is closed to bartenders, customers and admins signed in to the bartender app', async () => {
      const admin = await createUser(app, 'admin');
      const asBartenderApp = await loginAs(app, { ...admin, app: 'bartender' });
      const bartender = await signInNew(app, 'bartender');
      const customer = await signInNew(app, 'customer');
      for (const token of [
        asBartenderApp.accessToken,
        bartender.accessToken,
        customer.accessToken,
      ]) {
        for (const [method, path] of [
          ['GET', '/api/admin/sessions'],
          ['DELETE', `/api/admin/sessions/${customer.session.id}`],
          ['DELETE', `/api/admin/users/${customer.user.id}/sessions`],
        ] as const) {
          const response = await request(`${app.url}${path}`, { method, headers: bearer(token) });
          expectErrorBody(response, 403, 'FORBIDDEN');
        }
      }
      expect((await me(app, customer.accessToken)).status).toBe(200);
    });
  });

  describe('revocation of every kind takes effect on the very next request', () => {
    it.each(['role_changed', 'deactivated', 'admin', 'password_changed', 'logout_all'] as const)(
      'revokeUserSessions(…, %s) ends the user’s sessions for the guard at once',
      async (reason) => {
        const signedIn = await signInNew(app, 'bartender');
        expect((await me(app, signedIn.accessToken)).status).toBe(200);
        const revoked = await app.app
          .get(SessionsService)
          .revokeUserSessions(signedIn.user.id, reason);
        expect(revoked.map((session) => session.id)).toEqual([signedIn.session.id]);
        expectErrorBody(await me(app, signedIn.accessToken), 401, 'SESSION_REVOKED');
        expect(await reasonOf(signedIn.session.id)).toBe(reason);
        const audit = await app.sql<{ details: { reason: string } }>(
          `SELECT details FROM audit_events WHERE type = 'session_revoked' AND session_id = $1`,
          [signedIn.session.id],
        );
        expect(audit.map((row) => row.details.reason)).toEqual([reason]);
      },
    );
  });
  describe('when the event bus is cut off', () => {
    it('checks the database instead of the in-memory set (fails closed), then catches up', async () => {
      const registry = app.app.get(RevocationRegistry);
      const signedIn = await signInNew(app, 'customer');
      registry.markDisconnected();
      try {
        expect((await me(app, signedIn.accessToken)).status).toBe(200);
        // Revoked by "another instance": only the database knows.
        await app.sql(
          `UPDATE sessions SET revoked_at = now(), revoked_reason = 'admin' WHERE id = $1`,
          [signedIn.session.id],
        );
        expect(registry.isRevoked(signedIn.session.id)).toBe(false);
        expectErrorBody(await me(app, signedIn.accessToken), 401, 'SESSION_REVOKED');
      } finally {
        await registry.markReconnected();
      }
      expect(registry.isRevoked(signedIn.session.id)).toBe(true);
      expectErrorBody(await me(app, signedIn.accessToken), 401, 'SESSION_REVOKED');
    });
  });
});
