import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AuditService } from '../../src/audit/audit.service.js';
import {
  STRONG_PASSWORD,
  bearer,
  createUser,
  loginAs,
  loginRequest,
  refreshWith,
  signInNew,
} from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

describe('audit log', () => {
  let app: TestApp;
  let audit: AuditService;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: {
        SEED_DEMO: 'false',
        REFRESH_REUSE_GRACE_SECONDS: '0',
        RATE_LIMIT_LOGIN_EMAIL_IP: '2',
      },
    });
    audit = app.app.get(AuditService);
  }, 60_000);
  afterAll(() => app.close());

  describe('AuditService', () => {
    it('writes in the caller’s transaction: a rolled-back change leaves no event', async () => {
      const userId = randomUUID();
      await expect(
        app.app.get(DataSource).transaction(async (manager) => {
          await audit.record({ type: 'user_created', userId }, manager);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await audit.list({ page: 1, limit: 20, userId })).total).toBe(0);

      await app.app.get(DataSource).transaction(async (manager) => {
        await audit.record({ type: 'user_created', userId, details: { role: 'admin' } }, manager);
      });
      const page = await audit.list({ page: 1, limit: 20, userId });
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        type: 'user_created',
        userId,
        details: { role: 'admin' },
      });
    });

    it('never stores passwords or tokens, even when a caller passes them', async () => {
      const userId = randomUUID();
      await audit.record({
        type: 'password_changed',
        userId,
        details: { password: 'hunter2-hunter2', refreshToken: 'abc.def', note: 'ok' },
      });
      const rows = await app.sql<{ details: unknown }>(
        'SELECT details FROM audit_events WHERE user_id = $1',
        [userId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.details).toEqual({ note: 'ok' });
      expect(JSON.stringify(rows)).not.toContain('hunter2');
    });

    it('lists newest first in a stable order, paginated and filtered by type and user', async () => {
      const userId = randomUUID();
      const sessionId = randomUUID();
      for (let index = 0; index < 5; index++) {
        await audit.record({
          type: index % 2 === 0 ? 'login_failed' : 'login_succeeded',
          userId,
          sessionId,
          ip: '203.0.113.9',
          details: { index },
        });
      }
      const all = await audit.list({ page: 1, limit: 100, userId });
      expect(all.total).toBe(5);
      expect(all.items.map((item) => item.details.index)).toEqual([4, 3, 2, 1, 0]);
      expect(all.items[0]).toEqual({
        id: expect.any(String),
        type: 'login_failed',
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        userId,
        // No account has this id: no one to name, and nobody signed in acted.
        user: null,
        actor: null,
        sessionId,
        ip: '203.0.113.9',
        summary: 'A sign-in as an unknown address failed: no such account',
        details: { index: 4 },
      });

      const first = await audit.list({ page: 1, limit: 2, userId });
      const second = await audit.list({ page: 2, limit: 2, userId });
      const third = await audit.list({ page: 3, limit: 2, userId });
      expect(first.total).toBe(5);
      expect([...first.items, ...second.items, ...third.items].map((item) => item.id)).toEqual(
        all.items.map((item) => item.id),
      );

      const failed = await audit.list({ page: 1, limit: 100, userId, type: ['login_failed'] });
      expect(failed.total).toBe(3);
      expect(failed.items.every((item) => item.type === 'login_failed')).toBe(true);
    });

    it('keeps events of one transaction in the order they were recorded', async () => {
      const userId = randomUUID();
      await app.app.get(DataSource).transaction(async (manager) => {
        await audit.record({ type: 'user_created', userId }, manager);
        await audit.record({ type: 'user_role_changed', userId }, manager);
        await audit.record({ type: 'user_deactivated', userId }, manager);
      });
      const page = await audit.list({ page: 1, limit: 10, userId });
      expect(page.items.map((item) => item.type)).toEqual([
        'user_deactivated',
        'user_role_changed',
        'user_created',
      ]);
    });
  });

  describe('GET /api/admin/audit', () => {
    const list = (query: string, token: string) =>
      request(`${app.url}/api/admin/audit${query}`, { headers: bearer(token) });

    it('is for the admin app only', async () => {
      expectErrorBody(await request(`${app.url}/api/admin/audit`), 401, 'TOKEN_INVALID');
      const customer = await signInNew(app, 'customer');
      expectErrorBody(await list('', customer.accessToken), 403, 'FORBIDDEN');
      const admin = await createUser(app, 'admin');
      const atTheBar = await loginAs(app, {
        email: admin.email,
        password: admin.password,
        app: 'bartender',
      });
      expectErrorBody(await list('', atTheBar.accessToken), 403, 'FORBIDDEN');
    });

    it.each([
      ['type=no_such_type'],
      ['userId=not-a-uuid'],
      ['page=0'],
      ['limit=0'],
      ['limit=101'],
      ['limit=1.5'],
      ['since=yesterday'],
    ])('rejects the query %s with 400 VALIDATION_FAILED', async (query) => {
      const admin = await signInNew(app, 'admin', 'admin');
      expectErrorBody(await list(`?${query}`, admin.accessToken), 400, 'VALIDATION_FAILED');
    });

    it('records every kind of event the API can cause, without passwords or tokens, and filters them', async () => {
      const admin = await signInNew(app, 'admin', 'admin');
      const adminToken = admin.accessToken;
      const customer = await signInNew(app, 'customer');
      const secrets = [STRONG_PASSWORD, admin.accessToken, customer.accessToken];

      // password_changed
      const newPassword = 'a-new-customer-password-31';
      secrets.push(newPassword);
      const changed = await request(`${app.url}/api/auth/change-password`, {
        method: 'POST',
        headers: bearer(customer.accessToken),
        json: { currentPassword: customer.credentials.password, newPassword },
      });
      expect(changed.status).toBe(204);
      // login_failed, then login_rate_limited (2 failures per email and IP in this app); the
      // limit also holds for change-password now.
      for (const password of ['wrong-password-1', 'wrong-password-2', 'wrong-password-3']) {
        await loginRequest(app, { email: customer.credentials.email, password, app: 'customer' });
      }
      // refresh_reused (no grace window in this app), which also revokes the session.
      const reused = await loginAs(app, {
        email: admin.credentials.email,
        password: admin.credentials.password,
        app: 'bartender',
      });
      const refreshToken = reused.refreshToken ?? '';
      secrets.push(refreshToken);
      expect((await refreshWith(app, 'bartender', refreshToken)).status).toBe(200);
      expectErrorBody(await refreshWith(app, 'bartender', refreshToken), 401, 'REFRESH_REUSED');
      // user_created, user_role_changed, user_deactivated, session_revoked
      const staffPassword = 'a-new-staff-password-for-sam-7';
      secrets.push(staffPassword);
      const created = await request(`${app.url}/api/admin/users`, {
        method: 'POST',
        headers: bearer(adminToken),
        json: {
          email: 'sam@audit.example',
          name: 'Sam',
          role: 'bartender',
          password: staffPassword,
        },
      });
      expect(created.status).toBe(201);
      const sam = created.body.id as string;
      await loginAs(app, { email: 'sam@audit.example', password: staffPassword, app: 'bartender' });
      for (const change of [{ role: 'customer' }, { active: false }]) {
        const response = await request(`${app.url}/api/admin/users/${sam}`, {
          method: 'PATCH',
          headers: bearer(adminToken),
          json: change,
        });
        expect(response.status).toBe(200);
      }

      const all = await list('?limit=100', adminToken);
      expect(all.status).toBe(200);
      // Every type of the contract's Auth section (order actions are not caused here).
      const types = new Set((all.body.items as { type: string }[]).map((item) => item.type));
      expect([...types].sort()).toEqual([
        'login_failed',
        'login_rate_limited',
        'login_succeeded',
        'password_changed',
        'refresh_reused',
        'session_revoked',
        'user_created',
        'user_deactivated',
        'user_role_changed',
      ]);
      const text = JSON.stringify(all.body);
      for (const secret of secrets) expect(text).not.toContain(secret);

      const expectOne = async (type: string, userId: string) => {
        const page = await list(`?type=${type}&userId=${userId}`, adminToken);
        expect(page.status).toBe(200);
        expect(page.body.total).toBeGreaterThanOrEqual(1);
        for (const item of page.body.items) {
          expect(item).toEqual({
            id: expect.any(String),
            type,
            at: expect.any(String),
            userId,
            user: { id: userId, name: expect.any(String), email: expect.any(String) },
            actor:
              item.actor === null ? null : { id: expect.any(String), name: expect.any(String) },
            sessionId: item.sessionId === null ? null : expect.any(String),
            ip: item.ip === null ? null : expect.any(String),
            summary: expect.stringMatching(/\S/),
            details: expect.any(Object),
          });
        }
        return page.body.items[0] as { details: Record<string, unknown>; sessionId: string | null };
      };
      await expectOne('login_succeeded', customer.user.id);
      await expectOne('login_failed', customer.user.id);
      await expectOne('refresh_reused', admin.user.id);
      await expectOne('password_changed', customer.user.id);
      expect((await expectOne('user_created', sam)).details).toMatchObject({ role: 'bartender' });
      expect((await expectOne('user_role_changed', sam)).details).toMatchObject({
        from: 'bartender',
        to: 'customer',
      });
      await expectOne('user_deactivated', sam);
      const revoked = await list(`?type=session_revoked&userId=${sam}`, adminToken);
      expect(revoked.body.items[0].details).toMatchObject({ reason: 'role_changed' });
      const limited = await list('?type=login_rate_limited', adminToken);
      expect(limited.body.items[0].details).toMatchObject({
        email: customer.credentials.email.toLowerCase(),
        scope: 'email_ip',
      });

      // Newest first, and pages fit together.
      const times = (all.body.items as { at: string }[]).map((item) => item.at);
      expect([...times].sort().reverse()).toEqual(times);
      const first = await list('?limit=3&page=1', adminToken);
      const second = await list('?limit=3&page=2', adminToken);
      expect(
        [...first.body.items, ...second.body.items].map((item: { id: string }) => item.id),
      ).toEqual((all.body.items as { id: string }[]).slice(0, 6).map((item) => item.id));
      expect(first.body.total).toBe(all.body.total);
    });
  });
});
