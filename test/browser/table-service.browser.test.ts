import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient } from './support/api.js';
import {
  demoLogin,
  launchChromium,
  phoneContext,
  screenshotOnFailure,
  signInThroughUi,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const CUSTOMER = demoLogin('customer');
const BARTENDER = demoLogin('bartender');

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ SERVICE_MODE: 'table' });
  browser = await launchChromium();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

describe('a venue with table service', () => {
  it('promises to bring the order to its table, from the cart to ready', async () => {
    const context = await phoneContext(browser, server.baseUrl);
    try {
      const page = await context.newPage();
      screenshotOnFailure('table-service-wording', () => [page]);
      await signInThroughUi(page, CUSTOMER.email, CUSTOMER.password);
      await page.goto('/');
      await page
        .getByRole('button', { name: /^Add .+ to cart/ })
        .first()
        .click();
      await page.getByRole('link', { name: /Cart/ }).click();
      await page.getByText("We'll bring your order to this table.", { exact: false }).waitFor();
      await page.getByLabel('Table number').fill('4');
      await page.getByRole('button', { name: /Place order/ }).click();
      await page.getByTestId('order-number').waitFor();
      const orderId = new URL(page.url()).pathname.split('/').pop() ?? '';

      const bar = new StaffClient(server.baseUrl);
      await bar.login(BARTENDER.email, BARTENDER.password);
      for (const status of ['accepted', 'preparing', 'ready']) await bar.advance(orderId, status);
      await expect
        .poll(() => page.getByTestId('order-status').textContent(), { timeout: 10_000 })
        .toBe("Your order is ready. We'll bring it to table 4.");
    } finally {
      await context.close();
    }
  });
});
