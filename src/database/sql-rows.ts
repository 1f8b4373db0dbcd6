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
