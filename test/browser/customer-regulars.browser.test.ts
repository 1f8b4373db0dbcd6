import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MenuEntry, requiredOptions, StaffClient } from './support/api.js';
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

/** Screenshots of the new screens at phone size, for a person to look at. */
const SHOTS = join(ARTIFACTS, 'shots');
const PASSWORD = 'a-long-unusual-passphrase-42';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

/** A new customer (so their order list starts empty), and an API client signed in as them. */
async function newCustomer(label: string): Promise<{ email: string; api: StaffClient }> {
  const email = `${label}-${String(Date.now())}@example.com`;
  const response = await fetch(`${server.baseUrl}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, name: 'Regular Robin' }),
  });
  if (response.status !== 201) throw new Error(`register: ${String(response.status)}`);
  const api = new StaffClient(server.baseUrl);
  await api.login(email, PASSWORD, 'customer');
  return { email, api };
}

async function orderCount(api: StaffClient): Promise<number> {
  const list = await api.request('GET', '/api/orders?limit=50');
  return (list.body as { total: number }).total;
}

async function withContext(run: (context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await phoneContext(browser, server.baseUrl);
  try {
    await run(context);
  } finally {
    await context.close();
  }
}

/** Counts `POST /api/orders` that actually left the browser. */
function countOrderPosts(context: BrowserContext): () => number {
  let posts = 0;
  context.on('requestfinished', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/orders') posts++;
  });
  return () => posts;
}

async function pilsnerInCartWithNote(page: Page, note: string): Promise<void> {
  await page.goto('/');
  // Pilsner comes in sizes: its sheet opens with the pint chosen.
  await page.getByRole('button', { name: /^Add Pilsner: choose options/ }).click();
  await page.getByTestId('sheet-add').click();
  await page.getByRole('link', { name: /Cart/ }).click();
  await page.getByRole('button', { name: 'Add a note for Pilsner' }).click();
  await page.getByRole('textbox', { name: 'Note for Pilsner' }).fill(note);
}

function connection(page: Page): Promise<string | null> {
  return liveBadge(page).getAttribute('data-connection');
}

describe('customer app for regulars, online and off', () => {
  it('holds an order while offline, says so, and sends it exactly once when back', async () => {
    const { email, api } = await newCustomer('offline');
    await withContext(async (context) => {
      const page = await context.newPage();
      screenshotOnFailure('offline-checkout', () => [page]);
      const posts = countOrderPosts(context);
      await signInThroughUi(page, email, PASSWORD);
      await expect.poll(() => connection(page)).toBe('live');
      await pilsnerInCartWithNote(page, 'no foam, please');
      await page
        .getByRole('button', { name: 'Add a note for Pilsner' })
        .waitFor({ state: 'detached' });
      await page.screenshot({ path: join(SHOTS, 'cart-line-notes.png') });

      await context.setOffline(true);
      await expect.poll(() => connection(page), { timeout: 2_000 }).toBe('offline');
      await page.getByRole('button', { name: /Place order/ }).click();
      const waiting = page.getByTestId('order-waiting');
      await waiting.waitFor({ timeout: 2_000 });
      expect(await waiting.textContent()).toContain("Waiting for connection — we'll send it once");
      expect(await liveBadge(page).textContent()).not.toMatch(/live/i);
      await page.screenshot({ path: join(SHOTS, 'order-waiting.png') });
      expect(await seriousViolations(page)).toEqual([]);
      expect(posts()).toBe(0);
      expect(await orderCount(api)).toBe(0);

      await context.setOffline(false);
      await page.getByTestId('order-number').waitFor({ timeout: 10_000 });
      const orderId = new URL(page.url()).pathname.split('/').pop() ?? '';
      await expect.poll(() => connection(page), { timeout: 5_000 }).toBe('live');
      await page.getByText('“no foam, please”').waitFor();

      // Give a second send (the retry timer, another `online` event) the chance to happen.
      await page.waitForTimeout(1_500);
      expect(posts()).toBe(1);
      const list = await api.request('GET', '/api/orders?limit=50');
      expect(list.body.total).toBe(1);
      expect(list.body.items[0].id).toBe(orderId);
      expect(list.body.items[0].items).toMatchObject([
        { name: 'Pilsner', quantity: 1, note: 'no foam, please' },
      ]);
    });
  });

  it('places one order when two tabs of one phone both wait to send it', async () => {
    const { email, api } = await newCustomer('two-tabs');
    await withContext(async (context) => {
      const first = await context.newPage();
      const second = await context.newPage();
      screenshotOnFailure('offline-two-tabs', () => [first, second]);
      await signInThroughUi(first, email, PASSWORD);
      await pilsnerInCartWithNote(first, 'one glass');
      await second.goto('/cart');
      await second.getByRole('button', { name: /Place order/ }).waitFor();

      await context.setOffline(true);
      await first.getByRole('button', { name: /Place order/ }).click();
      await first.getByTestId('order-waiting').waitFor({ timeout: 2_000 });
      // The other tab learns of the waiting order, under the same key: nothing to place twice.
      await second.getByTestId('order-waiting').waitFor({ timeout: 5_000 });
      expect(await second.getByRole('button', { name: /Place order/ }).count()).toBe(0);

      await context.setOffline(false);
      await first.getByTestId('order-number').waitFor({ timeout: 20_000 });
      await second.waitForTimeout(2_000);
      const list = await api.request('GET', '/api/orders?limit=50');
      expect(list.body.total).toBe(1);
      await expect.poll(() => second.getByTestId('order-waiting').count()).toBe(0);
    });
  });

  it('sends nothing when the wait is cancelled, and keeps the cart', async () => {
    const { email, api } = await newCustomer('cancel');
    await withContext(async (context) => {
      const page = await context.newPage();
      screenshotOnFailure('offline-cancel', () => [page]);
      const posts = countOrderPosts(context);
      await signInThroughUi(page, email, PASSWORD);
      await pilsnerInCartWithNote(page, 'in a jug');

      await context.setOffline(true);
      await page.getByRole('button', { name: /Place order/ }).click();
      await page.getByTestId('order-waiting').waitFor();
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.getByRole('button', { name: /Place order/ }).waitFor();

      await context.setOffline(false);
      await expect.poll(() => connection(page), { timeout: 5_000 }).toBe('live');
      await page.waitForTimeout(1_500);
      expect(posts()).toBe(0);
      expect(await orderCount(api)).toBe(0);
      expect(await page.getByTestId('cart-line').count()).toBe(1);
      expect(await page.getByRole('textbox', { name: 'Note for Pilsner' }).inputValue()).toBe(
        'in a jug',
      );
    });
  });

  it('names the items in the history and orders them again, leaving out what is off', async () => {
    const { email, api } = await newCustomer('reorder');
    const menu = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as (MenuEntry & {
      name: string;
    })[];
    const itemOf = (name: string): MenuEntry => {
      const item = menu.find((candidate) => candidate.name === name);
      if (item === undefined) throw new Error(`no ${name} on the demo menu`);
      return item;
    };
    const idOf = (name: string): string => itemOf(name).id;
    const placed = await fetch(`${server.baseUrl}/api/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': crypto.randomUUID(),
        authorization: `Bearer ${await bearerOf(email)}`,
      },
      body: JSON.stringify({
        items: [
          {
            menuItemId: idOf('Pilsner'),
            quantity: 2,
            note: 'no foam',
            options: requiredOptions(itemOf('Pilsner')),
          },
          { menuItemId: idOf('Nachos'), quantity: 1, options: requiredOptions(itemOf('Nachos')) },
          { menuItemId: idOf('Cola'), quantity: 1, options: requiredOptions(itemOf('Cola')) },
        ],
      }),
    });
    expect(placed.status).toBe(201);
    expect(await orderCount(api)).toBe(1);

    const bar = new StaffClient(server.baseUrl);
    const bartender = demoLogin('bartender');
    await bar.login(bartender.email, bartender.password);
    const off = await bar.request('PATCH', `/api/menu/${idOf('Nachos')}/availability`, {
      available: false,
    });
    expect(off.status).toBe(200);
    try {
      await withContext(async (context) => {
        const page = await context.newPage();
        screenshotOnFailure('reorder', () => [page]);
        await signInThroughUi(page, email, PASSWORD);
        await page.goto('/orders');
        const row = page.getByTestId('order-row');
        await row.waitFor();
        expect(await row.getByTestId('order-row-items').textContent()).toBe(
          '2× Pilsner, 1× Nachos, 1× Cola',
        );
        await page.screenshot({ path: join(SHOTS, 'order-history.png') });
        expect(await seriousViolations(page)).toEqual([]);

        await row.getByRole('button', { name: /Order again/ }).click();
        await page.waitForURL('**/cart');
        await page.getByText('Not everything could be added').waitFor();
        expect(await page.getByRole('status').filter({ hasText: 'Nachos' }).count()).toBe(1);
        const lines = page.getByTestId('cart-line');
        await expect.poll(() => lines.count()).toBe(2);
        expect(await lines.nth(0).textContent()).toContain('Pilsner');
        expect(await lines.nth(0).getByRole('group').textContent()).toContain('2');
        expect(await page.getByRole('textbox', { name: 'Note for Pilsner' }).inputValue()).toBe(
          'no foam',
        );
        expect(await lines.nth(1).textContent()).toContain('Cola');
      });
    } finally {
      await bar.request('PATCH', `/api/menu/${idOf('Nachos')}/availability`, { available: true });
    }
  });

  it('jumps between menu categories from a sticky bar, by tap and by keyboard', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      screenshotOnFailure('jump-bar', () => [page]);
      await page.goto('/');
      const bar = page.getByRole('navigation', { name: 'Menu categories' });
      await bar.waitFor();
      const chip = (name: string) => bar.getByRole('link', { name });
      expect(await chip('Beer').getAttribute('aria-current')).toBe('true');

      const headingGap = async (name: string): Promise<number> => {
        const heading = await page.getByRole('heading', { name, level: 2 }).boundingBox();
        const under = await bar.boundingBox();
        if (heading === null || under === null) throw new Error('not laid out');
        return heading.y - (under.y + under.height);
      };

      await chip('Snacks').click();
      await expect.poll(() => headingGap('Snacks')).toBeLessThan(40);
      expect(await headingGap('Snacks')).toBeGreaterThanOrEqual(0);
      await page.waitForTimeout(300); // the scroll has settled: the highlight stays
      expect(await chip('Snacks').getAttribute('aria-current')).toBe('true');
      expect(await chip('Beer').getAttribute('aria-current')).toBeNull();
      expect(await bar.isVisible()).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'menu-jump-bar.png') });

      await chip('Wine & Cocktails').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => headingGap('Wine & Cocktails')).toBeGreaterThanOrEqual(0);
      await expect.poll(() => headingGap('Wine & Cocktails')).toBeLessThan(40);
      await page.waitForTimeout(300);
      expect(await chip('Wine & Cocktails').getAttribute('aria-current')).toBe('true');
      expect(await chip('Snacks').getAttribute('aria-current')).toBeNull();
      // Focus went to the section, so the next Tab continues from there.
      expect(await page.evaluate<string>('document.activeElement.textContent')).toBe(
        'Wine & Cocktails',
      );
      expect(await seriousViolations(page)).toEqual([]);
    });
  });
});

/** An access token for `email`, as a second device of that customer would hold. */
async function bearerOf(email: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, app: 'customer', refreshTransport: 'body' }),
  });
  return ((await response.json()) as { accessToken: string }).accessToken;
}
