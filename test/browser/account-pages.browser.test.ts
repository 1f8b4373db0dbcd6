import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient } from './support/api.js';
import {
  ARTIFACTS,
  demoLogin,
  launchChromium,
  liveBadge,
  phoneContext,
  screenshotOnFailure,
  seriousViolations,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * "Your account" in all three apps: devices (sign out another browser, which then is signed
 * out), change password, recent sign-ins with a failed one; "Keep me signed in" in the customer
 * app. Screenshots with realistic data land in test-artifacts/browser/account-*.png.
 */

const PASSWORD = 'first-strong-passphrase-2026';
const NEW_PASSWORD = 'second-strong-passphrase-2026';
const FIREFOX_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAMSUNG_ANDROID =
  'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const EDGE_MAC =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0';

type AppName = 'customer' | 'bartender' | 'admin';
const BASE: Record<AppName, string> = { customer: '', bartender: '/bartender', admin: '/admin' };

let server: RunningServer;
let browser: Browser;
let admin: StaffClient;

beforeAll(async () => {
  server = await startServer({
    // Two admin-app sessions, so an admin can sign in from a second browser and sign it out.
    SESSION_MAX_ADMIN: '2',
    // The realistic history below (50 sign-ins, some failed) comes from one address.
    RATE_LIMIT_LOGIN_EMAIL_IP: '1000',
    RATE_LIMIT_LOGIN_IP: '1000',
  });
  browser = await launchChromium();
  admin = new StaffClient(server.baseUrl);
  const demo = demoLogin('admin');
  await admin.login(demo.email, demo.password, 'admin');
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

let counter = 0;
/** A new account of the role, with a long name (a realistic worst case for the layout). */
async function newAccount(role: AppName): Promise<{ email: string; name: string }> {
  counter += 1;
  const email = `maximiliane.oberhauser-${role}-${String(counter)}@example-hospitality-group.com`;
  const name = `Maximiliane Theodora Oberhauser-Lindqvist (${role})`;
  if (role === 'customer') {
    const response = await fetch(`${server.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name, password: PASSWORD }),
    });
    expect(response.status).toBe(201);
  } else {
    const created = await admin.request('POST', '/api/admin/users', {
      email,
      name,
      role,
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
  }
  return { email, name };
}

/** A sign-in from elsewhere, through the API (the refresh token in the body). */
async function apiLogin(
  email: string,
  password: string,
  app: AppName,
  userAgent = FIREFOX_WINDOWS,
): Promise<number> {
  const response = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': userAgent },
    body: JSON.stringify({ email, password, app, refreshTransport: 'body' }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function signInUi(page: Page, app: AppName, email: string, password: string): Promise<void> {
  await page.goto(`${BASE[app]}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await liveBadge(page).first().waitFor();
}

function context(app: AppName, viewport?: { width: number; height: number }, userAgent?: string) {
  if (app === 'customer' && viewport === undefined) return phoneContext(browser, server.baseUrl);
  return browser.newContext({
    baseURL: server.baseUrl,
    viewport: viewport ?? { width: 1280, height: 720 },
    ...(userAgent === undefined ? {} : { userAgent }),
  });
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

describe.each(['customer', 'bartender', 'admin'] as const)('the %s app’s account page', (app) => {
  it('lists devices, signs another browser out, changes the password and shows failed sign-ins', async () => {
    const { email } = await newAccount(app);
    const first = await context(app);
    const second = await context(app, { width: 1024, height: 768 }, EDGE_MAC);
    const a = await first.newPage();
    const b = await second.newPage();
    screenshotOnFailure(`account-${app}`, () => [a, b]);
    try {
      // Someone tries the account with a wrong password.
      expect(await apiLogin(email, 'a-wrong-guess-at-the-password', app)).toBe(401);
      await signInUi(a, app, email, PASSWORD);
      await signInUi(b, app, email, PASSWORD);

      await a.goto(`${BASE[app]}/account`);
      const devices = a.getByTestId('device-row');
      await expect.poll(() => devices.count()).toBe(2);
      const other = devices.filter({ hasNot: a.getByText('This device') });
      await expect(other.getByText(/Edge on macOS/).count()).resolves.toBe(1);

      // Recent sign-ins: the two sign-ins and the failed attempt, marked.
      const signIns = a.getByTestId('sign-in-row');
      await expect.poll(() => signIns.count()).toBe(3);
      await expect(
        a.locator('[data-testid="sign-in-row"][data-succeeded="false"]').count(),
      ).resolves.toBe(1);
      await expect(a.getByText('Failed', { exact: true }).count()).resolves.toBe(1);

      // Sign the other browser out from here: it is signed out there.
      await other.getByRole('button', { name: /^Sign out/ }).click();
      await expect.poll(() => devices.count()).toBe(1);
      await b.getByTestId('signed-out-notice').waitFor({ timeout: 20_000 });

      // Change the password: too short for the role first, in words.
      const minimum = app === 'customer' ? 10 : 15;
      await a.getByLabel('Current password').fill(PASSWORD);
      // 9 characters for a customer, 12 for staff: both under the role's minimum.
      const tooShort = app === 'customer' ? 'too-short' : 'twelve-chars';
      await a.getByRole('textbox', { name: 'New password' }).fill(tooShort);
      await a.getByRole('button', { name: 'Change password' }).click();
      await a.getByText(`Use at least ${String(minimum)} characters.`).waitFor();
      // A wrong current password is refused, and counts as a failed sign-in.
      await a.getByLabel('Current password').fill('not-my-current-password');
      await a.getByRole('textbox', { name: 'New password' }).fill(NEW_PASSWORD);
      await a.getByRole('button', { name: 'Change password' }).click();
      await a.getByText('Your current password isn’t right.').waitFor();
      await a.getByLabel('Current password').fill(PASSWORD);
      await a.getByRole('button', { name: 'Change password' }).click();
      await a.getByText('Password changed. Your other devices were signed out.').waitFor();
      await expect.poll(() => signIns.count()).toBe(4);
      expect(await apiLogin(email, NEW_PASSWORD, app)).toBe(200);
      expect(await apiLogin(email, PASSWORD, app)).toBe(401);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('"Keep me signed in" in the customer app', () => {
  it('is ticked by default (a dated cookie); unticked, the cookie ends with the browser', async () => {
    const { email } = await newAccount('customer');
    for (const keep of [true, false]) {
      const phone = await phoneContext(browser, server.baseUrl);
      const page = await phone.newPage();
      screenshotOnFailure(`remember-${String(keep)}`, () => [page]);
      try {
        await page.goto('/sign-in');
        const box = page.getByRole('checkbox', { name: 'Keep me signed in' });
        expect(await box.isChecked()).toBe(true);
        if (!keep) await box.uncheck();
        await page.getByLabel('Email').fill(email);
        await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await liveBadge(page).waitFor();
        const cookie = (await phone.cookies()).find((c) => c.name === 'rt_customer');
        expect(cookie).toBeDefined();
        if (keep) expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000 + 80 * 86_400);
        else expect(cookie!.expires).toBe(-1);
        // A reload refreshes the session: the cookie keeps its kind.
        await page.reload();
        await liveBadge(page).waitFor();
        const again = (await phone.cookies()).find((c) => c.name === 'rt_customer');
        expect(again!.expires === -1).toBe(!keep);
      } finally {
        await phone.close();
      }
    }
  });

  it('is not offered by the staff apps', async () => {
    const desk = await context('admin');
    const page = await desk.newPage();
    try {
      for (const app of ['bartender', 'admin'] as const) {
        await page.goto(`${BASE[app]}/sign-in`);
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        expect(await page.getByRole('checkbox').count()).toBe(0);
      }
    } finally {
      await desk.close();
    }
  });
});

describe('screenshots with realistic data', () => {
  async function history(email: string, app: AppName, uas: string[]): Promise<void> {
    // 50 sign-ins: mostly successful from several devices, a few wrong passwords.
    for (let i = 0; i < 50; i += 1) {
      const wrong = i % 9 === 4;
      const status = await apiLogin(
        email,
        wrong ? `wrong-password-${String(i)}` : PASSWORD,
        app,
        uas[i % uas.length],
      );
      expect(status).toBe(wrong ? 401 : 200);
    }
  }

  it('customer at 390×844', async () => {
    const { email } = await newAccount('customer');
    await history(email, 'customer', [SAMSUNG_ANDROID, SAFARI_IPHONE, FIREFOX_WINDOWS, EDGE_MAC]);
    const phone = await context('customer');
    const page = await phone.newPage();
    try {
      await signInUi(page, 'customer', email, PASSWORD);
      await page.goto('/account');
      await expect.poll(() => page.getByTestId('sign-in-row').count()).toBe(50);
      await expect.poll(() => page.getByTestId('device-row').count()).toBeGreaterThan(3);
      await shoot(page, 'account-customer-390x844');
      expect(await seriousViolations(page)).toEqual([]);
      // The phone's screen, section by section, as a person sees it.
      for (const section of ['devices-title', 'change-password-title', 'sign-ins-title']) {
        await page.locator(`#${section}`).evaluate((element) => {
          element.scrollIntoView({ block: 'start' });
        });
        await page.screenshot({ path: join(ARTIFACTS, `account-customer-390x844-${section}.png`) });
      }
      const signIn = await (await context('customer')).newPage();
      await signIn.goto('/sign-in');
      await signIn.getByRole('checkbox', { name: 'Keep me signed in' }).waitFor();
      await shoot(signIn, 'account-customer-sign-in-390x844');
      await signIn.context().close();
    } finally {
      await phone.close();
    }
  });

  for (const app of ['bartender', 'admin'] as const) {
    it(`${app} at 768×1024 and 1280×720`, async () => {
      const { email } = await newAccount(app);
      await history(email, app, [EDGE_MAC, SAFARI_IPHONE, FIREFOX_WINDOWS]);
      if (app === 'admin') await apiLogin(email, PASSWORD, 'bartender', SAMSUNG_ANDROID);
      for (const viewport of [
        { width: 768, height: 1024 },
        { width: 1280, height: 720 },
      ]) {
        const desk = await context(app, viewport);
        const page = await desk.newPage();
        try {
          await signInUi(page, app, email, PASSWORD);
          await page.goto(`${BASE[app]}/account`);
          await expect.poll(() => page.getByTestId('sign-in-row').count()).toBe(50);
          await expect.poll(() => page.getByTestId('device-row').count()).toBeGreaterThan(1);
          await shoot(page, `account-${app}-${String(viewport.width)}x${String(viewport.height)}`);
          expect(await seriousViolations(page)).toEqual([]);
        } finally {
          await desk.close();
        }
      }
    });
  }
});
