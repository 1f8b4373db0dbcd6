import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
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
  startShift,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const ADMIN = demoLogin('admin');
const BARTENDER = demoLogin('bartender');
const CUSTOMER = demoLogin('customer');
const LONG_NAME = 'Barrel-aged imperial chocolate-hazelnut-vanilla-espresso stout';
const HOSTILE_NOTE = '<img src=x onerror="alert(1)"> no ice & a straw';

/** 80 mm at 96 CSS pixels per inch. */
const ROLL_PX = Math.round((80 / 25.4) * 96);

let server: RunningServer;
let browser: Browser;
let order: { id: string; number: number };

beforeAll(async () => {
  server = await startServer({
    VENUE_NAME: 'The Copper Tap',
    VENUE_ADDRESS: '12 Quay Street; Bristol BS1 4DB',
    VENUE_VAT_ID: 'GB 987 6543 21',
  });
  browser = await launchChromium();
  mkdirSync(ARTIFACTS, { recursive: true });

  const admin = new StaffClient(server.baseUrl);
  await admin.login(ADMIN.email, ADMIN.password, 'admin');
  const item = await admin.request('POST', '/api/admin/menu-items', {
    name: LONG_NAME,
    category: 'Beer',
    priceCents: 795,
    vatRateBasisPoints: 2000,
    optionGroups: [
      {
        name: 'Glass',
        min: 1,
        max: 1,
        options: [
          { name: 'Tulip', priceDeltaCents: 0 },
          { name: 'Snifter (small)', priceDeltaCents: -150 },
        ],
      },
    ],
  });
  expect(item.status).toBe(201);
  const menu = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as {
    id: string;
    available: boolean;
    optionGroups?: { min: number }[];
  }[];
  const other = menu.find(
    (entry) =>
      entry.available &&
      entry.id !== item.body.id &&
      (entry.optionGroups ?? []).every((group) => group.min === 0),
  );
  if (other === undefined) throw new Error('no available menu item');

  const customer = new StaffClient(server.baseUrl);
  await customer.login(CUSTOMER.email, CUSTOMER.password, 'customer');
  const placed = await fetch(`${server.baseUrl}/api/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${customer.accessToken}`,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      items: [
        {
          menuItemId: item.body.id,
          quantity: 2,
          note: HOSTILE_NOTE,
          options: [item.body.optionGroups[0].options[1].id],
        },
        { menuItemId: other.id, quantity: 1 },
      ],
      tableNumber: 12,
    }),
  });
  expect(placed.status).toBe(201);
  order = (await placed.json()) as { id: string; number: number };

  // Part paid by card, with a tip: the receipt lists it and what is still due.
  const bartender = new StaffClient(server.baseUrl);
  await bartender.login(BARTENDER.email, BARTENDER.password, 'bartender');
  const paid = await fetch(`${server.baseUrl}/api/orders/${order.id}/payments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${bartender.accessToken}`,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({ method: 'card', amountCents: 1000, tipCents: 200 }),
  });
  expect(paid.status).toBe(201);
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

/** Content-Security-Policy complaints the page logs (a blocked stylesheet would be one). */
function cspComplaints(page: Page): string[] {
  const complaints: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) complaints.push(message.text());
  });
  return complaints;
}

/** What shows the receipt is styled as it should be: the 80 mm roll, nothing sticking out. */
async function expectStyledReceipt(frame: Frame | Page): Promise<void> {
  const layout = await frame.evaluate<{
    width: number;
    fontFamily: string;
    scrollWidth: number;
    clientWidth: number;
    sticking: string[];
    images: number;
    scripts: number;
  }>(`(() => {
    const body = document.body;
    const right = body.getBoundingClientRect().right;
    return {
      width: body.getBoundingClientRect().width,
      fontFamily: getComputedStyle(body).fontFamily,
      scrollWidth: body.scrollWidth,
      clientWidth: body.clientWidth,
      // Anything reaching past the body's right edge, by its text.
      sticking: [...body.querySelectorAll('*')]
        .filter((element) => element.getBoundingClientRect().right > right + 0.5)
        .map((element) => (element.textContent || '').slice(0, 40)),
      images: document.images.length,
      scripts: document.scripts.length,
    };
  })()`);
  expect(Math.abs(layout.width - ROLL_PX)).toBeLessThanOrEqual(1);
  expect(layout.fontFamily).toMatch(/Mono|monospace/);
  // A long name wraps inside the roll: nothing is wider than the body.
  expect(layout.sticking).toEqual([]);
  expect(layout.scrollWidth).toBeLessThanOrEqual(layout.clientWidth);
  // The hostile note stayed text.
  expect(layout.images).toBe(0);
  expect(layout.scripts).toBe(0);
}

/** Opens the receipt dialog's frame, checks it, and prints it (print() recorded, not run). */
async function checkDialog(page: Page, shot: string, keyboard = false): Promise<void> {
  const dialog = page.getByRole('dialog', { name: `Receipt · order #${String(order.number)}` });
  await dialog.waitFor();
  const frameElement = dialog.locator('iframe');
  await frameElement.waitFor();
  const frame = await (await frameElement.elementHandle()).contentFrame();
  if (!frame) throw new Error('no receipt frame');
  await frame.waitForSelector('.state');
  const text = await frame.locator('body').innerText();
  expect(text).toContain('The Copper Tap');
  expect(text).toContain('VAT no. GB 987 6543 21');
  expect(text).toContain(`Order #${String(order.number)}`);
  expect(text).toContain(LONG_NAME);
  expect(text).toContain(HOSTILE_NOTE);
  expect(text).toContain('Glass: Snifter (small) (−€1.50)');
  expect(text).toMatch(/Card · [^€]*€10\.00/);
  expect(text).toMatch(/Tip[^€]*€2\.00/);
  expect(text).toContain('Balance due');
  await expectStyledReceipt(frame);
  const print = dialog.getByRole('button', { name: 'Print', exact: true });
  await expect.poll(() => print.isEnabled()).toBe(true);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${ARTIFACTS}/${shot}` });
  await frame.evaluate('window.printed = 0; window.print = () => { window.printed += 1; }');
  // Print has the focus once the receipt is there: Enter prints.
  await expect
    .poll(() => print.evaluate((button) => button === button.ownerDocument.activeElement))
    .toBe(true);
  if (keyboard) await page.keyboard.press('Enter');
  else await print.click();
  expect(await frame.evaluate('window.printed')).toBe(1);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

async function withContext(
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

describe('printing a receipt', () => {
  it('opened on its own (bearer from an API client): styled under its own policy, 80 mm wide', async () => {
    const customer = new StaffClient(server.baseUrl);
    await customer.login(CUSTOMER.email, CUSTOMER.password, 'customer');
    const token = customer.accessToken;
    await withContext(
      browser.newContext({
        baseURL: server.baseUrl,
        viewport: { width: 420, height: 900 },
        extraHTTPHeaders: { authorization: `Bearer ${token}` },
      }),
      'receipt-direct',
      async (page) => {
        const complaints = cspComplaints(page);
        const response = await page.goto(`/api/orders/${order.id}/receipt`);
        expect(response?.status()).toBe(200);
        expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
        await expectStyledReceipt(page);
        expect(complaints).toEqual([]);
        await page.screenshot({ path: `${ARTIFACTS}/receipt-direct.png`, fullPage: true });
        await page.emulateMedia({ media: 'print' });
        await page.screenshot({ path: `${ARTIFACTS}/receipt-direct-print.png`, fullPage: true });
        await page.pdf({ path: `${ARTIFACTS}/receipt.pdf`, preferCSSPageSize: true });
      },
    );
  });

  it('from the customer’s order page on a phone', async () => {
    await withContext(phoneContext(browser, server.baseUrl), 'receipt-customer', async (page) => {
      const complaints = cspComplaints(page);
      await signInThroughUi(page, CUSTOMER.email, CUSTOMER.password);
      await page.goto(`/orders/${order.id}`);
      await page.getByRole('button', { name: 'Print receipt' }).click();
      await checkDialog(page, 'receipt-customer-390x844.png');
      expect(complaints).toEqual([]);
    });
  });

  it('from the order detail in the console', async () => {
    await withContext(
      browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1280, height: 720 } }),
      'receipt-admin',
      async (page) => {
        const complaints = cspComplaints(page);
        await page.goto('/admin/sign-in');
        await page.getByLabel('Email').fill(ADMIN.email);
        await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await liveBadge(page).first().waitFor();
        await page.goto(`/admin/orders/${order.id}`);
        await page.getByRole('button', { name: 'Print receipt' }).click();
        await checkDialog(page, 'receipt-admin-1280x720.png');
        expect(complaints).toEqual([]);
      },
    );
  });

  it('from a ticket at the bar, with the keyboard', async () => {
    await withContext(
      browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1024, height: 768 } }),
      'receipt-bartender',
      async (page) => {
        const complaints = cspComplaints(page);
        await page.goto('/bartender/sign-in');
        await page.getByLabel('Email').fill(BARTENDER.email);
        await page.getByRole('textbox', { name: 'Password' }).fill(BARTENDER.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await liveBadge(page).first().waitFor();
        await startShift(page);
        const more = page.getByRole('button', { name: `More for order ${String(order.number)}` });
        await more.focus();
        await page.keyboard.press('Enter');
        const item = page.getByRole('menuitem', { name: 'Print receipt…' });
        await item.waitFor();
        await item.focus();
        await page.keyboard.press('Enter');
        await checkDialog(page, 'receipt-bartender-1024x768.png', true);
        expect(complaints).toEqual([]);
      },
    );
  });
});
