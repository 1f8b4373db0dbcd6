import type { EntityManager } from 'typeorm';
import { changeRows, selectRows } from '../database/sql-rows.js';
import { IDEMPOTENCY_TTL_HOURS } from './idempotency.js';

/** The tables that remember `Idempotency-Key`s: per user and key, with the request's hash. */
export type IdempotencyKeyTable = 'order_idempotency_keys' | 'payment_idempotency_keys';

/** A key an earlier request used: what it meant, and what it answered. */
export interface StoredKey<Response> {
  readonly requestHash: string;
  readonly response: Response;
}

/** The user's key, if it is still remembered (younger than the keys' 24 hours). */
export async function findStoredKey<Response>(
  manager: EntityManager,
  table: IdempotencyKeyTable,
  userId: string,
  key: string,
): Promise<StoredKey<Response> | undefined> {
  const [row] = await selectRows<StoredKey<Response>>(
    manager,
    `SELECT request_hash AS "requestHash", response FROM ${table}
      WHERE user_id = $1 AND key = $2
        AND created_at >= now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
    [userId, key],
  );
  return row;
}

/** Deletes keys past their 24 hours; returns how many. */
export async function deleteExpiredKeys(
  manager: EntityManager,
  table: IdempotencyKeyTable,
): Promise<number> {
  const { count } = await changeRows(
    manager,
    `DELETE FROM ${table} WHERE created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
  );
  return count;
}
