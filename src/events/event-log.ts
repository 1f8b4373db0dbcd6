import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { AdvisoryLock, withAdvisoryLock } from '../database/advisory-lock.js';
import { changeRows, selectRows } from '../database/sql-rows.js';
import type { LoggableEvent, LoggedEvent } from './domain-event.js';

/** Who a replay is for: the same facts the live filter uses. */
export interface ReplayAudience {
  readonly userId: string;
  readonly sessionId: string;
  /** Bartenders and admins see every order. */
  readonly seesAllOrders: boolean;
}

export type Replay =
  | { readonly kind: 'events'; readonly events: LoggedEvent[] }
  /** The id is unknown or pruned: the client must reload; `latestId` is where it resumes. */
  | { readonly kind: 'resync'; readonly latestId: string };

/**
 * The log's rows as read here: `id` is the text of the bigint, so a query orders by
 * `event_log.id` (a bare `ORDER BY id` would sort that text: "10" before "9").
 */
interface EventRow {
  id: string;
  payload: LoggableEvent;
}

/** More missed events than this is cheaper to reload than to replay. */
const MAX_REPLAY = 5_000;

/**
 * The event log (outbox). Changes append their events in their own transaction (through
 * {@link EventOutbox}, which publishes them after commit); a crash in between loses nothing,
 * because replays and instances catching up read the log. Ids follow commit order: `append` takes a
 * transaction-level advisory lock that is held until the transaction ends, so an event that gets
 * a smaller id has always committed (or rolled back) before one with a larger id.
 */
@Injectable()
export class EventLog {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /**
   * Writes the event in the caller's transaction (`manager` must be a transaction's). Call this
   * as late in the transaction as possible (the lock serialises event writers until commit),
   * then publish the result once the transaction has committed (see EventOutbox).
   */
  async append(event: LoggableEvent, manager: EntityManager): Promise<LoggedEvent> {
    const [logged] = await this.appendAll([event], manager);
    if (!logged) throw new Error('The event log insert returned no id');
    return logged;
  }

  /**
   * `append` for several events at once, in one statement: the lock is taken by the statement
   * itself, before any id is drawn, so the ids still follow commit order and come in the order
   * given.
   */
  async appendAll(
    events: readonly LoggableEvent[],
    manager: EntityManager,
  ): Promise<LoggedEvent[]> {
    const append = appendEventsSql(events, { firstParameter: 1 });
    const rows = await selectRows<{ id: string }>(
      manager,
      `WITH ${append.sql}
       SELECT logged.id::text AS id FROM logged ORDER BY logged.id`,
      append.parameters,
    );
    // The ids are drawn in the order given.
    return events.map((event, index) => {
      const row = rows[index];
      if (!row) throw new Error('The event log insert returned too few ids');
      return { ...event, id: row.id };
    });
  }

  /** What a stream reconnecting with `Last-Event-ID: afterId` missed, or `resync`. */
  async replay(afterId: string, audience: ReplayAudience): Promise<Replay> {
    if (!/^\d{1,18}$/.test(afterId)) return { kind: 'resync', latestId: await this.latestId() };
    const manager = this.dataSource.manager;
    // The client's last id must still be in the log: if it was pruned (or never existed) the
    // events after it may be incomplete.
    const [known] = await selectRows<{ id: string }>(
      manager,
      'SELECT id::text AS id FROM event_log WHERE id = $1',
      [afterId],
    );
    if (!known) return { kind: 'resync', latestId: await this.latestId() };
    const rows = await selectRows<EventRow>(
      manager,
      `SELECT id::text AS id, payload FROM event_log
        WHERE id > $1
          AND (customer_id IS NULL OR $2 OR customer_id = $3)
          AND (session_id IS NULL OR session_id = $4)
        ORDER BY event_log.id LIMIT $5`,
      [afterId, audience.seesAllOrders, audience.userId, audience.sessionId, MAX_REPLAY + 1],
    );
    if (rows.length > MAX_REPLAY) return { kind: 'resync', latestId: await this.latestId() };
    return { kind: 'events', events: rows.map(toLogged) };
  }

  /** The newest id in the log, `0` when it is empty. */
  async latestId(): Promise<string> {
    const [row] = await selectRows<{ id: string | null }>(
      this.dataSource.manager,
      'SELECT max(id)::text AS id FROM event_log',
    );
    return row?.id ?? '0';
  }

  /**
   * Deletes entries older than `EVENT_RETENTION`, one instance at a time. The newest entry is
   * always kept, so a client that last heard it can still resume after a quiet spell.
   */
  async prune(): Promise<number> {
    return withAdvisoryLock(this.dataSource, AdvisoryLock.EventLogPruning, async (manager) => {
      const { count } = await changeRows(
        manager,
        `DELETE FROM event_log
          WHERE created_at < now() - make_interval(secs => $1)
            AND id < (SELECT max(id) FROM event_log)`,
        [this.config.events.retentionSeconds],
      );
      return count;
    });
  }
}

/** Every event written at or after `since`, for an instance catching up after an outage. */
export async function eventsWrittenSince(
  manager: EntityManager,
  since: Date,
): Promise<LoggedEvent[]> {
  const rows = await selectRows<EventRow>(
    manager,
    `SELECT id::text AS id, payload FROM event_log WHERE created_at >= $1 ORDER BY event_log.id`,
    [since],
  );
  return rows.map(toLogged);
}

/**
 * Appending `events` as part of a bigger statement: the SQL of two common table expressions,
 * `commit_order` (takes the commit-order lock of `EventLog.append`, which the statement holds
 * until its transaction ends) then `logged` (inserts the events, `RETURNING id`; the ids are drawn
 * in the order given), and their parameters, numbered from `$firstParameter`. `after` lists `FROM`
 * items the lock must wait for (for example `placed, (SELECT count(*) FROM lines) AS l`), so that
 * it is taken only once the statement's other writes are done; nothing is logged if one of them
 * yields no row.
 */
export function appendEventsSql(
  events: readonly LoggableEvent[],
  { firstParameter, after }: { readonly firstParameter: number; readonly after?: string },
): { sql: string; parameters: unknown[] } {
  const placeholder = (offset: number): string => `$${String(firstParameter + offset)}`;
  const waitFor = after === undefined ? '' : ` FROM ${after}`;
  const sql = `commit_order AS MATERIALIZED (
         SELECT pg_advisory_xact_lock(${placeholder(0)})${waitFor}
       ), logged AS (
         INSERT INTO event_log (type, payload, customer_id, session_id)
         SELECT e.type, e.payload, e.customer_id, e.session_id
           FROM commit_order,
                unnest(${placeholder(1)}::text[], ${placeholder(2)}::jsonb[],
                       ${placeholder(3)}::uuid[], ${placeholder(4)}::uuid[])
                  WITH ORDINALITY AS e(type, payload, customer_id, session_id, n)
          ORDER BY e.n
         RETURNING id
       )`;
  return { sql, parameters: [AdvisoryLock.EventLogAppend, ...eventColumns(events)] };
}

/** The event log's columns for `events`: type, payload, customer id, session id. */
function eventColumns(
  events: readonly LoggableEvent[],
): [string[], string[], (string | null)[], (string | null)[]] {
  return [
    events.map((event) => event.type),
    events.map((event) => JSON.stringify(event)),
    events.map(customerOf),
    events.map(sessionOf),
  ];
}

function toLogged(row: EventRow): LoggedEvent {
  return { ...row.payload, id: row.id };
}

function customerOf(event: LoggableEvent): string | null {
  return event.type === 'order.created' || event.type === 'order.updated' ? event.customerId : null;
}

function sessionOf(event: LoggableEvent): string | null {
  return event.type === 'session.revoked' ? event.sessionId : null;
}
