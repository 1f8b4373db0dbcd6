import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MenuEntry, requiredOptions, StaffClient } from './support/api.js';
import {
  demoLogin,
  launchChromium,
  liveBadge,
  screenshotOnFailure,
  startShift,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const CUSTOMER = demoLogin('customer');
const BARTENDER = demoLogin('bartender');
const ADMIN = demoLogin('admin');

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

/** A tablet-sized context (1024×768), as at the bar. */
async function withTablet(run: (context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: { width: 1024, height: 768 },
  });
  try {
    await run(context);
  } finally {
    await context.close();
  }
}

async function signIn(page: Page, base: '' | '/bartender' | '/admin', who: typeof ADMIN) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(who.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await liveBadge(page).first().waitFor();
  if (base === '/bartender') await startShift(page);
}

/** Places an order as the demo customer through the API; returns it. */
async function placeOrder(note?: string): Promise<{ id: string; number: number; version: number }> {
  const login = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...CUSTOMER, app: 'customer', refreshTransport: 'body' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const menu = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as (MenuEntry & {
    available: boolean;
  })[];
  const item = menu.find((entry) => entry.available);
  if (item === undefined) throw new Error('no available menu item');
  const response = await fetch(`${server.baseUrl}/api/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      items: [{ menuItemId: item.id, quantity: 1, options: requiredOptions(item) }],
      tableNumber: 9,
      note,
    }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; number: number; version: number };
}

function ticket(page: Page, number: number) {
  return page.locator(`[data-testid=ticket][data-order-number="${String(number)}"]`);
}

describe('bartender and admin apps in a browser', () => {
  it('keeps customer, bartender and admin signed in side by side; signing out of one leaves the others', async () => {
    await withTablet(async (context) => {
      const customer = await context.newPage();
      const bar = await context.newPage();
      const admin = await context.newPage();
      screenshotOnFailure('three-apps', () => [customer, bar, admin]);
      await signIn(customer, '', CUSTOMER);
      await signIn(bar, '/bartender', BARTENDER);
      await signIn(admin, '/admin', ADMIN);
      for (const page of [customer, bar, admin]) {
        await page.reload();
        await liveBadge(page).first().waitFor();
      }
      // After a reload the bar asks to start the shift again; signing out is offered there too.
      await bar
        .getByRole('dialog', { name: 'Start shift' })
        .getByRole('button', { name: 'Sign out' })
        .click();
      await bar.getByRole('heading', { name: 'Sign in to the bar' }).waitFor();
      await admin.reload();
      await admin.getByTestId('orders-today').waitFor();
      await customer.reload();
      await liveBadge(customer).waitFor();
    });
  });

  it('shows a new order in the queue, moves it on, and tells the second bartender it changed', async () => {
    await withTablet(async (context) => {
      // Without live updates this card goes stale the moment someone else moves the order,
      // which is the race this test is about (the bar polls every 15 s meanwhile).
      await context.route('**/api/events', (route) => route.abort());
      const bar = await context.newPage();
      screenshotOnFailure('queue-conflict', () => [bar]);
      const order = await placeOrder('extra lime');
      await bar.goto('/bartender/sign-in');
      await bar.getByLabel('Email').fill(BARTENDER.email);
      await bar.getByRole('textbox', { name: 'Password' }).fill(BARTENDER.password);
      await bar.getByRole('button', { name: 'Sign in' }).click();
      // The stream is down: the bar says so, loudly.
      await bar.getByRole('alert').filter({ hasText: 'Live updates are down' }).waitFor();
      await startShift(bar);
      const card = ticket(bar, order.number);
      await card.waitFor();
      await expect(card.textContent()).resolves.toContain('extra lime');

      // Someone else (the admin at the bar) accepts it first: our card is now stale.
      const other = new StaffClient(server.baseUrl);
      await other.login(ADMIN.email, ADMIN.password, 'bartender');
      await other.advance(order.id, 'accepted');
      await card.getByRole('button', { name: /^Accept: order/ }).click();
      await card.getByTestId('conflict-notice').waitFor();
      await expect(card.getByTestId('conflict-notice').textContent()).resolves.toContain(
        'Changed by someone else',
      );
      // The fresh card is in the Accepted column, ready for the next step.
      await bar
        .locator('[data-column=accepted]')
        .locator(`[data-order-number="${String(order.number)}"]`)
        .waitFor();
      await card.getByRole('button', { name: /^Start: order/ }).click();
      await bar
        .locator('[data-column=preparing]')
        .locator(`[data-order-number="${String(order.number)}"]`)
        .waitFor();
    });
  });

  it('lets the bar 86 an item, and the public menu says so', async () => {
    await withTablet(async (context) => {
      const bar = await context.newPage();
      screenshotOnFailure('eighty-six', () => [bar]);
      await signIn(bar, '/bartender', BARTENDER);
      await bar.getByRole('button', { name: 'Menu / 86' }).click();
      const toggle = bar.getByRole('switch', { name: 'Cola available' });
      await toggle.focus();
      await bar.keyboard.press('Space');
      await expect
        .poll(async () => {
          const menu = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as {
            name: string;
            available: boolean;
          }[];
          return menu.find((item) => item.name === 'Cola')?.available;
        })
        .toBe(false);
    });
  });

  it('shows a new order within 2 s without a reload (live)', async () => {
    await withTablet(async (context) => {
      const bar = await context.newPage();
      screenshotOnFailure('queue-live', () => [bar]);
      await signIn(bar, '/bartender', BARTENDER);
      await bar.waitForSelector('[data-connection=live]');
      const order = await placeOrder();
      await ticket(bar, order.number).waitFor({ timeout: 2_000 });
      await expect(ticket(bar, order.number).getAttribute('data-new')).resolves.toBe('true');
    });
  });

  it('tells the first admin tab "You signed in on another device" when the admin signs in elsewhere', async () => {
    await withTablet(async (context) => {
      const admin = await context.newPage();
      screenshotOnFailure('admin-evicted', () => [admin]);
      await signIn(admin, '/admin', ADMIN);
      await admin.waitForSelector('[data-connection=live]');
      const elsewhere = new StaffClient(server.baseUrl);
      await elsewhere.login(ADMIN.email, ADMIN.password, 'admin');
      const notice = admin.getByTestId('signed-out-notice');
      await notice.waitFor({ timeout: 2_000 });
      await expect(notice.textContent()).resolves.toContain('You signed in on another device');
    });
  });
  it('signs the customer out with the reason when an admin ends their session', async () => {
    await withTablet(async (context) => {
      const customer = await context.newPage();
      const admin = await context.newPage();
      screenshotOnFailure('admin-ends-session', () => [customer, admin]);
      await signIn(customer, '', CUSTOMER);
      await customer.waitForSelector('[data-connection=live]');
      await signIn(admin, '/admin', ADMIN);
      await admin.getByRole('link', { name: 'Sessions', exact: true }).click();
      const row = admin
        .getByTestId('session-row')
        .filter({ hasText: 'customer@taproom.local' })
        .filter({ hasText: 'Chrome' })
        .first();
      await row.getByRole('button', { name: /^End Demo Customer/ }).click();
      // Asked first, naming what happens; then the session ends at once.
      const confirm = admin.getByRole('dialog', { name: /^End Demo Customer's session on / });
      await expect(confirm.textContent()).resolves.toContain(
        'will be signed out of the customer app',
      );
      await confirm.getByRole('button', { name: 'End session' }).click();
      const notice = customer.getByTestId('signed-out-notice');
      await notice.waitFor({ timeout: 2_000 });
      await expect(notice.textContent()).resolves.toContain('An admin ended this session');
    });
  });

  it('shows an admin menu edit on the customer menu without a reload', async () => {
    await withTablet(async (context) => {
      const customer = await context.newPage();
      const admin = await context.newPage();
      screenshotOnFailure('admin-menu-edit-live', () => [customer, admin]);
      await signIn(customer, '', CUSTOMER);
      await customer.waitForSelector('[data-connection=live]');
      await customer.getByText('Lemonade', { exact: true }).waitFor();
      await signIn(admin, '/admin', ADMIN);
      await admin.getByRole('link', { name: 'Menu', exact: true }).click();
      await admin.getByRole('button', { name: 'Edit Lemonade' }).click();
      await admin.getByRole('textbox', { name: 'Name', exact: true }).fill('Homemade Lemonade');
      await admin.getByRole('button', { name: 'Save' }).click();
      await customer.getByText('Homemade Lemonade', { exact: true }).waitFor({ timeout: 3_000 });
    });
  });
});
