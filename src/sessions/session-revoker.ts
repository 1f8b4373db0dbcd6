import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { AppName } from '../auth/auth-context.js';
import type { LoggedEvent } from '../events/domain-event.js';
import { EventBus } from '../events/event-bus.js';
import { EventLog } from '../events/event-log.js';
import { SessionEntity } from './entities/session.entity.js';
import type { RevocationReason } from './revocation-reason.js';
import { SecurityAudit } from './session-audit.js';

/** Which sessions to end: one session (optionally only if it is that user's), or a user's. */
export type RevocationScope =
  | { readonly sessionId: string; readonly userId?: string }
  | {
      readonly userId: string;
      readonly app?: AppName;
      readonly exceptSessionId?: string;
      readonly sessionIds?: readonly string[];
    };

export interface RevocationOptions {
  /** Who ended it, when not the session's own user (an admin). */
  readonly actorId?: string;
  readonly ip?: string | null;
}

export interface RevokedSession {
  readonly id: string;
  readonly userId: string;
}

/**
 * A revocation recorded in a transaction that has not committed yet: call `publish()` once it
 * has, so other requests and instances stop accepting the sessions' access tokens.
 */
export interface PendingRevocation {
  readonly sessions: readonly RevokedSession[];
  publish(): Promise<void>;
}

/**
 * The one path every revocation takes (logout, logout_all, evicted, admin, password_changed,
 * role_changed, deactivated, reuse_detected, expired): marks the rows with the reason, audits
 * each, and publishes `session.revoked` on the event bus after the change is committed.
 */
@Injectable()
export class SessionRevoker {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly bus: EventBus,
    private readonly audit: SecurityAudit,
    private readonly eventLog: EventLog,
  ) {}

  /** Revokes in its own transaction and publishes; resolves once published. */
  async revoke(
    scope: RevocationScope,
    reason: RevocationReason,
    options: RevocationOptions = {},
  ): Promise<RevokedSession[]> {
    const pending = await this.dataSource.transaction((manager) =>
      this.revokeInTransaction(manager, scope, reason, options),
    );
    await pending.publish();
    return [...pending.sessions];
  }

  /** Records the revocation in the caller's transaction; the caller publishes after commit. */
  async revokeInTransaction(
    manager: EntityManager,
    scope: RevocationScope,
    reason: RevocationReason,
    options: RevocationOptions = {},
  ): Promise<PendingRevocation> {
    const query = manager
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: () => 'now()', revokedReason: reason })
      .where('revoked_at IS NULL');
    if ('sessionId' in scope) {
      query.andWhere('id = :sessionId', { sessionId: scope.sessionId });
      if (scope.userId !== undefined) query.andWhere('user_id = :userId', { userId: scope.userId });
    } else {
      query.andWhere('user_id = :userId', { userId: scope.userId });
      if (scope.app !== undefined) query.andWhere('app = :app', { app: scope.app });
      if (scope.exceptSessionId !== undefined) {
        query.andWhere('id <> :except', { except: scope.exceptSessionId });
      }
      if (scope.sessionIds !== undefined) {
        if (scope.sessionIds.length === 0) return this.pending([], []);
        query.andWhere('id IN (:...ids)', { ids: scope.sessionIds });
      }
    }
    const result = await query.returning(['id', 'userId']).execute();
    const rows = (result.raw as { id: string; user_id: string }[]).map((row) => ({
      id: row.id,
      userId: row.user_id,
    }));
    for (const session of rows) {
      await this.audit.record(
        {
          type: 'session_revoked',
          userId: session.userId,
          sessionId: session.id,
          ip: options.ip ?? null,
          details: { reason, ...(options.actorId ? { actorId: options.actorId } : {}) },
        },
        manager,
      );
    }
    // Logged in the same transaction (outbox), so the streams of these sessions hear of it even
    // if this process dies before publishing.
    const events: LoggedEvent[] = [];
    for (const session of rows) {
      events.push(
        await this.eventLog.append(
          { type: 'session.revoked', sessionId: session.id, userId: session.userId, reason },
          manager,
        ),
      );
    }
    return this.pending(rows, events);
  }

  private pending(sessions: RevokedSession[], events: LoggedEvent[]): PendingRevocation {
    let published = false;
    return {
      sessions,
      publish: async () => {
        if (published) return;
        published = true;
        for (const event of events) await this.bus.publish(event);
      },
    };
  }
}
