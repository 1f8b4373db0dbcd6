import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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

const CUSTOMER = demoLogin('customer');
const BARTENDER = demoLogin('bartender');

interface MenuOption {
  id: string;
  name: string;
  priceDeltaCents: number;
  available: boolean;
}
interface MenuItem {
  id: string;
  name: string;
  priceCents: number;
  optionGroups: { id: string; name: string; min: number; max: number; options: MenuOption[] }[];
}

let server: RunningServer;
let browser: Browser;
/** A demo item with a required single choice that costs more (the Negroni's gin). */
let item: MenuItem;
let group: MenuItem['optionGroups'][number];
let dearer: MenuOption;

/** `€11.50` → 1150: the money the page shows, in cents. */
function cents(text: string | null): number {
  const match = /(\d+)[.,](\d{2})/.exec(text ?? '');
  if (match === null) throw new Error(`no money in ${String(text)}`);
  return Number(match[1]) * 100 + Number(match[2]);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  const menu = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as MenuItem[];
  for (const candidate of menu) {
    const found = candidate.optionGroups.find(
      (entry) =>
        entry.min === 1 &&
        entry.max === 1 &&
        entry.options.some((option) => option.priceDeltaCents > 0),
    );
    if (found !== undefined && candidate.optionGroups.length > 1) {
      item = candidate;
      group = found;
      const pricier = found.options.find((option) => option.priceDeltaCents > 0);
      if (pricier === undefined) continue;
      dearer = pricier;
      break;
    }
  }
  if ((item as MenuItem | undefined) === undefined) throw new Error('no demo item with choices');
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

async function signInToBar(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/bartender/sign-in');
  await page.getByLabel('Email').fill(BARTENDER.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(BARTENDER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await liveBadge(page).first().waitFor();
  await startShift(page);
  return page;
}

describe('an item with options, from the phone to the bar and back', () => {
  it('prices the choices, shows them on the ticket, and shows an option 86’d at the bar', async () => {
    const phone = await phoneContext(browser, server.baseUrl);
    const tablet = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1024, height: 768 },
    });
    try {
      const page = await phone.newPage();
      const bar = await signInToBar(tablet);
      screenshotOnFailure('item-options', () => [page, bar]);
      await signInThroughUi(page, CUSTOMER.email, CUSTOMER.password);
      await page.goto('/');

      // The sheet: required group marked, radio for a single choice, price with the choice.
      await page.getByRole('button', { name: `Add ${item.name}: choose options` }).click();
      const sheet = page.getByRole('dialog', { name: item.name });
      await sheet.waitFor();
      const add = sheet.getByTestId('sheet-add');
      expect(cents(await add.textContent())).toBe(item.priceCents);
      const choice = sheet.getByRole('radio', { name: dearer.name });
      await choice.check();
      await expect
        .poll(async () => cents(await add.textContent()))
        .toBe(item.priceCents + dearer.priceDeltaCents);
      await sheet.getByRole('button', { name: 'One more' }).click();
      await expect
        .poll(async () => cents(await add.textContent()))
        .toBe(2 * (item.priceCents + dearer.priceDeltaCents));
      expect(await seriousViolations(page)).toEqual([]);
      await add.click();
      await sheet.waitFor({ state: 'hidden' });

      // The cart names the choice; the order goes out with it.
      await page.getByRole('link', { name: /Cart/ }).click();
      const line = page.getByTestId('cart-line');
      await expect.poll(() => line.count()).toBe(1);
      expect(await line.getByTestId('line-options').textContent()).toBe(
        `${group.name}: ${dearer.name}`,
      );
      await page.getByLabel('Table number').fill('5');
      await page.getByRole('button', { name: /Place order/ }).click();
      const number = Number(await page.getByTestId('order-number').textContent());
      expect(await page.getByTestId('line-options').first().textContent()).toBe(
        `${group.name}: ${dearer.name}`,
      );
      await page.getByTestId('vat-breakdown').waitFor();
      expect(await page.getByTestId('vat-line').count()).toBeGreaterThan(0);

      // The bar's ticket shows the choice on its own line under the item.
      const ticket = bar.locator(`[data-testid=ticket][data-order-number="${String(number)}"]`);
      await ticket.waitFor({ timeout: 10_000 });
      expect(await ticket.getByTestId('ticket-option').allTextContents()).toContain(
        `${group.name}: ${dearer.name}`,
      );

      // The customer looks at the item again while the bar 86es that one choice.
      await page.goto('/');
      await page.getByRole('button', { name: `Add ${item.name}: choose options` }).click();
      const again = page.getByRole('dialog', { name: item.name });
      const option = again.getByRole('radio', { name: new RegExp(`^${dearer.name}`) });
      await option.waitFor();
      expect(await option.isDisabled()).toBe(false);

      await bar.getByRole('button', { name: /Menu \/ 86/ }).click();
      const toggle = bar.getByRole('switch', {
        name: `${item.name}, ${group.name}: ${dearer.name} available`,
      });
      await toggle.waitFor();
      expect(await toggle.isChecked()).toBe(true);
      await toggle.focus();
      await bar.keyboard.press('Space');
      await expect.poll(() => toggle.isChecked()).toBe(false);

      // The open sheet shows it unavailable (live, no reload), and it can't be chosen.
      await expect.poll(() => option.isDisabled(), { timeout: 10_000 }).toBe(true);
      expect(await option.getAttribute('aria-label')).toBe(`${dearer.name}, not available`);
      expect(await again.textContent()).toContain('Not available');
      const menu = (await (await fetch(`${server.baseUrl}/api/menu`)).json()) as MenuItem[];
      const now = menu.find((entry) => entry.id === item.id);
      expect(now?.optionGroups.flatMap((entry) => entry.options)).toContainEqual(
        expect.objectContaining({ id: dearer.id, available: false }),
      );
    } finally {
      await phone.close();
      await tablet.close();
    }
  });
});
