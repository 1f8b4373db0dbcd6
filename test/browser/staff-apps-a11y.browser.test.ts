import { type MenuEntry, requiredOptions } from './support/api.js';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  liveBadge,
  screenshotOnFailure,
  seriousViolations,
  startShift,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

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

async function signIn(page: Page, base: '/bartender' | '/admin', email: string, password: string) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await liveBadge(page).first().waitFor();
}

describe('accessibility of the bar and admin apps (axe: no serious or critical findings)', () => {
  it('bar: sign-in, queue with a ticket, menu drawer and cancel dialog', async () => {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1024, height: 768 },
    });
    const page = await context.newPage();
    screenshotOnFailure('a11y-bar', () => [page]);
    try {
      const customer = await fetch(`${server.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'customer@taproom.local',
          password: 'customer-demo-pass-2026',
          app: 'customer',
          refreshTransport: 'body',
        }),
      });
      const { accessToken } = (await customer.json()) as { accessToken: string };
      const menu = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as MenuEntry[];
      await fetch(`${server.baseUrl}/api/orders`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${accessToken}`,
          'content-type': 'application/json',
          'idempotency-key': crypto.randomUUID(),
        },
        body: JSON.stringify({
          items: [
            {
              menuItemId: menu[0]?.id,
              quantity: 2,
              note: 'no ice',
              options: requiredOptions(menu[0]),
            },
          ],
          tableNumber: 4,
          note: 'by the window',
        }),
      });

      await page.goto('/bartender/sign-in');
      expect(await seriousViolations(page)).toEqual([]);
      await signIn(page, '/bartender', 'bartender@taproom.local', 'bartender-demo-pass-2026');
      await page.getByTestId('ticket').first().waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await startShift(page);
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Menu / 86' }).click();
      await page.getByTestId('menu-drawer-item').first().waitFor();
      await page.waitForTimeout(500); // the drawer's slide-in, which axe would measure half-faded
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog', { name: 'Menu: 86 an item' }).waitFor({ state: 'hidden' });
      await page
        .getByRole('button', { name: /^More for order/ })
        .first()
        .click();
      await page.getByRole('menuitem', { name: 'Cancel order…' }).click();
      await page.getByRole('dialog', { name: /^Cancel order/ }).waitFor();
      await page.waitForTimeout(500);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('admin: every page', async () => {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    screenshotOnFailure('a11y-admin', () => [page]);
    try {
      await page.goto('/admin/sign-in');
      expect(await seriousViolations(page)).toEqual([]);
      await signIn(page, '/admin', 'admin@taproom.local', 'admin-demo-pass-2026');
      await page.getByTestId('orders-today').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      for (const [link, ready] of [
        ['Orders', 'order-row'],
        ['Menu', 'menu-row'],
        ['Users', 'user-row'],
        ['Sessions', 'session-row'],
        ['Audit log', 'audit-row'],
        ['Sales', 'sales-total'],
      ] as const) {
        await page.getByRole('link', { name: link, exact: true }).click();
        await page.getByTestId(ready).first().waitFor();
        expect({ link, violations: await seriousViolations(page) }).toEqual({
          link,
          violations: [],
        });
      }
      // The pages a row opens, and the audit log's details and filters in use.
      await page.getByRole('link', { name: 'Users', exact: true }).click();
      await page.getByRole('link', { name: 'Open Demo Bartender' }).click();
      await page.getByRole('heading', { name: 'Recent sign-ins' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Reset password' }).click();
      await page.getByRole('dialog', { name: /new password\?$/ }).waitFor();
      await page.waitForTimeout(500);
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.getByRole('link', { name: 'Orders', exact: true }).click();
      await page.getByTestId('order-row').first().getByRole('link').first().click();
      await page.getByRole('heading', { name: 'History' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Cancel order' }).click();
      await page.getByRole('dialog', { name: /^Cancel order/ }).waitFor();
      await page.waitForTimeout(500);
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await page.goto('/admin/audit?type=login_succeeded');
      await page.getByTestId('audit-row').first().getByText('Details').click();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByRole('heading', { name: 'Settings' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Menu', exact: true }).click();
      await page.getByRole('button', { name: 'New item' }).click();
      await page.getByRole('dialog').waitFor();
      await page.waitForTimeout(500);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
