import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  bearer,
  createUser,
  loginAs,
  loginRequest,
  registerCustomer,
  signInNew,
} from '../support/auth.js';
import { type JsonResponse, expectErrorBody, request } from '../support/http.js';
import { type TestApp, startAppOnNewDatabase } from '../support/test-app.js';

const FIREFOX_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

interface SignIn {
  at: string;
  device: string;
  ip: string | null;
  succeeded: boolean;
}

function signIns(app: TestApp, token: string): Promise<JsonResponse<SignIn[]>> {
  return request(`${app.url}/api/auth/sign-ins`, { headers: bearer(token) });
}

describe('GET /api/auth/sign-ins', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startAppOnNewDatabase({
      env: { TRUST_PROXY: '1', RATE_LIMIT_LOGIN_EMAIL_IP: '1000', RATE_LIMIT_LOGIN_IP: '1000' },
    });
  }, 60_000);
  afterAll(() => app.close());

  it('lists the caller’s own successful and failed sign-ins with device and address, newest first', async () => {
    const customer = await registerCustomer(app);
    const other = await registerCustomer(app);
    await loginAs(app, {
      ...customer,
      app: 'customer',
      userAgent: FIREFOX_WINDOWS,
      headers: { 'x-forwarded-for': '198.51.100.4' },
    });
    const wrong = await loginRequest(app, {
      email: customer.email,
      password: 'not-the-password-at-all',
      app: 'customer',
      userAgent: CHROME_ANDROID,
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    // The answer to a wrong password reveals nothing more than before.
    expectErrorBody(wrong, 401, 'INVALID_CREDENTIALS');
    await loginAs(app, { ...other, app: 'customer', userAgent: CHROME_ANDROID });
    const latest = await loginAs(app, { ...customer, app: 'customer', userAgent: CHROME_ANDROID });

    const response = await signIns(app, latest.accessToken);
    expect(response.status).toBe(200);
    expect(response.body.map(({ device, ip, succeeded }) => ({ device, ip, succeeded }))).toEqual([
      { device: 'Chrome on Android', ip: expect.any(String), succeeded: true },
      { device: 'Chrome on Android', ip: '203.0.113.9', succeeded: false },
      { device: 'Firefox on Windows', ip: '198.51.100.4', succeeded: true },
    ]);
    const times = response.body.map((entry) => new Date(entry.at).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(Object.keys(response.body[0]!).sort()).toEqual(['at', 'device', 'ip', 'succeeded']);
  });

  it('shows at most the 50 newest', async () => {
    const customer = await registerCustomer(app);
    for (let i = 0; i < 27; i += 1) {
      await loginRequest(app, {
        email: customer.email,
        password: `wrong-password-${String(i)}`,
        app: 'customer',
      });
    }
    for (let i = 0; i < 26; i += 1) await loginAs(app, { ...customer, app: 'customer' });
    const latest = await loginAs(app, { ...customer, app: 'customer' });
    const response = await signIns(app, latest.accessToken);
    expect(response.status).toBe(200);
    expect(response.body).toHaveLength(50);
    expect(response.body.filter((entry) => entry.succeeded)).toHaveLength(27);
    expect(response.body.filter((entry) => !entry.succeeded)).toHaveLength(23);
    expect(response.body[0]!.succeeded).toBe(true);
  });

  it('counts a wrong current password on change-password as a failed sign-in', async () => {
    const signed = await signInNew(app, 'customer');
    const change = await request(`${app.url}/api/auth/change-password`, {
      method: 'POST',
      headers: bearer(signed.accessToken),
      json: { currentPassword: 'not-my-password-1', newPassword: 'another-strong-pass-77' },
    });
    expectErrorBody(change, 401, 'INVALID_CREDENTIALS');
    const response = await signIns(app, signed.accessToken);
    expect(response.body.map((entry) => entry.succeeded)).toEqual([false, true]);
  });

  it('works for staff in their apps', async () => {
    const bartender = await createUser(app, 'bartender');
    await loginRequest(app, {
      email: bartender.email,
      password: 'wrong-wrong-wrong',
      app: 'bartender',
    });
    const signed = await loginAs(app, { ...bartender, app: 'bartender' });
    const response = await signIns(app, signed.accessToken);
    expect(response.body.map((entry) => entry.succeeded)).toEqual([true, false]);
  });

  it('refuses guests (they never sign in with a password) and anonymous callers', async () => {
    const admin = await loginAs(app, { ...(await createUser(app, 'admin')), app: 'admin' });
    const table = await request(`${app.url}/api/admin/tables`, {
      method: 'POST',
      headers: bearer(admin.accessToken),
      json: { number: 7 },
    });
    const token = String(table.body.qrUrl).split('/t/')[1];
    const guest = await request(`${app.url}/api/auth/guest`, {
      method: 'POST',
      json: { tableToken: token, refreshTransport: 'body' },
    });
    expect(guest.status).toBe(200);
    expectErrorBody(await signIns(app, guest.body.accessToken), 403, 'FORBIDDEN');
    expectErrorBody(await request(`${app.url}/api/auth/sign-ins`), 401, 'TOKEN_INVALID');
  });

  it('has an index in the order the list is read, holding only sign-ins', async () => {
    const rows = await app.sql<{ indexdef: string }>(
      `SELECT indexdef FROM pg_indexes
        WHERE schemaname = current_schema() AND indexname = 'ix_audit_events_sign_ins'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.indexdef).toMatch(/\(user_id, at DESC, seq DESC\) WHERE/);
    expect(rows[0]!.indexdef).toContain('login_succeeded');
    expect(rows[0]!.indexdef).toContain('login_failed');
  });
});
