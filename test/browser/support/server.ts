import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../support/server-process.js';

export const ROOT = resolve(import.meta.dirname, '../../..');

export interface RunningServer {
  readonly baseUrl: string;
  readonly log: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the built server (`dist/src/main.js`) with the embedded database in a fresh temporary
 * data directory (demo accounts and menu seeded) and waits until it serves the customer app.
 * The port is probed free first; if something else takes it before the server listens (Chromium's
 * own outgoing connections draw from the same range), it starts again on another one.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const entry = join(ROOT, 'dist/src/main.js');
  if (!existsSync(entry) || !existsSync(join(ROOT, 'apps/customer/dist/index.html'))) {
    throw new Error('Build first: `npm run build` (npm run test:browser does it for you).');
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(entry, await freePort(), env);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt === 3) throw error;
    }
  }
}

/** The server could not listen: another process took the probed port first. */
class PortTaken extends Error {}

async function launch(
  entry: string,
  port: number,
  env: Record<string, string>,
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'taproom-browser-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) {
      rmSync(dataDir, { recursive: true, force: true });
      if (output.includes('EADDRINUSE')) throw new PortTaken(`port ${port} was taken:\n${output}`);
      throw new Error(`server exited early:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start in 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    baseUrl,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
