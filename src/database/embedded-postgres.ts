import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** A running embedded PostgreSQL (PGlite) reachable by the ordinary `pg` driver. */
export interface EmbeddedPostgres {
  /** A `postgres://` URL on a private loopback port. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite persisted under `dataDir` (or in memory when `dataDir` is undefined) behind
 * `pglite-socket`. The socket server serves one connection: the app's pool must have `max: 1`
 * and hold it, and every query inside a transaction must use that transaction's manager.
 */
export async function startEmbeddedPostgres(
  dataDir: string | undefined,
): Promise<EmbeddedPostgres> {
  let location = 'memory://';
  if (dataDir !== undefined) {
    location = join(dataDir, 'pglite');
    mkdirSync(location, { recursive: true });
  }
  const db = await PGlite.create(location);
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
    },
  };
}
