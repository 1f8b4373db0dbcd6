/**
 * `npm run dev`: the API in watch mode and the three apps through Vite's dev server.
 *
 * - The API: `nest start --watch` recompiles `src/` into `dist-dev/` on every change and
 *   restarts the server (the embedded database by default, like `npm start`; any
 *   `DATABASE_URL`/`REDIS_URL` works).
 * - The apps: one Vite dev server each, with hot reload, on `DEV_APPS_PORT` (default 5173) and
 *   the next two ports, at their production base paths (`/`, `/bartender/`, `/admin/`). Each
 *   proxies `/api` to the API, so the apps call their own origin as in production: the refresh
 *   cookies (`Path=/api/auth`; cookies do not depend on the port) and the event stream go
 *   through unchanged.
 *
 * Ctrl-C stops everything. `PORT` and `HOST` are the API's, as for `npm start`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const host = process.env.HOST ?? '127.0.0.1';
const apiPort = Number(process.env.PORT ?? 3000);
const appsPort = Number(process.env.DEV_APPS_PORT ?? 5173);
const everywhere = host === '0.0.0.0' || host === '::';
/** `host` as it goes in a URL (IPv6 in brackets; "all interfaces" as this machine). */
const urlHost = (name) => (name.includes(':') ? `[${name}]` : name);
const apiUrl = `http://${everywhere ? '127.0.0.1' : urlHost(host)}:${apiPort}`;
const appsHost = everywhere ? 'localhost' : urlHost(host);

const APPS = [
  { name: 'customer', base: '/' },
  { name: 'bartender', base: '/bartender/' },
  { name: 'admin', base: '/admin/' },
];

/**
 * The three Vite dev servers, listening; each proxies `/api` (the event stream too) to the API.
 * A Vite dev server ends the process on SIGTERM and when standard input ends (closing only
 * itself): those listeners are taken off, so that stopping always stops the API too.
 */
async function startApps() {
  const sigterm = new Set(process.listeners('SIGTERM'));
  const stdinEnd = new Set(process.stdin.listeners('end'));
  const servers = [];
  for (const [index, app] of APPS.entries()) {
    const server = await createServer({
      configFile: `${root}apps/${app.name}/vite.config.js`,
      clearScreen: false,
      logLevel: 'warn',
      server: {
        host,
        port: appsPort + index,
        strictPort: true,
        proxy: { '/api': { target: apiUrl, changeOrigin: false } },
      },
    });
    await server.listen();
    servers.push(server);
  }
  for (const listener of process.listeners('SIGTERM')) {
    if (!sigterm.has(listener)) process.off('SIGTERM', listener);
  }
  for (const listener of process.stdin.listeners('end')) {
    if (!stdinEnd.has(listener)) process.stdin.off('end', listener);
  }
  return servers;
}

/**
 * The API under the Nest CLI's watch mode, its output on this terminal. It is built to
 * `dist-dev/<port>/` (the CLI empties its output folder when it starts): never what `npm start`
 * runs (`dist/`), nor what another dev loop on another port runs.
 */
function startApi() {
  const nest = createRequire(import.meta.url).resolve('@nestjs/cli/bin/nest.js');
  // Beside the output, not in it: the CLI empties `dist-dev/<port>/` before it reads this.
  const cache = join(root, 'node_modules', '.cache', 'taproom-dev');
  const tsconfig = join(cache, `tsconfig.${apiPort}.json`);
  mkdirSync(cache, { recursive: true });
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.dev.json'),
      compilerOptions: { outDir: join(root, 'dist-dev', String(apiPort)) },
    }),
  );
  // The CLI reads --path relative to the working directory.
  const args = ['start', '--watch', '--preserveWatchOutput', '--path', relative(root, tsconfig)];
  return spawn(process.execPath, [nest, ...args], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, DEV_APPS_PORT: String(appsPort) },
    // Its own process group: the CLI runs the server through a shell and signals only the
    // shell, so stopping reaches the server by signalling the whole group.
    detached: true,
  });
}

let servers = [];
try {
  servers = await startApps();
} catch (error) {
  await Promise.all(servers.map((server) => server.close()));
  process.stderr.write(`taproom dev: could not start the apps' dev servers: ${error.message}\n`);
  process.exit(1);
}
process.stdout.write(
  `taproom dev: apps on ${APPS.map((app, index) => `http://${appsHost}:${appsPort + index}${app.base}`).join(', ')}; starting the API in watch mode on ${apiUrl}\n`,
);
const api = startApi();

/** Signals the API's process group; false once none of it is left. */
function signalApi(signal) {
  try {
    process.kill(-api.pid, signal);
    return true;
  } catch {
    return false;
  }
}

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(servers.map((server) => server.close()));
  signalApi('SIGTERM');
  // The server closes its database after the CLI has gone: wait for the whole group.
  const deadline = Date.now() + 15_000;
  while (signalApi(0) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signalApi('SIGKILL');
  process.exit(code);
}
api.once('exit', (code) => void stop(code ?? 1));
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));
// The terminal closed: the API, in a process group of its own, would not hear of it.
process.once('SIGHUP', () => void stop(0));
// However this process ends (an error included), the API is told to stop too.
process.once('exit', () => signalApi('SIGTERM'));
