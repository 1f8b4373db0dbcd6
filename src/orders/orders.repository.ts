import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { changeRows, selectRows } from '../database/sql-rows.js';
import type { Role } from '../users/role.js';
import type { OrderStatus } from './order-state-machine.js';
import type { OrderLineView, OrderRow, OrderView } from './order-view.js';
import { IDEMPOTENCY_TTL_HOURS } from './idempotency.js';

const ORDER_COLUMNS = `
  o.id, o.number, o.customer_id AS "customerId", o.customer_name AS "customerName", o.status,
  o.total_cents AS "totalCents", o.table_number AS "tableNumber", o.note,
  o.assignee_id AS "assigneeId", o.assignee_name AS "assigneeName",
  o.cancel_reason AS "cancelReason", o.version, o.created_at AS "createdAt",
  o.updated_at AS "updatedAt",
  (SELECT json_agg(json_build_object('menuItemId', i.menu_item_id, 'name', i.name,
            'unitPriceCents', i.unit_price_cents, 'quantity', i.quantity, 'note', i.note)
          ORDER BY i.line_no)
     FROM order_items i WHERE i.order_id = o.id) AS items,
  (SELECT json_agg(json_build_object('status', h.status, 'at', h.at, 'byId', h.by_user_id,
            'byName', h.by_name, 'byRole', h.by_role)
          ORDER BY h.seq)
     FROM order_history h WHERE h.order_id = o.id) AS history`;

/** Everything needed to write a new order and its first history entry. */
export interface NewOrder {
  readonly id: string;
  readonly number: number;
  readonly businessDay: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly totalCents: number;
  readonly tableNumber: number | null;
  readonly note: string | null;
  readonly at: Date;
  readonly lines: readonly OrderLineView[];
}

/** One status move, applied only if the order is still at `expectedVersion`. */
export interface OrderMove {
  readonly orderId: string;
  readonly expectedVersion: number;
  readonly status: OrderStatus;
  readonly at: Date;
  readonly by: { readonly id: string; readonly name: string; readonly role: Role };
  /** Set when the move is an acceptance: the acceptor becomes the assignee. */
  readonly assign: boolean;
  readonly cancelReason: string | null;
}

/** The filters of an order list. */
export interface OrderFilter {
  readonly customerId?: string;
  readonly statuses?: readonly OrderStatus[];
  readonly from?: Date;
  readonly to?: Date;
}

/** A remembered idempotent creation. */
export interface StoredIdempotencyKey {
  readonly requestHash: string;
  readonly response: OrderView;
}

/** The orders module's SQL: narrow, intention-named statements over its own tables. */
@Injectable()
export class OrdersRepository {
  /**
   * Takes the next order number of a business day in one short statement of its own (autocommit),
   * so the counter row is locked only for that statement. Gaps (failed orders) are fine.
   */
  async nextNumber(manager: EntityManager, businessDay: string): Promise<number> {
    const [row] = await selectRows<{ number: number }>(
      manager,
      `INSERT INTO order_day_counters AS c (business_day, last_number) VALUES ($1, 1)
       ON CONFLICT (business_day) DO UPDATE SET last_number = c.last_number + 1
       RETURNING last_number AS number`,
      [businessDay],
    );
    if (!row) throw new Error('The order counter returned no row');
    return row.number;
  }

  /**
   * Claims an idempotency key for a creation in the caller's transaction. A live key held by a
   * transaction still running makes this statement wait for it; then the key is either ours (the
   * other rolled back, or the key had expired) or returned as stored.
   */
  async claimKey(
    manager: EntityManager,
    claim: { userId: string; key: string; requestHash: string; response: OrderView },
  ): Promise<StoredIdempotencyKey | undefined> {
    const claimed = await selectRows(
      manager,
      `INSERT INTO order_idempotency_keys AS k (user_id, key, request_hash, order_id, response)
       VALUES ($1, $2, $3, $4, $5::jsonb)
       ON CONFLICT (user_id, key) DO UPDATE
          SET request_hash = excluded.request_hash, order_id = excluded.order_id,
              response = excluded.response, created_at = now()
        WHERE k.created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
       RETURNING 1`,
      [
        claim.userId,
        claim.key,
        claim.requestHash,
        claim.response.id,
        JSON.stringify(claim.response),
      ],
    );
    if (claimed.length > 0) return undefined;
    const stored = await this.findKey(manager, claim.userId, claim.key);
    if (!stored) throw new Error('An idempotency key conflicted but cannot be read');
    return stored;
  }

  async findKey(
    manager: EntityManager,
    userId: string,
    key: string,
  ): Promise<StoredIdempotencyKey | undefined> {
    const [row] = await selectRows<StoredIdempotencyKey>(
      manager,
      `SELECT request_hash AS "requestHash", response FROM order_idempotency_keys
        WHERE user_id = $1 AND key = $2
          AND created_at >= now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
      [userId, key],
    );
    return row;
  }

  /** Deletes keys past their 24 hours; returns how many. */
  async deleteExpiredKeys(manager: EntityManager): Promise<number> {
    const { count } = await changeRows(
      manager,
      `DELETE FROM order_idempotency_keys
        WHERE created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})`,
    );
    return count;
  }

  /** Writes the order, its lines and its `pending` history entry in one statement. */
  async insertOrder(manager: EntityManager, order: NewOrder): Promise<void> {
    await manager.query(
      `WITH o AS (
         INSERT INTO orders (id, number, business_day, customer_id, customer_name, status,
                             total_cents, table_number, note, version, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, 1, $9, $9)
         RETURNING id
       ), lines AS (
         INSERT INTO order_items (order_id, line_no, menu_item_id, name, unit_price_cents,
                                  quantity, note)
         SELECT $1, l.line_no, l.menu_item_id, l.name, l.unit_price_cents, l.quantity, l.note
           FROM unnest($10::uuid[], $11::text[], $12::int[], $13::int[], $14::text[])
                WITH ORDINALITY AS l(menu_item_id, name, unit_price_cents, quantity, note, line_no)
       )
       INSERT INTO order_history (order_id, seq, status, at, by_user_id, by_name, by_role)
       SELECT o.id, 1, 'pending', $9, $4, $5, 'customer' FROM o`,
      [
        order.id,
        order.number,
        order.businessDay,
        order.customerId,
        order.customerName,
        order.totalCents,
        order.tableNumber,
        order.note,
        order.at,
        order.lines.map((line) => line.menuItemId),
        order.lines.map((line) => line.name),
        order.lines.map((line) => line.unitPriceCents),
        order.lines.map((line) => line.quantity),
        order.lines.map((line) => line.note),
      ],
    );
  }

  async findById(manager: EntityManager, id: string): Promise<OrderRow | undefined> {
    const [row] = await selectRows<OrderRow>(
      manager,
      `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1`,
      [id],
    );
    return row;
  }

  /**
   * Applies a move if nobody changed the order since `expectedVersion` (`UPDATE … WHERE id AND
   * version`), and records it in the history. False when the version no longer matches.
   */
  async applyMove(manager: EntityManager, move: OrderMove): Promise<boolean> {
    const rows = await selectRows(
      manager,
      `WITH moved AS (
         UPDATE orders
            SET status = $3, version = version + 1, updated_at = $4,
                assignee_id = CASE WHEN $8 THEN $5::uuid ELSE assignee_id END,
                assignee_name = CASE WHEN $8 THEN $6 ELSE assignee_name END,
                cancel_reason = COALESCE($9, cancel_reason)
          WHERE id = $1 AND version = $2
          RETURNING id
       )
       INSERT INTO order_history (order_id, seq, status, at, by_user_id, by_name, by_role)
       SELECT moved.id,
              (SELECT COALESCE(max(h.seq), 0) + 1 FROM order_history h WHERE h.order_id = moved.id),
              $3, $4, $5, $6, $7
         FROM moved
       RETURNING seq`,
      [
        move.orderId,
        move.expectedVersion,
        move.status,
        move.at,
        move.by.id,
        move.by.name,
        move.by.role,
        move.assign,
        move.cancelReason,
      ],
    );
    return rows.length > 0;
  }

  async count(manager: EntityManager, filter: OrderFilter): Promise<number> {
    const { where, params } = whereClause(filter);
    const [row] = await selectRows<{ total: string }>(
      manager,
      `SELECT count(*) AS total FROM orders o ${where}`,
      params,
    );
    return Number(row?.total ?? 0);
  }

  /** Newest first, ties broken by id, so pages never overlap or skip. */
  async list(
    manager: EntityManager,
    filter: OrderFilter,
    window: { skip: number; take: number },
  ): Promise<OrderRow[]> {
    const { where, params } = whereClause(filter);
    return selectRows<OrderRow>(
      manager,
      `SELECT ${ORDER_COLUMNS} FROM orders o ${where}
        ORDER BY o.created_at DESC, o.id DESC
        LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, window.take, window.skip],
    );
  }
}

function whereClause(filter: OrderFilter): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.customerId !== undefined) add((p) => `o.customer_id = ${p}`, filter.customerId);
  if (filter.statuses !== undefined && filter.statuses.length > 0) {
    add((p) => `o.status = ANY(${p}::text[])`, filter.statuses);
  }
  if (filter.from !== undefined) add((p) => `o.created_at >= ${p}`, filter.from);
  if (filter.to !== undefined) add((p) => `o.created_at < ${p}`, filter.to);
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}
