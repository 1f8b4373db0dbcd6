import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AppName } from '../../src/auth/auth-context.js';
import { createUser, registerCustomer, type TestUser } from '../support/auth.js';
import { type JsonResponse, expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const HOUR_MS = 3_600_000;

function login(
  app: TestApp,
  user: TestUser,
  appName: AppName,
  remember?: boolean,
): Promise<JsonResponse> {
  return request(`${app.url}/api/auth/login`, {
    method: 'POST',
    json: {
      email: user.email,
      password: user.password,
      app: appName,
      ...(remember === undefined ? {} : { remember }),
    },
  });
}

/** The Set-Cookie line of `rt_<app>`. */
function refreshCookieLine(response: JsonResponse, appName: AppName): string {
  const line = response.headers.getSetCookie().find((c) => c.startsWith(`rt_${appName}=`));
  if (line === undefined) throw new Error(`no rt_${appName} cookie: ${response.status}`);
  return line;
}

function persistent(line: string): boolean {
  return /;\s*(expires|max-age)=/i.test(line);
}

function refreshWithCookie(app: TestApp, appName: AppName, line: string): Promise<JsonResponse> {
  return request(`${app.url}/api/auth/refresh`, {
    method: 'POST',
    headers: { cookie: line.split(';')[0]! },
    json: { app: appName },
  });
}

function hoursUntil(iso: string): number {
  return (new Date(iso).getTime() - Date.now()) / HOUR_MS;
}

describe('remember me: the customer app’s "Keep me signed in"', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase();
  }, 60_000);
  afterAll(() => app.close());

  it('gives a browser-session cookie (no Expires, no Max-Age) and a 12 h session when unticked', async () => {
    const customer = await registerCustomer(app);
    const response = await login(app, customer, 'customer', false);
    expect(response.status).toBe(200);
    const line = refreshCookieLine(response, 'customer');
    expect(persistent(line)).toBe(false);
    expect(line).toMatch(/HttpOnly/i);
    expect(line).toMatch(/SameSite=Strict/i);
    expect(hoursUntil(response.body.session.expiresAt)).toBeGreaterThan(11.9);
    expect(hoursUntil(response.body.session.expiresAt)).toBeLessThanOrEqual(12);
  });

  it('keeps a dated cookie and the 90-day lifetime when ticked, and by default', async () => {
    const customer = await registerCustomer(app);
    for (const remember of [true, undefined]) {
      const response = await login(app, customer, 'customer', remember);
      expect(response.status).toBe(200);
      expect(persistent(refreshCookieLine(response, 'customer'))).toBe(true);
      expect(hoursUntil(response.body.session.expiresAt)).toBeGreaterThan(89 * 24);
    }
  });

  it('keeps issuing a browser-session cookie on every refresh of an unremembered session', async () => {
    const customer = await registerCustomer(app);
    const response = await login(app, customer, 'customer', false);
    let line = refreshCookieLine(response, 'customer');
    for (let i = 0; i < 2; i += 1) {
      const refreshed = await refreshWithCookie(app, 'customer', line);
      expect(refreshed.status).toBe(200);
      line = refreshCookieLine(refreshed, 'customer');
      expect(persistent(line)).toBe(false);
      expect(refreshed.body.session.expiresAt).toBe(response.body.session.expiresAt);
    }
    // A remembered session's refresh stays dated.
    const remembered = await login(app, customer, 'customer', true);
    const again = await refreshWithCookie(
      app,
      'customer',
      refreshCookieLine(remembered, 'customer'),
    );
    expect(persistent(refreshCookieLine(again, 'customer'))).toBe(true);
  });

  it('only shortens the lifetime with the body transport', async () => {
    const customer = await registerCustomer(app);
    const response = await request(`${app.url}/api/auth/login`, {
      method: 'POST',
      json: {
        email: customer.email,
        password: customer.password,
        app: 'customer',
        remember: false,
        refreshTransport: 'body',
      },
    });
    expect(response.status).toBe(200);
    expect(typeof response.body.refreshToken).toBe('string');
    expect(response.headers.getSetCookie()).toEqual([]);
    expect(hoursUntil(response.body.session.expiresAt)).toBeLessThanOrEqual(12);
  });

  it('is ignored by the staff apps', async () => {
    const admin = await createUser(app, 'admin');
    const bartender = await createUser(app, 'bartender');
    for (const [user, appName, hours] of [
      [admin, 'admin', 12],
      [bartender, 'bartender', 24],
      [admin, 'bartender', 12],
    ] as const) {
      const response = await login(app, user, appName, false);
      expect(response.status).toBe(200);
      expect(persistent(refreshCookieLine(response, appName))).toBe(true);
      expect(hoursUntil(response.body.session.expiresAt)).toBeGreaterThan(hours - 0.1);
      const refreshed = await refreshWithCookie(app, appName, refreshCookieLine(response, appName));
      expect(persistent(refreshCookieLine(refreshed, appName))).toBe(true);
    }
  });

  it('rejects a remember that is not a boolean', async () => {
    const customer = await registerCustomer(app);
    const response = await request(`${app.url}/api/auth/login`, {
      method: 'POST',
      json: { email: customer.email, password: customer.password, app: 'customer', remember: 'no' },
    });
    const body = expectErrorBody(response, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(body.details)).toContain('remember');
  });
});

describe('remember me: a short SESSION_ABSOLUTE_CUSTOMER_SHORT', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({ env: { SESSION_ABSOLUTE_CUSTOMER_SHORT: '2' } });
  }, 60_000);
  afterAll(() => app.close());

  it('stops refreshing an unremembered session after the short lifetime, not a remembered one', async () => {
    const customer = await registerCustomer(app);
    const short = await login(app, customer, 'customer', false);
    const long = await login(app, customer, 'customer', true);
    expect(hoursUntil(short.body.session.expiresAt) * 3600).toBeLessThanOrEqual(2);
    await sleep(2_500);
    expectErrorBody(
      await refreshWithCookie(app, 'customer', refreshCookieLine(short, 'customer')),
      401,
      'REFRESH_INVALID',
    );
    expect(
      (await refreshWithCookie(app, 'customer', refreshCookieLine(long, 'customer'))).status,
    ).toBe(200);
  });
});
