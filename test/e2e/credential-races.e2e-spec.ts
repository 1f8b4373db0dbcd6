import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  STRONG_PASSWORD,
  bearer,
  loginRequest,
  me,
  refreshWith,
  signInNew,
} from '../support/auth.js';
import { type JsonResponse, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const NEW_PASSWORD = 'a-brand-new-password-for-races-1';

/**
 * Contract (Auth): "Credential changes win every race: once a password change, reset, role change
 * or deactivation is committed, no session may be created, and no token refreshed, on the
 * strength of a password check or a user state read before it."
 *
 * A sign-in reads the user, waits for its password check (argon2, queued behind other checks),
 * then creates the session. Sign-ins sent while a change is in flight read the row before the
 * change commits and finish their check after it: those are the ones that must fail.
 */
describe('credential changes win every race', () => {
  let app: TestApp;
  let admin: Awaited<ReturnType<typeof signInNew>>;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      // The failures of old-password sign-ins must not be what stops them.
      env: {
        RATE_LIMIT_LOGIN_EMAIL_IP: '0',
        RATE_LIMIT_LOGIN_IP: '0',
        RATE_LIMIT_LOGIN_ACCOUNT: '0',
        RATE_LIMIT_USER_PER_MINUTE: '0',
        RATE_LIMIT_ANON_PER_MINUTE: '0',
        SESSION_MAX_CUSTOMER: '100',
        SESSION_MAX_BARTENDER: '100',
      },
    });
    admin = await signInNew(app, 'admin');
  }, 60_000);
  afterAll(() => app.close());

  /** Sign-ins with `password`, one every `gapMs`, while `change` runs; all of them settled. */
  async function signInsDuring(
    credentials: { email: string; password: string },
    appName: 'customer' | 'bartender',
    change: () => Promise<JsonResponse>,
  ): Promise<{ changed: JsonResponse; signIns: JsonResponse[] }> {
    const signIns: Promise<JsonResponse>[] = [];
    const change$ = { answered: false };
    const changed = change().finally(() => {
      change$.answered = true;
    });
    // Keep signing in until the change has answered, and a little after.
    while (!change$.answered && signIns.length < 60) {
      signIns.push(loginRequest(app, { ...credentials, app: appName }));
      await sleep(8);
    }
    for (let index = 0; index < 3; index++) {
      signIns.push(loginRequest(app, { ...credentials, app: appName }));
    }
    return { changed: await changed, signIns: await Promise.all(signIns) };
  }

  async function liveSessionsOf(userId: string): Promise<string[]> {
    const rows = await app.sql<{ id: string }>(
      'SELECT id FROM sessions WHERE user_id = $1 AND revoked_at IS NULL',
      [userId],
    );
    return rows.map((row) => row.id);
  }

  /** Every sign-in either failed as the contract says, or its session has been ended since. */
  async function expectNoSessionOutlivedTheChange(
    userId: string,
    signIns: JsonResponse[],
    refusals: string[],
    keep: string[] = [],
  ): Promise<void> {
    for (const response of signIns) {
      if (response.status === 200) continue;
      expect(refusals).toContain(response.body.code);
    }
    expect((await liveSessionsOf(userId)).filter((id) => !keep.includes(id))).toEqual([]);
    for (const response of signIns.filter((r) => r.status === 200)) {
      expect((await me(app, response.body.accessToken)).status).toBe(401);
    }
    // The race was really run: some sign-ins came in after the change and were refused.
    expect(signIns.filter((response) => response.status !== 200).length).toBeGreaterThan(0);
  }

  it('change-password: no sign-in with the old password creates a session that outlives it', async () => {
    const customer = await signInNew(app, 'customer');
    const { changed, signIns } = await signInsDuring(customer.credentials, 'customer', () =>
      request(`${app.url}/api/auth/change-password`, {
        method: 'POST',
        headers: bearer(customer.accessToken),
        json: { currentPassword: STRONG_PASSWORD, newPassword: NEW_PASSWORD },
      }),
    );
    expect(changed.status).toBe(204);
    await expectNoSessionOutlivedTheChange(
      customer.user.id,
      signIns,
      ['INVALID_CREDENTIALS'],
      [customer.session.id],
    );
  });

  it.each([
    ['a new password', { password: NEW_PASSWORD }, ['INVALID_CREDENTIALS']],
    ['a role change', { role: 'customer' }, ['INVALID_CREDENTIALS', 'ROLE_NOT_ALLOWED']],
    ['a deactivation', { active: false }, ['INVALID_CREDENTIALS', 'ACCOUNT_DISABLED']],
  ] as const)(
    "an admin's %s: no sign-in checked before it creates a session after it",
    async (_label, patch, refusals) => {
      const bartender = await signInNew(app, 'bartender');
      const { changed, signIns } = await signInsDuring(bartender.credentials, 'bartender', () =>
        request(`${app.url}/api/admin/users/${bartender.user.id}`, {
          method: 'PATCH',
          headers: bearer(admin.accessToken),
          json: patch,
        }),
      );
      expect(changed.status).toBe(200);
      await expectNoSessionOutlivedTheChange(bartender.user.id, signIns, [...refusals]);
    },
  );

  it('two password changes with the same current password: exactly one wins', async () => {
    const customer = await signInNew(app, 'customer');
    const passwords = ['first-new-password-of-two-aa', 'second-new-password-of-two-bb'];
    const answers = await Promise.all(
      passwords.map((newPassword) =>
        request(`${app.url}/api/auth/change-password`, {
          method: 'POST',
          headers: bearer(customer.accessToken),
          json: { currentPassword: STRONG_PASSWORD, newPassword },
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([204, 401]);
    const winner = passwords[answers.findIndex((answer) => answer.status === 204)]!;
    const loser = passwords.find((password) => password !== winner)!;
    const email = customer.credentials.email;
    expect((await loginRequest(app, { email, password: winner, app: 'customer' })).status).toBe(
      200,
    );
    expect((await loginRequest(app, { email, password: loser, app: 'customer' })).status).toBe(401);
  });

  it('a deactivation racing refreshes: no refreshed token outlives it', async () => {
    const first = await signInNew(app, 'customer');
    const others = await Promise.all(
      Array.from({ length: 8 }, () =>
        loginRequest(app, { ...first.credentials, app: 'customer' }).then((r) => r.body),
      ),
    );
    const tokens = [first.refreshToken!, ...others.map((body) => body.refreshToken as string)];
    const refreshes = tokens.map(async (token, index) => {
      await sleep(index * 3);
      return refreshWith(app, 'customer', token);
    });
    const deactivated = await request(`${app.url}/api/admin/users/${first.user.id}`, {
      method: 'PATCH',
      headers: bearer(admin.accessToken),
      json: { active: false },
    });
    expect(deactivated.status).toBe(200);
    const answers = await Promise.all(refreshes);
    for (const answer of answers) {
      if (answer.status === 200) {
        expect((await me(app, answer.body.accessToken)).status).toBe(401);
        expect((await refreshWith(app, 'customer', answer.body.refreshToken)).status).toBe(401);
      } else {
        expect(answer.body.code).toBe('SESSION_REVOKED');
      }
    }
    expect(await liveSessionsOf(first.user.id)).toEqual([]);
  });
});
