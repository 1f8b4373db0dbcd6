import { randomUUID } from 'node:crypto';
import type { AppName } from '../../src/auth/auth-context.js';
import type { AccountRole, Role } from '../../src/users/role.js';
import { UsersService } from '../../src/users/users.service.js';
import { type JsonResponse, request } from './http.js';
import type { TestApp } from './test-app.js';

/** A password that passes the policy for every role (≥ 15 characters, not a common one). */
export const STRONG_PASSWORD = 'correct-horse-battery-staple-42';

export interface TestUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

export interface SignedIn {
  accessToken: string;
  accessTokenExpiresAt: string;
  /** Present with the body transport (the default of {@link loginAs}). */
  refreshToken?: string;
  /** `rt_<app>=…` ready for a Cookie header, when the cookie transport was used. */
  cookie?: string;
  user: { id: string; email: string; name: string; role: Role };
  session: {
    id: string;
    app: AppName;
    idleExpiresAt: string;
    expiresAt: string;
    idleTimeoutSeconds: number;
  };
  response: JsonResponse;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Registers a customer over HTTP. */
export async function registerCustomer(
  app: TestApp,
  overrides: Partial<Pick<TestUser, 'email' | 'name' | 'password'>> = {},
): Promise<TestUser> {
  const input = {
    email: overrides.email ?? uniqueEmail('customer'),
    name: overrides.name ?? 'Test Customer',
    password: overrides.password ?? STRONG_PASSWORD,
  };
  const response = await request(`${app.url}/api/auth/register`, { method: 'POST', json: input });
  if (response.status !== 201) {
    throw new Error(`register failed: ${response.status} ${response.text}`);
  }
  return { ...input, id: response.body.user.id, role: 'customer' };
}

/** Creates a user of any role directly through the UsersService (staff have no sign-up). */
export async function createUser(
  app: TestApp,
  role: AccountRole,
  overrides: Partial<Pick<TestUser, 'email' | 'name' | 'password'>> = {},
): Promise<TestUser> {
  const input = {
    email: overrides.email ?? uniqueEmail(role),
    name: overrides.name ?? `Test ${role}`,
    password: overrides.password ?? STRONG_PASSWORD,
    role,
  };
  const user = await app.app.get(UsersService).create(input);
  return { ...input, id: user.id };
}

export interface LoginOptions {
  email: string;
  password: string;
  app: AppName;
  refreshTransport?: 'cookie' | 'body';
  userAgent?: string;
  headers?: Record<string, string>;
}

/** The raw login request. */
export function loginRequest(app: TestApp, options: LoginOptions): Promise<JsonResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.userAgent !== undefined) headers['user-agent'] = options.userAgent;
  return request(`${app.url}/api/auth/login`, {
    method: 'POST',
    headers,
    json: {
      email: options.email,
      password: options.password,
      app: options.app,
      refreshTransport: options.refreshTransport ?? 'body',
    },
  });
}

/** The `name=value` of a Set-Cookie header for `rt_<app>`, if the response set one. */
export function refreshCookieOf(response: JsonResponse, app: AppName): string | undefined {
  const cookies = response.headers.getSetCookie();
  const line = cookies.find((cookie) => cookie.startsWith(`rt_${app}=`));
  return line?.split(';')[0];
}

/** Signs in (body transport unless asked otherwise) and fails loudly when it does not work. */
export async function loginAs(app: TestApp, options: LoginOptions): Promise<SignedIn> {
  const response = await loginRequest(app, options);
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${response.text}`);
  return { ...response.body, cookie: refreshCookieOf(response, options.app), response };
}

/** Creates a user of the role and signs them in to `appName` (their own app by default). */
export async function signInNew(
  app: TestApp,
  role: AccountRole,
  appName: AppName = role,
  options: Partial<LoginOptions> = {},
): Promise<SignedIn & { credentials: TestUser }> {
  const user = role === 'customer' ? await registerCustomer(app) : await createUser(app, role);
  const signedIn = await loginAs(app, {
    email: user.email,
    password: user.password,
    app: appName,
    ...options,
  });
  return { ...signedIn, credentials: user };
}

/** `Authorization` header for a token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** GET /api/auth/me with a token. */
export function me(app: TestApp, token: string): Promise<JsonResponse> {
  return request(`${app.url}/api/auth/me`, { headers: bearer(token) });
}

/** POST /api/auth/refresh with a refresh token in the body. */
export function refreshWith(
  app: TestApp,
  appName: AppName,
  refreshToken: string,
): Promise<JsonResponse> {
  return request(`${app.url}/api/auth/refresh`, {
    method: 'POST',
    json: { app: appName, refreshToken },
  });
}
