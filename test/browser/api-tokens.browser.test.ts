import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ARTIFACTS,
  demoLogin,
  launchChromium,
  liveBadge,
  screenshotOnFailure,
  seriousViolations,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const ADMIN = demoLogin('admin');
const LONG_NAME = 'Nightly stock sync with the back-office inventory system (warehouse, Bremen)';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ SESSION_MAX_ADMIN: '50', RATE_LIMIT_USER_PER_MINUTE: '0' });
  browser = await launchChromium();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

async function consoleAt(viewport: { width: number; height: number }, name: string) {
  const context = await browser.newContext({ baseURL: server.baseUrl, viewport });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: server.baseUrl,
  });
  const page = await context.newPage();
  screenshotOnFailure(name, () => [page]);
  await page.goto('/admin/sign-in');
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await liveBadge(page).first().waitFor();
  return { context, page };
}

async function makeToken(page: Page, name: string, permissions: string[]): Promise<string> {
  await page.getByLabel('Name').fill(name);
  for (const permission of permissions) await page.getByLabel(permission).check();
  await page.getByRole('button', { name: 'Make token' }).click();
  const notice = page.getByTestId('new-api-token');
  await notice.waitFor();
  return (await notice.getByLabel('New API token').textContent()) ?? '';
}

function shoot(page: Page, file: string): Promise<Buffer> {
  mkdirSync(join(ARTIFACTS, 'api-tokens'), { recursive: true });
  return page.screenshot({ path: join(ARTIFACTS, 'api-tokens', file), fullPage: true });
}

describe('admin console: API tokens', () => {
  it('makes a token, shows it once with a copy button, lists it without it, and revokes it', async () => {
    const { context, page } = await consoleAt({ width: 1280, height: 720 }, 'api-tokens-laptop');
    try {
      await page.getByRole('link', { name: 'API tokens' }).click();
      await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
      await page.getByText('No API tokens yet').waitFor();

      // Human words for a form with nothing filled in.
      await page.getByRole('button', { name: 'Make token' }).click();
      await page.getByText('Please give the token a name').waitFor();
      await page.getByText('Please choose at least one permission.').waitFor();

      const token = await makeToken(page, LONG_NAME, ['Read orders', 'Read reports']);
      expect(token).toMatch(/^tap_[\w-]{43}$/);
      await page.getByText('This is the only time it is shown').waitFor();
      await page.getByRole('button', { name: 'Copy token' }).click();
      await page.getByRole('button', { name: 'Copied' }).waitFor();
      expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(token);

      // The token works, within its scopes.
      const orders = await fetch(`${server.baseUrl}/api/orders`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(orders.status).toBe(200);

      const row = page.getByTestId('api-token-row').filter({ hasText: LONG_NAME });
      await expect.poll(() => row.count()).toBe(1);
      await expect.poll(() => row.textContent()).toContain('Read reports');
      await shoot(page, 'laptop-new-token.png');
      expect(await seriousViolations(page)).toEqual([]);

      // Once dismissed, the token is nowhere on the page again, even after a reload.
      await page.getByRole('button', { name: 'I have saved it' }).click();
      await page.reload();
      await row.waitFor();
      expect(await page.content()).not.toContain(token);
      await makeToken(page, 'Audit export', ['Read the audit log']);
      await page.getByRole('button', { name: 'I have saved it' }).click();
      await shoot(page, 'laptop-list.png');

      // Revoking asks first; "Keep it" keeps it.
      await row.getByRole('button', { name: `Revoke ${LONG_NAME}` }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('Anything using this token is refused').waitFor();
      await dialog.getByRole('button', { name: 'Keep it' }).last().click();
      await expect.poll(() => row.count()).toBe(1);
      await row.getByRole('button', { name: `Revoke ${LONG_NAME}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Revoke token' }).click();
      await expect.poll(() => row.count()).toBe(0);
      const refused = await fetch(`${server.baseUrl}/api/orders`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(refused.status).toBe(401);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['phone', { width: 390, height: 844 }],
    ['tablet', { width: 768, height: 1024 }],
  ])('fits a %s', async (device, viewport) => {
    const { context, page } = await consoleAt(viewport, `api-tokens-${device}`);
    try {
      await page.goto('/admin/api-tokens');
      await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
      await makeToken(page, LONG_NAME, ['Change the menu', 'Read the menu']);
      await shoot(page, `${device}-new-token.png`);
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await context.close();
    }
  });
});
