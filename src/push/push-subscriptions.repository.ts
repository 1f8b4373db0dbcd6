import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { changeRows, selectRows } from '../database/sql-rows.js';

/** A subscription as the sender needs it. */
export interface PushTarget {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

/** A subscription and the session it belongs to. */
export interface SessionPushTarget extends PushTarget {
  readonly sessionId: string;
}

export interface SubscriptionInput extends PushTarget {
  readonly sessionId: string;
  readonly userId: string;
}

/** How long a delivery key is remembered: far longer than instances lag behind each other. */
const DELIVERY_MEMORY = '1 day';

/** The `push_subscriptions` and `push_deliveries` tables, through intention-named queries. */
@Injectable()
export class PushSubscriptionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Saves the subscription; an endpoint already known moves to this session and user. */
  async upsert(input: SubscriptionInput): Promise<{ id: string; createdAt: Date }> {
    const [row] = await selectRows<{ id: string; created_at: Date }>(
      this.dataSource.manager,
      `INSERT INTO push_subscriptions (id, session_id, user_id, endpoint, p256dh, auth)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (endpoint) DO UPDATE
          SET session_id = excluded.session_id, user_id = excluded.user_id,
              p256dh = excluded.p256dh, auth = excluded.auth, created_at = now()
       RETURNING id, created_at`,
      [randomUUID(), input.sessionId, input.userId, input.endpoint, input.p256dh, input.auth],
    );
    if (!row) throw new Error('The push subscription upsert returned no row');
    return { id: row.id, createdAt: row.created_at };
  }

  /** Deletes the user's subscription with this endpoint, if there is one. */
  async deleteOwn(userId: string, endpoint: string): Promise<void> {
    await changeRows(
      this.dataSource.manager,
      'DELETE FROM push_subscriptions WHERE user_id = $1 AND endpoint = $2',
      [userId, endpoint],
    );
  }

  /** Deletes a subscription its push service no longer knows. */
  async deleteEndpoint(endpoint: string): Promise<void> {
    await changeRows(
      this.dataSource.manager,
      'DELETE FROM push_subscriptions WHERE endpoint = $1',
      [endpoint],
    );
  }

  /** Deletes the subscriptions of sessions that end in the transaction of `manager`. */
  async deleteForSessions(manager: EntityManager, sessionIds: readonly string[]): Promise<void> {
    await changeRows(manager, 'DELETE FROM push_subscriptions WHERE session_id = ANY($1::uuid[])', [
      sessionIds,
    ]);
  }

  /** The user's subscriptions, each with the session it belongs to, oldest first. */
  forUser(userId: string): Promise<SessionPushTarget[]> {
    return selectRows<SessionPushTarget>(
      this.dataSource.manager,
      `SELECT endpoint, p256dh, auth, session_id AS "sessionId"
         FROM push_subscriptions
        WHERE user_id = $1
        ORDER BY created_at`,
      [userId],
    );
  }

  /** Claims the delivery `key`: true for the first caller across every instance, then false. */
  async claimDelivery(key: string): Promise<boolean> {
    const rows = await selectRows<{ key: string }>(
      this.dataSource.manager,
      'INSERT INTO push_deliveries (key) VALUES ($1) ON CONFLICT DO NOTHING RETURNING key',
      [key],
    );
    return rows.length === 1;
  }

  /** Forgets delivery keys older than a day. */
  async pruneDeliveries(): Promise<void> {
    await changeRows(
      this.dataSource.manager,
      `DELETE FROM push_deliveries WHERE created_at < now() - interval '${DELIVERY_MEMORY}'`,
    );
  }
}
