import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient } from './support/api.js';
import {
  demoLogin,
  launchChromium,
  liveBadge,
  screenshotOnFailure,
  seriousViolations,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const ADMIN = demoLogin('admin');
const BARTENDER = demoLogin('bartender');

/** Searches wait 300 ms before they ask: more than vitest's default 1 s poll on a busy machine. */
const POLL = { timeout: 10_000 };

let server: RunningServer;
let browser: Browser;
let staff: StaffClient;

beforeAll(async () => {
  // The test talks to the API as an admin while the console is signed in as one: two sessions.
  server = await startServer({ SESSION_MAX_ADMIN: '3' });
  browser = await launchChromium();
  staff = new StaffClient(server.baseUrl);
  await staff.login(ADMIN.email, ADMIN.password, 'admin');
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

/** The admin console at a laptop's size, signed in; fails on any native dialog. */
async function withConsole(run: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: { width: 1280, height: 720 },
  });
  const page = await context.newPage();
  const nativeDialogs: string[] = [];
  page.on('dialog', (dialog) => {
    nativeDialogs.push(dialog.message());
    void dialog.dismiss();
  });
  try {
    await page.goto('/admin/sign-in');
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await liveBadge(page).first().waitFor();
    await run(page);
    expect(nativeDialogs).toEqual([]);
  } finally {
    await context.close();
  }
}

describe('the admin console', () => {
  it('shows a menu price change in the audit log as a sentence, and finds people by name', async () => {
    await withConsole(async (page) => {
      screenshotOnFailure('admin-audit-sentence', () => [page]);
      const created = await staff.request('POST', '/api/admin/menu-items', {
        name: 'Audit Pils',
        category: 'Beer',
        priceCents: 500,
      });
      const item = created.body as { id: string };
      await staff.request('PATCH', `/api/admin/menu-items/${item.id}`, { priceCents: 550 });
      await page.getByRole('link', { name: 'Audit log' }).click();
      const row = page
        .getByTestId('audit-row')
        .filter({ hasText: "Demo Admin changed Audit Pils's price from €5.00 to €5.50" });
      await row.waitFor();
      // The details, labelled, on demand.
      await row.getByText('Details').click();
      await expect(row.textContent()).resolves.toContain('before: {"priceCents":500}');
      expect(await seriousViolations(page)).toEqual([]);

      // A bartender signs in; typing part of their name finds only their entries.
      const bar = new StaffClient(server.baseUrl);
      await bar.login(BARTENDER.email, BARTENDER.password);
      await page.getByLabel('Person').fill('bartend');
      await page
        .getByTestId('audit-row')
        .filter({ hasText: 'Demo Bartender signed in to the bartender app' })
        .first()
        .waitFor();
      await expect
        .poll(
          async () =>
            (await page.getByTestId('audit-row').allTextContents()).every((text) =>
              text.includes('Demo Bartender'),
            ),
          POLL,
        )
        .toBe(true);

      await page.getByRole('link', { name: 'Sessions', exact: true }).click();
      // The page is loaded on first use: until it shows, "Person" is still the audit log's.
      await page.getByRole('heading', { name: 'Sessions' }).waitFor();
      await page.getByLabel('Person').fill('demo bartender');
      await expect
        .poll(async () => {
          const rows = await page.getByTestId('session-row').allTextContents();
          return rows.length > 0 && rows.every((text) => text.includes('bartender@taproom.local'));
        }, POLL)
        .toBe(true);
    });
  });

  it('asks before archiving an item, in a styled dialog that names what happens, and Esc keeps it', async () => {
    await withConsole(async (page) => {
      screenshotOnFailure('admin-archive-confirm', () => [page]);
      await staff.request('POST', '/api/admin/menu-items', {
        name: 'Keep Or Archive',
        category: 'Snacks',
        priceCents: 300,
      });
      await page.getByRole('link', { name: 'Menu' }).click();
      await page.getByRole('button', { name: 'Archive Keep Or Archive' }).click();
      const dialog = page.getByRole('dialog', { name: 'Archive Keep Or Archive?' });
      await dialog.waitFor();
      await expect(dialog.textContent()).resolves.toContain('past orders keep it');
      await page.waitForTimeout(300); // the fade-in, which axe would measure half-faded
      expect(await seriousViolations(page)).toEqual([]);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      const menu = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as {
        name: string;
      }[];
      expect(menu.some((entry) => entry.name === 'Keep Or Archive')).toBe(true);

      await page.getByRole('button', { name: 'Archive Keep Or Archive' }).click();
      await dialog.getByRole('button', { name: 'Archive' }).click();
      await expect
        .poll(async () => {
          const items = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as {
            name: string;
          }[];
          return items.some((entry) => entry.name === 'Keep Or Archive');
        }, POLL)
        .toBe(false);
    });
  });
});
