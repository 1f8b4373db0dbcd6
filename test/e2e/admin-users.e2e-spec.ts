import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  STRONG_PASSWORD,
  type SignedIn,
  type TestUser,
  bearer,
  createUser,
  loginAs,
  loginRequest,
  me,
  signInNew,
  uniqueEmail,
} from '../support/auth.js';
import { expectErrorBody, request, type JsonResponse } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

describe('admin users', () => {
  let app: TestApp;
  let admin: SignedIn & { credentials: TestUser };

  const api = (path: string, token: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    return request(`${app.url}/api/admin/users${path}`, { ...init, headers });
  };
  const patch = (id: string, json: unknown, token = admin.accessToken) =>
    api(`/${id}`, token, { method: 'PATCH', json });
  const auditOf = async (userId: string, type: string) =>
    (
      await request(`${app.url}/api/admin/audit?type=${type}&userId=${userId}`, {
        headers: bearer(admin.accessToken),
      })
    ).body as { items: { type: string; details: Record<string, unknown> }[]; total: number };
  const sessionRevocations = async (userId: string) =>
    app.sql<{ revoked_reason: string | null }>(
      'SELECT revoked_reason FROM sessions WHERE user_id = $1',
      [userId],
    );

  beforeAll(async () => {
    app = await startAppOnNewDatabase({ env: { SEED_DEMO: 'false' } });
    admin = await signInNew(app, 'admin', 'admin');
  }, 60_000);
  afterAll(() => app.close());

  it('documents every route with its bearer scheme, body, errors and response types', async () => {
    const docs = await request(`${app.url}/api/docs-json`);
    expect(docs.status).toBe(200);
    const { paths, components } = docs.body;
    const operations = {
      list: paths['/api/admin/users'].get,
      create: paths['/api/admin/users'].post,
      update: paths['/api/admin/users/{id}'].patch,
      audit: paths['/api/admin/audit'].get,
    };
    for (const operation of Object.values(operations)) {
      expect(operation.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(operation.responses)).toEqual(
        expect.arrayContaining(['400', '401', '403', '429']),
      );
    }
    expect(Object.keys(operations.list.responses)).toContain('200');
    expect(Object.keys(operations.create.responses)).toEqual(
      expect.arrayContaining(['201', '409']),
    );
    expect(Object.keys(operations.update.responses)).toEqual(
      expect.arrayContaining(['200', '404', '409']),
    );
    expect(operations.update.responses['409'].description).toContain('LAST_ADMIN');
    expect(operations.list.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['role', 'q', 'page', 'limit']),
    );
    expect(
      operations.audit.parameters.map((parameter: { name: string }) => parameter.name),
    ).toEqual(expect.arrayContaining(['type', 'userId', 'page', 'limit']));
    expect(Object.keys(components.schemas.AdminUserDto.properties).sort()).toEqual(
      [
        'active',
        'createdAt',
        'email',
        'id',
        'name',
        'role',
        'tableNumber',
        'twoFactorEnabled',
      ].sort(),
    );
    expect(Object.keys(components.schemas.UpdateUserDto.properties).sort()).toEqual(
      ['active', 'name', 'password', 'role'].sort(),
    );
    expect(components.schemas.AuditEventType.enum).toContain('login_rate_limited');
  });

  describe('access', () => {
    it('needs a token', async () => {
      expectErrorBody(await request(`${app.url}/api/admin/users`), 401, 'TOKEN_INVALID');
    });

    it('refuses customers, bartenders and an admin signed in to the bartender app', async () => {
      const customer = await signInNew(app, 'customer');
      const bartender = await signInNew(app, 'bartender');
      const adminAtBar = await loginAs(app, {
        email: admin.credentials.email,
        password: admin.credentials.password,
        app: 'bartender',
      });
      for (const token of [customer.accessToken, bartender.accessToken, adminAtBar.accessToken]) {
        expectErrorBody(await api('', token), 403, 'FORBIDDEN');
        expectErrorBody(
          await api('', token, {
            method: 'POST',
            json: { email: uniqueEmail(), name: 'X', role: 'admin', password: STRONG_PASSWORD },
          }),
          403,
          'FORBIDDEN',
        );
        expectErrorBody(await patch(customer.user.id, { role: 'admin' }, token), 403, 'FORBIDDEN');
      }
      const rows = await app.sql<{ role: string }>('SELECT role FROM users WHERE id = $1', [
        customer.user.id,
      ]);
      expect(rows[0]?.role).toBe('customer');
    });
  });

  describe('POST /api/admin/users', () => {
    it('creates a staff account that can sign in, and audits user_created', async () => {
      const email = uniqueEmail('Sam');
      const response = await api('', admin.accessToken, {
        method: 'POST',
        json: { email: `  ${email} `, name: ' Sam ', role: 'bartender', password: STRONG_PASSWORD },
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.any(String),
        email,
        name: 'Sam',
        role: 'bartender',
        tableNumber: null,
        active: true,
        twoFactorEnabled: false,
        createdAt: expect.stringMatching(/Z$/),
      });
      expect(response.text).not.toMatch(/password|hash/i);
      const signedIn = await loginAs(app, { email, password: STRONG_PASSWORD, app: 'bartender' });
      expect(signedIn.user.role).toBe('bartender');

      const audit = await auditOf(response.body.id, 'user_created');
      expect(audit.total).toBe(1);
      expect(audit.items[0]?.details).toEqual({
        actorId: admin.user.id,
        email,
        role: 'bartender',
      });
      expect(JSON.stringify(audit)).not.toContain(STRONG_PASSWORD);
    });

    it('applies the password policy of the role: 15 characters for staff, 10 for customers, no common ones', async () => {
      const create = (role: string, password: string) =>
        api('', admin.accessToken, {
          method: 'POST',
          json: { email: uniqueEmail(), name: 'P', role, password },
        });
      const short = expectErrorBody(
        await create('bartender', 'fourteen-chars'),
        400,
        'VALIDATION_FAILED',
      );
      expect(short.message).toMatch(/15/);
      expectErrorBody(await create('admin', 'fourteen-chars'), 400, 'VALIDATION_FAILED');
      expect((await create('customer', 'fourteen-chars')).status).toBe(201);
      const common = expectErrorBody(
        await create('admin', '1qaz2wsx3edc4rfv'),
        400,
        'VALIDATION_FAILED',
      );
      expect(common.message).toMatch(/common/);
      expectErrorBody(await create('customer', 'x'.repeat(129)), 400, 'VALIDATION_FAILED');
    });

    it('refuses an email in use in any letter case with 409 EMAIL_TAKEN', async () => {
      const email = uniqueEmail('dup');
      const body = { email, name: 'D', role: 'bartender', password: STRONG_PASSWORD };
      expect((await api('', admin.accessToken, { method: 'POST', json: body })).status).toBe(201);
      expectErrorBody(
        await api('', admin.accessToken, {
          method: 'POST',
          json: { ...body, email: email.toUpperCase() },
        }),
        409,
        'EMAIL_TAKEN',
      );
    });

    it('lists every invalid field and refuses unknown ones', async () => {
      const response = await api('', admin.accessToken, {
        method: 'POST',
        json: { email: 'not-an-email', name: '', role: 'owner', password: 5, active: false },
      });
      const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
      const fields = (body.details as { field: string }[]).map((detail) => detail.field);
      expect(fields).toEqual(
        expect.arrayContaining(['email', 'name', 'role', 'password', 'active']),
      );
    });
  });

  describe('GET /api/admin/users', () => {
    let tag: string;

    beforeAll(async () => {
      tag = randomUUID().slice(0, 8);
      await createUser(app, 'bartender', { email: `ann.${tag}@bar.example`, name: 'Ann Smith' });
      await createUser(app, 'customer', { email: `bob.${tag}@mail.example`, name: 'Bob ANNING' });
      await createUser(app, 'customer', {
        email: `cy.${tag}@mail.example`,
        name: `Cy 100%_${tag}`,
      });
    });

    it('pages through all users, newest first, with the total', async () => {
      const all = await api('?limit=100', admin.accessToken);
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(all.body.items.length);
      const created = all.body.items.map((user: { createdAt: string }) => user.createdAt);
      expect([...created].sort().reverse()).toEqual(created);
      expect(Object.keys(all.body.items[0]).sort()).toEqual(
        [
          'active',
          'createdAt',
          'email',
          'id',
          'name',
          'role',
          'tableNumber',
          'twoFactorEnabled',
        ].sort(),
      );

      const first = await api('?limit=2&page=1', admin.accessToken);
      const second = await api('?limit=2&page=2', admin.accessToken);
      expect(first.body.total).toBe(all.body.total);
      expect(
        [...first.body.items, ...second.body.items].map((user: { id: string }) => user.id),
      ).toEqual(all.body.items.slice(0, 4).map((user: { id: string }) => user.id));
    });

    it('searches email and name case-insensitively and filters by role', async () => {
      const names = (response: JsonResponse) =>
        (response.body.items as { name: string }[]).map((user) => user.name).sort();
      const byTag = await api(`?q=${tag.toUpperCase()}`, admin.accessToken);
      expect(byTag.body.total).toBe(3);
      const ann = await api(`?q=ANN&limit=100`, admin.accessToken);
      expect(names(ann)).toEqual(expect.arrayContaining(['Ann Smith', 'Bob ANNING']));
      const customers = await api(`?q=${tag}&role=customer`, admin.accessToken);
      expect(names(customers)).toEqual(['Bob ANNING', `Cy 100%_${tag}`]);
    });

    it('matches LIKE wildcards and quotes literally', async () => {
      const percent = await api(`?q=${encodeURIComponent(`100%_${tag}`)}`, admin.accessToken);
      expect(percent.body.total).toBe(1);
      expect(
        (await api(`?q=${encodeURIComponent('%')}&role=bartender&limit=100`, admin.accessToken))
          .body.total,
      ).toBe(0);
      const quote = await api(`?q=${encodeURIComponent("x' OR '1'='1")}`, admin.accessToken);
      expect(quote.status).toBe(200);
      expect(quote.body.total).toBe(0);
    });

    it.each([
      ['page=0'],
      ['limit=0'],
      ['limit=101'],
      ['page=abc'],
      ['role=owner'],
      ['unknown=1'],
      [`q=${'x'.repeat(101)}`],
    ])('rejects the query %s with 400 VALIDATION_FAILED', async (query) => {
      expectErrorBody(await api(`?${query}`, admin.accessToken), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /api/admin/users/:id', () => {
    it('returns one user; an unknown id is 404 and a malformed one 400', async () => {
      const sam = await createUser(app, 'bartender', { name: 'Sam Lee' });
      const found = await api(`/${sam.id.toUpperCase()}`, admin.accessToken);
      expect(found.status).toBe(200);
      expect(found.body).toEqual({
        id: sam.id,
        email: sam.email,
        name: 'Sam Lee',
        role: 'bartender',
        tableNumber: null,
        active: true,
        twoFactorEnabled: false,
        createdAt: expect.any(String),
      });
      expectErrorBody(await api(`/${randomUUID()}`, admin.accessToken), 404, 'NOT_FOUND');
      expectErrorBody(await api('/not-a-uuid', admin.accessToken), 400, 'VALIDATION_FAILED');
    });
  });

  describe('PATCH /api/admin/users/:id', () => {
    it('renames a user; the change shows on their next request', async () => {
      const customer = await signInNew(app, 'customer');
      expect((await me(app, customer.accessToken)).body.user.name).toBe('Test Customer');
      const response = await patch(customer.user.id, { name: '  Renamed  ' });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ id: customer.user.id, name: 'Renamed', active: true });
      const after = await me(app, customer.accessToken);
      expect(after.status).toBe(200);
      expect(after.body.user.name).toBe('Renamed');
      expect(await sessionRevocations(customer.user.id)).toEqual([{ revoked_reason: null }]);
    });

    it('changes a role: ends every session (role_changed) and audits user_role_changed', async () => {
      const bartender = await signInNew(app, 'bartender');
      const response = await patch(bartender.user.id, { role: 'admin' });
      expect(response.status).toBe(200);
      expect(response.body.role).toBe('admin');
      expectErrorBody(await me(app, bartender.accessToken), 401, 'SESSION_REVOKED');
      expect(await sessionRevocations(bartender.user.id)).toEqual([
        { revoked_reason: 'role_changed' },
      ]);
      const audit = await auditOf(bartender.user.id, 'user_role_changed');
      expect(audit.items[0]?.details).toEqual({
        actorId: admin.user.id,
        from: 'bartender',
        to: 'admin',
      });
      expect((await auditOf(bartender.user.id, 'session_revoked')).items[0]?.details).toMatchObject(
        { reason: 'role_changed' },
      );
      // The promoted user signs in to the admin app now.
      const asAdmin = await loginAs(app, {
        email: bartender.credentials.email,
        password: bartender.credentials.password,
        app: 'admin',
      });
      expect(asAdmin.user.role).toBe('admin');
    });

    it('deactivates: ends sessions (deactivated), refuses sign-in, audits user_deactivated; reactivates', async () => {
      const customer = await signInNew(app, 'customer');
      const response = await patch(customer.user.id, { active: false });
      expect(response.status).toBe(200);
      expect(response.body.active).toBe(false);
      expectErrorBody(await me(app, customer.accessToken), 401, 'SESSION_REVOKED');
      expect(await sessionRevocations(customer.user.id)).toEqual([
        { revoked_reason: 'deactivated' },
      ]);
      expect((await auditOf(customer.user.id, 'user_deactivated')).total).toBe(1);
      const login = {
        email: customer.credentials.email,
        password: customer.credentials.password,
        app: 'customer' as const,
      };
      expectErrorBody(await loginRequest(app, login), 403, 'ACCOUNT_DISABLED');

      expect((await patch(customer.user.id, { active: true })).body.active).toBe(true);
      expect((await auditOf(customer.user.id, 'user_reactivated')).total).toBe(1);
      expect((await loginRequest(app, login)).status).toBe(200);
    });

    it('sets a new password: ends sessions (password_changed), the old password stops working', async () => {
      const bartender = await signInNew(app, 'bartender');
      expectErrorBody(
        await patch(bartender.user.id, { password: 'short-password' }),
        400,
        'VALIDATION_FAILED',
      );
      expect((await me(app, bartender.accessToken)).status).toBe(200);

      const newPassword = 'a-brand-new-staff-password-77';
      const response = await patch(bartender.user.id, { password: newPassword });
      expect(response.status).toBe(200);
      expect(response.text).not.toContain(newPassword);
      expectErrorBody(await me(app, bartender.accessToken), 401, 'SESSION_REVOKED');
      expect(await sessionRevocations(bartender.user.id)).toEqual([
        { revoked_reason: 'password_changed' },
      ]);
      const login = { email: bartender.credentials.email, app: 'bartender' as const };
      expectErrorBody(
        await loginRequest(app, { ...login, password: bartender.credentials.password }),
        401,
        'INVALID_CREDENTIALS',
      );
      expect((await loginRequest(app, { ...login, password: newPassword })).status).toBe(200);
      const audit = await auditOf(bartender.user.id, 'password_changed');
      expect(audit.items[0]?.details).toEqual({ actorId: admin.user.id, byAdmin: true });
    });

    it('checks a new password against the new role when both change', async () => {
      const customer = await createUser(app, 'customer');
      expectErrorBody(
        await patch(customer.id, { role: 'bartender', password: 'twelve-chars' }),
        400,
        'VALIDATION_FAILED',
      );
      const rows = await app.sql<{ role: string }>('SELECT role FROM users WHERE id = $1', [
        customer.id,
      ]);
      expect(rows[0]?.role).toBe('customer');
    });

    it('answers an unknown user with 404 and a malformed id or body with 400', async () => {
      expectErrorBody(await patch(randomUUID(), { name: 'X' }), 404, 'NOT_FOUND');
      expectErrorBody(await patch(randomUUID(), { password: STRONG_PASSWORD }), 404, 'NOT_FOUND');
      expectErrorBody(await patch('not-a-uuid', { name: 'X' }), 400, 'VALIDATION_FAILED');
      const customer = await createUser(app, 'customer');
      for (const body of [{ role: 'owner' }, { active: 'no' }, { name: '' }, { email: 'a@b.co' }]) {
        expectErrorBody(await patch(customer.id, body), 400, 'VALIDATION_FAILED');
      }
      // null is not "leave it": each field sent as null is refused and nothing changes (a null
      // password got 500 before).
      const [before] = await app.sql<{ name: string; role: string; active: boolean }>(
        'SELECT name, role, active FROM users WHERE id = $1',
        [customer.id],
      );
      for (const field of ['name', 'role', 'active', 'password']) {
        const response = await patch(customer.id, { name: 'Renamed', [field]: null });
        const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
        expect(JSON.stringify(body.details)).toContain(field);
      }
      const [after] = await app.sql('SELECT name, role, active FROM users WHERE id = $1', [
        customer.id,
      ]);
      expect(after).toEqual(before);
    });
  });

  describe('the last active admin', () => {
    /** Leaves exactly these admins active, as if no one else had ever been made admin. */
    const onlyAdmins = async (ids: string[]) => {
      await app.sql(`UPDATE users SET active = (id = ANY($1::uuid[])) WHERE role = 'admin'`, [ids]);
      await app.sql(`UPDATE users SET role = 'admin', active = true WHERE id = ANY($1::uuid[])`, [
        ids,
      ]);
    };
    const activeAdmins = async () =>
      (await app.sql<{ id: string }>(`SELECT id FROM users WHERE role = 'admin' AND active`)).map(
        (row) => row.id,
      );

    it('cannot be demoted or deactivated (409 LAST_ADMIN), but may be renamed', async () => {
      const other = await createUser(app, 'admin');
      await onlyAdmins([admin.user.id, other.id]);
      expect((await patch(other.id, { role: 'bartender' })).status).toBe(200);

      expectErrorBody(await patch(admin.user.id, { role: 'bartender' }), 409, 'LAST_ADMIN');
      expectErrorBody(await patch(admin.user.id, { active: false }), 409, 'LAST_ADMIN');
      expectErrorBody(
        await patch(admin.user.id, { role: 'customer', active: false }),
        409,
        'LAST_ADMIN',
      );
      expect(await activeAdmins()).toEqual([admin.user.id]);
      expect((await me(app, admin.accessToken)).status).toBe(200);
      expect((await patch(admin.user.id, { name: 'Still Admin' })).status).toBe(200);
      // Promoting someone else makes a demotion possible again.
      expect((await patch(other.id, { role: 'admin' })).status).toBe(200);
      expect((await patch(other.id, { active: false })).status).toBe(200);
      expectErrorBody(await patch(admin.user.id, { active: false }), 409, 'LAST_ADMIN');
    });

    it('takes an id in any letter case as the same user: the last admin stays, a rename shows on /me', async () => {
      const admin = await signInNew(app, 'admin', 'admin');
      await onlyAdmins([admin.user.id]);
      const upper = admin.user.id.toUpperCase();
      const viaUpper = (body: object) =>
        request(`${app.url}/api/admin/users/${upper}`, {
          method: 'PATCH',
          headers: bearer(admin.accessToken),
          json: body,
        });
      expectErrorBody(await viaUpper({ active: false }), 409, 'LAST_ADMIN');
      expectErrorBody(await viaUpper({ role: 'bartender' }), 409, 'LAST_ADMIN');
      expect(await activeAdmins()).toEqual([admin.user.id]);
      const renamed = await viaUpper({ name: 'Upper Case Admin' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.id).toBe(admin.user.id);
      expect((await me(app, admin.accessToken)).body.user.name).toBe('Upper Case Admin');
    });

    it('survives two admins demoting or deactivating each other at once: exactly one wins', async () => {
      for (const change of [{ role: 'bartender' }, { active: false }, { role: 'customer' }]) {
        for (let round = 0; round < 3; round++) {
          const one = await signInNew(app, 'admin', 'admin');
          const two = await signInNew(app, 'admin', 'admin');
          await onlyAdmins([one.user.id, two.user.id]);
          const [first, second] = await Promise.all([
            patch(two.user.id, change, one.accessToken),
            patch(one.user.id, change, two.accessToken),
          ]);
          const statuses = [first.status, second.status];
          expect(statuses.filter((status) => status === 200)).toHaveLength(1);
          const loser = first.status === 200 ? second : first;
          // The loser either waited for the winner and found itself the last admin, or its session
          // was already ended by the winner's change.
          expect(['LAST_ADMIN', 'SESSION_REVOKED']).toContain(loser.body.code);
          const remaining = await activeAdmins();
          expect(remaining).toHaveLength(1);
          expect([one.user.id, two.user.id]).toContain(remaining[0]);
        }
      }
      await onlyAdmins([admin.user.id]);
    });
  });
});
