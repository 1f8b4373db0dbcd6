import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestSmtpServer, linkIn, startSmtpServer } from '../support/smtp-server.js';
import { demoLogin, launchChromium, phoneContext, screenshotOnFailure } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const CUSTOMER = demoLogin('customer');
const ADMIN = demoLogin('admin');
const NEW_PASSWORD = 'a-fresh-password-from-the-mail-2027';

let smtp: TestSmtpServer;
let server: RunningServer;
let browser: Browser;
let page: Page | undefined;

beforeAll(async () => {
  smtp = await startSmtpServer();
  server = await startServer({ SMTP_URL: smtp.url, MAIL_POLL_INTERVAL: '1' });
  browser = await launchChromium();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
  await (smtp as TestSmtpServer | undefined)?.close();
});

describe('forgot password, end to end through a real mail', () => {
  it('lets a customer reset from the sign-in form, follow the mailed link and sign in anew', async () => {
    screenshotOnFailure('password-reset-customer', () => (page ? [page] : []));
    const context = await phoneContext(browser, server.baseUrl);
    page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL('**/forgot-password');
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.locator('input[type=email]').fill(CUSTOMER.email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await expect
      .poll(() => page!.getByRole('status').textContent())
      .toContain(`If an account exists for ${CUSTOMER.email}, we’ve sent a link`);

    const mail = await smtp.waitFor((m) => m.to.includes(CUSTOMER.email));
    const link = linkIn(mail, `${server.baseUrl}/reset-password?token=`);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    // The token leaves the address bar as soon as the page has it.
    await expect.poll(() => new URL(page!.url()).search).toBe('');
    await page.locator('input[type=password]').fill('too-short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Use at least 10 characters.').waitFor();
    await page.locator('input[type=password]').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'Password changed' }).waitFor();

    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await page.waitForURL('**/sign-in');
    await page.locator('input[type=email]').fill(CUSTOMER.email);
    await page.locator('input[type=password]').fill(CUSTOMER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That email and password don’t match.').waitFor();
    await page.locator('input[type=password]').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));

    // The same link a second time: the page says so in words and offers a new one.
    await page.goto(link);
    await page.locator('input[type=password]').fill('another-fresh-password-2028');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('This link doesn’t work any more').waitFor();
    await page.getByRole('link', { name: 'Send me a new link' }).waitFor();
    await context.close();
  });

  it('sends an admin’s link to the admin app’s page', async () => {
    screenshotOnFailure('password-reset-admin', () => (page ? [page] : []));
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1280, height: 720 },
    });
    page = await context.newPage();
    await page.goto('/admin/sign-in');
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL('**/admin/forgot-password');
    await page.locator('input[type=email]').fill(ADMIN.email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByText(`If an account exists for ${ADMIN.email}`).waitFor();
    const mail = await smtp.waitFor((m) => m.to.includes(ADMIN.email));
    const link = linkIn(mail, `${server.baseUrl}/admin/reset-password?token=`);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Set a new password' }).waitFor();
    await page.getByText('At least 15 characters').waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/reset-password');
    await context.close();
  });
});
