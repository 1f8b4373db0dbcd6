import { expect } from '@jest/globals';
import type { AppName } from '../../src/auth/auth-context.js';
import { totpAt } from '../../src/two-factor/totp.js';
import type { TestUser } from './auth.js';
import { type JsonResponse, request } from './http.js';
import type { TestApp } from './test-app.js';

/**
 * The code of `secret` `offset` steps from now, computed with the library the server uses.
 * A user's codes are accepted once each, in increasing steps: use offsets -1, 0, +1 in order.
 */
export function codeAt(secret: string, offset = 0): string {
  return totpAt(secret, Math.floor(Date.now() / 1000) + offset * 30);
}

export function post(
  app: TestApp,
  path: string,
  json: unknown,
  headers: Record<string, string> = {},
): Promise<JsonResponse> {
  return request(`${app.url}/api${path}`, { method: 'POST', json, headers });
}

export interface TwoFactorUser extends TestUser {
  secret: string;
  recoveryCodes: string[];
  /** The access token of the session that turned it on. */
  accessToken: string;
}

/** Signs `user` in to `appName`, sets up two-factor sign-in and turns it on (with the code of the step before now). */
export async function enableTwoFactor(
  app: TestApp,
  user: TestUser,
  appName: AppName,
  headers: Record<string, string> = {},
): Promise<TwoFactorUser> {
  const login = await post(
    app,
    '/auth/login',
    { email: user.email, password: user.password, app: appName, refreshTransport: 'body' },
    headers,
  );
  expect(login.status).toBe(200);
  const auth = { ...headers, authorization: `Bearer ${login.body.accessToken as string}` };
  const setup = await post(app, '/auth/2fa/setup', { password: user.password }, auth);
  expect(setup.status).toBe(200);
  const secret = setup.body.secret as string;
  // The step before now is accepted only while now is the same step: not at its very end.
  const left = 30_000 - (Date.now() % 30_000);
  if (left < 2_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  const enable = await post(app, '/auth/2fa/enable', { code: codeAt(secret, -1) }, auth);
  expect(enable.status).toBe(200);
  return {
    ...user,
    secret,
    recoveryCodes: enable.body.recoveryCodes as string[],
    accessToken: login.body.accessToken as string,
  };
}
