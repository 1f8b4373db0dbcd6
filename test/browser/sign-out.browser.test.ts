import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient } from './support/api.js';
import {
  ARTIFACTS,
  launchChromium,
  liveBadge,
  phoneContext,
  screenshotOnFailure,
  demoLogin,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const CUSTOMER = demoLogin('customer');
const BARTENDER = demoLogin('bartender');
const ADMIN = demoLogin('admin');
const TTL_SECONDS = 20;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ ACCESS_TOKEN_TTL: `${TTL_SECONDS}s` });
  browser = await launchChromium();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

type Base = '' | '/bartender' | '/admin';

async function signIn(page: Page, base: Base, who: { email: string; password: string }) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function cookieNames(context: BrowserContext): Promise<string[]> {
  return (await context.cookies()).map((cookie) => cookie.name).sort();
}

function isAuthCall(request: Request, path: 'refresh' | 'logout'): boolean {
  return request.method() === 'POST' && new URL(request.url()).pathname === `/api/auth/${path}`;
}

describe('signing out of one app in a browser signed in to three', () => {
  it(`signs the customer out after its tab sat idle past a ${TTL_SECONDS} s token; the bar and admin apps stay signed in`, async () => {
    // A bar tablet: the customer app, the bar app and the admin console side by side.
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1024, height: 768 },
    });
    const customer = await context.newPage();
    const bar = await context.newPage();
    const admin = await context.newPage();
    screenshotOnFailure('sign-out-after-idle', () => [customer, bar, admin]);
    try {
      await signIn(customer, '', CUSTOMER);
      await liveBadge(customer).waitFor();
      await signIn(bar, '/bartender', BARTENDER);
      await liveBadge(bar).first().waitFor();
      await signIn(admin, '/admin', ADMIN);
      await liveBadge(admin).first().waitFor();
      expect(await cookieNames(context)).toEqual(['rt_admin', 'rt_bartender', 'rt_customer']);

      // Open the account page (a page load: the session is restored, nobody touches it), then
      // leave the tab alone until its access token has long expired.
      await customer.goto('/account');
      const signOut = customer.getByRole('button', { name: 'Sign out' });
      await signOut.waitFor();
      const calls: string[] = [];
      const logouts: Request[] = [];
      let refreshesInFlight = 0;
      let refreshesInFlightAtLogout: number | undefined;
      customer.on('request', (request) => {
        if (isAuthCall(request, 'refresh')) {
          calls.push('refresh');
          refreshesInFlight += 1;
        }
        if (isAuthCall(request, 'logout')) {
          calls.push('logout');
          logouts.push(request);
          refreshesInFlightAtLogout ??= refreshesInFlight;
        }
      });
      const settled = (request: Request): void => {
        if (isAuthCall(request, 'refresh')) refreshesInFlight -= 1;
      };
      customer.on('requestfinished', settled);
      customer.on('requestfailed', settled);
      await customer.waitForTimeout(30_000);
      expect(calls).toEqual([]); // untouched: the token lapsed without a refresh

      const answered = customer.waitForResponse((response) =>
        isAuthCall(response.request(), 'logout'),
      );
      await signOut.click();
      const logout = await answered;
      expect(logout.status()).toBe(204);
      await customer.getByRole('link', { name: 'Sign in' }).waitFor();

      // The press is activity and may start a refresh: if one went out, it was answered before
      // the logout was sent, and nothing followed. The logout named the app and carried the
      // (expired) bearer.
      expect(calls.at(-1)).toBe('logout');
      expect(calls.filter((call) => call === 'logout')).toHaveLength(1);
      expect(refreshesInFlightAtLogout).toBe(0);
      const sent = logouts[0];
      expect(sent?.postDataJSON()).toEqual({ app: 'customer' });
      expect(sent?.headers().authorization).toMatch(/^Bearer /);
      expect(await cookieNames(context)).toEqual(['rt_admin', 'rt_bartender']);
      await expect(customer.getByTestId('signed-out-notice').count()).resolves.toBe(0);

      // A reload does not sign the customer back in.
      await customer.reload();
      await customer.getByRole('link', { name: 'Sign in' }).waitFor();
      await expect(liveBadge(customer).count()).resolves.toBe(0);
      await customer.goto('/account');
      await customer.getByRole('heading', { name: 'Sign in' }).waitFor();
      expect(new URL(customer.url()).pathname).toBe('/sign-in');
      expect(await cookieNames(context)).toEqual(['rt_admin', 'rt_bartender']);

      // The other apps in the same browser are still signed in.
      await bar.reload();
      await liveBadge(bar).first().waitFor();
      await admin.reload();
      await admin.getByTestId('orders-today').waitFor();
      await liveBadge(admin).first().waitFor();
    } finally {
      await context.close();
    }
  });
});

describe('a deactivated account signing in with its right password', () => {
  it('is told in each app that the account is disabled and to ask an admin (390×844)', async () => {
    const adminApi = new StaffClient(server.baseUrl);
    await adminApi.login(ADMIN.email, ADMIN.password, 'admin');
    const password = 'deactivated-account-pass-2026';
    const people: { base: Base; email: string; role: string }[] = [
      { base: '', email: 'gone-customer@example.com', role: 'customer' },
      { base: '/bartender', email: 'gone-bartender@example.com', role: 'bartender' },
      { base: '/admin', email: 'gone-admin@example.com', role: 'admin' },
    ];
    for (const person of people) {
      const created = await adminApi.request('POST', '/api/admin/users', {
        email: person.email,
        name: `Former ${person.role}`,
        role: person.role,
        password,
      });
      expect(created.status).toBe(201);
      const deactivated = await adminApi.request('PATCH', `/api/admin/users/${created.body.id}`, {
        active: false,
      });
      expect(deactivated.status).toBe(200);
    }

    const context = await phoneContext(browser, server.baseUrl);
    const page = await context.newPage();
    screenshotOnFailure('account-disabled', () => [page]);
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      for (const person of people) {
        await signIn(page, person.base, { email: person.email, password });
        const alert = page.getByTestId('auth-error');
        await alert.waitFor();
        await expect(alert.getAttribute('data-code')).resolves.toBe('ACCOUNT_DISABLED');
        await expect(alert.textContent()).resolves.toContain('Account disabled');
        await expect(alert.textContent()).resolves.toContain('Ask an admin');
        await page.screenshot({
          path: join(ARTIFACTS, `account-disabled-${person.role}.png`),
        });
      }
    } finally {
      await context.close();
    }
  });
});
