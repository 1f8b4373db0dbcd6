import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpAt } from '../../src/two-factor/totp.js';
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
 * Two-factor sign-in end to end: set up on the account page (the key read from the page, the code
 * computed here with the server's TOTP library), the recovery codes shown once, sign out, and
 * sign in again through the code step; a recovery code instead. The admin console at 1280×720 and
 * the customer app on a 390×844 phone; screenshots in test-artifacts/browser/two-factor-*.png.
 */

const PASSWORD = 'a-strong-passphrase-for-2fa-2026';
type AppName = 'customer' | 'admin';
const BASE: Record<AppName, string> = { customer: '', admin: '/admin' };

let server: RunningServer;
let browser: Browser;
let admin: StaffClient;

beforeAll(async () => {
  server = await startServer({ SESSION_MAX_ADMIN: '3' });
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
/** Creates an account of `role`; answers its email and id. */
async function newAccount(role: AppName): Promise<{ email: string; id: string }> {
  counter += 1;
  const email = `two-factor-${role}-${String(counter)}@example.com`;
  const name = `Robin Two-Factor (${role})`;
  if (role === 'customer') {
    const response = await fetch(`${server.baseUrl}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, name, password: PASSWORD }),
    });
    expect(response.status).toBe(201);
    return { email, id: ((await response.json()) as { user: { id: string } }).user.id };
  } else {
    const created = await admin.request('POST', '/api/admin/users', {
      email,
      name,
      role,
      password: PASSWORD,
    });
    expect(created.status).toBe(201);
    return { email, id: (created.body as { id: string }).id };
  }
}

function contextFor(app: AppName): Promise<BrowserContext> {
  return app === 'customer'
    ? phoneContext(browser, server.baseUrl)
    : browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 720 } });
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The code `offset` steps from now (each sign-in needs a newer step than the last one used). */
const codeAt = (secret: string, offset: number): string =>
  totpAt(secret, Math.floor(Date.now() / 1000) + offset * 30);

async function passwordStep(page: Page, app: AppName, email: string): Promise<void> {
  await page.goto(`${BASE[app]}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe.each(['admin', 'customer'] as const)('two-factor sign-in in the %s app', (app) => {
  it('sets up from the account page, shows the recovery codes once, then asks for a code at sign-in', async () => {
    const { email, id } = await newAccount(app);
    const context = await contextFor(app);
    const page = await context.newPage();
    screenshotOnFailure(`two-factor-${app}`, () => [page]);
    try {
      await passwordStep(page, app, email);
      await liveBadge(page).first().waitFor();
      await page.goto(`${BASE[app]}/account`);
      const panel = page.locator('section', {
        has: page.getByRole('heading', { name: 'Two-factor sign-in' }),
      });
      // The password first ("confirm access"): a wrong one is said so, and no key is shown.
      const confirm = panel.getByLabel('Confirm your password');
      await confirm.fill('not-my-password-at-all');
      await panel.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      await panel.getByText('Your password isn’t right.').waitFor();
      expect(await panel.getByTestId('two-factor-key').count()).toBe(0);
      await confirm.fill(PASSWORD);
      await panel.getByRole('button', { name: 'Set up two-factor sign-in' }).click();

      // The QR code is an image (the server's SVG as a data URI), and the key is on the page.
      const qr = panel.getByRole('img', { name: 'QR code of your new two-factor key' });
      await qr.waitFor();
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
      expect(
        await qr.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
      ).toBeGreaterThan(0);
      const secret = (await panel.getByTestId('two-factor-key').innerText()).replace(/\s/g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      await panel.scrollIntoViewIfNeeded();
      await shoot(page, `two-factor-${app}-setup`);

      // A wrong code first, in words; then the right one.
      const codeField = panel.getByRole('textbox', { name: '6-digit code' });
      expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
      expect(await codeField.getAttribute('inputmode')).toBe('numeric');
      await codeField.fill(codeAt(secret, 4));
      await panel.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
      await panel.getByText(/That code doesn’t match/).waitFor();
      await codeField.fill(codeAt(secret, 0));
      await panel.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();

      const codes = panel.getByTestId('recovery-code');
      await expect.poll(() => codes.count()).toBe(10);
      const recoveryCodes = await codes.allInnerTexts();
      for (const code of recoveryCodes)
        expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
      await panel.getByRole('button', { name: 'Download (.txt)' }).waitFor();
      await shoot(page, `two-factor-${app}-recovery-codes`);
      expect(await seriousViolations(page)).toEqual([]);
      const download = page.waitForEvent('download');
      await panel.getByRole('button', { name: 'Download (.txt)' }).click();
      expect((await download).suggestedFilename()).toBe('taproom-recovery-codes.txt');
      await panel.getByRole('button', { name: 'I’ve saved my codes' }).click();
      await panel.getByText('Two-factor sign-in is on.', { exact: false }).waitFor();
      await panel.getByText('On', { exact: true }).waitFor();
      // Shown once: a reload shows no codes.
      await page.reload();
      await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
      expect(await page.getByTestId('recovery-code').count()).toBe(0);
      if (app === 'admin') {
        // One's own user page offers no reset (that is disable, with password and a code).
        await page.goto(`/admin/users/${id}`);
        await page.getByText('Two-factor on').waitFor();
        await page.getByText(/Your own two-factor sign-in is managed on/).waitFor();
        expect(await page.getByRole('button', { name: 'Reset two-factor' }).count()).toBe(0);
      }

      // Sign out, then in again: the code step after the password.
      await context.clearCookies();
      await passwordStep(page, app, email);
      const step = page.getByRole('heading', { name: 'Two-factor sign-in' });
      await step.waitFor();
      await page.getByText('Enter the 6-digit code from your authenticator app.').waitFor();
      const code = page.getByRole('textbox', { name: 'Code' });
      expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
      expect(await code.getAttribute('inputmode')).toBe('numeric');
      await code.fill('000000');
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await page.getByText(/That code didn’t work/).waitFor();
      await shoot(page, `two-factor-${app}-code-step`);
      expect(await seriousViolations(page)).toEqual([]);
      await code.fill(codeAt(secret, 1));
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await liveBadge(page).first().waitFor();

      // A recovery code instead, on another sign-in.
      await context.clearCookies();
      await passwordStep(page, app, email);
      await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
      await page
        .getByRole('textbox', { name: 'Recovery code' })
        .fill(recoveryCodes[0]!.toUpperCase());
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await liveBadge(page).first().waitFor();
    } finally {
      await context.close();
    }
  });
});

describe('TWO_FACTOR_ADMIN=required in the admin console', () => {
  let strict: RunningServer;

  beforeAll(async () => {
    strict = await startServer({ TWO_FACTOR_ADMIN: 'required' });
  });
  afterAll(async () => {
    await (strict as RunningServer | undefined)?.stop();
  });

  it('shows an admin without two-factor sign-in only the setup, then the console once it is on', async () => {
    const context = await browser.newContext({
      baseURL: strict.baseUrl,
      viewport: { width: 1280, height: 720 },
    });
    const page = await context.newPage();
    screenshotOnFailure('two-factor-required', () => [page]);
    try {
      const demo = demoLogin('admin');
      await page.goto('/admin/sign-in');
      await page.getByLabel('Email').fill(demo.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(demo.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Turn on two-factor sign-in' }).waitFor();
      await page.getByText('Required for admins').waitFor();
      expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(0);
      // Another page of the console shows the same setup, not the page.
      await page.goto('/admin/users');
      await page.getByRole('heading', { name: 'Turn on two-factor sign-in' }).waitFor();
      await shoot(page, 'two-factor-required-admin');

      await page.getByLabel('Confirm your password').fill(demo.password);
      await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      const secret = (await page.getByTestId('two-factor-key').innerText()).replace(/\s/g, '');
      await page.getByRole('textbox', { name: '6-digit code' }).fill(codeAt(secret, 0));
      await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
      await expect.poll(() => page.getByTestId('recovery-code').count()).toBe(10);
      await page.getByRole('button', { name: 'I’ve saved my codes' }).click();
      // The refreshed session is a full one: the console and its pages are back.
      await page.getByRole('link', { name: 'Users' }).waitFor();
      await page.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { name: 'Users' }).first().waitFor();
    } finally {
      await context.close();
    }
  });
});

describe('TWO_FACTOR_ADMIN=required in the bartender app', () => {
  let strict: RunningServer;

  beforeAll(async () => {
    strict = await startServer({ TWO_FACTOR_ADMIN: 'required' });
  });
  afterAll(async () => {
    await (strict as RunningServer | undefined)?.stop();
  });

  it('shows an admin without two-factor sign-in only the setup at the bar, then the queue', async () => {
    const context = await phoneContext(browser, strict.baseUrl);
    const page = await context.newPage();
    screenshotOnFailure('two-factor-required-bar', () => [page]);
    try {
      const demo = demoLogin('admin');
      await page.goto('/bartender/sign-in');
      await page.getByLabel('Email').fill(demo.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(demo.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Turn on two-factor sign-in' }).waitFor();
      await page.getByText('Required for admins').waitFor();
      // Nothing of the bar: no menu, no account page, no live queue.
      expect(await page.getByRole('button', { name: 'Menu / 86' }).count()).toBe(0);
      expect(await liveBadge(page).count()).toBe(0);
      await page.goto('/bartender/account');
      await page.getByRole('heading', { name: 'Turn on two-factor sign-in' }).waitFor();
      await shoot(page, 'two-factor-required-bartender');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByLabel('Confirm your password').fill(demo.password);
      await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
      const secret = (await page.getByTestId('two-factor-key').innerText()).replace(/\s/g, '');
      await page.getByRole('textbox', { name: '6-digit code' }).fill(codeAt(secret, 0));
      await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
      await expect.poll(() => page.getByTestId('recovery-code').count()).toBe(10);
      await page.getByRole('button', { name: 'I’ve saved my codes' }).click();
      // The refreshed session is a full one: the bar is back.
      await page.getByRole('button', { name: 'Menu / 86' }).waitFor();
      await liveBadge(page).first().waitFor();
    } finally {
      await context.close();
    }
  });
});
