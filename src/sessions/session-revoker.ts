import { Injectable } from '@nestjs/common';
import type { AppName } from '../auth/auth-context.js';
import { EventOutbox, type EventTransaction } from '../events/event-outbox.js';
import { SessionEntity } from './entities/session.entity.js';
import type { RevocationReason } from './revocation-reason.js';
import { SecurityAudit } from './session-audit.js';
import { SessionEndHooks } from './session-end-hooks.js';

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
 * The one path every revocation takes (logout, logout_all, evicted, admin, password_changed,
 * role_changed, deactivated, reuse_detected, expired): marks the rows with the reason, audits
 * each, runs the {@link SessionEndHooks} (what other modules keep per session goes with it), and
 * emits `session.revoked` through the outbox, published once the change has committed.
 */
@Injectable()
export class SessionRevoker {
  constructor(
    private readonly outbox: EventOutbox,
    private readonly audit: SecurityAudit,
    private readonly endHooks: SessionEndHooks,
  ) {}

  /** Revokes in its own transaction; resolves once the revocation is published. */
  revoke(
    scope: RevocationScope,
    reason: RevocationReason,
    options: RevocationOptions = {},
  ): Promise<RevokedSession[]> {
    return this.outbox.transaction((tx) => this.revokeInTransaction(tx, scope, reason, options));
  }

  /**
   * Records the revocation in the caller's unit of work; its `session.revoked` events are
   * published when that commits.
   */
  async revokeInTransaction(
    tx: EventTransaction,
    scope: RevocationScope,
    reason: RevocationReason,
    options: RevocationOptions = {},
  ): Promise<RevokedSession[]> {
    const query = tx.manager
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
        if (scope.sessionIds.length === 0) return [];
        query.andWhere('id IN (:...ids)', { ids: scope.sessionIds });
      }
    }
    const result = await query.returning(['id', 'userId']).execute();
    const rows = (result.raw as { id: string; user_id: string }[]).map((row) => ({
      id: row.id,
      userId: row.user_id,
    }));
    await this.endHooks.ended(
      tx.manager,
      rows.map((session) => session.id),
    );
    for (const session of rows) {
      await this.audit.record(
        {
          type: 'session_revoked',
          userId: session.userId,
          sessionId: session.id,
          ip: options.ip ?? null,
          details: { reason, ...(options.actorId ? { actorId: options.actorId } : {}) },
        },
        tx.manager,
      );
      // Logged with the change (outbox), so the streams of these sessions hear of it even if
      // this process dies before publishing.
      tx.emit({ type: 'session.revoked', sessionId: session.id, userId: session.userId, reason });
    }
    return rows;
  }
}
