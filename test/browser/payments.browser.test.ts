import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient } from './support/api.js';
import {
  demoLogin,
  launchChromium,
  liveBadge,
  phoneContext,
  recordFailures,
  screenshotOnFailure,
  seriousViolations,
  signInThroughUi,
  startShift,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const CUSTOMER = demoLogin('customer');
const BARTENDER = demoLogin('bartender');
const ADMIN = demoLogin('admin');
const TABLE = 7;

let server: RunningServer;
let browser: Browser;
let customer: StaffClient;
/** Another till, and the test's eyes on the orders: the admin (its session survives the bar's sign-ins). */
let till: StaffClient;
let menu: {
  id: string;
  stock: number | null;
  available: boolean;
  optionGroups: { min: number }[];
}[] = [];

interface PlacedOrder {
  id: string;
  number: number;
  totalCents: number;
}

/** An order of the demo customer's at `tableNumber`, of `lines` different unlimited items (none
 * that needs an option chosen). */
async function placeOrder(tableNumber: number | null, lines: number): Promise<PlacedOrder> {
  const items = menu
    .filter(
      (item) =>
        item.available &&
        item.stock === null &&
        item.optionGroups.every((group) => group.min === 0),
    )
    .slice(0, lines)
    .map((item, index) => ({ menuItemId: item.id, quantity: 1 + (index % 2) }));
  const response = await fetch(`${server.baseUrl}/api/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
      authorization: `Bearer ${customer.accessToken}`,
    },
    body: JSON.stringify({ items, ...(tableNumber === null ? {} : { tableNumber }) }),
  });
  const body = (await response.json()) as PlacedOrder;
  if (response.status !== 201) throw new Error(`order: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function orderNow(id: string): Promise<any> {
  return (await till.request('GET', `/api/orders/${id}`)).body;
}

/** "€12.50" as the apps write it (en locale in the test browser). */
function euros(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}

async function openBar(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/bartender/sign-in');
  await page.getByLabel('Email').fill(BARTENDER.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(BARTENDER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await liveBadge(page).first().waitFor();
  await startShift(page);
  await page.getByTestId('ticket').first().waitFor();
  return page;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  customer = new StaffClient(server.baseUrl);
  await customer.login(CUSTOMER.email, CUSTOMER.password, 'customer');
  till = new StaffClient(server.baseUrl);
  await till.login(ADMIN.email, ADMIN.password, 'admin');
  menu = (await till.request('GET', '/api/menu')).body;
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

describe('payments at the bar and in the console', () => {
  it('takes cash with a tip on a table’s tab of two orders, once for a double click; the customer sees it paid', async () => {
    const first = await placeOrder(TABLE, 2);
    await till.advance(first.id, 'accepted');
    const second = await placeOrder(TABLE, 1);
    const balance = first.totalCents + second.totalCents;
    const tip = Math.floor((balance * 10 + 50) / 100);

    const phone = await phoneContext(browser, server.baseUrl);
    const tablet = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1024, height: 768 },
    });
    const failures = recordFailures(tablet);
    try {
      const guestPage = await phone.newPage();
      const barPage = await openBar(tablet);
      screenshotOnFailure('payments-tab', () => [barPage, guestPage]);
      await signInThroughUi(guestPage, CUSTOMER.email, CUSTOMER.password);
      await guestPage.goto(`/orders/${second.id}`);
      await expect(
        guestPage.getByTestId('payment-status').getAttribute('data-payment-status'),
      ).resolves.toBe('unpaid');

      // The table's tab: both orders, oldest first, with what is left to pay.
      await barPage.getByRole('button', { name: 'Tabs' }).click();
      const drawer = barPage.getByRole('dialog', { name: /^Tab/ });
      await drawer.getByLabel('Table').fill(String(TABLE));
      await drawer.getByRole('button', { name: 'Open tab' }).click();
      await expect
        .poll(() =>
          drawer
            .getByTestId('tab-order')
            .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-order-number'))),
        )
        .toEqual([String(first.number), String(second.number)]);
      await expect(drawer.getByTestId('tab-balance').textContent()).resolves.toBe(euros(balance));
      expect(await seriousViolations(barPage)).toEqual([]);

      // Cash, 10 % tip, a note handed over: the change due is shown before anything is sent.
      await drawer.getByRole('button', { name: `Pay all ${euros(balance)}` }).click();
      const dialog = barPage.getByRole('dialog', { name: /^Take payment/ });
      await dialog.getByText('Cash', { exact: true }).click();
      await dialog.getByRole('button', { name: /^10 %/ }).click();
      const tendered = (Math.floor((balance + tip) / 5000) + 1) * 5000;
      await dialog.getByLabel(/Cash handed over/).fill((tendered / 100).toFixed(2));
      await expect(dialog.getByTestId('payment-due').textContent()).resolves.toBe(
        euros(balance + tip),
      );
      await expect(dialog.getByTestId('change-due').textContent()).resolves.toBe(
        euros(tendered - balance - tip),
      );

      expect(await seriousViolations(barPage)).toEqual([]);

      // A double click records once.
      const posts: string[] = [];
      barPage.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/tabs/payments')) {
          posts.push(request.headers()['idempotency-key'] ?? '');
        }
      });
      await dialog.getByRole('button', { name: 'Record payment' }).dblclick();
      await dialog.waitFor({ state: 'hidden' });
      await drawer.getByTestId('tab-settled').waitFor();
      expect(posts).toHaveLength(1);
      expect(posts[0]).toMatch(/^[0-9a-f-]{36}$/);

      const [one, two] = await Promise.all([orderNow(first.id), orderNow(second.id)]);
      for (const [order, placed] of [
        [one, first],
        [two, second],
      ] as const) {
        expect(order.paymentStatus).toBe('paid');
        expect(order.paidCents).toBe(placed.totalCents);
        expect(order.balanceCents).toBe(0);
        expect(order.payments).toHaveLength(1);
        expect(order.payments[0].method).toBe('cash');
      }
      // The tip once, on the first order paid.
      expect(Number(one.tipCents) + Number(two.tipCents)).toBe(tip);
      const tab = await till.request('GET', `/api/tabs?tableNumber=${String(TABLE)}`);
      expect(tab.body.balanceCents).toBe(0);

      // The customer's page turns to paid by itself (live).
      await expect
        .poll(() => guestPage.getByTestId('payment-status').getAttribute('data-payment-status'), {
          timeout: 10_000,
        })
        .toBe('paid');
      await expect(guestPage.getByTestId('payment-summary').textContent()).resolves.toContain(
        euros(second.totalCents),
      );
      expect(await seriousViolations(guestPage)).toEqual([]);
      // Nothing refused but the first visit's refresh without a cookie.
      expect(failures.filter((failure) => !failure.endsWith('/api/auth/refresh'))).toEqual([]);
    } finally {
      await phone.close();
      await tablet.close();
    }
  });

  it('says in words when someone else took a payment meanwhile, and the ticket shows it partly paid', async () => {
    const order = await placeOrder(null, 2);
    const tablet = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 768, height: 1024 },
    });
    try {
      const page = await openBar(tablet);
      screenshotOnFailure('payments-exceeds', () => [page]);
      const card = page.locator(
        `[data-testid=ticket][data-order-number="${String(order.number)}"]`,
      );
      await card.getByRole('button', { name: /^More for order/ }).click();
      await page.getByRole('menuitem', { name: 'Take payment…' }).click();
      const dialog = page.getByRole('dialog', { name: /^Take payment/ });
      await expect(dialog.getByRole('textbox', { name: /Amount/ }).inputValue()).resolves.toBe(
        (order.totalCents / 100).toFixed(2),
      );
      // Another till takes all but a euro first.
      const other = await fetch(`${server.baseUrl}/api/orders/${order.id}/payments`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': crypto.randomUUID(),
          authorization: `Bearer ${till.accessToken}`,
        },
        body: JSON.stringify({ method: 'card', amountCents: order.totalCents - 100 }),
      });
      expect(other.status).toBe(201);
      await dialog.getByRole('button', { name: 'Record payment' }).click();
      await expect(dialog.getByTestId('payment-error').textContent()).resolves.toContain(
        `${euros(100)} is left now`,
      );
      await expect(
        card.locator('[data-payment-status]').getAttribute('data-payment-status'),
      ).resolves.toBe('partially_paid');
      // The rest, then: the ticket says paid.
      await dialog.getByRole('textbox', { name: /Amount/ }).fill('1.00');
      await dialog.getByRole('button', { name: 'Record payment' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await expect
        .poll(() => card.locator('[data-payment-status]').getAttribute('data-payment-status'))
        .toBe('paid');
      expect((await orderNow(order.id)).payments).toHaveLength(2);
    } finally {
      await tablet.close();
    }
  });

  it('lets an admin refund part of a paid order with a reason; the order shows it', async () => {
    const order = await placeOrder(null, 1);
    const payment = await fetch(`${server.baseUrl}/api/orders/${order.id}/payments`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
        authorization: `Bearer ${till.accessToken}`,
      },
      body: JSON.stringify({ method: 'card', amountCents: order.totalCents, tipCents: 100 }),
    });
    expect(payment.status).toBe(201);
    const laptop = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1280, height: 720 },
    });
    try {
      const page = await laptop.newPage();
      screenshotOnFailure('payments-refund', () => [page]);
      await page.goto('/admin/sign-in');
      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await liveBadge(page).first().waitFor();
      await page.goto(`/admin/orders/${order.id}`);
      const card = page.getByTestId('order-payments');
      await card.getByTestId('payment-row').first().waitFor();
      await expect(card.getByTestId('payment-row').count()).resolves.toBe(1);
      await card.getByRole('button', { name: 'Refund…' }).click();
      const dialog = page.getByRole('dialog', { name: /^Refund order/ });
      await dialog.getByRole('textbox', { name: /Amount/ }).fill('2.00');
      await dialog.getByRole('button', { name: /^Refund$/ }).click();
      // The reason is required: nothing is sent without one.
      await dialog.getByText('Say why: the books keep the reason.').waitFor();
      await dialog.getByRole('textbox', { name: /Reason/ }).fill('Spilled drink');
      await dialog.getByRole('button', { name: /^Refund$/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      await card.getByTestId('refund-row').waitFor();
      await expect(card.getByTestId('refund-row').textContent()).resolves.toContain(
        'Spilled drink',
      );
      await expect(
        card.locator('[data-payment-status]').first().getAttribute('data-payment-status'),
      ).resolves.toBe('refunded');
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await laptop.close();
    }
  });
});
