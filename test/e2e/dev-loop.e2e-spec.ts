import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mustOpenEvents } from '../support/event-stream.js';
import { request } from '../support/http.js';
import { freePort, waitForHttp } from '../support/server-process.js';

/** Whether `port` on loopback can be listened on right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => {
      resolve(false);
    });
    probe.listen(port, '127.0.0.1', () => {
      probe.close(() => {
        resolve(true);
      });
    });
  });
}

/** A port whose next two are free as well (the three apps' dev servers). */
async function threeFreePorts(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 65_533 && (await isFree(port + 1)) && (await isFree(port + 2))) return port;
  }
}

// The dev loop compiles the server (tsc) and opens the embedded database on disk.
jest.setTimeout(240_000);

describe('npm run dev', () => {
  // Where `npm run dev` keeps it by default: inside the repository (data/ is ignored by git).
  mkdirSync('data', { recursive: true });
  const dataDir = mkdtempSync(join(resolve('data'), 'dev-loop-'));
  let dev: ChildProcess;
  let output = '';
  let api = '';
  let apps = { customer: '', bartender: '', admin: '' };

  beforeAll(async () => {
    const apiPort = await freePort();
    const appsPort = await threeFreePorts();
    api = `http://127.0.0.1:${apiPort}`;
    apps = {
      customer: `http://127.0.0.1:${appsPort}`,
      bartender: `http://127.0.0.1:${appsPort + 1}`,
      admin: `http://127.0.0.1:${appsPort + 2}`,
    };
    // What `npm run dev` runs, with ports of its own.
    dev = spawn(process.execPath, ['scripts/dev.mjs'], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        DEV_APPS_PORT: String(appsPort),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitForHttp(`${api}/api/health/ready`, 180_000);
    } catch (error) {
      throw new Error(`npm run dev did not become ready:\n${output}`, { cause: error });
    }
  });

  afterAll(async () => {
    if (dev.exitCode === null) {
      const exited = new Promise((resolveExit) => dev.once('exit', resolveExit));
      dev.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(join('dist-dev', new URL(api).port), { recursive: true, force: true });
  });

  it('serves each app from its Vite dev server, with hot reload, at its base path', async () => {
    for (const [app, url] of [
      ['customer', `${apps.customer}/`],
      ['bartender', `${apps.bartender}/bartender/`],
      ['admin', `${apps.admin}/admin/`],
    ] as const) {
      const page = await request(url);
      expect(page.status).toBe(200);
      const base = app === 'customer' ? '/' : `/${app}/`;
      // Vite's client (hot module replacement) and the app's sources, not a built bundle.
      expect(page.text).toContain(`src="${base}@vite/client"`);
      expect(page.text).toMatch(new RegExp(`src="${base}src/main\\.tsx"`));
    }
    // The start-up summary points people at the dev servers.
    expect(output).toContain(
      `taproom dev: apps on ${apps.customer}/, ${apps.bartender}/bartender/`,
    );
  });

  it('serves no file outside the apps and their packages: not the data directory, not its secrets', async () => {
    for (const path of [
      `${dataDir}/secrets.json`,
      `${dataDir}/pglite/PG_VERSION`,
      resolve('package.json'),
      resolve('src/main.ts'),
    ]) {
      const response = await fetch(`${apps.bartender}/bartender/@fs${path}`);
      expect([path, response.status]).toEqual([path, 403]);
    }
    // What the apps need from outside their folder still comes: web-core's sources.
    const webCore = await fetch(
      `${apps.bartender}/bartender/@fs${resolve('packages/web-core/src/api/contracts.ts')}`,
    );
    expect(webCore.status).toBe(200);
  });

  it('proxies /api: the refresh cookie and the event stream work as in production', async () => {
    const login = await request(`${apps.bartender}/api/auth/login`, {
      method: 'POST',
      json: {
        email: 'bartender@taproom.local',
        password: 'bartender-demo-pass-2026',
        app: 'bartender',
      },
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^rt_bartender=[^;]+; .*Path=\/api\/auth/);
    expect(cookie).toContain('HttpOnly');
    expect(login.body).not.toHaveProperty('refreshToken');

    // The page's next load restores the session from the cookie alone, through the proxy.
    const refresh = await request(`${apps.bartender}/api/auth/refresh`, {
      method: 'POST',
      headers: { cookie: cookie.split(';')[0] ?? '' },
      json: { app: 'bartender' },
    });
    expect(refresh.status).toBe(200);
    expect(refresh.headers.get('set-cookie')).toMatch(/^rt_bartender=/);
    const token = (refresh.body as { accessToken: string }).accessToken;

    // A live event crosses the proxy as it happens, not when the response ends.
    const stream = await mustOpenEvents(apps.bartender, token);
    const customer = await request(`${apps.customer}/api/auth/login`, {
      method: 'POST',
      json: {
        email: 'customer@taproom.local',
        password: 'customer-demo-pass-2026',
        app: 'customer',
        refreshTransport: 'body',
      },
    });
    const menu = await request<
      { id: string; available: boolean; optionGroups: { min: number }[] }[]
    >(`${apps.customer}/api/menu`);
    // One that needs no choices (a size, say), so the order holds just the item.
    const item = menu.body.find(
      (candidate) =>
        candidate.available && candidate.optionGroups.every((group) => group.min === 0),
    );
    const order = await request(`${apps.customer}/api/orders`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${(customer.body as { accessToken: string }).accessToken}`,
        'idempotency-key': 'dev-loop-1',
      },
      json: { items: [{ menuItemId: item?.id, quantity: 1 }] },
    });
    expect(order.status).toBe(201);
    const orderId = (order.body as { id: string }).id;
    const created = await stream.next(
      (event) => JSON.stringify(event.data ?? null).includes(orderId),
      10_000,
    );
    expect(created.event).toBe('order.created');
    stream.close();
  });

  it('stops everything on SIGTERM and lets go of the database', async () => {
    const exited = new Promise<number | null>((resolve) => dev.once('exit', resolve));
    dev.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(join(dataDir, 'pglite.lock'))).toBe(false);
    await expect(fetch(`${api}/api/health`)).rejects.toThrow();
    await expect(fetch(`${apps.admin}/admin/`)).rejects.toThrow();
  });
});
