import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  demoLogin,
  launchChromium,
  liveBadge,
  screenshotOnFailure,
  seriousViolations,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

/**
 * The inactivity warning and drafts, in Chromium against the real server.
 *
 * Time: the admin's idle timeout is 3 minutes on the server (`SESSION_IDLE_ADMIN=3m`), so the
 * server's real deadline is never reached while a test runs; the page's clock (Playwright's
 * `clock`) is fast-forwarded to the warning and through the countdown. The two clocks need not
 * agree: the app measures the idle deadline against the server's `Date` header, and what the
 * test checks on the server (a refresh moved the deadline on; a timed-out session is over) is
 * the server's own doing on its own clock.
 */
const ADMIN = demoLogin('admin');
const MINUTE = 60_000;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ SESSION_IDLE_ADMIN: '3m', RATE_LIMIT_USER_PER_MINUTE: '0' });
  browser = await launchChromium();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

interface SessionSummaryBody {
  accessToken: string;
  session: { id: string; idleExpiresAt: string; expiresAt: string; idleTimeoutSeconds: number };
}

function isAuthCall(response: Response, path: 'login' | 'refresh' | 'logout'): boolean {
  return (
    response.request().method() === 'POST' &&
    new URL(response.url()).pathname === `/api/auth/${path}`
  );
}

/** Signs in to the console; resolves to the login answer. */
async function signIn(page: Page): Promise<SessionSummaryBody> {
  if (!page.url().includes('/admin/sign-in')) await page.goto('/admin/sign-in');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  const [login] = await Promise.all([
    page.waitForResponse((response) => isAuthCall(response, 'login')),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await liveBadge(page).first().waitFor();
  return (await login.json()) as SessionSummaryBody;
}

async function me(token: string): Promise<SessionSummaryBody['session']> {
  const response = await fetch(`${server.baseUrl}/api/auth/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { session: SessionSummaryBody['session'] }).session;
}

/** A screenshot once the warning (if open) has finished fading in. */
async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  if ((await page.getByRole('alertdialog').count()) > 0) {
    await expect
      .poll(() =>
        page.evaluate<string>(
          "getComputedStyle(document.querySelector('[role=alertdialog]')).opacity",
        ),
      )
      .toBe('1');
  }
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

function warningOf(page: Page) {
  return page.getByRole('alertdialog', { name: 'Are you still there?' });
}

describe('the inactivity warning (admin, idle timeout 3 minutes)', () => {
  it('refreshes silently while typing, warns at 2:00 left, extends on "Stay signed in", and signs out untouched with the reason; the draft comes back', async () => {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1280, height: 720 },
    });
    await context.clock.install();
    const page = await context.newPage();
    screenshotOnFailure('idle-warning', () => [page]);
    try {
      const login = await signIn(page);
      expect(login.session.idleTimeoutSeconds).toBe(180);
      await page.getByRole('link', { name: 'Menu' }).click();
      await page.getByRole('button', { name: 'New item' }).click();
      const form = page.getByRole('dialog', { name: 'New menu item' });
      await form.getByLabel('Name').fill('Slow Typed Barleywine');
      await form.getByLabel('Category').pressSequentially('Beer');

      // Typing since the deadline was confirmed: at the warning time the app refreshes
      // silently, and nobody is interrupted.
      const silent = page.waitForResponse((response) => isAuthCall(response, 'refresh'));
      await page.clock.fastForward(MINUTE + 1_000);
      const silentBody = (await (await silent).json()) as SessionSummaryBody;
      expect(Date.parse(silentBody.session.idleExpiresAt)).toBeGreaterThan(
        Date.parse(login.session.idleExpiresAt),
      );
      expect(await warningOf(page).count()).toBe(0);

      // Untouched since: the warning, with two minutes to go.
      await page.clock.fastForward(MINUTE + 1_000);
      const warning = warningOf(page);
      await warning.waitFor();
      expect(await warning.getByTestId('idle-countdown').textContent()).toMatch(/^(2:00|1:5\d)$/);
      expect(await warning.getByTestId('idle-countdown-spoken').textContent()).toMatch(/left\.$/);
      // Focus starts on "Stay signed in", inside the dialog.
      await expect
        .poll(() => page.evaluate<string | undefined>('document.activeElement?.textContent'))
        .toBe('Stay signed in');
      await page.clock.fastForward(5_000);
      await expect
        .poll(() => warning.getByTestId('idle-countdown').textContent())
        .toMatch(/^1:5\d$/);
      await shot(page, 'idle-warning-1280x720');

      // "Stay signed in": a refresh, and the server's idle deadline moved on.
      const [stayed] = await Promise.all([
        page.waitForResponse((response) => isAuthCall(response, 'refresh')),
        warning.getByRole('button', { name: 'Stay signed in' }).click(),
      ]);
      await warning.waitFor({ state: 'hidden' });
      const stayedBody = (await stayed.json()) as SessionSummaryBody;
      expect(stayed.status()).toBe(200);
      expect(Date.parse(stayedBody.session.idleExpiresAt)).toBeGreaterThan(
        Date.parse(silentBody.session.idleExpiresAt),
      );
      const onServer = await me(stayedBody.accessToken);
      expect(Date.parse(onServer.idleExpiresAt)).toBeGreaterThanOrEqual(
        Date.parse(stayedBody.session.idleExpiresAt),
      );

      // Untouched to the end: signed out on the server too, with the reason.
      await page.clock.fastForward(MINUTE + 1_000);
      await warning.waitFor();
      const loggedOut = page.waitForResponse((response) => isAuthCall(response, 'logout'));
      await page.clock.fastForward(2 * MINUTE + 1_000);
      expect((await loggedOut).status()).toBe(204);
      await page
        .getByText('You were signed out after 3 minutes without activity.')
        .waitFor({ timeout: 15_000 });
      const after = await fetch(`${server.baseUrl}/api/auth/me`, {
        headers: { authorization: `Bearer ${stayedBody.accessToken}` },
      });
      expect(after.status).toBe(401);

      // Signing in again brings the half-typed item back.
      await signIn(page);
      const again = page.getByRole('dialog', { name: 'New menu item' });
      await again.waitFor();
      expect(await again.getByLabel('Name').inputValue()).toBe('Slow Typed Barleywine');
      expect(await again.getByLabel('Category').inputValue()).toBe('Beer');
      await again.getByTestId('draft-restored').waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows the warning in two tabs together, and "Stay signed in" in one closes it in both', async () => {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await context.clock.install();
    const first = await context.newPage();
    const second = await context.newPage();
    screenshotOnFailure('idle-warning-two-tabs', () => [first, second]);
    try {
      await signIn(first);
      await second.goto('/admin/');
      await liveBadge(second).first().waitFor();

      await first.clock.fastForward(MINUTE + 1_000);
      await warningOf(first).waitFor();
      await warningOf(second).waitFor();
      await shot(second, 'idle-warning-390x844');
      expect(await seriousViolations(second)).toEqual([]);

      await warningOf(first).getByRole('button', { name: 'Stay signed in' }).click();
      await warningOf(first).waitFor({ state: 'hidden' });
      await warningOf(second).waitFor({ state: 'hidden' });
      expect(await liveBadge(second).first().isVisible()).toBe(true);
    } finally {
      await context.close();
    }
  });
});

describe('the warning at the session’s absolute end', () => {
  it('says the time limit is reached, offers no extension, and "Sign in again" keeps the draft', async () => {
    // A 3-minute absolute lifetime under a 30-minute idle timeout: the idle deadline is the end.
    const own = await startServer({
      SESSION_ABSOLUTE_ADMIN: '3m',
      SESSION_IDLE_ADMIN: '30m',
      RATE_LIMIT_USER_PER_MINUTE: '0',
    });
    const context = await browser.newContext({
      baseURL: own.baseUrl,
      viewport: { width: 1280, height: 720 },
    });
    await context.clock.install();
    const page = await context.newPage();
    screenshotOnFailure('idle-warning-absolute', () => [page]);
    try {
      const login = await signIn(page);
      expect(login.session.idleExpiresAt).toBe(login.session.expiresAt);
      await page.getByRole('link', { name: 'Menu' }).click();
      await page.getByRole('button', { name: 'New item' }).click();
      await page
        .getByRole('dialog', { name: 'New menu item' })
        .getByLabel('Name')
        .fill('Last Call Lambic');

      // Typing does not help here: no refresh can move the absolute end, so it warns.
      await page.clock.fastForward(MINUTE + 1_000);
      const warning = page.getByRole('alertdialog', { name: 'Your session is about to end' });
      await warning.waitFor();
      expect(await warning.getByRole('button', { name: 'Stay signed in' }).count()).toBe(0);
      await shot(page, 'idle-warning-absolute-1280x720');

      await warning.getByRole('button', { name: 'Sign in again' }).click();
      await page.getByText('Your session has expired. Please sign in again.').waitFor();
      await signIn(page);
      const again = page.getByRole('dialog', { name: 'New menu item' });
      await again.waitFor();
      expect(await again.getByLabel('Name').inputValue()).toBe('Last Call Lambic');
    } finally {
      await context.close();
      await own.stop();
    }
  });
});

describe('drafts through an eviction', () => {
  it('brings the half-typed staff account back after the admin signed in elsewhere', async () => {
    const context: BrowserContext = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1280, height: 720 },
    });
    const page = await context.newPage();
    screenshotOnFailure('idle-draft-eviction', () => [page]);
    try {
      await signIn(page);
      await page.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('button', { name: 'New staff account' }).click();
      const form = page.getByRole('dialog', { name: 'New staff account' });
      await form.getByLabel('Name').fill('Evicted Evelyn from the late shift');
      await form.getByLabel('Email').fill('evelyn.late@taproom.local');

      // The admin signs in from another browser: one admin-app session each, so this one goes.
      const other = await browser.newContext({ baseURL: server.baseUrl });
      try {
        const elsewhere = await other.newPage();
        await signIn(elsewhere);
      } finally {
        await other.close();
      }
      await page
        .getByText('You signed in on another device, so this one was signed out.')
        .waitFor({ timeout: 15_000 });

      await signIn(page);
      const again = page.getByRole('dialog', { name: 'New staff account' });
      await again.waitFor();
      expect(await again.getByLabel('Name').inputValue()).toBe(
        'Evicted Evelyn from the late shift',
      );
      expect(await again.getByLabel('Email').inputValue()).toBe('evelyn.late@taproom.local');
      await again.getByTestId('draft-restored').waitFor();
      await shot(page, 'draft-restored-1280x720');
    } finally {
      await context.close();
    }
  });
});
