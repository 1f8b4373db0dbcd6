import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AppName } from '../../src/auth/auth-context.js';
import {
  STRONG_PASSWORD,
  bearer,
  createUser,
  loginAs,
  loginRequest,
  uniqueEmail,
} from '../support/auth.js';
import { expectErrorBody, request } from '../support/http.js';
import { expectRateLimited, from } from '../support/rate-limit.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('login rate limits', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: {
        SEED_DEMO: 'false',
        TRUST_PROXY: '1',
        RATE_LIMIT_USER_PER_MINUTE: '0',
        RATE_LIMIT_ANON_PER_MINUTE: '0',
        RATE_LIMIT_LOGIN_EMAIL_IP: '3',
        RATE_LIMIT_LOGIN_IP: '6',
        RATE_LIMIT_LOGIN_WINDOW: '3',
        RATE_LIMIT_LOGIN_ACCOUNT: '8',
        RATE_LIMIT_LOGIN_ACCOUNT_WINDOW: '1h',
        RATE_LIMIT_REGISTER_IP: '3',
        RATE_LIMIT_REGISTER_WINDOW: '10m',
      },
    });
  }, 60_000);
  afterAll(() => app.close());

  const login = (email: string, password: string, ip: string, appName: AppName = 'customer') =>
    loginRequest(app, { email, password, app: appName, headers: from(ip) });
  const auditRows = (type: string, email: string) =>
    app.sql<{ user_id: string | null; ip: string | null; details: Record<string, unknown> }>(
      `SELECT user_id, ip, details FROM audit_events WHERE type = $1 AND details->>'email' = $2
       ORDER BY seq`,
      [type, email.toLowerCase()],
    );

  it('refuses an email from one IP after 3 failures with 429 and Retry-After, even with the right password, then lets it in again', async () => {
    const user = await createUser(app, 'customer');
    const ip = '192.0.2.1';
    for (let index = 0; index < 3; index++) {
      expectErrorBody(await login(user.email, 'wrong-password-1', ip), 401, 'INVALID_CREDENTIALS');
    }
    // Another spelling of the same email is the same email.
    const limited = await login(`  ${user.email.toUpperCase()} `, user.password, ip);
    const retryAfter = expectRateLimited(limited, 3);
    // The same account from another address, and another email from this address, still work.
    expect((await login(user.email, user.password, '192.0.2.2')).status).toBe(200);
    expectErrorBody(await login(uniqueEmail(), 'wrong-password-1', ip), 401, 'INVALID_CREDENTIALS');

    const audited = await auditRows('login_rate_limited', user.email);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      ip,
      details: { scope: 'email_ip', kind: 'login', retryAfterSeconds: retryAfter },
    });
    expect((await auditRows('login_failed', user.email)).length).toBeGreaterThanOrEqual(3);

    await sleep(retryAfter * 1000 + 100);
    expect((await login(user.email, user.password, ip)).status).toBe(200);
  });

  it('never refuses a right password for sign-ins merely in flight: 24 customers on one Wi-Fi at once', async () => {
    const customers = await Promise.all(
      Array.from({ length: 24 }, () => createUser(app, 'customer')),
    );
    const ip = '198.51.100.88';
    const answers = await Promise.all(
      customers.map((customer) => login(customer.email, customer.password, ip)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(24).fill(200));
    // One account signing in on 8 devices at once (its email+IP limit is 3) is let in too.
    const regular = customers[0]!;
    const devices = await Promise.all(
      Array.from({ length: 8 }, () => login(regular.email, regular.password, '198.51.100.89')),
    );
    expect(devices.map((answer) => answer.status)).toEqual(Array(8).fill(200));
  });

  it('checks no more parallel guesses from one IP than its limit, whatever the emails (the rest get 429)', async () => {
    const ip = '198.51.100.77';
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => login(uniqueEmail('burst'), 'wrong-password-burst', ip)),
    );
    const codes = answers.map((answer) => answer.body.code as string);
    expect(codes.filter((code) => code === 'INVALID_CREDENTIALS')).toHaveLength(6);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(14);
  });

  it('never limits successful sign-ins: a bar full of customers shares one address', async () => {
    const ip = '192.0.2.10';
    const users = await Promise.all([1, 2, 3].map(() => createUser(app, 'customer')));
    for (let round = 0; round < 4; round++) {
      for (const user of users)
        expect((await login(user.email, user.password, ip)).status).toBe(200);
    }
  });

  it('refuses one IP after 6 failures across any emails', async () => {
    const ip = '192.0.2.20';
    for (let index = 0; index < 6; index++) {
      expectErrorBody(
        await login(uniqueEmail(), 'wrong-password-1', ip),
        401,
        'INVALID_CREDENTIALS',
      );
    }
    const user = await createUser(app, 'customer');
    expectRateLimited(await login(user.email, user.password, ip), 3);
    expect((await auditRows('login_rate_limited', user.email))[0]?.details).toMatchObject({
      scope: 'ip',
    });
  });

  it('refuses an account for the rest of the hour after 8 failures from any addresses', async () => {
    const user = await createUser(app, 'customer');
    for (let index = 0; index < 8; index++) {
      expectErrorBody(
        await login(user.email, 'wrong-password-1', `198.18.0.${index + 1}`),
        401,
        'INVALID_CREDENTIALS',
      );
    }
    expectRateLimited(await login(user.email, user.password, '198.18.1.1'), 3600, 3500);
    expect((await auditRows('login_rate_limited', user.email))[0]?.details).toMatchObject({
      scope: 'account',
    });
  });

  it('lets only as many parallel guesses through as the limit allows', async () => {
    const user = await createUser(app, 'customer');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => login(user.email, 'wrong-password-1', '192.0.2.30')),
    );
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
  });

  it('counts wrong current passwords of change-password as failed sign-ins of the account', async () => {
    const user = await createUser(app, 'bartender');
    const ip = '192.0.2.40';
    const signedIn = await loginAs(app, {
      email: user.email,
      password: user.password,
      app: 'bartender',
      headers: from(ip),
    });
    const change = (currentPassword: string) =>
      request(`${app.url}/api/auth/change-password`, {
        method: 'POST',
        headers: { ...bearer(signedIn.accessToken), ...from(ip) },
        json: { currentPassword, newPassword: 'another-strong-password-99' },
      });
    for (let index = 0; index < 3; index++) {
      expectErrorBody(await change('not-my-password'), 401, 'INVALID_CREDENTIALS');
    }
    expectRateLimited(await change(user.password), 3);
    expectRateLimited(await login(user.email, user.password, ip, 'bartender'), 3);
    const audited = await auditRows('login_rate_limited', user.email);
    expect(audited[0]).toMatchObject({
      user_id: user.id,
      details: { kind: 'change_password', scope: 'email_ip' },
    });
  });

  it('limits registrations per IP', async () => {
    const register = (ip: string) =>
      request(`${app.url}/api/auth/register`, {
        method: 'POST',
        headers: from(ip),
        json: { email: uniqueEmail(), name: 'New', password: STRONG_PASSWORD },
      });
    for (let index = 0; index < 3; index++) expect((await register('192.0.2.50')).status).toBe(201);
    expectRateLimited(await register('192.0.2.50'), 600, 590);
    expect((await register('192.0.2.51')).status).toBe(201);
  });
});
