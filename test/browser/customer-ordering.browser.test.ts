import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient } from './support/api.js';
import {
  launchChromium,
  liveBadge,
  phoneContext,
  screenshotOnFailure,
  signInThroughUi,
  demoLogin,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const CUSTOMER = demoLogin('customer');
const BARTENDER = demoLogin('bartender');

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});

afterAll(async () => {
  // Either may be missing when beforeAll failed half-way.
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

async function withContext(run: (context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await phoneContext(browser, server.baseUrl);
  try {
    await run(context);
  } finally {
    await context.close();
  }
}

async function placeOrderThroughUi(page: Page): Promise<string> {
  await page.goto('/');
  await page
    .getByRole('button', { name: /^Add .+ to cart/ })
    .first()
    .click();
  await page.getByRole('link', { name: /Cart/ }).click();
  await page.getByLabel('Table number').fill('7');
  await page.getByRole('button', { name: /Place order/ }).click();
  await page.getByTestId('order-number').waitFor();
  const id = new URL(page.url()).pathname.split('/').pop();
  if (id === undefined || id === '') throw new Error(`no order id in ${page.url()}`);
  return id;
}

describe('customer app in a browser', () => {
  it('registers, orders, and shows each status the bar sets without a reload', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      screenshotOnFailure('register-order-live-status', () => [page]);

      await page.goto('/register');
      await page.getByLabel('Your name').fill('Robin Browser');
      await page.getByLabel('Email').fill(`robin-${Date.now()}@example.com`);
      await page.getByRole('textbox', { name: 'Password' }).fill('a-long-unusual-passphrase-42');
      await page.getByRole('button', { name: 'Create account' }).click();
      await liveBadge(page).waitFor();

      const orderId = await placeOrderThroughUi(page);
      await expect
        .poll(() => page.getByTestId('order-status').getAttribute('data-status'))
        .toBe('pending');

      await page.evaluate('window.notReloaded = true');
      const bar = new StaffClient(server.baseUrl);
      await bar.login(BARTENDER.email, BARTENDER.password);
      for (const status of ['accepted', 'preparing', 'ready', 'completed']) {
        await bar.advance(orderId, status);
        await expect
          .poll(() => page.getByTestId('order-status').getAttribute('data-status'), {
            timeout: 10_000,
          })
          .toBe(status);
        if (status === 'ready') {
          // The default SERVICE_MODE is counter: a table number does not mean table service.
          const number = await page.getByTestId('order-number').textContent();
          expect(await page.getByTestId('order-status').textContent()).toBe(
            `Your order is ready. Collect it at the bar with number ${String(number)}.`,
          );
        }
      }
      expect(await page.evaluate('window.notReloaded')).toBe(true);
    });
  });

  it('keeps the customer signed in across a reload', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      screenshotOnFailure('reload-keeps-session', () => [page]);
      await signInThroughUi(page, CUSTOMER.email, CUSTOMER.password);
      await page.goto('/account');
      await page.getByText(CUSTOMER.email).waitFor();

      await page.reload();
      await page.getByText(CUSTOMER.email).waitFor();
      expect(new URL(page.url()).pathname).toBe('/account');
      await liveBadge(page).waitFor();
    });
  });

  it('signs the other tab out, saying why, when one tab signs out', async () => {
    await withContext(async (context) => {
      const first = await context.newPage();
      const second = await context.newPage();
      screenshotOnFailure('sign-out-other-tab', () => [first, second]);
      await signInThroughUi(first, CUSTOMER.email, CUSTOMER.password);
      await second.goto('/orders');
      await liveBadge(second).waitFor();

      await first.goto('/account');
      await first.getByRole('button', { name: 'Sign out', exact: true }).click();
      await first.getByRole('link', { name: 'Sign in' }).waitFor();

      await second.getByTestId('signed-out-notice').waitFor({ timeout: 5_000 });
      await expect
        .poll(() => second.getByTestId('signed-out-notice').textContent())
        .toContain('You signed out in another tab or window.');
      await expect.poll(() => liveBadge(second).count()).toBe(0);
    });
  });
});
