import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type SecurityWorld, snapshot, startSecurityWorld } from './security-world.js';

const SQLMAP = '/usr/bin/sqlmap';
/** Wall-clock bound of one sqlmap target; a run that hits it fails the test. */
const TARGET_BOUND_MS = 150_000;

interface SqlmapRun {
  output: string;
  exitCode: number | string;
  ms: number;
  /** Rows of sqlmap's results CSV (injection points found), header excluded. */
  findings: string[];
}

function runSqlmap(outputDir: string, args: string[]): Promise<SqlmapRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      SQLMAP,
      [
        ...args,
        '--batch',
        '--dbms=PostgreSQL',
        '--level=2',
        '--risk=1',
        // Boolean, error, UNION, stacked and time-based; 5 s sleeps stand out even on a busy machine.
        '--technique=BEUST',
        '--time-sec=5',
        '--timeout=10',
        '--retries=1',
        '--skip-waf',
        '--disable-coloring',
        '--ignore-code=400,401,403,404,409,413,415,422,429',
        `--output-dir=${outputDir}`,
        `--tmp-dir=${outputDir}`,
        '--flush-session',
      ],
      { env: { ...process.env, HOME: outputDir }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), TARGET_BOUND_MS);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const csv = readdirSync(outputDir).filter((name) => /^results-.*\.csv$/.test(name));
      const findings = csv.flatMap((name) =>
        readFileSync(join(outputDir, name), 'utf8')
          .split('\n')
          .slice(1)
          .filter((line) => line.trim() !== ''),
      );
      resolve({
        output,
        exitCode: code ?? signal ?? 'unknown',
        ms: Date.now() - started,
        findings,
      });
    });
  });
}

/**
 * sqlmap (Debian's package) against the running app over HTTP, bounded: the login JSON body, the
 * menu listing, and the orders and admin listing routes with a valid bearer token. Every marked
 * (`*`) parameter must have been tested and found not injectable.
 */
describe('security: sqlmap finds no injectable parameter', () => {
  let world: SecurityWorld;

  beforeAll(async () => {
    world = await startSecurityWorld();
  }, 120_000);
  afterAll(async () => {
    await world.close();
  });

  async function scan(name: string, args: string[], markedParameters: number): Promise<SqlmapRun> {
    const outputDir = mkdtempSync(join(tmpdir(), `taproom-sqlmap-${name}-`));
    const run = await runSqlmap(outputDir, args);
    const shown = `${name}:\n${run.output.slice(-3000)}`;
    // It ran to its end, within its bound…
    expect({ shown, exit: run.exitCode }).toEqual({ shown, exit: 0 });
    expect(run.ms).toBeLessThan(TARGET_BOUND_MS);
    // …tested every marked parameter with real payloads…
    const tested = run.output.match(/testing for SQL injection on .* parameter/g) ?? [];
    expect({ shown, tested: tested.length }).toEqual({ shown, tested: markedParameters });
    const techniques = run.output.match(/\[INFO\] testing '/g) ?? [];
    expect(techniques.length).toBeGreaterThanOrEqual(markedParameters * 5);
    const clean = run.output.match(/parameter '.*' does not seem to be injectable/g) ?? [];
    expect({ shown, clean: clean.length }).toEqual({ shown, clean: markedParameters });
    expect(run.output).toContain('all tested parameters do not appear to be injectable');
    // …and found nothing.
    expect(run.output).not.toMatch(/identified the following injection point|is vulnerable/);
    expect(run.findings).toEqual([]);
    expect(existsSync(outputDir)).toBe(true);
    return run;
  }

  it('login JSON body (email, password, app)', async () => {
    const before = await snapshot(world.app, ['audit_events']);
    await scan(
      'login',
      [
        `--url=${world.app.url}/api/auth/login`,
        '--method=POST',
        '--headers=Content-Type: application/json',
        `--data={"email":"${world.other.user.email}*","password":"wrong-password*","app":"customer*"}`,
      ],
      3,
    );
    // Only failed sign-ins were recorded: no account, session or other row changed.
    expect(await snapshot(world.app, ['audit_events'])).toEqual(before);
  }, 200_000);

  it('menu and orders listings, one order, with a bearer token', async () => {
    const before = await snapshot(world.app);
    const auth = `--headers=Authorization: Bearer ${world.signedIn.customer.accessToken}`;
    await scan(
      'listings',
      [
        `--url=${world.app.url}/api/orders?status=pending*&from=2026-01-01*&to=2030-12-31*&page=1*&limit=20*`,
        auth,
      ],
      5,
    );
    await scan('order', [`--url=${world.app.url}/api/orders/${world.ownOrderId}*`, auth], 1);
    await scan('menu', [`--url=${world.app.url}/api/menu?category=Beer*`], 1);
    expect(await snapshot(world.app)).toEqual(before);
  }, 400_000);

  it('admin user search (free text and role), with an admin bearer token', async () => {
    const before = await snapshot(world.app);
    await scan(
      'admin',
      [
        `--url=${world.app.url}/api/admin/users?q=customer*&role=customer*`,
        `--headers=Authorization: Bearer ${world.signedIn.admin.accessToken}`,
      ],
      2,
    );
    expect(await snapshot(world.app)).toEqual(before);
  }, 200_000);
});
