import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  demoLogin,
  launchChromium,
  liveBadge,
  phoneContext,
  screenshotOnFailure,
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

/** The error text the input announces: what its `aria-describedby` points at, read out. */
async function errorOf(input: Locator): Promise<string> {
  const ids = ((await input.getAttribute('aria-describedby')) ?? '')
    .split(/\s+/)
    .filter((id) => id.endsWith('-error'));
  const texts = await Promise.all(
    ids.map((id) => input.page().locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(' ');
}

/** A picture for people to look at (test-artifacts/browser/), kept whether or not the test fails. */
async function keepShot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

describe('errors in human words, next to their fields', () => {
  it('customer register: empty name and bad email before sending, a common password after', async () => {
    const context = await phoneContext(browser, server.baseUrl);
    const page = await context.newPage();
    screenshotOnFailure('human-words-register', () => [page]);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/auth/register')) sent.push(request.method());
    });
    try {
      await page.goto('/register');
      const name = page.getByLabel('Your name');
      const email = page.getByLabel('Email');
      const password = page.getByRole('textbox', { name: 'Password' });
      await email.fill('ann@example');
      await password.fill('short');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect.poll(() => errorOf(name)).toBe('Please enter your name.');
      expect(await errorOf(email)).toBe('That doesn’t look like an email address.');
      expect(await errorOf(password)).toBe('Use at least 10 characters.');
      expect(await name.getAttribute('aria-invalid')).toBe('true');
      expect(sent).toEqual([]);
      await keepShot(page, 'human-words-register-390x844');

      // What only the server knows comes back in the same words, by the same field.
      await name.fill('Ann');
      await email.fill(`ann-${String(Date.now())}@example.com`);
      await password.fill('password1234');
      await page.getByRole('button', { name: 'Create account' }).click();
      await expect
        .poll(() => errorOf(password))
        .toBe('That password is too common — pick something less guessable.');
      expect(sent).toEqual(['POST']);
      expect(await errorOf(name)).toBe('');
      const alert = page.getByRole('alert');
      expect(await alert.textContent()).toBe(
        'Some details need another look — see the notes by the fields.',
      );
      expect(await page.locator('body').textContent()).not.toMatch(
        /must be|should not|commonly used/,
      );
      await keepShot(page, 'human-words-register-server-390x844');
    } finally {
      await context.close();
    }
  });

  it('admin menu editor: the server’s answer, field by field', async () => {
    const admin = demoLogin('admin');
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport: { width: 1280, height: 720 },
    });
    const page = await context.newPage();
    screenshotOnFailure('human-words-menu-item', () => [page]);
    try {
      await page.goto('/admin/sign-in');
      await page.getByLabel('Email').fill(admin.email);
      await page.getByRole('textbox', { name: 'Password' }).fill(admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await liveBadge(page).first().waitFor();
      await page.goto('/admin/menu');
      await page.getByRole('button', { name: 'New item' }).click();
      const dialog = page.getByRole('dialog', { name: 'New menu item' });
      await dialog.getByRole('button', { name: 'Save' }).click();
      // Nothing typed: the browser says so without asking the server.
      await expect
        .poll(() => errorOf(dialog.getByLabel('Name')))
        .toBe('Please give the item a name.');
      expect(await errorOf(dialog.getByLabel('Category'))).toBe(
        'Please give the item a category, such as Beer.',
      );

      await dialog.getByLabel('Name').fill('Imperial stout '.repeat(6));
      await dialog.getByLabel('Category').fill('Seasonal and limited-release beers on tap');
      await dialog.getByLabel('Price (€)').fill('6.50');
      await dialog.getByLabel('Allergens').fill('gluten, Nuts!');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await expect
        .poll(() => errorOf(dialog.getByLabel('Name')))
        .toBe('Keep the name within 80 characters.');
      expect(await errorOf(dialog.getByLabel('Category'))).toBe(
        'Keep the category within 40 characters.',
      );
      expect(await errorOf(dialog.getByLabel('Allergens'))).toBe(
        'Allergens are short labels: letters, digits, spaces or dashes, up to 30 each.',
      );
      // The last alert: the first says the unsaved draft came back.
      expect(await dialog.getByRole('alert').last().textContent()).toBe(
        'Some details need another look — see the notes by the fields.',
      );
      expect(await dialog.textContent()).not.toMatch(/must be|shorter than|each allergen/);
      await dialog.evaluate((element) => {
        element.scrollTop = 0;
      });
      await keepShot(page, 'human-words-menu-item-1280x720');
    } finally {
      await context.close();
    }
  });
});
