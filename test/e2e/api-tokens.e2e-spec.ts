import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { API_TOKEN_SCOPE_NAMES } from '../../src/api-tokens/api-token-scopes.js';
import { EventBus } from '../../src/events/event-bus.js';
import { type SignedIn, bearer, createUser, loginAs, signInNew } from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { documentedOperations, fetchOpenApi } from '../support/openapi.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const TOKEN_LIMIT = 25;

describe('API tokens for integrations', () => {
  let app: TestApp;
  /** An admin signed in to the admin app who makes the tokens of most tests. */
  let admin: SignedIn & { credentials: { id: string } };

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { RATE_LIMIT_TOKEN_PER_MINUTE: String(TOKEN_LIMIT), RATE_LIMIT_USER_PER_MINUTE: '0' },
    });
    admin = await signInNew(app, 'admin');
  }, 60_000);
  afterAll(() => app.close());

  const url = (path: string): string => `${app.url}/api${path}`;

  function createToken(who: SignedIn, body: unknown) {
    return request(url('/tokens'), {
      method: 'POST',
      headers: bearer(who.accessToken),
      json: body,
    });
  }

  async function newToken(
    scopes: string[],
    who: SignedIn = admin,
    extra: Record<string, unknown> = {},
  ): Promise<{ id: string; token: string }> {
    const response = await createToken(who, { name: 'Integration', scopes, ...extra });
    expect(response.status).toBe(201);
    return response.body;
  }

  const get = (path: string, token: string) => request(url(path), { headers: bearer(token) });

  /** A second admin, signed in to the admin app (so the first can be demoted or deactivated). */
  async function anotherAdmin(): Promise<SignedIn & { credentials: { id: string } }> {
    return signInNew(app, 'admin');
  }

  describe('POST /api/tokens', () => {
    it('creates a token, shows it once, and keeps only its SHA-256', async () => {
      const before = Date.now();
      const response = await createToken(admin, {
        name: '  Stock sync (back office)  ',
        scopes: ['menu:write', 'menu:read'],
        expiresInDays: 30,
      });
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Stock sync (back office)',
        scopes: ['menu:read', 'menu:write'],
        token: expect.stringMatching(/^tap_[\w-]{43}$/),
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
        lastUsedAt: null,
      });
      const { id, token, expiresAt } = response.body;
      const days = (Date.parse(expiresAt) - before) / 86_400_000;
      expect(days).toBeGreaterThan(29.99);
      expect(days).toBeLessThan(30.01);

      const [row] = await app.sql<{ token_hash: Buffer }>(
        'SELECT token_hash FROM api_tokens WHERE id = $1',
        [id],
      );
      expect(row!.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
      const everything = JSON.stringify(
        await app.sql('SELECT * FROM api_tokens WHERE id = $1', [id]),
      );
      expect(everything).not.toContain(token.slice(4));

      const list = await get('/tokens', admin.accessToken);
      expect(list.status).toBe(200);
      const listed = list.body.find((entry: { id: string }) => entry.id === id);
      expect(listed).toEqual({
        id,
        name: 'Stock sync (back office)',
        scopes: ['menu:read', 'menu:write'],
        createdAt: response.body.createdAt,
        expiresAt,
        lastUsedAt: null,
      });
      expect(list.text).not.toContain(token);
    });

    it.each([
      ['an unknown scope', { name: 'x', scopes: ['orders:delete'] }, 'scopes'],
      ['no scope', { name: 'x', scopes: [] }, 'scopes'],
      ['a repeated scope', { name: 'x', scopes: ['audit:read', 'audit:read'] }, 'scopes'],
      ['an empty name', { name: '   ', scopes: ['audit:read'] }, 'name'],
      ['a name over 100 characters', { name: 'n'.repeat(101), scopes: ['audit:read'] }, 'name'],
      ['0 days', { name: 'x', scopes: ['audit:read'], expiresInDays: 0 }, 'expiresInDays'],
      ['366 days', { name: 'x', scopes: ['audit:read'], expiresInDays: 366 }, 'expiresInDays'],
      ['half a day', { name: 'x', scopes: ['audit:read'], expiresInDays: 1.5 }, 'expiresInDays'],
      ['an unknown property', { name: 'x', scopes: ['audit:read'], userId: 'x' }, 'userId'],
    ])(
      'refuses %s with VALIDATION_FAILED naming the field, and makes nothing',
      async (_, body, field) => {
        const count = async () =>
          (await app.sql<{ n: string }>('SELECT count(*) AS n FROM api_tokens'))[0]?.n;
        const before = await count();
        const response = await createToken(admin, body);
        const error = expectErrorBody(response, 400, 'VALIDATION_FAILED');
        expect(error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
        expect(await count()).toBe(before);
      },
    );

    it('is for admins signed in to the admin app only', async () => {
      const bartender = await signInNew(app, 'bartender');
      expectErrorBody(
        await createToken(bartender, { name: 'x', scopes: ['orders:read'] }),
        403,
        'FORBIDDEN',
      );
      // An admin signed in to the bartender app manages tokens from the admin app only.
      const barAdmin = await signInNew(app, 'admin', 'bartender');
      expectErrorBody(
        await createToken(barAdmin, { name: 'x', scopes: ['orders:read'] }),
        403,
        'FORBIDDEN',
      );
      expectErrorBody(await get('/tokens', barAdmin.accessToken), 403, 'FORBIDDEN');
    });

    it('cannot be called with a token: tokens do not make tokens', async () => {
      const { token } = await newToken(API_TOKEN_SCOPE_NAMES);
      expectErrorBody(
        await createToken({ accessToken: token } as SignedIn, {
          name: 'x',
          scopes: ['audit:read'],
        }),
        403,
        'FORBIDDEN',
      );
      expectErrorBody(await get('/tokens', token), 403, 'FORBIDDEN');
    });
  });

  describe('Bearer tap_…', () => {
    it('acts as its owner within its scopes, under /api/admin/ too', async () => {
      const { token } = await newToken(['audit:read', 'orders:read', 'reports:read']);
      expect((await get('/admin/audit', token)).status).toBe(200);
      expect((await get('/orders', token)).status).toBe(200);
      expect((await get('/admin/reports/sales?from=2026-01-01&to=2026-01-31', token)).status).toBe(
        200,
      );
      const csv = await get('/admin/orders.csv', token);
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toContain('text/csv');
    });

    it('gets 403 FORBIDDEN for a route outside its scopes, naming the scope', async () => {
      const { token } = await newToken(['orders:read']);
      const error = expectErrorBody(await get('/admin/users', token), 403, 'FORBIDDEN');
      expect(error.details).toEqual({ scope: 'users:read' });
      expect(error.message).toContain('users:read');
      expectErrorBody(
        await request(url('/admin/menu-items'), {
          method: 'POST',
          headers: bearer(token),
          json: { name: 'Pilsner', priceCents: 500, category: 'Beer' },
        }),
        403,
        'FORBIDDEN',
      );
    });

    it('never gets a session-only route: me, sessions, events, logout-all', async () => {
      const { token } = await newToken(API_TOKEN_SCOPE_NAMES);
      expectErrorBody(await get('/auth/me', token), 403, 'FORBIDDEN');
      expectErrorBody(await get('/sessions', token), 403, 'FORBIDDEN');
      expectErrorBody(await get('/admin/sessions', token), 403, 'FORBIDDEN');
      expectErrorBody(await get('/events', token), 403, 'FORBIDDEN');
      expectErrorBody(
        await request(url('/auth/logout-all'), {
          method: 'POST',
          headers: bearer(token),
          json: {},
        }),
        403,
        'FORBIDDEN',
      );
      // The admin is still signed in everywhere.
      expect((await get('/auth/me', admin.accessToken)).status).toBe(200);
    });

    it('refuses unknown and malformed tokens with 401 TOKEN_INVALID', async () => {
      expectErrorBody(await get('/admin/audit', `tap_${'A'.repeat(43)}`), 401, 'TOKEN_INVALID');
      expectErrorBody(await get('/admin/audit', 'tap_short'), 401, 'TOKEN_INVALID');
      const { token } = await newToken(['audit:read']);
      expectErrorBody(await get('/admin/audit', `${token.slice(0, -1)}x`), 401, 'TOKEN_INVALID');
    });

    it('refuses an expired token with 401 TOKEN_EXPIRED', async () => {
      const { id, token } = await newToken(['audit:read'], admin, { expiresInDays: 1 });
      await app.sql(
        `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [id],
      );
      expectErrorBody(await get('/admin/audit', token), 401, 'TOKEN_EXPIRED');
    });

    it('leaves the owner’s session untouched: no activity, no eviction, no cap', async () => {
      // Its own admin, with the default cap of one admin-app session.
      const owner = await signInNew(app, 'admin');
      const { token } = await newToken(['audit:read', 'orders:read'], owner);
      const sessionRow = () =>
        app.sql<{ last_active_at: Date; idle_expires_at: Date; revoked_at: Date | null }>(
          'SELECT last_active_at, idle_expires_at, revoked_at FROM sessions WHERE user_id = $1',
          [owner.user.id],
        );
      const before = await sessionRow();
      expect(before).toHaveLength(1);
      for (let index = 0; index < 5; index++) {
        expect((await get('/admin/audit', token)).status).toBe(200);
        expect((await get('/orders', token)).status).toBe(200);
      }
      const after = await sessionRow();
      expect(after).toEqual(before);
      expect(after[0]!.revoked_at).toBeNull();
      expect((await get('/auth/me', owner.accessToken)).status).toBe(200);
    });

    it('notes when a token was last used', async () => {
      const { id, token } = await newToken(['audit:read']);
      expect((await get('/admin/audit', token)).status).toBe(200);
      let lastUsedAt: string | null = null;
      for (let attempt = 0; attempt < 50 && lastUsedAt === null; attempt++) {
        const list = await get('/tokens', admin.accessToken);
        lastUsedAt = list.body.find((entry: { id: string }) => entry.id === id).lastUsedAt;
        if (lastUsedAt === null) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(lastUsedAt).not.toBeNull();
    });

    it('has its own rate limit per token: 429 RATE_LIMITED with Retry-After', async () => {
      const { token } = await newToken(['audit:read']);
      const { token: sibling } = await newToken(['audit:read']);
      for (let index = 0; index < TOKEN_LIMIT; index++) {
        expect((await get('/admin/audit?limit=1', token)).status).toBe(200);
      }
      const limited = await get('/admin/audit?limit=1', token);
      expectErrorBody(limited, 429, 'RATE_LIMITED');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      // Another token of the same admin, and the admin's own session, are not held back.
      expect((await get('/admin/audit?limit=1', sibling)).status).toBe(200);
      expect((await get('/admin/audit?limit=1', admin.accessToken)).status).toBe(200);
    });
  });

  describe('DELETE /api/tokens/:id', () => {
    it('revokes the token from the next request on, and audits it', async () => {
      const { id, token } = await newToken(['audit:read']);
      expect((await get('/admin/audit', token)).status).toBe(200);
      const response = await request(url(`/tokens/${id}`), {
        method: 'DELETE',
        headers: bearer(admin.accessToken),
      });
      expect(response.status).toBe(204);
      expectErrorBody(await get('/admin/audit', token), 401, 'TOKEN_INVALID');
      const list = await get('/tokens', admin.accessToken);
      expect(list.body.map((entry: { id: string }) => entry.id)).not.toContain(id);
      const again = await request(url(`/tokens/${id}`), {
        method: 'DELETE',
        headers: bearer(admin.accessToken),
      });
      expectErrorBody(again, 404, 'NOT_FOUND');

      const audit = await get(
        `/admin/audit?type=api_token_revoked&userId=${admin.user.id}`,
        admin.accessToken,
      );
      expect(audit.body.items[0]).toMatchObject({
        type: 'api_token_revoked',
        actor: { id: admin.user.id },
        details: { name: 'Integration', reason: 'revoked' },
        summary: expect.stringContaining('revoked the API token "Integration"'),
      });
      expect(JSON.stringify(audit.body)).not.toContain(token);
    });

    it('audits creation without the token', async () => {
      const { token } = await newToken(['users:read']);
      const audit = await get(
        `/admin/audit?type=api_token_created&userId=${admin.user.id}`,
        admin.accessToken,
      );
      expect(audit.body.items[0]).toMatchObject({
        type: 'api_token_created',
        details: { name: 'Integration', scopes: ['users:read'] },
        summary: expect.stringContaining('created the API token "Integration" (users:read)'),
      });
      expect(JSON.stringify(audit.body)).not.toContain(token);
    });

    it('is 404 for another admin’s token and for a malformed id', async () => {
      const other = await anotherAdmin();
      const { id, token } = await newToken(['audit:read'], other);
      expectErrorBody(
        await request(url(`/tokens/${id}`), {
          method: 'DELETE',
          headers: bearer(admin.accessToken),
        }),
        404,
        'NOT_FOUND',
      );
      expect((await get('/admin/audit', token)).status).toBe(200);
      const own = await get('/tokens', admin.accessToken);
      expect(own.body.map((entry: { id: string }) => entry.id)).not.toContain(id);
      expectErrorBody(
        await request(url('/tokens/not-an-id'), {
          method: 'DELETE',
          headers: bearer(admin.accessToken),
        }),
        404,
        'NOT_FOUND',
      );
    });
  });

  describe('when the owner loses admin access', () => {
    async function changeUser(id: string, body: Record<string, unknown>) {
      const response = await request(url(`/admin/users/${id}`), {
        method: 'PATCH',
        headers: bearer(admin.accessToken),
        json: body,
      });
      expect(response.status).toBe(200);
    }

    it('revokes their tokens when they are deactivated, in the same change', async () => {
      const owner = await anotherAdmin();
      const { id, token } = await newToken(['audit:read'], owner);
      expect((await get('/admin/audit', token)).status).toBe(200);
      await changeUser(owner.user.id, { active: false });
      expectErrorBody(await get('/admin/audit', token), 401, 'TOKEN_INVALID');
      const [row] = await app.sql<{ revoked_reason: string }>(
        'SELECT revoked_reason FROM api_tokens WHERE id = $1',
        [id],
      );
      expect(row!.revoked_reason).toBe('owner_deactivated');
      const audit = await get(
        `/admin/audit?type=api_token_revoked&userId=${owner.user.id}`,
        admin.accessToken,
      );
      expect(audit.body.items[0]).toMatchObject({
        details: { reason: 'owner_deactivated' },
        actor: null,
      });
      // Reactivated, the old token stays revoked.
      await changeUser(owner.user.id, { active: true });
      expectErrorBody(await get('/admin/audit', token), 401, 'TOKEN_INVALID');
    });

    it('revokes their tokens when they are demoted', async () => {
      const owner = await anotherAdmin();
      const { token } = await newToken(['orders:read'], owner);
      expect((await get('/orders', token)).status).toBe(200);
      await changeUser(owner.user.id, { role: 'bartender' });
      expectErrorBody(await get('/orders', token), 401, 'TOKEN_INVALID');
    });

    it('keeps their tokens on a rename or a new password', async () => {
      const owner = await anotherAdmin();
      const { token } = await newToken(['audit:read'], owner);
      await changeUser(owner.user.id, { name: 'Renamed Admin' });
      expect((await get('/admin/audit', token)).status).toBe(200);
    });

    it('is refused on an instance that only hears of the revocation through the bus', async () => {
      const owner = await createUser(app, 'admin');
      const session = await loginAs(app, { ...owner, app: 'admin' });
      const { id, token } = await newToken(['audit:read'], session);
      // Cached on this instance by a first use.
      expect((await get('/admin/audit', token)).status).toBe(200);
      // What another instance does: the row changes, and the change's event arrives.
      await app.sql(
        `UPDATE api_tokens SET revoked_at = now(), revoked_reason = 'owner_deactivated' WHERE id = $1`,
        [id],
      );
      await app.app.get(EventBus).publish({ type: 'user.changed', userId: owner.id });
      expectErrorBody(await get('/admin/audit', token), 401, 'TOKEN_INVALID');
    });
  });

  describe('the OpenAPI document', () => {
    it('says of every guarded operation which scope a token needs, or that it is session-only', async () => {
      const document = await fetchOpenApi(app.url);
      const undecided: string[] = [];
      let scoped = 0;
      for (const { key, raw } of documentedOperations(document)) {
        const extensions = raw as Record<string, unknown>;
        if ((raw.security ?? []).length === 0) continue;
        const scope = extensions['x-token-scope'];
        const sessionOnly = extensions['x-session-only'] === true;
        if (scope !== undefined) {
          expect(API_TOKEN_SCOPE_NAMES).toContain(scope);
          expect(sessionOnly).toBe(false);
          scoped += 1;
        } else if (!sessionOnly) {
          undecided.push(key);
        }
      }
      expect(undecided).toEqual([]);
      expect(scoped).toBeGreaterThan(10);
      const tokens = documentedOperations(document).filter(({ path }) =>
        path.startsWith('/api/tokens'),
      );
      expect(tokens).toHaveLength(3);
      for (const { raw } of tokens) {
        expect((raw as Record<string, unknown>)['x-session-only']).toBe(true);
      }
    });

    it('describes the bearer scheme for both JWTs and tap_ tokens', async () => {
      const document = (await fetchOpenApi(app.url)) as unknown as {
        components: {
          securitySchemes: Record<string, { bearerFormat?: string; description?: string }>;
        };
      };
      const scheme = document.components.securitySchemes.bearer!;
      expect(scheme.bearerFormat).toContain('tap_');
      expect(scheme.description).toContain('JWT');
    });
  });
});
