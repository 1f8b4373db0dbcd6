import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SessionMaintenance } from '../../src/sessions/session-maintenance.js';
import {
  bearer,
  createUser,
  loginAs,
  loginRequest,
  me,
  refreshWith,
  registerCustomer,
  signInNew,
} from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

async function sessionRow(
  app: TestApp,
  sessionId: string,
): Promise<{ revoked_reason: string | null; ip: string | null }> {
  return (
    await app.sql<{ revoked_reason: string | null; ip: string | null }>(
      'SELECT revoked_reason, ip FROM sessions WHERE id = $1',
      [sessionId],
    )
  )[0]!;
}

async function activeCount(app: TestApp, userId: string, appName: string): Promise<number> {
  const rows = await app.sql<{ n: string }>(
    `SELECT count(*) AS n FROM sessions WHERE user_id = $1 AND app = $2 AND revoked_at IS NULL`,
    [userId, appName],
  );
  return Number(rows[0]!.n);
}

describe('session policy: evict_oldest, timeouts, maintenance, client address', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: {
        SESSION_IDLE_CUSTOMER: '2',
        SESSION_ABSOLUTE_CUSTOMER: '4',
        TRUST_PROXY: '1',
        SESSION_CLEANUP_INTERVAL: '3600',
        // Racing logins of one account must reach the session cap, not the failure limiter.
        RATE_LIMIT_LOGIN_EMAIL_IP: '100',
      },
    });
  }, 60_000);
  afterAll(() => app.close());

  it('gives an admin a single admin-app session: a new login evicts the old one at once', async () => {
    const admin = await createUser(app, 'admin');
    const first = await loginAs(app, { ...admin, app: 'admin' });
    const bar = await loginAs(app, { ...admin, app: 'bartender' });
    const second = await loginAs(app, { ...admin, app: 'admin' });
    expectErrorBody(await me(app, first.accessToken), 401, 'SESSION_REVOKED');
    expectErrorBody(await refreshWith(app, 'admin', first.refreshToken!), 401, 'SESSION_REVOKED');
    expect((await sessionRow(app, first.session.id)).revoked_reason).toBe('evicted');
    expect((await me(app, second.accessToken)).status).toBe(200);
    // The cap counts per app: the bartender-app session stays.
    expect((await me(app, bar.accessToken)).status).toBe(200);
    const audit = await app.sql<{ details: { reason: string } }>(
      `SELECT details FROM audit_events WHERE type = 'session_revoked' AND session_id = $1`,
      [first.session.id],
    );
    expect(audit.map((row) => row.details.reason)).toEqual(['evicted']);
  });

  it('evicts the least recently active session when a bartender exceeds 2', async () => {
    const bartender = await createUser(app, 'bartender');
    const a = await loginAs(app, { ...bartender, app: 'bartender' });
    const b = await loginAs(app, { ...bartender, app: 'bartender' });
    // b was created later but has been idle longer than a.
    await app.sql(
      `UPDATE sessions SET last_active_at = now() - interval '10 minutes' WHERE id = $1`,
      [b.session.id],
    );
    const c = await loginAs(app, { ...bartender, app: 'bartender' });
    expectErrorBody(await me(app, b.accessToken), 401, 'SESSION_REVOKED');
    expect((await me(app, a.accessToken)).status).toBe(200);
    expect((await me(app, c.accessToken)).status).toBe(200);
    expect(await activeCount(app, bartender.id, 'bartender')).toBe(2);
  });

  it('never lets concurrent logins slip over the cap', async () => {
    const bartender = await createUser(app, 'bartender');
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => loginRequest(app, { ...bartender, app: 'bartender' })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(6).fill(200));
    expect(await activeCount(app, bartender.id, 'bartender')).toBe(2);
  });

  it('stops a session idle past its idle timeout from refreshing', async () => {
    const signedIn = await signInNew(app, 'customer');
    await sleep(2300);
    expectErrorBody(
      await refreshWith(app, 'customer', signedIn.refreshToken!),
      401,
      'REFRESH_INVALID',
    );
  });

  it('keeps a session in use alive past its idle timeout on requests alone, however short', async () => {
    const signedIn = await signInNew(app, 'customer');
    // Three seconds of requests, with an idle timeout of two: activity must be written often
    // enough for the deadline never to pass under a session in use.
    for (let elapsed = 0; elapsed < 3000; elapsed += 300) {
      expect((await me(app, signedIn.accessToken)).status).toBe(200);
      await sleep(300);
    }
    expect((await refreshWith(app, 'customer', signedIn.refreshToken!)).status).toBe(200);
  });

  it('tells login, me and refresh when the session goes idle, and moves it on with activity', async () => {
    const signedIn = await signInNew(app, 'customer');
    const { session } = signedIn;
    expect(session.idleTimeoutSeconds).toBe(2);
    expect(Date.parse(session.idleExpiresAt)).toBeLessThanOrEqual(Date.parse(session.expiresAt));
    await sleep(1100);
    const later = await me(app, signedIn.accessToken);
    expect(later.status).toBe(200);
    // The guard noted this request as activity, so the deadline is two seconds from now.
    expect(Date.parse(later.body.session.idleExpiresAt)).toBeGreaterThan(
      Date.parse(session.idleExpiresAt) + 500,
    );
    await sleep(1100);
    const refreshed = await refreshWith(app, 'customer', signedIn.refreshToken!);
    expect(refreshed.status).toBe(200);
    expect(Date.parse(refreshed.body.session.idleExpiresAt)).toBeGreaterThan(
      Date.parse(later.body.session.idleExpiresAt),
    );
    expect(refreshed.body.session.expiresAt).toBe(session.expiresAt);
  });

  it('keeps an active session alive until its absolute lifetime, then stops it', async () => {
    const signedIn = await signInNew(app, 'customer');
    // Never outlives the session: the access token ends with it.
    const exp = new Date(signedIn.accessTokenExpiresAt).getTime();
    expect(exp).toBeLessThanOrEqual(new Date(signedIn.session.expiresAt).getTime());
    let token = signedIn.refreshToken!;
    for (let i = 0; i < 2; i += 1) {
      await sleep(1400);
      const refreshed = await refreshWith(app, 'customer', token);
      expect(refreshed.status).toBe(200);
      token = refreshed.body.refreshToken;
    }
    await sleep(4000 - 2 * 1400 + 300);
    expectErrorBody(await refreshWith(app, 'customer', token), 401, 'REFRESH_INVALID');
  });

  it('marks overdue sessions expired (closing them for the guard) and deletes long-dead rows', async () => {
    const overdue = await signInNew(app, 'customer');
    const alive = await signInNew(app, 'bartender');
    const old = await signInNew(app, 'bartender');
    await app.sql(
      `UPDATE sessions SET idle_expires_at = now() - interval '1 second' WHERE id = $1`,
      [overdue.session.id],
    );
    await app.sql(
      `UPDATE sessions SET revoked_at = now() - interval '40 days', revoked_reason = 'logout' WHERE id = $1`,
      [old.session.id],
    );
    const result = await app.app.get(SessionMaintenance).run();
    expect(result.expired).toBeGreaterThanOrEqual(1);
    expect(result.deleted).toBeGreaterThanOrEqual(1);
    expect((await sessionRow(app, overdue.session.id)).revoked_reason).toBe('expired');
    expectErrorBody(await me(app, overdue.accessToken), 401, 'SESSION_REVOKED');
    expectErrorBody(
      await refreshWith(app, 'customer', overdue.refreshToken!),
      401,
      'REFRESH_INVALID',
    );
    expect(await app.sql('SELECT id FROM sessions WHERE id = $1', [old.session.id])).toEqual([]);
    expect((await me(app, alive.accessToken)).status).toBe(200);
  });

  it('deletes a backlog of ended sessions larger than one batch, keeping the recent ones', async () => {
    const user = await signInNew(app, 'bartender');
    const recentlyEnded = await signInNew(app, 'bartender');
    await app.sql(
      `UPDATE sessions SET revoked_at = now() - interval '1 day', revoked_reason = 'logout'
        WHERE id = $1`,
      [recentlyEnded.session.id],
    );
    // Copies of a real row: 7,000 revoked long ago, and 6,000 revoked lately but long past their
    // absolute deadline; each kind more than one batch of the job's deletion.
    const copies = (count: number, ended: string): Promise<unknown> =>
      app.sql(
        `INSERT INTO sessions (id, user_id, app, role, generation, salt, device, created_at,
                               last_active_at, idle_expires_at, expires_at, revoked_at,
                               revoked_reason)
         SELECT gen_random_uuid(), s.user_id, s.app, s.role, 0, s.salt, s.device,
                now() - interval '90 days', now() - interval '90 days',
                now() - interval '89 days', now() - interval '60 days',
                ${ended}
           FROM sessions s, generate_series(1, $2)
          WHERE s.id = $1`,
        [user.session.id, count],
      );
    await copies(7_000, `now() - interval '45 days', 'logout'`);
    await copies(6_000, `now() - interval '1 day', 'expired'`);
    const before = await app.sql<{ n: string }>(
      `SELECT count(*) AS n FROM sessions WHERE user_id = $1`,
      [user.user.id],
    );
    expect(Number(before[0]!.n)).toBeGreaterThanOrEqual(13_001);

    const result = await app.app.get(SessionMaintenance).run();
    expect(result.deleted).toBeGreaterThanOrEqual(13_000);
    const left = await app.sql<{ n: string }>(
      `SELECT count(*) AS n FROM sessions
        WHERE (revoked_at IS NOT NULL AND revoked_at < now() - interval '30 days')
           OR expires_at < now() - interval '30 days'`,
    );
    expect(Number(left[0]!.n)).toBe(0);
    expect((await sessionRow(app, recentlyEnded.session.id)).revoked_reason).toBe('logout');
    expect((await me(app, user.accessToken)).status).toBe(200);
  }, 60_000);

  it('records the client address from X-Forwarded-For when TRUST_PROXY trusts the proxy', async () => {
    const user = await registerCustomer(app);
    const signedIn = await loginAs(app, {
      ...user,
      app: 'customer',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect((await sessionRow(app, signedIn.session.id)).ip).toBe('203.0.113.9');
  });
});

describe('session policy: deny_new', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: {
        SESSION_LIMIT_MODE: 'deny_new',
        SESSION_MAX_CUSTOMER: '2',
        RATE_LIMIT_LOGIN_EMAIL_IP: '100',
      },
    });
  }, 60_000);
  afterAll(() => app.close());

  it('refuses a login over the cap with 409 SESSION_LIMIT, and allows it again after a logout', async () => {
    const user = await registerCustomer(app);
    const a = await loginAs(app, { ...user, app: 'customer' });
    await loginAs(app, { ...user, app: 'customer' });
    expectErrorBody(await loginRequest(app, { ...user, app: 'customer' }), 409, 'SESSION_LIMIT');
    expect((await me(app, a.accessToken)).status).toBe(200);
    await request(`${app.url}/api/auth/logout`, { method: 'POST', headers: bearer(a.accessToken) });
    expect((await loginRequest(app, { ...user, app: 'customer' })).status).toBe(200);
  });

  it('checks the password before the cap', async () => {
    const user = await registerCustomer(app);
    await loginAs(app, { ...user, app: 'customer' });
    await loginAs(app, { ...user, app: 'customer' });
    const wrong = await loginRequest(app, {
      ...user,
      password: 'wrong-password-here',
      app: 'customer',
    });
    expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
  });

  it('lets exactly the cap through when logins race', async () => {
    const user = await registerCustomer(app);
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => loginRequest(app, { ...user, app: 'customer' })),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 409, 409, 409]);
    expect(await activeCount(app, user.id, 'customer')).toBe(2);
  });

  it('ignores X-Forwarded-For when no proxy is trusted', async () => {
    const user = await registerCustomer(app);
    const signedIn = await loginAs(app, {
      ...user,
      app: 'customer',
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect((await sessionRow(app, signedIn.session.id)).ip).toBe('127.0.0.1');
  });
});
