import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MenuEntry, requiredOptions, StaffClient } from './support/api.js';
import {
  demoLogin,
  launchChromium,
  liveBadge,
  screenshotOnFailure,
  seriousViolations,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const ADMIN = demoLogin('admin');
const CUSTOMER = demoLogin('customer');
/** Searches wait before they ask: more than vitest's default 1 s poll on a busy machine. */
const POLL = { timeout: 10_000 };

let server: RunningServer;
let browser: Browser;
let staff: StaffClient;

beforeAll(async () => {
  // The test talks to the API as an admin while the console is signed in as one.
  server = await startServer({ SESSION_MAX_ADMIN: '50', RATE_LIMIT_USER_PER_MINUTE: '0' });
  browser = await launchChromium();
  staff = new StaffClient(server.baseUrl);
  await staff.login(ADMIN.email, ADMIN.password, 'admin');
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

async function signInConsole(page: Page): Promise<void> {
  await page.goto('/admin/sign-in');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await liveBadge(page).first().waitFor();
}

/** The console at a laptop's size, signed in; fails on any native dialog. */
async function withConsole(
  name: string,
  run: (page: Page) => Promise<void>,
  viewport = { width: 1280, height: 720 },
): Promise<void> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  screenshotOnFailure(name, () => [page]);
  const nativeDialogs: string[] = [];
  page.on('dialog', (dialog) => {
    nativeDialogs.push(dialog.message());
    void dialog.dismiss();
  });
  try {
    await signInConsole(page);
    await run(page);
    expect(nativeDialogs).toEqual([]);
  } finally {
    await context.close();
  }
}

/** Picks a person in a user picker with the keyboard alone: type, arrow down, Enter. */
async function pickPerson(page: Page, label: string, typed: string, name: string): Promise<void> {
  const input = page.getByRole('combobox', { name: label, exact: true });
  await input.fill(typed);
  // The server's answer for what was typed, not an earlier one's.
  await expect
    .poll(async () => {
      const options = await page.getByRole('option').allTextContents();
      return options.length > 0 && options.every((text) => text.includes(name));
    }, POLL)
    .toBe(true);
  await input.press('ArrowDown');
  await input.press('Enter');
  await expect.poll(() => input.inputValue(), POLL).toBe(name);
}

async function newStaff(name: string, role: 'bartender' | 'admin' = 'bartender') {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${String(Date.now())}@bar.example`;
  const password = 'a-long-staff-password-2026';
  const created = await staff.request('POST', '/api/admin/users', { email, name, role, password });
  expect(created.status).toBe(201);
  return { ...(created.body as { id: string }), email, password, name };
}

async function login(email: string, password: string, app: string) {
  return fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, app, refreshTransport: 'body' }),
  });
}

async function placeOrder(fields: { tableNumber?: number; note?: string } = {}) {
  const signedIn = (await (await login(CUSTOMER.email, CUSTOMER.password, 'customer')).json()) as {
    accessToken: string;
  };
  const menu = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as (MenuEntry & {
    stock: number | null;
  })[];
  const item = menu.find((entry) => entry.stock === null) ?? menu[0];
  const response = await fetch(`${server.baseUrl}/api/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${signedIn.accessToken}`,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      items: [{ menuItemId: item?.id, quantity: 2, options: requiredOptions(item) }],
      ...fields,
    }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; number: number };
}

describe('the admin console, as a manager uses it', () => {
  it('finds a person by name with the keyboard in sessions and audit, and opens their page', async () => {
    const sam = await newStaff('Sam Keyboard');
    expect((await login(sam.email, sam.password, 'bartender')).status).toBe(200);
    await withConsole('manager-picker', async (page) => {
      await page.getByRole('link', { name: 'Sessions', exact: true }).click();
      await page.getByRole('heading', { name: 'Sessions' }).waitFor();
      await pickPerson(page, 'Person', 'sam keyb', 'Sam Keyboard');
      await expect
        .poll(async () => {
          const rows = await page.getByTestId('session-row').allTextContents();
          return rows.length === 1 && rows[0]?.includes('Sam Keyboard');
        }, POLL)
        .toBe(true);
      expect(page.url()).toContain(`userId=${sam.id}`);

      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { name: 'Audit log' }).waitFor();
      await pickPerson(page, 'Person', sam.email.slice(0, 10), 'Sam Keyboard');
      await expect
        .poll(async () => {
          const rows = await page.getByTestId('audit-row').allTextContents();
          return (
            rows.length > 0 &&
            rows.some((text) => text.includes('Sam Keyboard signed in to the bartender app')) &&
            rows.every((text) => text.includes('Sam Keyboard'))
          );
        }, POLL)
        .toBe(true);

      // The person's own page: their device and their sign-in.
      await page
        .getByTestId('audit-row')
        .getByRole('link', { name: 'Sam Keyboard' })
        .first()
        .click();
      await page.getByRole('heading', { name: 'Sam Keyboard', level: 1 }).waitFor();
      await page.getByRole('heading', { name: 'Signed in on 1 device' }).waitFor();
      await page
        .getByRole('table', { name: "Sam Keyboard's recent sign-ins" })
        .getByText('Sam Keyboard signed in to the bartender app')
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
    });
  });

  it('shows a price change in the audit log as a sentence, with before → after on demand', async () => {
    const created = await staff.request('POST', '/api/admin/menu-items', {
      name: 'Audit Pils',
      category: 'Beer',
      priceCents: 500,
    });
    const item = created.body as { id: string };
    await staff.request('PATCH', `/api/admin/menu-items/${item.id}`, { priceCents: 550 });
    await withConsole('manager-audit-sentence', async (page) => {
      await page.goto('/admin/audit?type=menu_item_updated');
      const row = page
        .getByTestId('audit-row')
        .filter({ hasText: "Demo Admin changed Audit Pils's price from €5.00 to €5.50" });
      await row.waitFor();
      await row.getByText('Details').click();
      await expect(row.textContent()).resolves.toContain('Price: €5.00 → €5.50');
      expect(await seriousViolations(page)).toEqual([]);
    });
  });

  it('asks before a role change, says who is signed out, and undoes it', async () => {
    const ann = await newStaff('Ann Promote');
    expect((await login(ann.email, ann.password, 'bartender')).status).toBe(200);
    await withConsole('manager-role-undo', async (page) => {
      await page.getByRole('link', { name: 'Users' }).click();
      await page.getByLabel('Search').fill('Ann Promote');
      await expect.poll(() => page.getByTestId('user-row').count(), POLL).toBe(1);
      await page.getByRole('combobox', { name: 'Role of Ann Promote' }).click();
      await page.getByRole('option', { name: 'Admin' }).click();
      const dialog = page.getByRole('dialog', { name: 'Make Ann Promote an admin?' });
      await dialog.waitFor();
      await expect(dialog.textContent()).resolves.toContain(
        'Ann Promote will be signed out of 1 device at once.',
      );
      // Esc changes nothing.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      const unchanged = await staff.request('GET', `/api/admin/users/${ann.id}`);
      expect(unchanged.body.role).toBe('bartender');

      await page.getByRole('combobox', { name: 'Role of Ann Promote' }).click();
      await page.getByRole('option', { name: 'Admin' }).click();
      await dialog.getByRole('button', { name: 'Make admin' }).click();
      const toast = page.getByRole('alert').filter({ hasText: 'Ann Promote is now an admin.' });
      await toast.waitFor();
      expect((await staff.request('GET', `/api/admin/users/${ann.id}`)).body.role).toBe('admin');
      await toast.getByRole('button', { name: 'Undo' }).click();
      await page.getByText('Ann Promote is a bartender again.').waitFor();
      expect((await staff.request('GET', `/api/admin/users/${ann.id}`)).body.role).toBe(
        'bartender',
      );

      // Another admin changes it again before Undo: the undo refuses rather than undo theirs.
      await page.getByRole('combobox', { name: 'Role of Ann Promote' }).click();
      await page.getByRole('option', { name: 'Customer' }).click();
      await page
        .getByRole('dialog', { name: 'Make Ann Promote a customer?' })
        .getByRole('button', { name: 'Make customer' })
        .click();
      const second = page.getByRole('alert').filter({ hasText: 'Ann Promote is now a customer.' });
      await second.waitFor();
      await staff.request('PATCH', `/api/admin/users/${ann.id}`, { role: 'admin' });
      await second.getByRole('button', { name: 'Undo' }).click();
      await page
        .getByText('Ann Promote is an admin now, changed since; nothing was undone.')
        .waitFor();
      expect((await staff.request('GET', `/api/admin/users/${ann.id}`)).body.role).toBe('admin');
    });
  });

  it('archives with undo, and gives a new password that is shown once and works', async () => {
    await staff.request('POST', '/api/admin/menu-items', {
      name: 'Undo Me Porter',
      category: 'Beer',
      priceCents: 450,
    });
    const ben = await newStaff('Ben Reset');
    await withConsole('manager-archive-reset', async (page) => {
      await page.getByRole('link', { name: 'Menu' }).click();
      await page.getByRole('button', { name: 'Archive Undo Me Porter' }).click();
      await page
        .getByRole('dialog', { name: 'Archive Undo Me Porter?' })
        .getByRole('button', { name: 'Archive' })
        .click();
      const toast = page.getByRole('alert').filter({ hasText: 'Undo Me Porter is archived.' });
      await toast.waitFor();
      const onMenu = async () =>
        ((await (await fetch(`${server.baseUrl}/api/menu`)).json()) as { name: string }[]).some(
          (entry) => entry.name === 'Undo Me Porter',
        );
      expect(await onMenu()).toBe(false);
      await toast.getByRole('button', { name: 'Undo' }).click();
      await page.getByText('Undo Me Porter is back on the menu.').waitFor();
      expect(await onMenu()).toBe(true);

      await page.goto(`/admin/users/${ben.id}`);
      await page.getByRole('heading', { name: 'Ben Reset', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Reset password' }).click();
      await page
        .getByRole('dialog', { name: 'Give Ben Reset a new password?' })
        .getByRole('button', { name: 'Set a new password' })
        .click();
      const shown = page.getByTestId('new-password');
      await shown.waitFor();
      const password = (await shown.textContent()) ?? '';
      expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){4}$/);
      expect((await login(ben.email, ben.password, 'bartender')).status).toBe(401);
      expect((await login(ben.email, password, 'bartender')).status).toBe(200);
      await page.getByRole('button', { name: 'Done' }).click();
      await shown.waitFor({ state: 'hidden' });
      expect(await page.getByText(password).count()).toBe(0);
    });
  });

  it('keeps a half-typed menu item through a reload and an eviction, back after signing in', async () => {
    // The default cap of one admin-app session per admin: a sign-in elsewhere evicts the console.
    const own = await startServer({ RATE_LIMIT_USER_PER_MINUTE: '0' });
    const context = await browser.newContext({
      baseURL: own.baseUrl,
      viewport: { width: 1280, height: 720 },
    });
    const page = await context.newPage();
    screenshotOnFailure('manager-draft', () => [page]);
    try {
      await signInConsole(page);
      await page.getByRole('link', { name: 'Menu' }).click();
      await page.getByRole('button', { name: 'New item' }).click();
      const form = page.getByRole('dialog', { name: 'New menu item' });
      await form.getByLabel('Name').fill('Half Typed Stout');
      await form.getByLabel('Category').fill('Beer');
      // What is being typed is not "back": the notice is for a draft the form opened with.
      expect(await form.getByTestId('draft-restored').count()).toBe(0);

      await page.reload();
      await form.waitFor();
      await expect(form.getByLabel('Name').inputValue()).resolves.toBe('Half Typed Stout');
      await form.getByTestId('draft-restored').waitFor();

      const elsewhere = await fetch(`${own.baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...ADMIN, app: 'admin', refreshTransport: 'body' }),
      });
      expect(elsewhere.status).toBe(200);
      await page
        .getByText('You signed in on another device, so this one was signed out.')
        .waitFor({ timeout: 15_000 });

      await page.getByLabel('Email').fill(ADMIN.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Back where they were, with the form as they left it.
      await liveBadge(page).first().waitFor();
      await form.waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin/menu');
      await expect(form.getByLabel('Name').inputValue()).resolves.toBe('Half Typed Stout');
      await expect(form.getByLabel('Category').inputValue()).resolves.toBe('Beer');
      // Cancel throws it away for good.
      await form.getByRole('button', { name: 'Cancel' }).click();
      await page.reload();
      await page.getByRole('button', { name: 'New item' }).waitFor();
      expect(await form.count()).toBe(0);
    } finally {
      await context.close();
      await own.stop();
    }
  });

  it('asks before archiving an item, in a styled dialog that names what happens, and Esc keeps it', async () => {
    await withConsole('admin-archive-confirm', async (page) => {
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
  it('filters orders by customer and table, opens one, cancels it with a reason, exports CSV', async () => {
    const mine = await placeOrder({ tableNumber: 17, note: '=HYPERLINK("x"), "quoted"' });
    await placeOrder({ tableNumber: 3 });
    await withConsole('manager-orders', async (page) => {
      await page.getByRole('link', { name: 'Orders', exact: true }).click();
      await page.getByRole('heading', { name: 'Orders' }).waitFor();
      await pickPerson(page, 'Customer', 'demo cust', 'Demo Customer');
      await page.getByLabel('Table').fill('17');
      await expect
        .poll(async () => {
          const rows = await page.getByTestId('order-row').allTextContents();
          return rows.length > 0 && rows.every((text) => text.includes('Demo Customer'));
        }, POLL)
        .toBe(true);
      await page
        .getByRole('link', { name: `Order ${String(mine.number)}` })
        .first()
        .waitFor();
      expect(page.url()).toContain('table=17');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^orders-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile(await download.path(), 'utf8');
      // A byte order mark, so a spreadsheet reads the names as UTF-8.
      expect(csv.startsWith('\uFEFF')).toBe(true);
      const lines = csv.slice(1).trimEnd().split('\r\n');
      expect(lines[0]).toMatch(/^number,id,createdAt,/);
      // Only the filtered orders, every one at table 17; the formula is neutralised, quotes doubled.
      expect(lines.length).toBeGreaterThan(1);
      expect(lines.slice(1).every((line) => line.includes(',17,'))).toBe(true);
      const row = lines.find((line) => line.includes(mine.id)) ?? '';
      expect(row).toContain(`"'=HYPERLINK(""x""), ""quoted"""`);

      await page
        .getByRole('link', { name: `Order ${String(mine.number)}` })
        .first()
        .click();
      await page.getByRole('heading', { name: `Order #${String(mine.number)}` }).waitFor();
      await page.getByRole('button', { name: 'Cancel order' }).click();
      const dialog = page.getByRole('dialog', { name: `Cancel order ${String(mine.number)}` });
      await dialog.getByLabel('Customer left').check();
      await dialog.getByRole('button', { name: 'Cancel order' }).click();
      await page.getByText(`Order #${String(mine.number)} is cancelled`).waitFor();
      await page.getByText('Cancelled: Customer left').waitFor();
      // The history names who moved it: the customer placed it, the admin cancelled it.
      const history = page.locator('.mantine-Timeline-root');
      await expect
        .poll(() => history.textContent(), POLL)
        .toMatch(/Sent.*Demo Customer.*Cancelled.*Demo Admin \(admin\)/s);
      await page.getByRole('link', { name: 'Demo Customer' }).first().click();
      await page.getByRole('heading', { name: 'Demo Customer', level: 1 }).waitFor();
    });
  });

  it('reports sales by preset with currency on the axis and the service times, and exports them', async () => {
    const order = await placeOrder();
    for (const status of ['accepted', 'preparing', 'ready', 'completed']) {
      await staff.advance(order.id, status);
    }
    await withConsole('manager-sales', async (page) => {
      await page.getByRole('link', { name: 'Sales' }).click();
      await page.getByRole('button', { name: 'Today' }).click();
      await expect.poll(() => page.getByTestId('sales-total').textContent(), POLL).toMatch(/^€\d/);
      // Money on the chart's axis, not bare numbers.
      await expect
        .poll(() => page.locator('.recharts-cartesian-axis-tick-label').allTextContents(), POLL)
        .toContainEqual(expect.stringMatching(/^€/));
      await expect
        .poll(() => page.getByTestId('accept-seconds').textContent(), POLL)
        .toMatch(/Typical \(median\)\d+ (s|min)/);
      await page.getByText('Orders per hour of the day').waitFor();

      // A range that cannot be shown shows nothing old under its error.
      await page.getByLabel('From').fill('2030-01-01');
      await page.getByRole('alert').filter({ hasText: 'Choose a start date' }).waitFor();
      expect(await page.getByTestId('sales-total').count()).toBe(0);
      expect(await page.getByText('Revenue per day').count()).toBe(0);

      await page.getByRole('button', { name: 'Last 7 days' }).click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download CSV' }).click(),
      ]);
      const csv = await readFile(await download.path(), 'utf8');
      // A byte order mark, so a spreadsheet reads the names as UTF-8.
      expect(csv.startsWith('\uFEFF')).toBe(true);
      const lines = csv.slice(1).trimEnd().split('\r\n');
      // The figures of the day's revenue, then VAT per rate sold (the test's items carry 0 %),
      // then the money taken.
      expect(lines[0]).toBe(
        'date,orders,revenue,revenueCents,net0,net0Cents,vat0,vat0Cents,vat,vatCents,' +
          'paid,paidCents,tip,tipCents,refunded,refundedCents,unpaid,unpaidCents',
      );
      expect(lines).toHaveLength(8);
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
});
