import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { AppName } from '../../src/auth/auth-context.js';
import {
  STRONG_PASSWORD,
  bearer,
  createUser,
  loginAs,
  me,
  registerCustomer,
  refreshWith,
} from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { expectRateLimited, from } from '../support/rate-limit.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';
import { postgresUrl } from '../support/test-database.js';
import { loadConfig } from '../../src/config/app-config.js';
import { SecretBox } from '../../src/two-factor/secret-box.js';
import { type TwoFactorUser, codeAt, enableTwoFactor, post } from '../support/two-factor.js';

let ipCounter = 0;
/** A fresh client address per test: the login limits count per address. */
const nextIp = (): string => `198.51.100.${String(++ipCounter)}`;

describe('two-factor sign-in (TOTP)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: {
        SEED_DEMO: 'false',
        TRUST_PROXY: '1',
        RATE_LIMIT_USER_PER_MINUTE: '0',
        RATE_LIMIT_ANON_PER_MINUTE: '0',
        RATE_LIMIT_LOGIN_EMAIL_IP: '6',
        RATE_LIMIT_LOGIN_IP: '40',
        RATE_LIMIT_LOGIN_WINDOW: '10m',
      },
    });
  }, 60_000);
  afterAll(() => app.close());

  /** The password step, expected to answer TOTP_REQUIRED; returns the challenge. */
  async function challengeFor(
    user: TwoFactorUser,
    ip: string,
    appName: AppName = 'customer',
    refreshTransport: 'body' | 'cookie' = 'body',
  ): Promise<string> {
    const response = await post(
      app,
      '/auth/login',
      { email: user.email, password: user.password, app: appName, refreshTransport },
      from(ip),
    );
    const body = expectErrorBody(response, 401, 'TOTP_REQUIRED');
    const details = body.details as { challenge: string; expiresAt: string };
    expect(details.challenge).toMatch(/^[\w-]{43}$/);
    const minutes = (new Date(details.expiresAt).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(4.5);
    expect(minutes).toBeLessThanOrEqual(5.01);
    return details.challenge;
  }

  const secondStep = (ip: string, json: Record<string, unknown>) =>
    post(app, '/auth/login/2fa', json, from(ip));

  async function customerWithTwoFactor(ip: string): Promise<TwoFactorUser> {
    return enableTwoFactor(app, await registerCustomer(app), 'customer', from(ip));
  }

  it('sets up with a QR code and a manual key, turns on with a code, then asks for a code after the password', async () => {
    const ip = nextIp();
    const customer = await registerCustomer(app);
    const signedIn = await loginAs(app, { ...customer, app: 'customer' });
    const setup = await post(
      app,
      '/auth/2fa/setup',
      { password: customer.password },
      bearer(signedIn.accessToken),
    );
    expect(setup.status).toBe(200);
    const { secret, otpauthUri, qrSvg } = setup.body as {
      secret: string;
      otpauthUri: string;
      qrSvg: string;
    };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(
      `otpauth://totp/Taproom:${encodeURIComponent(customer.email)}?secret=${secret}&issuer=Taproom`,
    );
    expect(qrSvg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(qrSvg).not.toMatch(/<script|on\w+=/i);
    // Encrypted at rest: the key is nowhere in the row.
    const [row] = await app.sql<{ pending: string; secret: string | null }>(
      `SELECT encode(pending_secret, 'escape') AS pending, secret FROM two_factor_secrets WHERE user_id = $1`,
      [customer.id],
    );
    expect(row?.pending).toBeDefined();
    expect(row?.pending).not.toContain(secret);
    expect(row?.secret).toBeNull();

    // Not on until confirmed: a wrong code changes nothing.
    const wrong = await post(
      app,
      '/auth/2fa/enable',
      { code: codeAt(secret, 3) },
      bearer(signedIn.accessToken),
    );
    expect(expectErrorBody(wrong, 400, 'VALIDATION_FAILED').details).toEqual([
      { field: 'code', errors: [expect.stringMatching(/does not match/)] },
    ]);
    expect((await me(app, signedIn.accessToken)).body.user.twoFactorEnabled).toBe(false);

    const enable = await post(
      app,
      '/auth/2fa/enable',
      { code: codeAt(secret, -1) },
      bearer(signedIn.accessToken),
    );
    expect(enable.status).toBe(200);
    const codes = enable.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect((await me(app, signedIn.accessToken)).body.user.twoFactorEnabled).toBe(true);
    const stored = await app.sql<{ hash: string }>(
      `SELECT encode(code_hash, 'hex') AS hash FROM two_factor_recovery_codes WHERE user_id = $1`,
      [customer.id],
    );
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(codes[0]!.replace(/-/g, ''));
    expect(
      await app.sql(
        `SELECT 1 FROM audit_events WHERE type = 'two_factor_enabled' AND user_id = $1`,
        [customer.id],
      ),
    ).toHaveLength(1);

    const user: TwoFactorUser = { ...customer, secret, recoveryCodes: codes, accessToken: '' };
    const challenge = await challengeFor(user, ip);
    const done = await secondStep(ip, { challenge, code: codeAt(secret, 0) });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      tokenType: 'Bearer',
      refreshToken: expect.any(String),
      user: { id: customer.id, twoFactorEnabled: true },
      session: { app: 'customer' },
      twoFactorSetupOnly: false,
    });
    expect((await me(app, done.body.accessToken as string)).status).toBe(200);
    // The challenge is used up.
    expectErrorBody(
      await secondStep(ip, { challenge, code: codeAt(secret, 1) }),
      401,
      'INVALID_CREDENTIALS',
    );
  });

  it('carries the cookie transport of the password step over to the code step', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const challenge = await challengeFor(user, ip, 'customer', 'cookie');
    const done = await secondStep(ip, { challenge, code: codeAt(user.secret, 0) });
    expect(done.status).toBe(200);
    expect(done.body.refreshToken).toBeUndefined();
    expect(done.headers.getSetCookie().some((line) => line.startsWith('rt_customer='))).toBe(true);
  });

  it('refuses a replayed code, also with a new challenge', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const code = codeAt(user.secret, 0);
    expect((await secondStep(ip, { challenge: await challengeFor(user, ip), code })).status).toBe(
      200,
    );
    const replay = await secondStep(ip, { challenge: await challengeFor(user, ip), code });
    expect(expectErrorBody(replay, 401, 'TOTP_INVALID').details).toEqual({ attemptsLeft: 4 });
    const failed = await app.sql<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE type = 'login_failed' AND user_id = $1`,
      [user.id],
    );
    expect(failed.map((row) => row.details)).toEqual([
      expect.objectContaining({ reason: 'totp', kind: 'code', app: 'customer' }),
    ]);
  });

  it('takes a recovery code once, in any case and spacing', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const recovery = user.recoveryCodes[3]!;
    const typed = ` ${recovery.toUpperCase().replace(/-/g, ' ')} `;
    const first = await secondStep(ip, {
      challenge: await challengeFor(user, ip),
      recoveryCode: typed,
    });
    expect(first.status).toBe(200);
    const again = await secondStep(ip, {
      challenge: await challengeFor(user, ip),
      recoveryCode: recovery,
    });
    expectErrorBody(again, 401, 'TOTP_INVALID');
    const [used] = await app.sql<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE type = 'two_factor_recovery_code_used' AND user_id = $1`,
      [user.id],
    );
    expect(used?.details).toMatchObject({ app: 'customer', remaining: 9 });
    // Another recovery code still works.
    const other = await secondStep(ip, {
      challenge: await challengeFor(user, ip),
      recoveryCode: user.recoveryCodes[4]!,
    });
    expect(other.status).toBe(200);
  });

  it('wants exactly one of code and recoveryCode', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const challenge = await challengeFor(user, ip);
    expectErrorBody(await secondStep(ip, { challenge }), 400, 'VALIDATION_FAILED');
    expectErrorBody(
      await secondStep(ip, {
        challenge,
        code: codeAt(user.secret, 0),
        recoveryCode: user.recoveryCodes[0],
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('binds the challenge to the address and the app of the password step', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const challenge = await challengeFor(user, ip);
    const code = codeAt(user.secret, 0);
    expectErrorBody(await secondStep(nextIp(), { challenge, code }), 401, 'INVALID_CREDENTIALS');
    expectErrorBody(
      await secondStep(ip, { challenge, code, app: 'admin' }),
      401,
      'INVALID_CREDENTIALS',
    );
    expectErrorBody(
      await secondStep(ip, { challenge, code, app: 'bartender' }),
      401,
      'INVALID_CREDENTIALS',
    );
    // Neither try used the challenge or the code up.
    const done = await secondStep(ip, { challenge, code, app: 'customer' });
    expect(done.status).toBe(200);
    expect(done.body.session.app).toBe('customer');
  });

  it('refuses an expired challenge (5 minutes)', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const challenge = await challengeFor(user, ip);
    // Five minutes pass: the row's end is moved into the past rather than waiting for it (the
    // server compares it with the database's clock).
    await app.sql(
      `UPDATE two_factor_challenges SET expires_at = now() - interval '1 second' WHERE user_id = $1`,
      [user.id],
    );
    expectErrorBody(
      await secondStep(ip, { challenge, code: codeAt(user.secret, 0) }),
      401,
      'INVALID_CREDENTIALS',
    );
  });

  it('lets a challenge take 5 codes, then it is dead even for the right one', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const challenge = await challengeFor(user, ip);
    const wrong = codeAt(user.secret, 5);
    for (let left = 4; left >= 0; left--) {
      const answer = await secondStep(ip, { challenge, code: wrong });
      expect(expectErrorBody(answer, 401, 'TOTP_INVALID').details).toEqual({ attemptsLeft: left });
    }
    expectErrorBody(
      await secondStep(ip, { challenge, code: codeAt(user.secret, 0) }),
      401,
      'INVALID_CREDENTIALS',
    );
  });

  it('counts wrong codes as failed sign-ins: brute force runs into the login limits (429)', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    // Six failures per email and address (RATE_LIMIT_LOGIN_EMAIL_IP), over several challenges.
    let failures = 0;
    while (failures < 6) {
      const challenge = await challengeFor(user, ip);
      for (let index = 0; index < 3 && failures < 6; index++, failures++) {
        expectErrorBody(
          await secondStep(ip, { challenge, code: codeAt(user.secret, 7) }),
          401,
          'TOTP_INVALID',
        );
      }
    }
    // The next try is refused before anything is checked, even with the right password.
    expectRateLimited(
      await post(
        app,
        '/auth/login',
        { email: user.email, password: user.password, app: 'customer' },
        from(ip),
      ),
      600,
      500,
    );
  });

  it('checks no more parallel guesses on one challenge than the limits allow', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const challenge = await challengeFor(user, ip);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        secondStep(ip, { challenge, code: String(100000 + index) }),
      ),
    );
    const codes = answers.map((answer) => answer.body.code as string);
    // At most 5 checked (the challenge's cap, counted before each check); the rest refused.
    expect(codes.filter((code) => code === 'TOTP_INVALID').length).toBeLessThanOrEqual(5);
    expect(codes.filter((code) => code === 'TOTP_INVALID').length).toBeGreaterThan(0);
    expect(
      codes.every((code) => ['TOTP_INVALID', 'INVALID_CREDENTIALS', 'RATE_LIMITED'].includes(code)),
    ).toBe(true);
    const [attempts] = await app.sql<{ attempts: number }>(
      `SELECT attempts FROM two_factor_challenges WHERE user_id = $1`,
      [user.id],
    );
    expect(attempts?.attempts).toBeLessThanOrEqual(5);
  });

  it('lets exactly one of two concurrent sign-ins with the same code through', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const [first, second] = [await challengeFor(user, ip), await challengeFor(user, ip)];
    const code = codeAt(user.secret, 0);
    const answers = await Promise.all([
      secondStep(ip, { challenge: first, code }),
      secondStep(ip, { challenge: second, code }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    expect(answers.find((answer) => answer.status === 401)?.body.code).toBe('TOTP_INVALID');
  });

  it('refuses the code step after a password change since the password step', async () => {
    const ip = nextIp();
    const admin = await createUser(app, 'admin');
    const adminToken = (await loginAs(app, { ...admin, app: 'admin' })).accessToken;
    const user = await customerWithTwoFactor(ip);
    const challenge = await challengeFor(user, ip);
    const changed = await request(`${app.url}/api/admin/users/${user.id}`, {
      method: 'PATCH',
      headers: bearer(adminToken),
      json: { password: `${STRONG_PASSWORD}-new` },
    });
    expect(changed.status).toBe(200);
    expectErrorBody(
      await secondStep(ip, { challenge, code: codeAt(user.secret, 0) }),
      401,
      'INVALID_CREDENTIALS',
    );
  });

  it('turns off only with the password and a code', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const auth = { ...bearer(user.accessToken), ...from(ip) };
    expectErrorBody(
      await post(
        app,
        '/auth/2fa/disable',
        { password: 'wrong-password-1', code: codeAt(user.secret, 0) },
        auth,
      ),
      401,
      'INVALID_CREDENTIALS',
    );
    expectErrorBody(
      await post(
        app,
        '/auth/2fa/disable',
        { password: user.password, code: codeAt(user.secret, 5) },
        auth,
      ),
      401,
      'TOTP_INVALID',
    );
    const failed = await app.sql<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE type = 'login_failed' AND user_id = $1 ORDER BY seq`,
      [user.id],
    );
    expect(failed.map((row) => row.details.wrong)).toEqual(['password', 'code']);
    const off = await post(
      app,
      '/auth/2fa/disable',
      { password: user.password, code: codeAt(user.secret, 0) },
      auth,
    );
    expect(off.status).toBe(204);
    expect((await me(app, user.accessToken)).body.user.twoFactorEnabled).toBe(false);
    expect(
      await app.sql(`SELECT 1 FROM two_factor_secrets WHERE user_id = $1`, [user.id]),
    ).toHaveLength(0);
    // The password alone signs in again.
    expect((await loginAs(app, { ...user, app: 'customer', headers: from(ip) })).user.id).toBe(
      user.id,
    );
  });

  it('lets an admin reset a user’s two-factor sign-in, which ends their sessions', async () => {
    const ip = nextIp();
    const admin = await createUser(app, 'admin');
    const adminToken = (await loginAs(app, { ...admin, app: 'admin' })).accessToken;
    const bartender = await enableTwoFactor(
      app,
      await createUser(app, 'bartender'),
      'bartender',
      from(ip),
    );
    const view = await request(`${app.url}/api/admin/users/${bartender.id}`, {
      headers: bearer(adminToken),
    });
    expect(view.body.twoFactorEnabled).toBe(true);
    // Not for a bartender's session, nor an admin's of another app.
    const own = await post(
      app,
      `/admin/users/${bartender.id}/2fa/reset`,
      {},
      bearer(bartender.accessToken),
    );
    expectErrorBody(own, 403, 'FORBIDDEN');

    const reset = await post(app, `/admin/users/${bartender.id}/2fa/reset`, {}, bearer(adminToken));
    expect(reset.status).toBe(204);
    expectErrorBody(await me(app, bartender.accessToken), 401, 'SESSION_REVOKED');
    const after = await request(`${app.url}/api/admin/users/${bartender.id}`, {
      headers: bearer(adminToken),
    });
    expect(after.body.twoFactorEnabled).toBe(false);
    const [audited] = await app.sql<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE type = 'two_factor_reset' AND user_id = $1`,
      [bartender.id],
    );
    expect(audited?.details).toMatchObject({ actorId: admin.id, wasEnabled: true });
    const signedIn = await loginAs(app, { ...bartender, app: 'bartender', headers: from(ip) });
    expect(signedIn.user.id).toBe(bartender.id);
    expectErrorBody(
      await post(
        app,
        `/admin/users/00000000-0000-4000-8000-000000000000/2fa/reset`,
        {},
        bearer(adminToken),
      ),
      404,
      'NOT_FOUND',
    );
  });

  it('does not let an admin reset their own two-factor sign-in (that takes password and code)', async () => {
    const ip = nextIp();
    const admin = await enableTwoFactor(app, await createUser(app, 'admin'), 'admin', from(ip));
    const refused = await post(
      app,
      `/admin/users/${admin.id}/2fa/reset`,
      {},
      bearer(admin.accessToken),
    );
    const body = expectErrorBody(refused, 403, 'FORBIDDEN');
    expect(body.details).toEqual({ reason: 'own_account' });
    expect(body.message).toMatch(/own two-factor.*password and a code.*another admin/);
    // Nothing changed: still on, the session still alive, nothing audited as a reset.
    const after = await me(app, admin.accessToken);
    expect(after.status).toBe(200);
    expect(after.body.user.twoFactorEnabled).toBe(true);
    expect(
      await app.sql(`SELECT 1 FROM audit_events WHERE type = 'two_factor_reset' AND user_id = $1`, [
        admin.id,
      ]),
    ).toHaveLength(0);
  });

  it('asks for the password at setup; a wrong one is a failed sign-in', async () => {
    const ip = nextIp();
    const customer = await registerCustomer(app);
    const signedIn = await loginAs(app, { ...customer, app: 'customer', headers: from(ip) });
    const auth = { ...bearer(signedIn.accessToken), ...from(ip) };
    expectErrorBody(await post(app, '/auth/2fa/setup', {}, auth), 400, 'VALIDATION_FAILED');
    const wrong = await post(app, '/auth/2fa/setup', { password: 'not-the-password-1' }, auth);
    expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
    expect(wrong.body).not.toHaveProperty('secret');
    expect(
      await app.sql(`SELECT 1 FROM two_factor_secrets WHERE user_id = $1`, [customer.id]),
    ).toHaveLength(0);
    const [audited] = await app.sql<{ details: Record<string, unknown> }>(
      `SELECT details FROM audit_events WHERE type = 'login_failed' AND user_id = $1`,
      [customer.id],
    );
    expect(audited?.details).toMatchObject({ reason: 'two_factor_setup' });
    // Counted on the sign-in limits (6 per email and address here): one more wrong, and then
    // even the right password waits.
    for (let i = 0; i < 5; i++) {
      expectErrorBody(
        await post(app, '/auth/2fa/setup', { password: `wrong-password-${String(i)}` }, auth),
        401,
        'INVALID_CREDENTIALS',
      );
    }
    expectRateLimited(
      await post(app, '/auth/2fa/setup', { password: customer.password }, auth),
      600,
    );
  });

  it('ends every other session of the user when two-factor sign-in is turned on', async () => {
    const ip = nextIp();
    const customer = await registerCustomer(app);
    const here = await loginAs(app, { ...customer, app: 'customer', headers: from(ip) });
    const elsewhere = await loginAs(app, { ...customer, app: 'customer', headers: from(ip) });
    const auth = bearer(here.accessToken);
    const setup = await post(app, '/auth/2fa/setup', { password: customer.password }, auth);
    expect(setup.status).toBe(200);
    // Setting up alone ends nothing.
    expect((await me(app, elsewhere.accessToken)).status).toBe(200);
    const enable = await post(
      app,
      '/auth/2fa/enable',
      { code: codeAt(setup.body.secret as string, 0) },
      auth,
    );
    expect(enable.status).toBe(200);
    expectErrorBody(await me(app, elsewhere.accessToken), 401, 'SESSION_REVOKED');
    expect((await refreshWith(app, 'customer', elsewhere.refreshToken!)).status).toBe(401);
    expect((await me(app, here.accessToken)).status).toBe(200);
    const sessions = await app.sql<{ id: string; revoked_reason: string | null }>(
      `SELECT id, revoked_reason FROM sessions WHERE user_id = $1`,
      [customer.id],
    );
    expect(sessions).toEqual(
      expect.arrayContaining([
        { id: here.session.id, revoked_reason: null },
        { id: elsewhere.session.id, revoked_reason: 'logout_all' },
      ]),
    );
    const revoked = await app.sql(
      `SELECT 1 FROM audit_events WHERE type = 'session_revoked' AND user_id = $1`,
      [customer.id],
    );
    expect(revoked).toHaveLength(1);
  });

  it('enables exactly the key its code was checked against, even when a setup races it', async () => {
    const ip = nextIp();
    const customer = await registerCustomer(app);
    const signedIn = await loginAs(app, { ...customer, app: 'customer', headers: from(ip) });
    const auth = { ...bearer(signedIn.accessToken), ...from(ip) };
    const setupAgain = () => post(app, '/auth/2fa/setup', { password: customer.password }, auth);
    const first = (await setupAgain()).body.secret as string;
    let second: string;
    let enable;
    if (postgresUrl) {
      // Deliberate interleaving: hold the row lock, let a second setup queue on it, then the
      // enable with a code of the first key; release. The setup lands between enable's read of
      // the pending key and its update.
      const holder = app.app.get(DataSource).createQueryRunner();
      await holder.connect();
      try {
        await holder.startTransaction();
        const [{ pid }] = (await holder.query(`SELECT pg_backend_pid() AS pid`)) as [
          { pid: number },
        ];
        await holder.query(`SELECT 1 FROM two_factor_secrets WHERE user_id = $1 FOR UPDATE`, [
          customer.id,
        ]);
        const waiting = async (count: number): Promise<void> => {
          for (let i = 0; i < 200; i++) {
            // Waiting on the holder, or on one of those (a queue of row locks).
            const [row] = await app.sql<{ n: number }>(
              `WITH first AS (
                 SELECT pid FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)))
               SELECT count(*)::int AS n FROM pg_stat_activity
                WHERE pg_blocking_pids(pid) && (ARRAY[$1::int] || ARRAY(SELECT pid FROM first))`,
              [pid],
            );
            if ((row?.n ?? 0) >= count) return;
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
          throw new Error(`fewer than ${String(count)} queries waited on the lock`);
        };
        const setupRequest = setupAgain();
        await waiting(1);
        const enableRequest = post(app, '/auth/2fa/enable', { code: codeAt(first, 0) }, auth);
        await waiting(2);
        await holder.commitTransaction();
        const setupAnswer = await setupRequest;
        expect(setupAnswer.status).toBe(200);
        second = setupAnswer.body.secret as string;
        enable = await enableRequest;
      } finally {
        if (holder.isTransactionActive) await holder.rollbackTransaction();
        await holder.release();
      }
    } else {
      // One connection (PGlite): requests cannot interleave inside a transaction; the setup
      // simply comes first.
      second = (await setupAgain()).body.secret as string;
      enable = await post(app, '/auth/2fa/enable', { code: codeAt(first, 0) }, auth);
    }
    // The first key's code does not turn on the second key.
    expect(expectErrorBody(enable, 400, 'VALIDATION_FAILED').details).toEqual([
      { field: 'code', errors: [expect.any(String)] },
    ]);
    expect((await me(app, signedIn.accessToken)).body.user.twoFactorEnabled).toBe(false);
    // The key now waiting is the second one, and it turns on with its own code.
    const enabled = await post(app, '/auth/2fa/enable', { code: codeAt(second, 0) }, auth);
    expect(enabled.status).toBe(200);
    const user: TwoFactorUser = {
      ...customer,
      secret: second,
      recoveryCodes: enabled.body.recoveryCodes as string[],
      accessToken: signedIn.accessToken,
    };
    const challenge = await challengeFor(user, ip);
    expect((await secondStep(ip, { challenge, code: codeAt(second, 1) })).status).toBe(200);
  });

  it('refuses the right code like a wrong one when the stored key no longer opens (key rotated)', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    // The same key, sealed as a server with another REFRESH_TOKEN_KEY would have it.
    const rotated = new SecretBox(
      loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: '/tmp',
        JWT_SECRET: 'test-jwt-secret-0123456789abcdef0123456789',
        REFRESH_TOKEN_KEY: 'another-refresh-key-0123456789abcdef0123',
      }),
    );
    await app.sql(`UPDATE two_factor_secrets SET secret = $2 WHERE user_id = $1`, [
      user.id,
      rotated.seal(user.secret, user.id),
    ]);
    const challenge = await challengeFor(user, ip);
    const answer = await secondStep(ip, { challenge, code: codeAt(user.secret, 0) });
    expectErrorBody(answer, 401, 'TOTP_INVALID');
    // A recovery code (hashed, not encrypted) still signs in.
    const again = await secondStep(ip, { challenge, recoveryCode: user.recoveryCodes[0] });
    expect(again.status).toBe(200);
  });

  it('keeps guests out of two-factor setup', async () => {
    const tables = await createUser(app, 'admin');
    const adminToken = (await loginAs(app, { ...tables, app: 'admin' })).accessToken;
    const table = await post(app, '/admin/tables', { number: 31 }, bearer(adminToken));
    const token = new URL(table.body.qrUrl as string).pathname.split('/').pop();
    const guest = await post(app, '/auth/guest', { tableToken: token, refreshTransport: 'body' });
    expect(guest.status).toBe(200);
    expectErrorBody(
      await post(
        app,
        '/auth/2fa/setup',
        { password: 'whatever-it-is' },
        bearer(guest.body.accessToken as string),
      ),
      403,
      'FORBIDDEN',
    );
  });

  it('refreshes into tokens that keep working after 2FA is on (refresh is unchanged)', async () => {
    const ip = nextIp();
    const user = await customerWithTwoFactor(ip);
    const challenge = await challengeFor(user, ip);
    const done = await secondStep(ip, { challenge, code: codeAt(user.secret, 0) });
    const refreshed = await refreshWith(app, 'customer', done.body.refreshToken as string);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.twoFactorEnabled).toBe(true);
  });
});

describe('TWO_FACTOR_ADMIN=required', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { SEED_DEMO: 'false', TWO_FACTOR_ADMIN: 'required' },
    });
  }, 60_000);
  afterAll(() => app.close());

  it('signs an admin without 2FA in to a setup-only session until they turn it on', async () => {
    const admin = await createUser(app, 'admin');
    const signedIn = await loginAs(app, { ...admin, app: 'admin' });
    expect(signedIn.response.body.twoFactorSetupOnly).toBe(true);
    const auth = bearer(signedIn.accessToken);

    const users = await request(`${app.url}/api/admin/users`, { headers: auth });
    expect(expectErrorBody(users, 403, 'FORBIDDEN').details).toEqual({
      reason: 'two_factor_setup_required',
    });
    expectErrorBody(
      await request(`${app.url}/api/auth/sign-ins`, { headers: auth }),
      403,
      'FORBIDDEN',
    );
    const meAnswer = await me(app, signedIn.accessToken);
    expect(meAnswer.status).toBe(200);
    expect(meAnswer.body.twoFactorSetupOnly).toBe(true);

    const setup = await post(app, '/auth/2fa/setup', { password: admin.password }, auth);
    expect(setup.status).toBe(200);
    const enable = await post(
      app,
      '/auth/2fa/enable',
      { code: codeAt(setup.body.secret, 0) },
      auth,
    );
    expect(enable.status).toBe(200);

    // The refresh decides again from the account: a full session now.
    const refreshed = await refreshWith(app, 'admin', signedIn.refreshToken!);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.twoFactorSetupOnly).toBe(false);
    const full = bearer(refreshed.body.accessToken as string);
    expect((await request(`${app.url}/api/admin/users`, { headers: full })).status).toBe(200);
    expect((await me(app, refreshed.body.accessToken as string)).body.twoFactorSetupOnly).toBe(
      false,
    );

    // An admin may not turn it off while it is required.
    expectErrorBody(
      await post(
        app,
        '/auth/2fa/disable',
        { password: admin.password, code: codeAt(setup.body.secret, 1) },
        full,
      ),
      403,
      'FORBIDDEN',
    );
  });

  it('leaves other roles alone', async () => {
    const bartender = await loginAs(app, {
      ...(await createUser(app, 'bartender')),
      app: 'bartender',
    });
    expect(bartender.response.body.twoFactorSetupOnly).toBe(false);
    expect(
      (await request(`${app.url}/api/orders`, { headers: bearer(bartender.accessToken) })).status,
    ).toBe(200);
  });

  it('holds for an admin in the bartender app too: setup only until 2FA is on', async () => {
    const admin = await createUser(app, 'admin');
    const atTheBar = await loginAs(app, { ...admin, app: 'bartender' });
    expect(atTheBar.response.body.twoFactorSetupOnly).toBe(true);
    const auth = bearer(atTheBar.accessToken);
    for (const path of ['/api/orders', '/api/sessions', '/api/auth/sign-ins']) {
      const refused = await request(`${app.url}${path}`, { headers: auth });
      expect(expectErrorBody(refused, 403, 'FORBIDDEN').details).toEqual({
        reason: 'two_factor_setup_required',
      });
    }
    expectErrorBody(
      await post(
        app,
        '/auth/change-password',
        { currentPassword: admin.password, newPassword: 'another-strong-pass-2026' },
        auth,
      ),
      403,
      'FORBIDDEN',
    );
    expect((await me(app, atTheBar.accessToken)).body.twoFactorSetupOnly).toBe(true);
    // Still setup-only after a refresh.
    const before = await refreshWith(app, 'bartender', atTheBar.refreshToken!);
    expect(before.body.twoFactorSetupOnly).toBe(true);

    const setup = await post(app, '/auth/2fa/setup', { password: admin.password }, auth);
    expect(setup.status).toBe(200);
    const enable = await post(
      app,
      '/auth/2fa/enable',
      { code: codeAt(setup.body.secret as string, 0) },
      auth,
    );
    expect(enable.status).toBe(200);
    const refreshed = await refreshWith(app, 'bartender', before.body.refreshToken as string);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.twoFactorSetupOnly).toBe(false);
    const full = bearer(refreshed.body.accessToken as string);
    expect((await request(`${app.url}/api/orders`, { headers: full })).status).toBe(200);
  });
});
