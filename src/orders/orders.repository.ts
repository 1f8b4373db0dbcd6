import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type CursorKey, cursorInstantSql } from '../common/list-cursor.js';
import { countUpTo, type PageTotal } from '../common/pagination.js';
import {
  type PreparedStatement,
  preparedStatement,
  selectPreparedRows,
  selectRows,
} from '../database/sql-rows.js';
import type { LoggableEvent, LoggedEvent } from '../events/domain-event.js';
import { appendEventsSql } from '../events/event-log.js';
import {
  chosenOptionsAvailableSql,
  lockOrderedItemsSql,
  orderableItemsSql,
  takeStockSql,
} from '../menu/menu-sql.js';
import type { MenuOptionGroup } from '../menu/option-groups.js';
import type { OrderableItem, StockChange } from '../menu/menu.service.js';
import type { Role } from '../users/role.js';
import { userEmailSql, userNameSql } from '../users/users-sql.js';
import type { OrderStatus } from './order-state-machine.js';
import type { OrderLineView, OrderRow, OrderView } from './order-view.js';
import { IDEMPOTENCY_TTL_HOURS } from './idempotency.js';
import { deleteExpiredKeys, findStoredKey, type StoredKey } from './idempotency-keys.js';
import type { OrderSort } from './dto/order-query.dto.js';

/** The JSON of an order line (`i`), as `OrderRow.items` holds them. */
const LINE_JSON = `json_build_object('menuItemId', i.menu_item_id, 'name', i.name,
            'unitPriceCents', i.unit_price_cents, 'quantity', i.quantity, 'note', i.note,
            'station', i.station, 'options', i.options,
            'vatRateBasisPoints', i.vat_rate_basis_points)`;

/** An aggregate over order payments (`p`) of one order: `OrderRow.money`. */
const MONEY_JSON = `json_build_object(
            'payments', COALESCE(json_agg(json_build_object('id', p.id, 'method', p.method,
                'amountCents', p.amount_cents, 'tipCents', p.tip_cents, 'at', p.at,
                'byId', p.by_user_id, 'byName', p.by_name, 'byRole', p.by_role)
              ORDER BY p.seq) FILTER (WHERE p.kind = 'payment'), '[]'),
            'refunds', COALESCE(json_agg(json_build_object('id', p.id, 'method', p.method,
                'amountCents', p.amount_cents, 'reason', p.reason, 'at', p.at,
                'byId', p.by_user_id, 'byName', p.by_name, 'byRole', p.by_role)
              ORDER BY p.seq) FILTER (WHERE p.kind = 'refund'), '[]'))`;

/** An order's own columns (`o`), without its lines, history and payments. */
const ORDER_OWN_COLUMNS = `
  o.id, o.number, o.customer_id AS "customerId", o.customer_name AS "customerName", o.status,
  o.total_cents AS "totalCents", o.table_number AS "tableNumber", o.note,
  o.assignee_id AS "assigneeId", o.assignee_name AS "assigneeName",
  o.cancel_reason AS "cancelReason", o.version, o.created_at AS "createdAt",
  o.updated_at AS "updatedAt"`;

/**
 * An order's columns, lines, history and payments (`OrderRow`): each of the three lists is one
 * aggregate over its table's index on the order id, so a page of orders is one statement.
 */
export const ORDER_COLUMNS = `${ORDER_OWN_COLUMNS},
  (SELECT json_agg(${LINE_JSON} ORDER BY i.line_no)
     FROM order_items i WHERE i.order_id = o.id) AS items,
  (SELECT json_agg(json_build_object('status', h.status, 'at', h.at, 'byId', h.by_user_id,
            'byName', h.by_name, 'byRole', h.by_role)
          ORDER BY h.seq)
     FROM order_history h WHERE h.order_id = o.id) AS history,
  (SELECT ${MONEY_JSON}
     FROM order_payments p WHERE p.order_id = o.id) AS money`;

/** What an order request needs before its transaction: its number, its customer, its items. */
export interface OrderStart {
  readonly number: number;
  readonly customerName: string;
  readonly items: OrderableItem[];
}

/** Everything needed to write a new order, its first history entry and its idempotency key. */
export interface NewOrder {
  readonly id: string;
  readonly number: number;
  readonly businessDay: string;
  readonly customerId: string;
  readonly customerName: string;
  /** The customer's role (`customer` or `guest`), as the first history entry names it. */
  readonly customerRole: Role;
  readonly totalCents: number;
  readonly tableNumber: number | null;
  readonly note: string | null;
  readonly at: Date;
  readonly lines: readonly OrderLineView[];
  /** Quantities to take from the items that had a stock count when the order read the menu. */
  readonly stock: readonly StockChange[];
  /**
   * The other items, unlimited when the order read the menu: checked again under their locks
   * (still unlimited, available, on the menu), or nothing is placed.
   */
  readonly unlimited: readonly string[];
  /** Every option chosen (one pair per line and option): checked again under the item locks. */
  readonly chosenOptions: readonly ChosenOption[];
  readonly key: string;
  readonly requestHash: string;
  /** What a replay of the key answers. */
  readonly response: OrderView;
}

/** An option chosen for a line of an item. */
export interface ChosenOption {
  readonly menuItemId: string;
  readonly optionId: string;
}

/** A stocked item as the placing statement found it, once it held the item's row lock. */
export interface StockedItem {
  readonly id: string;
  readonly name: string;
  readonly stock: number | null;
  readonly available: boolean;
  readonly archived: boolean;
  readonly option_groups?: readonly MenuOptionGroup[];
}

/** What the placing statement did; it wrote nothing unless the order was placed. */
export type Placement =
  | { readonly kind: 'placed'; readonly events: LoggedEvent[] }
  /** The key belongs to another creation, which has committed. */
  | { readonly kind: 'key taken' }
  /**
   * The first item (in id order) whose stock could not be taken, as found under its lock. The key
   * was not tried: it may belong to a creation that took the stock.
   */
  | { readonly kind: 'short'; readonly change: StockChange; readonly item?: StockedItem }
  /** An item read as unlimited has changed since (under its lock): off the menu, or counted. */
  | { readonly kind: 'changed'; readonly item?: StockedItem; readonly menuItemId: string }
  /** A chosen option is no longer one of its item's available options (under the item's lock). */
  | {
      readonly kind: 'option changed';
      readonly item?: StockedItem;
      readonly option: ChosenOption;
    };

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
  /**
   * Only this customer's orders, whatever else the filter asks: a customer's view of the list.
   * It is a condition of its own, so a `customerId` naming someone else finds nothing.
   */
  readonly ownerId?: string;
  readonly customerId?: string;
  readonly tableNumber?: number;
  readonly statuses?: readonly OrderStatus[];
  readonly from?: Date;
  readonly to?: Date;
  readonly updatedFrom?: Date;
}

/** Where a keyset read of orders stands: after this order, in (created_at, id) order. */
export interface OrderCursor {
  /** `created_at` as PostgreSQL writes it: to the microsecond, which a `Date` would cut. */
  readonly createdAt: string;
  readonly id: string;
}

/** An order as the list reads it: with its sort instant as a cursor writes it. */
export interface ListedOrderRow extends OrderRow {
  /** The list's sort column (`created_at` or `updated_at`) to the microsecond, in UTC. */
  readonly cursorAt: string;
}

/**
 * An order as the orders CSV export reads it: the order as its view is made from (so every
 * figure is the order's own), with where the keyset read stands, its venue day and the email.
 */
export interface OrderExportRow extends OrderRow {
  readonly cursor: string;
  readonly businessDay: string;
  readonly customerEmail: string | null;
}

/** A remembered idempotent creation. */
export type StoredIdempotencyKey = StoredKey<OrderView>;

/**
 * The order's events are logged only once everything else is written (the counts wait for it),
 * so the commit-order lock is held for as short a time as possible.
 */
const LOG_EVENTS = {
  firstParameter: 27,
  after: `placed, (SELECT count(*) FROM taken) AS t, (SELECT count(*) FROM lines) AS l,
            (SELECT count(*) FROM history) AS h`,
} as const;

/**
 * The statement `OrdersRepository.startOrder` runs, prepared: it runs once per order, and
 * planning its three parts every time cost about as much as running them. Each column it returns
 * is cast to its type: a prepared statement whose result type changes (a migration widening a
 * column while old instances still run) is refused by PostgreSQL on that connection for good.
 */
const START_ORDER = preparedStatement(
  'order_start',
  `WITH no_flush AS MATERIALIZED (
       SELECT set_config('synchronous_commit', 'off', true)
     ), counter AS (
       INSERT INTO order_day_counters AS c (business_day, last_number) VALUES ($1, 1)
       ON CONFLICT (business_day) DO UPDATE SET last_number = c.last_number + 1
       RETURNING last_number
     )
     SELECT counter.last_number::int AS number,
            ${userNameSql('$2')}::text AS "customerName",
            ${orderableItemsSql('$3')} AS items
       FROM counter, no_flush`,
);

/**
 * The statement `OrdersRepository.placeOrder` runs, prepared (planning it took longer than running
 * it), in two forms: with the check of the chosen options, or, as most orders choose none,
 * without it, which PostgreSQL would otherwise plan (jsonb over both locked sets) for every order.
 */
const PLACING_STATEMENTS = new Map<boolean, PreparedStatement>();

function placingStatement(withOptions: boolean): PreparedStatement {
  let statement = PLACING_STATEMENTS.get(withOptions);
  if (!statement) {
    statement = preparedStatement(
      withOptions ? 'order_place_options' : 'order_place',
      `WITH ${lockOrderedItemsSql({ counted: '$18', unlimited: '$20' })}, enough AS (
       SELECT (SELECT count(*)
                 FROM stocked m
                 JOIN unnest($18::uuid[], $19::int[]) AS s(id, quantity) ON m.id = s.id
                WHERE m.available AND NOT m.archived
                  AND (m.stock IS NULL OR m.stock >= s.quantity)) = cardinality($18::uuid[])
          AND (SELECT count(*) FROM unlimited m
                WHERE m.available AND NOT m.archived AND m.stock IS NULL)
              = cardinality($20::uuid[])
          AND ${
            withOptions
              ? chosenOptionsAvailableSql({ items: '$25', options: '$26' })
              : 'cardinality($25::uuid[]) + cardinality($26::text[]) = 0'
          } AS ok
     ), claim AS (
       INSERT INTO order_idempotency_keys AS k (user_id, key, request_hash, order_id, response)
       SELECT $4, $15, $16, $1, $17::jsonb FROM enough WHERE enough.ok
       ON CONFLICT (user_id, key) DO UPDATE
          SET request_hash = excluded.request_hash, order_id = excluded.order_id,
              response = excluded.response, created_at = now()
        WHERE k.created_at < now() - make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
       RETURNING order_id
     ), ${takeStockSql({ ids: '$18', quantities: '$19', after: 'claim' })}, placed AS (
       INSERT INTO orders (id, number, business_day, customer_id, customer_name, status,
                           total_cents, table_number, note, version, created_at, updated_at)
       SELECT $1, $2, $3, $4, $5, 'pending', $6, $7, $8, 1, $9, $9 FROM claim
       RETURNING id
     ), lines AS (
       -- Each line records what it took from stock, so a cancellation returns exactly that.
       INSERT INTO order_items (order_id, line_no, menu_item_id, name, unit_price_cents,
                                quantity, note, stock_taken, station, options,
                                vat_rate_basis_points)
       SELECT placed.id, l.line_no, l.menu_item_id, l.name, l.unit_price_cents, l.quantity,
              l.note,
              CASE WHEN l.menu_item_id IN (SELECT taken.id FROM taken) THEN l.quantity ELSE 0 END,
              l.station, l.options::jsonb, l.vat_rate_basis_points
         FROM placed,
              unnest($10::uuid[], $11::text[], $12::int[], $13::int[], $14::text[], $21::text[],
                     $23::text[], $24::int[])
                WITH ORDINALITY AS l(menu_item_id, name, unit_price_cents, quantity, note, station,
                                     options, vat_rate_basis_points, line_no)
       RETURNING order_id
     ), history AS (
       INSERT INTO order_history (order_id, seq, status, at, by_user_id, by_name, by_role)
       SELECT placed.id, 1, 'pending', $9, $4, $5, $22 FROM placed
       RETURNING order_id
     ), ${appendEventsSql([], LOG_EVENTS).sql}
     SELECT (SELECT enough.ok FROM enough) AS enough,
            COALESCE((SELECT json_agg(stocked) FROM stocked), '[]') AS stocked,
            COALESCE((SELECT json_agg(unlimited) FROM unlimited), '[]') AS unlimited,
            ARRAY(SELECT logged.id::text FROM logged ORDER BY logged.id) AS "eventIds"`,
    );
    PLACING_STATEMENTS.set(withOptions, statement);
  }
  return statement;
}

/** The orders module's SQL: narrow, intention-named statements over its own tables. */
@Injectable()
export class OrdersRepository {
  /**
   * Takes the next order number of a business day and reads the customer's name and the ordered
   * items, in one statement of its own (autocommit), so the counter row is locked only for that
   * statement and never serialises orders. Gaps (failed orders) are fine.
   *
   * It commits without waiting for its WAL flush (`synchronous_commit` off for this transaction
   * only), so an order costs one durable commit, its own. That loses nothing: the order's commit
   * record comes later in the WAL than this one, and a flush writes everything before it, so an
   * order that committed has its number's increment on disk too. A crash can only lose increments
   * whose orders never committed, and so give out again a number no order kept. So `manager` may
   * not be a transaction's (refused): inside one, the setting would hold for the whole transaction.
   */
  async startOrder(
    manager: EntityManager,
    request: { businessDay: string; customerId: string; menuItemIds: readonly string[] },
  ): Promise<OrderStart> {
    if (manager.queryRunner?.isTransactionActive === true) {
      throw new Error('startOrder commits on its own; it may not run inside a transaction');
    }
    const [row] = await selectPreparedRows<OrderStart>(manager, START_ORDER, [
      request.businessDay,
      request.customerId,
      request.menuItemIds,
    ]);
    if (!row) throw new Error('The order counter returned no row');
    return row;
  }

  /**
   * Places an order and logs its events in one statement, which is its own transaction
   * (autocommit), so nothing is held across a round trip. Locks are taken in one order, the same
   * for every writer: the stocked items in id order (so two orders never wait on each other in a
   * cycle), checked under their locks; then, only if every item has enough, the idempotency key
   * (a live key held by a creation still running makes the statement wait for it); then, only if
   * the key is ours, the stock is taken and the order, its lines and its `pending` history entry
   * are written; last, its events, by the events module's `appendEventsSql`, under the event log's
   * commit-order lock (see `EventLog.append`), which the statement holds until its commit. It
   * writes nothing unless the order is placed.
   */
  async placeOrder(
    manager: EntityManager,
    order: NewOrder,
    events: readonly LoggableEvent[],
  ): Promise<Placement> {
    const stock = [...order.stock].sort((a, b) => compareIds(a.menuItemId, b.menuItemId));
    const unlimited = [...order.unlimited].sort(compareIds);
    const logEvents = appendEventsSql(events, LOG_EVENTS);
    const [row] = await selectPreparedRows<{
      enough: boolean;
      stocked: StockedItem[];
      unlimited: StockedItem[];
      eventIds: string[];
    }>(manager, placingStatement(order.chosenOptions.length > 0), [
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
      order.key,
      order.requestHash,
      JSON.stringify(order.response),
      stock.map((change) => change.menuItemId),
      stock.map((change) => change.quantity),
      unlimited,
      order.lines.map((line) => line.station),
      order.customerRole,
      order.lines.map((line) => JSON.stringify(line.options)),
      order.lines.map((line) => line.vatRateBasisPoints),
      order.chosenOptions.map((choice) => choice.menuItemId),
      order.chosenOptions.map((choice) => choice.optionId),
      ...logEvents.parameters,
    ]);
    if (!row) throw new Error('The order statement returned no row');
    if (row.eventIds.length === events.length) {
      return {
        kind: 'placed',
        events: events.map((event, index) => ({ ...event, id: row.eventIds[index] ?? '' })),
      };
    }
    if (row.enough) return { kind: 'key taken' };
    const found = new Map(row.stocked.map((item) => [item.id.toLowerCase(), item]));
    for (const change of stock) {
      const item = found.get(change.menuItemId.toLowerCase());
      // Counted when read and unlimited now is fine: nothing is taken (the line takes 0).
      const enough =
        item?.available === true &&
        !item.archived &&
        (item.stock === null || item.stock >= change.quantity);
      if (!enough) return { kind: 'short', change, item };
    }
    const stillUnlimited = new Map(row.unlimited.map((item) => [item.id.toLowerCase(), item]));
    for (const id of unlimited) {
      const item = stillUnlimited.get(id.toLowerCase());
      if (item?.stock !== null || !item.available || item.archived) {
        return { kind: 'changed', item, menuItemId: id };
      }
    }
    const locked = new Map(
      [...row.stocked, ...row.unlimited].map((item) => [item.id.toLowerCase(), item]),
    );
    for (const option of order.chosenOptions) {
      const item = locked.get(option.menuItemId.toLowerCase());
      const found = (item?.option_groups ?? [])
        .flatMap((group) => group.options)
        .find((candidate) => candidate.id === option.optionId);
      if (found?.available !== true) return { kind: 'option changed', item, option };
    }
    throw new Error('The order statement placed nothing and gave no reason');
  }

  /** How many of the customer's orders are unfinished (pending, accepted, preparing, ready). */
  async countUnfinished(manager: EntityManager, customerId: string): Promise<number> {
    const [row] = await selectRows<{ open: number }>(
      manager,
      `SELECT count(*)::int AS open FROM orders
        WHERE customer_id = $1 AND status NOT IN ('completed', 'cancelled')`,
      [customerId],
    );
    return row?.open ?? 0;
  }

  /**
   * What each item's lines of an order took from stock, summed; items that took nothing are
   * left out.
   */
  async stockTaken(manager: EntityManager, orderId: string): Promise<StockChange[]> {
    return selectRows<StockChange>(
      manager,
      `SELECT menu_item_id AS "menuItemId", sum(stock_taken)::int AS quantity
         FROM order_items WHERE order_id = $1
        GROUP BY menu_item_id HAVING sum(stock_taken) > 0`,
      [orderId],
    );
  }

  /** What the orders not yet completed or cancelled hold of each stocked item. */
  async stockHeldByOpenOrders(manager: EntityManager): Promise<StockChange[]> {
    return selectRows<StockChange>(
      manager,
      `SELECT i.menu_item_id AS "menuItemId", sum(i.stock_taken)::int AS quantity
         FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE o.status NOT IN ('completed', 'cancelled')
        GROUP BY i.menu_item_id HAVING sum(i.stock_taken) > 0`,
    );
  }

  findKey(
    manager: EntityManager,
    userId: string,
    key: string,
  ): Promise<StoredIdempotencyKey | undefined> {
    return findStoredKey<OrderView>(manager, 'order_idempotency_keys', userId, key);
  }

  /** Deletes keys past their 24 hours; returns how many. */
  deleteExpiredKeys(manager: EntityManager): Promise<number> {
    return deleteExpiredKeys(manager, 'order_idempotency_keys');
  }

  /**
   * Moves an order's times into the past, for demo data: it was placed at `placedAt`, and each
   * later step of its history came `stepSeconds` after the one before.
   */
  async backdate(
    manager: EntityManager,
    id: string,
    placedAt: Date,
    stepSeconds: number,
  ): Promise<void> {
    await manager.query(
      `WITH steps AS (
         UPDATE order_history
            SET at = $2::timestamptz + (seq - 1) * make_interval(secs => $3)
          WHERE order_id = $1
         RETURNING at)
       UPDATE orders SET created_at = $2, updated_at = (SELECT max(at) FROM steps) WHERE id = $1`,
      [id, placedAt, stepSeconds],
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

  /**
   * How many orders `filter` finds: exact up to 10,000, an estimate above (see countUpTo). A time
   * range is counted in the order of its column, so the count walks that column's index from the
   * range's end. Unordered, a month was planned as a sequential scan that stops at 10,001
   * matches; orders lie in the table in the order they were placed, so a scan that started
   * (synchronised with another scan) among older rows read most of the table first: every 7th or
   * 8th count of a month took 100-350 ms instead of 3-4. Other filters are spread over the table
   * and stay unordered (ordered, a table's 25,000 orders were read whole and sorted).
   */
  count(manager: EntityManager, filter: OrderFilter): Promise<PageTotal> {
    const { where, params } = whereClause(filter);
    const range =
      filter.from !== undefined || filter.to !== undefined
        ? 'created_at'
        : filter.updatedFrom !== undefined
          ? 'updated_at'
          : undefined;
    const order = range === undefined ? '' : ` ORDER BY o.${range} DESC, o.id DESC`;
    return countUpTo(manager, `SELECT 1 FROM orders o ${where}${order}`, params);
  }

  /**
   * Newest first (created or last changed), ties broken by id, so pages never overlap or skip.
   * The page's ids are found first and only its rows are read whole: a deep page (OFFSET
   * 100,000) then skips index entries (an index-only scan of `ix_orders_created`) rather than
   * whole orders with their lines and history. With `before` (a cursor), only the orders after
   * that one in the list's order: a keyset condition, which the list's index answers from that
   * point on, however deep (`window.skip` is then 0).
   */
  async list(
    manager: EntityManager,
    filter: OrderFilter,
    sort: OrderSort,
    window: { skip: number; take: number },
    before?: CursorKey,
  ): Promise<ListedOrderRow[]> {
    const column = sort === 'updatedAt' ? 'updated_at' : 'created_at';
    const keyset =
      before === undefined
        ? undefined
        : ({ column, direction: 'before', at: before.at, id: before.tie } as const);
    const { where, params } = whereClause(filter, keyset);
    return selectRows<ListedOrderRow>(
      manager,
      `WITH page AS (
         SELECT o.id, o.${column} AS sort_at FROM orders o ${where}
          ORDER BY o.${column} DESC, o.id DESC
          LIMIT $${params.length + 1} OFFSET $${params.length + 2})
       SELECT ${ORDER_COLUMNS}, ${cursorInstantSql('page.sort_at')} AS "cursorAt"
         FROM page JOIN orders o ON o.id = page.id
        ORDER BY page.sort_at DESC, page.id DESC`,
      [...params, window.take, window.skip],
    );
  }

  /** The VAT rates of the lines of the orders `filter` finds, lowest first. */
  async exportVatRates(manager: EntityManager, filter: OrderFilter): Promise<number[]> {
    const { where, params } = whereClause(filter);
    const rows = await selectRows<{ rate: number }>(
      manager,
      `SELECT DISTINCT i.vat_rate_basis_points AS rate
         FROM orders o JOIN order_items i ON i.order_id = o.id ${where}
        ORDER BY rate`,
      params,
    );
    return rows.map((row) => row.rate);
  }

  /**
   * Up to `limit` orders of `filter` after `after` (from the first when undefined), oldest first:
   * one batch of a keyset read, so an export of any length costs the same per batch and holds
   * nothing open between batches (no transaction, no cursor: the embedded database has one
   * connection, which other requests get between batches). Tagged `orders.csv` for whoever
   * watches the database's activity.
   *
   * The batch's lines and payments are each read by one index scan over the batch's ids and
   * grouped, not by a subquery per order; the history, which no column of the file shows, is
   * not read at all.
   */
  async exportBatch(
    manager: EntityManager,
    filter: OrderFilter,
    after: OrderCursor | undefined,
    limit: number,
  ): Promise<OrderExportRow[]> {
    const keyset =
      after === undefined
        ? undefined
        : ({
            column: 'created_at',
            direction: 'after',
            at: after.createdAt,
            id: after.id,
          } as const);
    const { where, params } = whereClause(filter, keyset);
    return selectRows<OrderExportRow>(
      manager,
      `/* orders.csv */
       WITH batch AS MATERIALIZED (
         SELECT o.* FROM orders o ${where}
          ORDER BY o.created_at, o.id
          LIMIT $${params.length + 1}
       ), lines AS (
         SELECT i.order_id, json_agg(${LINE_JSON} ORDER BY i.line_no) AS items
           FROM order_items i WHERE i.order_id = ANY(ARRAY(SELECT id FROM batch))
          GROUP BY i.order_id
       ), money AS (
         SELECT p.order_id, ${MONEY_JSON} AS money
           FROM order_payments p WHERE p.order_id = ANY(ARRAY(SELECT id FROM batch))
          GROUP BY p.order_id
       )
       SELECT ${ORDER_OWN_COLUMNS}, lines.items, NULL AS history, money.money,
              o.created_at::text AS cursor,
              to_char(o.business_day, 'YYYY-MM-DD') AS "businessDay",
              ${userEmailSql('o.customer_id')} AS "customerEmail"
         FROM batch o
         LEFT JOIN lines ON lines.order_id = o.id
         LEFT JOIN money ON money.order_id = o.id
        ORDER BY o.created_at, o.id`,
      [...params, limit],
    );
  }
}

/**
 * Where a keyset read of orders stands: the orders strictly after (`after`, oldest first) or
 * before (`before`, newest first) this one in (`column`, id) order. `at` is the column's value as
 * PostgreSQL writes it (to the microsecond).
 */
interface OrderKeyset {
  readonly column: 'created_at' | 'updated_at';
  readonly direction: 'after' | 'before';
  readonly at: string;
  readonly id: string;
}

/**
 * The WHERE clause of `filter` (placeholders from `$1`) and its parameters; with `keyset`, only
 * the orders past that one: a row comparison, which the list's index (`ix_orders_created`,
 * `ix_orders_updated`, `ix_orders_status_created`, …, all `(…, column DESC, id DESC)`)
 * answers from that point on however far a read has got (the plain comparison on the column
 * beside the row comparison gives the index a start on the column).
 */
function whereClause(
  filter: OrderFilter,
  keyset?: OrderKeyset,
): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (filter.ownerId !== undefined) add((p) => `o.customer_id = ${p}`, filter.ownerId);
  if (filter.customerId !== undefined) add((p) => `o.customer_id = ${p}`, filter.customerId);
  if (filter.tableNumber !== undefined) add((p) => `o.table_number = ${p}`, filter.tableNumber);
  const statuses = filter.statuses ?? [];
  if (statuses.length === 1) {
    // An equality, not `= ANY`, so the planner reads `ix_orders_status_created` in list order.
    add((p) => `o.status = ${p}`, statuses[0]);
  } else if (statuses.length > 1) {
    add((p) => `o.status = ANY(${p}::text[])`, statuses);
  }
  if (filter.from !== undefined) add((p) => `o.created_at >= ${p}`, filter.from);
  if (filter.to !== undefined) add((p) => `o.created_at < ${p}`, filter.to);
  if (filter.updatedFrom !== undefined) add((p) => `o.updated_at >= ${p}`, filter.updatedFrom);
  if (keyset !== undefined) {
    const [loose, strict] = keyset.direction === 'after' ? ['>=', '>'] : ['<=', '<'];
    const column = `o.${keyset.column}`;
    add((p) => `${column} ${loose} ${p}::timestamptz`, keyset.at);
    const at = `$${params.length}::timestamptz`;
    add((p) => `(${column}, o.id) ${strict} (${at}, ${p}::uuid)`, keyset.id);
  }
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

function compareIds(a: string, b: string): number {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}
