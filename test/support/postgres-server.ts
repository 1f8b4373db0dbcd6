import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './server-process.js';
import { refuseWithoutServices } from './services.js';

const run = promisify(execFile);

/** The newest installed PostgreSQL's programs (Debian: /usr/lib/postgresql/<version>/bin). */
function postgresBin(program: string): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((name) => /^\d+$/.test(name))
    .sort((x, y) => Number(y) - Number(x));
  const newest = versions[0];
  if (newest === undefined) throw new Error('No PostgreSQL under /usr/lib/postgresql');
  return join('/usr/lib/postgresql', newest, 'bin', program);
}

/**
 * A throwaway PostgreSQL cluster in a temporary directory, on a free loopback port, with trust
 * authentication for `postgres`: a test may stop it (as in a crash) and start it again on the same
 * port and data. Never the machine's shared server. PostgreSQL refuses to run as root, so as
 * root its programs run as the `postgres` user. Always `destroy()` it (in a `finally`/`afterAll`).
 */
export class ThrowawayPostgres {
  private running = false;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly asUser: string | undefined,
  ) {}

  /** Creates the cluster and starts it. */
  static async start(): Promise<ThrowawayPostgres> {
    refuseWithoutServices('a throwaway PostgreSQL');
    const dir = mkdtempSync(join(tmpdir(), 'taproom-pg-'));
    let asUser: string | undefined;
    if (process.getuid?.() === 0) {
      asUser = 'postgres';
      const { stdout } = await run('id', ['-u', asUser]);
      chownSync(dir, Number(stdout.trim()), -1);
    }
    const server = new ThrowawayPostgres(await freePort(), dir, asUser);
    try {
      await server.exec('initdb', [
        '-D',
        server.dataDir,
        '-A',
        'trust',
        '-U',
        'postgres',
        '-E',
        'UTF8',
        '--no-sync',
      ]);
      await server.start();
    } catch (error) {
      await server.destroy();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${String(this.port)}/postgres`;
  }

  private get dataDir(): string {
    return join(this.dir, 'data');
  }

  /** Starts the server (again) and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = [
      `-p ${String(this.port)}`,
      `-k ${this.dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
    ].join(' ');
    await this.exec('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      options,
      'start',
    ]);
    this.running = true;
  }

  /** Stops the server at once: connections drop, nothing is shut down cleanly (a crash). */
  async stop(): Promise<void> {
    if (!this.running) return;
    await this.exec('pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', 'stop']);
    this.running = false;
  }

  /** Stops the server if it runs and deletes its files. */
  async destroy(): Promise<void> {
    try {
      await this.stop();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private async exec(program: string, args: string[]): Promise<void> {
    const binary = postgresBin(program);
    const [file, argv] =
      this.asUser === undefined
        ? [binary, args]
        : ['runuser', ['-u', this.asUser, '--', binary, ...args]];
    // cwd: the user may not be allowed into the test's working directory.
    await run(file, argv, { cwd: this.dir, timeout: 60_000 });
  }
}
