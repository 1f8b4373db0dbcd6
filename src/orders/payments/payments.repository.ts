import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { changeRows, selectRows } from '../../database/sql-rows.js';
import type { Role } from '../../users/role.js';
import { IDEMPOTENCY_TTL_HOURS } from '../idempotency.js';
import { deleteExpiredKeys, findStoredKey, type StoredKey } from '../idempotency-keys.js';
import type { OrderRow } from '../order-view.js';
import { ORDER_COLUMNS } from '../orders.repository.js';
import type { PaymentMethod } from './payment-figures.js';

/** Whose tab: one table's or one customer's orders of one business day. */
export type TabOwner =
  | { readonly businessDay: string; readonly tableNumber: number }
  | { readonly businessDay: string; readonly customerId: string };

/** One row of `order_payments`: a payment or a refund. */
export interface MoneyEntry {
  readonly id: string;
  readonly orderId: string;
  readonly kind: 'payment' | 'refund';
  readonly method: PaymentMethod;
  readonly amountCents: number;
  readonly tipCents: number;
  readonly reason: string | null;
  readonly by: { readonly id: string; readonly name: string; readonly role: Role };
  readonly at: Date;
}

/** A remembered payment request and what it answered. */
export type StoredPaymentKey = StoredKey<unknown>;

/** The SQL of payments, refunds, tabs and their idempotency keys. */
@Injectable()
export class PaymentsRepository {
  /**
   * Claims `key` for a payment in the caller's transaction. A live key of another transaction
   * makes this wait until that one ends: false if it committed (replay it), true if it rolled
   * back or the key was free or expired (this request goes on, and the key is its own).
   */
  async claimKey(
    manager: EntityManager,
    userId: string,
    key: string,
    requestHash: string,
  ): Promise<boolean> {
    const rows = await selectRows(
      manager,
      `INSERT INTO payment_idempotency_keys AS k (user_id, key, request_hash, response)
       VALUES ($1, $2, $3, 'null'::jsonb)
       ON CONFLICT (user_id, key) DO UPDATE
          SET request_hash = excluded.request_hash, response = excluded.response,
              created_at = now()
        WHERE k.created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
       RETURNING 1 AS claimed`,
      [userId, key, requestHash],
    );
    return rows.length > 0;
  }

  /** What a claimed key answers on a replay; set before the claiming transaction commits. */
  async storeResponse(
    manager: EntityManager,
    userId: string,
    key: string,
    response: unknown,
  ): Promise<void> {
    await changeRows(
      manager,
      `UPDATE payment_idempotency_keys SET response = $3::jsonb WHERE user_id = $1 AND key = $2`,
      [userId, key, JSON.stringify(response)],
    );
  }

  findKey(
    manager: EntityManager,
    userId: string,
    key: string,
  ): Promise<StoredPaymentKey | undefined> {
    return findStoredKey<unknown>(manager, 'payment_idempotency_keys', userId, key);
  }

  /** Deletes keys past their 24 hours; returns how many. */
  deleteExpiredKeys(manager: EntityManager): Promise<number> {
    return deleteExpiredKeys(manager, 'payment_idempotency_keys');
  }

  /** Locks an order's row until the transaction ends; false when there is no such order. */
  async lockOrder(manager: EntityManager, id: string): Promise<boolean> {
    const rows = await selectRows(manager, `SELECT id FROM orders WHERE id = $1 FOR UPDATE`, [id]);
    return rows.length > 0;
  }

  /**
   * Locks the rows of a tab's orders (those of the owner's business day that are not cancelled),
   * in id order, so two tab payments never wait on each other in a cycle. Returns the ids it
   * locked: an order placed while it waited is not among them, and must not be paid by this
   * transaction (another payment of it would not wait for this one).
   */
  async lockTab(manager: EntityManager, owner: TabOwner): Promise<string[]> {
    const { where, params } = tabCondition(owner);
    const rows = await selectRows<{ id: string }>(
      manager,
      `SELECT o.id FROM orders o WHERE ${where} ORDER BY o.id FOR UPDATE`,
      params,
    );
    return rows.map((row) => row.id);
  }

  /**
   * The not-cancelled orders of the owner's day, oldest first (the paid ones too); only those of
   * `lockedIds` when given.
   */
  async tabOrders(
    manager: EntityManager,
    owner: TabOwner,
    lockedIds?: readonly string[],
  ): Promise<OrderRow[]> {
    const { where, params } = tabCondition(owner);
    const only = lockedIds === undefined ? '' : ` AND o.id = ANY($${params.length + 1}::uuid[])`;
    return selectRows<OrderRow>(
      manager,
      `SELECT ${ORDER_COLUMNS} FROM orders o WHERE ${where}${only} ORDER BY o.created_at, o.id`,
      lockedIds === undefined ? params : [...params, lockedIds],
    );
  }

  /**
   * Records payments or refunds, and moves each order they touch on a version (and its
   * `updated_at`), so live boards and lists sorted by change take the new figures.
   */
  async record(manager: EntityManager, entries: readonly MoneyEntry[]): Promise<void> {
    await selectRows(
      manager,
      `WITH entries AS (
         INSERT INTO order_payments (id, order_id, kind, method, amount_cents, tip_cents, reason,
                                     by_user_id, by_name, by_role, at)
         SELECT e.id, e.order_id, e.kind, e.method, e.amount_cents, e.tip_cents, e.reason,
                $8, $9, $10, $11
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[],
                       $7::text[]) WITH ORDINALITY
                AS e(id, order_id, kind, method, amount_cents, tip_cents, reason, n)
          ORDER BY e.n
         RETURNING order_id
       )
       UPDATE orders SET version = version + 1, updated_at = $11
        WHERE id IN (SELECT DISTINCT order_id FROM entries)
       RETURNING id`,
      [
        entries.map((entry) => entry.id),
        entries.map((entry) => entry.orderId),
        entries.map((entry) => entry.kind),
        entries.map((entry) => entry.method),
        entries.map((entry) => entry.amountCents),
        entries.map((entry) => entry.tipCents),
        entries.map((entry) => entry.reason),
        entries[0]?.by.id,
        entries[0]?.by.name,
        entries[0]?.by.role,
        entries[0]?.at,
      ],
    );
  }
}

function tabCondition(owner: TabOwner): { where: string; params: unknown[] } {
  return 'tableNumber' in owner
    ? {
        where: `o.business_day = $1::date AND o.table_number = $2 AND o.status <> 'cancelled'`,
        params: [owner.businessDay, owner.tableNumber],
      }
    : {
        where: `o.business_day = $1::date AND o.customer_id = $2 AND o.status <> 'cancelled'`,
        params: [owner.businessDay, owner.customerId],
      };
}
