import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SERVER_ENTRY = resolve('dist/src/main.js');

/** A free loopback port (the OS picks it; the probe socket is closed before returning). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => {
        resolvePort(port);
      });
    });
  });
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
}

/**
 * The environment a test server process gets: test mode, warnings only, loopback, its own data
 * directory, no web root, then `env`.
 */
export function serverProcessEnv(env: Record<string, string>, port: number): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'taproom-proc-')),
    WEB_ROOT: join(tmpdir(), 'taproom-no-web-root'),
    ...env,
  };
}

/** Starts the built server (`npm run build` first) as `npm start` would, with extra env. */
export function startServerProcess(env: Record<string, string>, port?: number): ServerProcess {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${SERVER_ENTRY} is missing: run npm run build`);
  const listenPort = port ?? 0;
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: serverProcessEnv(env, listenPort),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolveExit) => {
    child.once('exit', (code, signal) => {
      resolveExit(code ?? signal ?? 'unknown');
    });
  });
  return { child, url: `http://127.0.0.1:${listenPort}`, output: () => output, exited };
}

/** The lines a server process logged at error (pino 50) or fatal (60) level so far. */
export function errorLogLines(server: ServerProcess): string[] {
  return server
    .output()
    .split('\n')
    .filter((line) => /^\{.*"level":(50|60)\b/.test(line));
}

/** Polls `url` until it answers 200, or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/** Runs one of the built command-line tools (`dist/...`) to its end: exit code and output. */
export function runCommandLine(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => {
        resolveRun({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr });
      },
    );
  });
}
