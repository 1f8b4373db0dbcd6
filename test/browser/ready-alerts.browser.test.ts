import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffClient } from './support/api.js';
import {
  demoLogin,
  launchChromium,
  phoneContext,
  screenshotOnFailure,
  signInThroughUi,
} from './support/browser.js';
import { ROOT, type RunningServer, startServer } from './support/server.js';

const CUSTOMER = demoLogin('customer');
const BARTENDER = demoLogin('bartender');

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

async function withContext(run: (context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await phoneContext(browser, server.baseUrl);
  try {
    await run(context);
  } finally {
    await context.close();
  }
}

/** The width and height a PNG's IHDR chunk gives. */
function pngSize(bytes: Buffer): [number, number] {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** Waits until the app's service worker is active and controls the page. */
async function serviceWorkerReady(page: Page): Promise<{ scope: string; script: string }> {
  return page.evaluate<{ scope: string; script: string }>(`(async () => {
    const registration = await navigator.serviceWorker.ready;
    return { scope: registration.scope, script: registration.active?.scriptURL ?? '' };
  })()`);
}

describe('the customer app on a phone: installable, with ready alerts', () => {
  it('registers its service worker and links a manifest that makes it installable', async () => {
    await withContext(async (context) => {
      const page = await context.newPage();
      screenshotOnFailure('installable', () => [page]);
      await page.goto('/');
      expect(await serviceWorkerReady(page)).toEqual({
        scope: `${server.baseUrl}/`,
        script: `${server.baseUrl}/sw.js`,
      });

      const href = await page.locator('link[rel="manifest"]').getAttribute('href');
      const manifest = (await (await page.request.get(href ?? '')).json()) as {
        name: string;
        short_name: string;
        start_url: string;
        scope: string;
        display: string;
        icons: { src: string; sizes: string; purpose?: string }[];
      };
      expect(manifest).toMatchObject({
        name: 'Taproom',
        short_name: 'Taproom',
        start_url: '/',
        scope: '/',
        display: 'standalone',
      });
      for (const [size, purpose] of [
        ['192x192', 'any'],
        ['512x512', 'any'],
        ['512x512', 'maskable'],
      ] as const) {
        const icon = manifest.icons.find((i) => i.sizes === size && i.purpose === purpose);
        expect(icon, `${size} ${purpose} icon`).toBeDefined();
        const bytes = await (await page.request.get(icon?.src ?? '')).body();
        expect(pngSize(bytes).join('x')).toBe(size);
      }
      expect(await page.locator('link[rel="apple-touch-icon"]').count()).toBe(1);
      expect(await page.locator('meta[name="theme-color"]').count()).toBe(1);

      // Chromium's own installability check (manifest, icons, service worker, secure origin).
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
        installabilityErrors: { errorId: string }[];
      };
      // Playwright's contexts are incognito, which Chromium never installs from: that one is ours
      // to ignore, every other (manifest, icons, worker, origin) is a failure.
      expect(
        installabilityErrors
          .map((error) => error.errorId)
          .filter((errorId) => errorId !== 'in-incognito'),
      ).toEqual([]);

      // Controlled by the worker after a reload: it keeps the shell and never an API answer.
      await page.reload();
      await page.waitForFunction('navigator.serviceWorker.controller !== null');
      const cached = await page.evaluate<string[]>(`(async () => {
        const urls = [];
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
      })()`);
      expect(cached).toContain('/index.html');
      expect(cached.some((path) => path.startsWith('/assets/'))).toBe(true);
      expect(cached.filter((path) => path.startsWith('/api'))).toEqual([]);
    });
  });

  it('shows a pushed message as a notification, one per order', async () => {
    await withContext(async (context) => {
      await context.grantPermissions(['notifications'], { origin: server.baseUrl });
      const page = await context.newPage();
      screenshotOnFailure('push-notification', () => [page]);
      const cdp = await context.newCDPSession(page);
      const registrations = new Map<string, string>();
      cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => {
        for (const registration of event.registrations) {
          if (!registration.isDeleted) {
            registrations.set(registration.scopeURL, registration.registrationId);
          }
        }
      });
      await cdp.send('ServiceWorker.enable');
      await page.goto('/');
      await serviceWorkerReady(page);
      await expect.poll(() => registrations.get(`${server.baseUrl}/`)).toBeDefined();
      const registrationId = registrations.get(`${server.baseUrl}/`) ?? '';

      const message = {
        title: 'Your order #42 is ready',
        body: 'Collect it at the bar and show this number.',
        url: '/orders/0b8a4a56-9a7c-4ac2-9d55-8d2c7a1b3f10',
        orderId: '0b8a4a56-9a7c-4ac2-9d55-8d2c7a1b3f10',
        status: 'ready',
        number: 42,
      };
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: server.baseUrl,
        registrationId,
        data: JSON.stringify(message),
      });
      const shown = async () =>
        page.evaluate<{ title: string; body: string; tag: string; data: unknown }[]>(`(async () => {
          const registration = await navigator.serviceWorker.ready;
          return (await registration.getNotifications()).map((n) => ({
            title: n.title,
            body: n.body,
            tag: n.tag,
            data: n.data,
          }));
        })()`);
      await expect.poll(shown, { timeout: 10_000 }).toEqual([
        {
          title: message.title,
          body: message.body,
          tag: `order-${message.orderId}`,
          data: { url: message.url, orderId: message.orderId, status: 'ready' },
        },
      ]);

      // The same order's next message replaces the first.
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: server.baseUrl,
        registrationId,
        data: JSON.stringify({
          ...message,
          status: 'cancelled',
          title: 'Your order #42 was cancelled',
        }),
      });
      await expect
        .poll(async () => (await shown()).map((n) => n.title), { timeout: 10_000 })
        .toEqual(['Your order #42 was cancelled']);
    });
  });

  it('offers the alert on the order page, and the tab says "Ready" when the bar marks it', async () => {
    await withContext(async (context) => {
      // Records the phone's buzz (a headless browser has no motor to ask).
      await context.addInitScript(`
        window.vibrations = [];
        navigator.vibrate = (pattern) => {
          window.vibrations.push(pattern);
          return true;
        };
      `);
      const page = await context.newPage();
      screenshotOnFailure('ready-title', () => [page]);
      await signInThroughUi(page, CUSTOMER.email, CUSTOMER.password);
      await page
        .getByRole('button', { name: /^Add .+ to cart/ })
        .first()
        .click();
      await page.getByRole('link', { name: /Cart/ }).click();
      await page.getByLabel('Table number').fill('4');
      await page.getByRole('button', { name: /Place order/ }).click();
      const number = await page.getByTestId('order-number').textContent();
      const orderId = new URL(page.url()).pathname.split('/').pop() ?? '';

      await expect(
        page.getByRole('button', { name: "Tell me when it's ready" }).isVisible(),
      ).resolves.toBe(true);
      expect(await page.title()).toBe('Taproom');

      const bar = new StaffClient(server.baseUrl);
      await bar.login(BARTENDER.email, BARTENDER.password);
      for (const status of ['accepted', 'preparing', 'ready']) await bar.advance(orderId, status);
      await expect
        .poll(() => page.title(), { timeout: 10_000 })
        .toBe(`● Ready — #${number ?? ''} · Taproom`);
      expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe(
        '/favicon-ready.svg',
      );
      expect(await page.evaluate('window.vibrations')).toEqual([[200, 100, 200]]);
      await expect(
        page.getByRole('button', { name: "Tell me when it's ready" }).count(),
      ).resolves.toBe(0);

      // Looking at the tab again puts it back.
      await page.evaluate("window.dispatchEvent(new Event('focus'))");
      expect(await page.title()).toBe('Taproom');
      expect(await page.locator('link[rel="icon"]').getAttribute('href')).toBe('/favicon.svg');
    });
  });

  it('keeps the first load under 250 kB of gzipped JavaScript', () => {
    const dist = join(ROOT, 'apps/customer/dist');
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    const scripts = [
      ...html.matchAll(/<script[^>]+src="([^"]+\.js)"/g),
      ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g),
    ].map((match) => match[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce(
      (total, src) => total + gzipSync(readFileSync(join(dist, src))).length,
      0,
    );
    console.info(`customer app first-load JS: ${(gzipped / 1024).toFixed(1)} kB gzipped`);
    expect(gzipped).toBeLessThan(250 * 1024);
  });
});
