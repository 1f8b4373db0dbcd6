import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  jwtClaims,
  launchChromium,
  liveBadge,
  phoneContext,
  recordFailures,
  screenshotOnFailure,
  signInThroughUi,
  demoLogin,
} from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';

const CUSTOMER = demoLogin('customer');
const TTL_SECONDS = 20;

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ ACCESS_TOKEN_TTL: `${TTL_SECONDS}s` });
  browser = await launchChromium();
});

afterAll(async () => {
  // Either may be missing when beforeAll failed half-way.
  await (browser as Browser | undefined)?.close();
  await (server as RunningServer | undefined)?.stop();
});

/** What a person does now and then: a tap on the header, sometimes a move to another tab. */
async function touch(page: Page, step: number): Promise<void> {
  await page.locator('header').click({ position: { x: 200, y: 20 } });
  if (step % 2 === 0) {
    await page.getByRole('link', { name: step % 4 === 0 ? /Orders/ : /Menu/ }).click();
  }
}

/** Bearer tokens that went out already expired (the app must refresh before that happens). */
function watchBearers(pages: Page[]): { expired: string[]; sent: number } {
  const seen = { expired: [] as string[], sent: 0 };
  const onRequest = (request: Request): void => {
    const header = request.headers().authorization;
    if (!header?.startsWith('Bearer ')) return;
    seen.sent += 1;
    const exp = jwtClaims(header.slice(7)).exp ?? 0;
    if (exp * 1000 <= Date.now())
      seen.expired.push(`${request.method()} ${new URL(request.url()).pathname}`);
  };
  for (const page of pages) page.on('request', onRequest);
  return seen;
}

describe(`access tokens that live ${TTL_SECONDS} s`, () => {
  it('keep the app working for 90 s with no failed request, refreshing before expiry', async () => {
    const context = await phoneContext(browser, server.baseUrl);
    const page = await context.newPage();
    screenshotOnFailure('ninety-seconds', () => [page]);
    try {
      // Each refresh must go out while the token it replaces is still valid.
      let currentExpiry = Number.POSITIVE_INFINITY;
      const lateRefreshes: string[] = [];
      page.on('response', (response) => {
        const path = new URL(response.url()).pathname;
        if (path !== '/api/auth/login' && path !== '/api/auth/refresh') return;
        if (response.status() !== 200) return;
        void response.json().then((body: { accessTokenExpiresAt: string }) => {
          currentExpiry = Date.parse(body.accessTokenExpiresAt);
        });
      });
      await signInThroughUi(page, CUSTOMER.email, CUSTOMER.password);
      const failures = recordFailures(context);
      const bearers = watchBearers([page]);
      const refreshes: number[] = [];
      page.on('request', (request) => {
        if (request.method() !== 'POST' || !request.url().endsWith('/api/auth/refresh')) return;
        refreshes.push(Date.now());
        if (Date.now() >= currentExpiry) lateRefreshes.push(new Date().toISOString());
      });

      const started = Date.now();
      for (let step = 0; Date.now() - started < 90_000; step += 1) {
        await touch(page, step);
        await page.waitForTimeout(3_000);
      }
      await page.goto('/orders');
      await page.getByRole('heading', { name: 'Your orders' }).waitFor();

      expect(failures).toEqual([]);
      expect(bearers.expired).toEqual([]);
      expect(lateRefreshes).toEqual([]);
      expect(bearers.sent).toBeGreaterThanOrEqual(3);
      // Refreshed at about 15 s of each 20 s token: 5 or 6 times in 90 s.
      expect(refreshes.length).toBeGreaterThanOrEqual(4);
      expect(refreshes.length).toBeLessThanOrEqual(8);
      await liveBadge(page).waitFor();
    } finally {
      await context.close();
    }
  });

  it('refresh once per cycle with two tabs open', async () => {
    const context = await phoneContext(browser, server.baseUrl);
    const first = await context.newPage();
    const second = await context.newPage();
    screenshotOnFailure('two-tabs-one-refresh', () => [first, second]);
    try {
      await signInThroughUi(first, CUSTOMER.email, CUSTOMER.password);
      await second.goto('/orders');
      await liveBadge(second).waitFor();
      const failures = recordFailures(context);
      const refreshes: number[] = [];
      context.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/auth/refresh'))
          refreshes.push(Date.now());
      });

      const started = Date.now();
      for (let step = 0; Date.now() - started < 50_000; step += 1) {
        await touch(first, step);
        await touch(second, step + 1);
        await first.waitForTimeout(2_500);
      }

      expect(failures).toEqual([]);
      // Three cycles of 15 s in 50 s; each cycle one refresh for both tabs, never two close together.
      expect(refreshes.length).toBeGreaterThanOrEqual(2);
      expect(refreshes.length).toBeLessThanOrEqual(4);
      const gaps = refreshes.slice(1).map((at, i) => at - (refreshes[i] ?? 0));
      for (const gap of gaps) expect(gap).toBeGreaterThan(8_000);
      await liveBadge(first).waitFor();
      await liveBadge(second).waitFor();
    } finally {
      await context.close();
    }
  });

  it('let an untouched tab lapse without refreshing, and come back with one refresh on a tap', async () => {
    const context = await phoneContext(browser, server.baseUrl);
    const page = await context.newPage();
    screenshotOnFailure('idle-tab', () => [page]);
    try {
      await signInThroughUi(page, CUSTOMER.email, CUSTOMER.password);
      const failures = recordFailures(context);
      const refreshes: number[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/api/auth/refresh'))
          refreshes.push(Date.now());
      });

      await page.waitForTimeout(2 * TTL_SECONDS * 1000);
      expect(refreshes).toEqual([]);

      await page.getByRole('link', { name: /Orders/ }).click();
      await page.getByRole('heading', { name: 'Your orders' }).waitFor();
      await page.getByTestId('order-row').first().or(page.getByText('No orders yet')).waitFor();
      expect(refreshes).toHaveLength(1);
      expect(failures).toEqual([]);
      await liveBadge(page).waitFor();
    } finally {
      await context.close();
    }
  });
});
