import { type MenuEntry, requiredOptions } from './support/api.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, liveBadge, screenshotOnFailure } from './support/browser.js';
import { ROOT, type RunningServer, startServer } from './support/server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'taproom-reconnect-'));
let server: RunningServer | undefined;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ DATA_DIR: dataDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/**
 * Starts the server again on the same port and data directory. Polls with a timeout per request:
 * a plain fetch can hang on a socket that the stopped server left behind.
 */
async function restartServer(port: string): Promise<RunningServer> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: port,
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('server exited early');
    const ok = await fetch(`${baseUrl}/api/health`, {
      signal: AbortSignal.timeout(2_000),
      headers: { connection: 'close' },
    })
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error('server did not restart in 90 s');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    baseUrl,
    log: () => '',
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      child.kill('SIGKILL');
    },
  };
}

async function placeOrder(baseUrl: string): Promise<number> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'customer@taproom.local',
      password: 'customer-demo-pass-2026',
      app: 'customer',
      refreshTransport: 'body',
    }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const menu = (await (await fetch(`${baseUrl}/api/menu`)).json()) as MenuEntry[];
  const response = await fetch(`${baseUrl}/api/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${accessToken}`,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      items: [{ menuItemId: menu[0]?.id, quantity: 1, options: requiredOptions(menu[0]) }],
      tableNumber: 2,
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { number: number }).number;
}

describe('the bar through a server restart', () => {
  it('shows the banner while the stream is down, and the orders placed meanwhile after it is back', async () => {
    const first = server!;
    const context = await browser.newContext({
      baseURL: first.baseUrl,
      viewport: { width: 1024, height: 768 },
    });
    const page = await context.newPage();
    screenshotOnFailure('bar-restart', () => [page]);
    try {
      await page.goto('/bartender/sign-in');
      await page.getByLabel('Email').fill('bartender@taproom.local');
      await page.getByRole('textbox', { name: 'Password' }).fill('bartender-demo-pass-2026');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await liveBadge(page).waitFor();
      await page.waitForSelector('[data-connection=live]');

      const port = new URL(first.baseUrl).port;
      await first.stop();
      server = undefined;
      await page
        .getByTestId('connection-banner')
        .and(page.locator('[data-connection=reconnecting]'))
        .waitFor({ timeout: 10_000 });

      server = await restartServer(port);
      const number = await placeOrder(server.baseUrl);
      await page
        .locator(`[data-testid=ticket][data-order-number="${String(number)}"]`)
        .waitFor({ timeout: 45_000 });
      await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 45_000 });
    } finally {
      await context.close();
    }
  });
});
