import { AxeBuilder } from '@axe-core/playwright';
import { DEMO_ACCOUNTS } from '../../../src/demo/demo-accounts.js';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { ROOT } from './server.js';

export const ARTIFACTS = join(ROOT, 'test-artifacts/browser');

/** Debian's Chromium, headless, with nothing reaching out to the network by itself. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A phone-sized context (390×844). */
export function phoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({
    baseURL,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
}

/** Keeps a screenshot of each page under test-artifacts/browser/ when the current test fails. */
export function screenshotOnFailure(name: string, pages: () => Page[]): void {
  onTestFailed(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const slug = name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
    let index = 0;
    for (const page of pages()) {
      index += 1;
      await page
        .screenshot({ path: join(ARTIFACTS, `${slug}-${index}.png`), fullPage: true })
        .catch(() => undefined);
    }
  });
}

/** Every failed API answer a context saw (status ≥ 400), as `STATUS METHOD PATH`. */
export function recordFailures(context: BrowserContext): string[] {
  const failures: string[] = [];
  context.on('response', (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/') || response.status() < 400) return;
    failures.push(`${response.status()} ${response.request().method()} ${url.pathname}`);
  });
  return failures;
}

/** Claims of a JWT, unverified (the test only reads `exp`). */
export function jwtClaims(token: string): { exp?: number; iat?: number; sid?: string } {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: number };
}

/** The app shows the live badge only while signed in. */
export function liveBadge(page: Page) {
  return page.getByRole('status', { name: /Live updates/ });
}

export async function signInThroughUi(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await liveBadge(page).waitFor();
}

/** The email and password of a demo account (seeded on the embedded database the tests use). */
export function demoLogin(role: 'customer' | 'bartender' | 'admin'): {
  email: string;
  password: string;
} {
  const account = DEMO_ACCOUNTS.find((candidate) => candidate.role === role);
  if (!account) throw new Error(`no demo ${role}`);
  return { email: account.email, password: account.password };
}

/** Serious and critical axe findings on the page as it is now, as `rule: target` lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
    );
}

/** The bar asks for one tap at the start of a shift (sound and wake lock) before the board. */
export async function startShift(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start shift' }).click();
  await page.getByRole('dialog', { name: 'Start shift' }).waitFor({ state: 'hidden' });
}
