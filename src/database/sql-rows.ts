import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** Runs a SELECT (or INSERT … RETURNING) and types its rows. */
export async function selectRows<T>(
  manager: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const rows: unknown = await manager.query(sql, params);
  return rows as T[];
}

/**
 * Runs an UPDATE or DELETE (with or without RETURNING) and gives its returned rows and the number
 * of rows it touched. TypeORM's postgres driver answers these statements with `[rows, rowCount]`.
 */
export async function changeRows(
  manager: EntityManager,
  sql: string,
  params: unknown[] = [],
): Promise<{ rows: unknown[]; count: number }> {
  const result: unknown = await manager.query(sql, params);
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0])) {
    return { rows: result[0] as unknown[], count: Number(result[1]) };
  }
  throw new Error('changeRows is for UPDATE and DELETE statements');
}

/**
 * A statement that the database parses and plans once per connection, then only binds and runs:
 * for large statements on hot paths, where planning costs more than running. `name` identifies
 * the text on each connection, so two different texts may never share one (the `pg` driver refuses
 * that); {@link preparedStatement} derives it from the text. Cast every column it returns to its
 * type (`x::int`): PostgreSQL re-plans a prepared statement after a schema change, but refuses it
 * for good on that connection ("cached plan must not change result type") if a migration changed
 * the type of a column it returns as is.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/** `text` as a prepared statement, named after a digest of the text itself. */
export function preparedStatement(prefix: string, text: string): PreparedStatement {
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 16);
  return { name: `${prefix}_${digest}`, text };
}

/**
 * `selectRows` for a prepared statement. TypeORM hands its query to the `pg` driver as it is, and
 * `pg` takes a query config: given a name, it sends Parse once per connection and afterwards only
 * Bind and Execute. The embedded server (PGlite behind its socket) speaks the same protocol.
 */
export async function selectPreparedRows<T>(
  manager: EntityManager,
  statement: PreparedStatement,
  params: unknown[],
): Promise<T[]> {
  const config = { name: statement.name, text: statement.text };
  const rows: unknown = await manager.query(config as unknown as string, params);
  return rows as T[];
}
