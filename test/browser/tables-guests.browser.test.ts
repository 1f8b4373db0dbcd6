import type { Browser, BrowserContext, Page } from 'playwright-core';
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
  signInThroughUi,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const ADMIN = demoLogin('admin');
const BARTENDER = demoLogin('bartender');
const CUSTOMER = demoLogin('customer');
const LONG_LABEL = 'By the big window, next to the long oak bench that seats eight';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ SERVICE_MODE: 'table' });
  browser = await launchChromium();
});

/** The admin through the API: a fresh sign-in (the admin app allows one session at a time). */
async function adminApi(): Promise<StaffClient> {
  const admin = new StaffClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password, 'admin');
  return admin;
}

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

async function withPage(
  context: Promise<BrowserContext>,
  name: string,
  run: (page: Page) => Promise<void>,
): Promise<void> {
  const opened = await context;
  try {
    const page = await opened.newPage();
    screenshotOnFailure(name, () => [page]);
    await run(page);
  } finally {
    await opened.close();
  }
}

const laptop = () =>
  browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 720 } });

describe('tables and their QR codes in the console', () => {
  it('adds tables, shows their codes, prints a sheet and labels, and rotates a code', async () => {
    await withPage(laptop(), 'tables-console', async (page) => {
      await page.goto('/admin/sign-in');
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await liveBadge(page).first().waitFor();
      await page.getByRole('link', { name: 'Tables' }).click();

      for (const [number, label] of [
        [4, LONG_LABEL],
        [12, ''],
        [7, 'Terrace'],
      ] as const) {
        await page.getByLabel('Table number').fill(String(number));
        await page.getByLabel('Label (optional)').fill(label);
        await page.getByRole('button', { name: 'Add table' }).click();
        await page.getByTestId(`table-row-${String(number)}`).waitFor();
      }
      // A number in use is refused by the form, in words.
      await page.getByLabel('Table number').fill('4');
      await page.getByRole('button', { name: 'Add table' }).click();
      await page.getByText('There is already a table 4.').waitFor();

      // Sorted by number, each with a QR code that holds its link.
      const rows = page.locator('[data-testid^="table-row-"]');
      expect(
        await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-testid'))),
      ).toEqual(['table-row-4', 'table-row-7', 'table-row-12']);
      const code = page.getByTestId('table-row-4').getByRole('img', { name: /QR code/ });
      const before = await code.getAttribute('data-qr-url');
      expect(before).toMatch(new RegExp(`^${server.baseUrl}/t/[A-Za-z0-9_-]{43}$`));
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `${ARTIFACTS}/tables-console-1280x720.png` });

      await page.getByRole('link', { name: 'Print A4 sheet' }).click();
      await page.getByTestId('qr-sheet').waitFor();
      expect(await page.locator('[data-testid^="qr-card-"]').count()).toBe(3);
      await page.emulateMedia({ media: 'print' });
      // On paper only the codes: no console navigation.
      expect(await page.getByRole('navigation', { name: 'Console' }).isVisible()).toBe(false);
      await page.screenshot({ path: `${ARTIFACTS}/tables-print-a4.png`, fullPage: true });
      await page.pdf({ path: `${ARTIFACTS}/tables-print-a4.pdf`, preferCSSPageSize: true });
      await page.emulateMedia({ media: 'screen' });
      await page.getByText('Labels', { exact: true }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('layout')).toBe('labels');
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: `${ARTIFACTS}/tables-print-labels.png`, fullPage: true });
      await page.pdf({ path: `${ARTIFACTS}/tables-print-labels.pdf`, preferCSSPageSize: true });
      await page.emulateMedia({ media: 'screen' });

      await page.getByRole('link', { name: 'Back to tables' }).click();
      await page.getByTestId('table-row-4').getByRole('button', { name: 'New code' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Make a new code' }).click();
      await expect
        .poll(() => code.getAttribute('data-qr-url'), { timeout: 5_000 })
        .not.toBe(before);
      expect(await code.getAttribute('data-qr-url')).toMatch(/\/t\/[A-Za-z0-9_-]{43}$/);
    });
  });

  it('tells whoever scans a rotated code that it no longer works', async () => {
    const admin = await adminApi();
    const created = await admin.request('POST', '/api/admin/tables', { number: 30 });
    const old = (created.body as { qrUrl: string; id: string }).qrUrl;
    await admin.request('POST', `/api/admin/tables/${String(created.body.id)}/rotate`);
    await withPage(phoneContext(browser, server.baseUrl), 'table-rotated', async (page) => {
      await page.goto(old);
      await page.getByText("This table's code doesn't work any more").waitFor();
      expect(await liveBadge(page).count()).toBe(0);
    });
  });
});

describe('a guest at a table', () => {
  it('scans, orders for the table, hears it is ready, and keeps the orders in an account', async () => {
    const created = await (await adminApi()).request('POST', '/api/admin/tables', { number: 21 });
    expect(created.status).toBe(201);
    await withPage(phoneContext(browser, server.baseUrl), 'guest-orders', async (page) => {
      await page.goto(created.body.qrUrl as string);
      await page.getByTestId('seated-notice').waitFor();
      // The token leaves the address bar once the guest is seated.
      expect(new URL(page.url()).pathname).toBe('/');
      await page.getByTestId('guest-table').getByText('Table 21').waitFor();
      await liveBadge(page).waitFor();

      await page
        .getByRole('button', { name: /^Add .+ to cart/ })
        .first()
        .click();
      await page.getByRole('link', { name: /Cart/ }).click();
      await page.getByTestId('guest-table-line').getByText('21').waitFor();
      expect(await page.getByLabel('Table number').count()).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}/guest-cart-390x844.png` });
      await page.getByRole('button', { name: /Place order/ }).click();
      await page.getByTestId('order-number').waitFor();
      const orderId = new URL(page.url()).pathname.split('/').pop() ?? '';

      const bar = new StaffClient(server.baseUrl);
      await bar.login(BARTENDER.email, BARTENDER.password);
      const ticket = await bar.request('GET', `/api/orders/${orderId}`);
      expect(ticket.body.tableNumber).toBe(21);
      for (const status of ['accepted', 'preparing', 'ready']) await bar.advance(orderId, status);
      await expect
        .poll(() => page.getByTestId('order-status').textContent(), { timeout: 10_000 })
        .toBe("Your order is ready. We'll bring it to table 21.");
      // The tab says so too, for a phone where another tab or app is in front.
      expect(await page.title()).toContain(`Ready — #${String(ticket.body.number)}`);

      await page.getByRole('link', { name: 'Account' }).click();
      const form = page.getByRole('form', { name: 'Save my orders — create an account' });
      await form.getByLabel('Your name').fill('Gita Guest');
      await form.getByLabel('Email').fill(`gita-${String(Date.now())}@example.com`);
      await form.getByRole('textbox', { name: 'Password' }).fill('a-long-unusual-passphrase-42');
      await page.screenshot({ path: `${ARTIFACTS}/guest-upgrade-390x844.png` });
      await form.getByRole('button', { name: 'Save my orders' }).click();
      await page.waitForURL('**/orders');
      await page
        .getByRole('link', { name: new RegExp(`Order ${String(ticket.body.number)}`) })
        .or(page.getByText(`#${String(ticket.body.number)}`))
        .first()
        .waitFor();
      expect(await page.getByTestId('guest-table').count()).toBe(0);
      await page.getByRole('link', { name: 'Account' }).click();
      await page.getByText('Gita Guest').waitFor();
      // Still the same session: live, and no sign-in asked for.
      await liveBadge(page).waitFor();
    });
  });

  it('moves a guest who scans another table there; a dead code leaves them seated', async () => {
    const admin = await adminApi();
    const first = await admin.request('POST', '/api/admin/tables', { number: 23 });
    const second = await admin.request('POST', '/api/admin/tables', { number: 24 });
    const gone = await admin.request('POST', '/api/admin/tables', { number: 25 });
    await admin.request('DELETE', `/api/admin/tables/${String(gone.body.id)}`);
    await withPage(phoneContext(browser, server.baseUrl), 'guest-moves', async (page) => {
      await page.goto(first.body.qrUrl as string);
      await page.getByTestId('guest-table').getByText('Table 23').waitFor();
      // A dead code leaves the guest where they were.
      await page.goto(gone.body.qrUrl as string);
      await page.getByText("This table's code doesn't work any more").waitFor();
      await page.goto('/');
      await page.getByTestId('guest-table').getByText('Table 23').waitFor();
      await page.goto(second.body.qrUrl as string);
      await page.getByTestId('seated-notice').getByText('table 24').waitFor();
      await page.getByTestId('guest-table').getByText('Table 24').waitFor();
      expect(await page.getByTestId('signed-out-notice').count()).toBe(0);
    });
  });

  it('fills the table in for a signed-in customer, who keeps their account', async () => {
    const created = await (await adminApi()).request('POST', '/api/admin/tables', { number: 22 });
    await withPage(phoneContext(browser, server.baseUrl), 'customer-scans', async (page) => {
      await signInThroughUi(page, CUSTOMER.email, CUSTOMER.password);
      await page.goto(created.body.qrUrl as string);
      await page.getByTestId('seated-notice').getByText('table 22').waitFor();
      expect(await page.getByTestId('guest-table').count()).toBe(0);
      await page
        .getByRole('button', { name: /^Add .+ to cart/ })
        .first()
        .click();
      await page.getByRole('link', { name: /Cart/ }).click();
      await expect.poll(() => page.getByLabel('Table number').inputValue()).toBe('22');
      await page.getByRole('link', { name: 'Account' }).click();
      await page.getByText(CUSTOMER.email).waitFor();
    });
  });
});
