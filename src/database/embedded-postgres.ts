import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import lockfile from 'proper-lockfile';

/** A running embedded PostgreSQL (PGlite) reachable by the ordinary `pg` driver. */
export interface EmbeddedPostgres {
  /** A `postgres://` URL on a private loopback port. */
  readonly url: string;
  stop(): Promise<void>;
}

/** Another process holds the embedded database: opening it too would lose one's writes. */
class EmbeddedDatabaseInUseError extends Error {
  constructor(location: string) {
    super(
      `the embedded database in ${location} is in use by another process (a running npm start, npm run dev or CLI); stop it first (the lock ${location}.lock of a process that died frees itself within 10 s)`,
    );
  }
}

/**
 * Starts PGlite persisted under `dataDir` (or in memory when `dataDir` is undefined) behind
 * `pglite-socket`. The socket server serves one connection: the app's pool must have `max: 1`
 * and hold it, and every query inside a transaction must use that transaction's manager.
 *
 * A data directory is held with a lock file (`<dataDir>/pglite.lock`) until `stop()`: PGlite
 * keeps the database in the process's memory, so a second process opening the same directory
 * would not see the first one's writes, and whichever wrote last would overwrite the other.
 * A lock left by a process that died goes stale after 10 s.
 */
export async function startEmbeddedPostgres(
  dataDir: string | undefined,
): Promise<EmbeddedPostgres> {
  let location = 'memory://';
  let release: () => Promise<void> = () => Promise.resolve();
  if (dataDir !== undefined) {
    location = join(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
    release = await lockDataDirectory(location);
  }
  try {
    // pg_trgm: the trigram indexes of the `q` searches (see the list-indexes migration).
    const db = await PGlite.create(location, { extensions: { pg_trgm } });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    let stopped = false;
    return {
      url: `postgres://postgres@${server.getServerConn()}/postgres`,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await db.close();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

async function lockDataDirectory(location: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(location, {
      lockfilePath: `${location}.lock`,
      stale: 10_000,
      // A process that just stopped (a restart in watch mode) may still be letting go.
      retries: { retries: 4, minTimeout: 250, maxTimeout: 1_000 },
      onCompromised: (error) => {
        // Someone removed or took the lock while this process holds the database: carrying on
        // could overwrite their writes.
        process.stderr.write(`taproom: the embedded database's lock was lost (${error.message})\n`);
        process.exit(1);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new EmbeddedDatabaseInUseError(location);
    }
    throw error;
  }
}
