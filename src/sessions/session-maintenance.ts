import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { PeriodicJob } from '../common/periodic-job.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { AdvisoryLock, withAdvisoryLock } from '../database/advisory-lock.js';
import { changeRows } from '../database/sql-rows.js';
import { type CommittedUnpublished, EventOutbox } from '../events/event-outbox.js';
import { SessionEntity } from './entities/session.entity.js';
import { SessionRevoker } from './session-revoker.js';

export interface MaintenanceResult {
  readonly expired: number;
  readonly deleted: number;
}

/**
 * Ended rows deleted per statement. Each batch commits on its own, so a backlog (a year of ended
 * sessions) holds row locks for one batch at a time, and the per-row cost of the
 * `push_subscriptions` cascade is paid in bounded steps.
 */
const DELETE_BATCH = 5_000;

/**
 * The periodic session job, each step under an advisory lock (one instance at a time; the
 * deletion takes it per batch, so the connection goes back to the pool between batches): sessions past their
 * idle or absolute deadline are revoked with reason `expired` (through the one revocation path,
 * so streams close and caches learn of it), and rows ended longer ago than `SESSION_RETENTION`
 * are deleted.
 *
 * The two are separate transactions on purpose: revoking appends to the event log, whose
 * commit-order lock is held until commit, so a deletion in the same transaction would make every
 * order placed meanwhile wait for it.
 */
@Injectable()
export class SessionMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionMaintenance');
  private readonly job = new PeriodicJob(this.logger, 'Session maintenance failed', () =>
    this.run(),
  );

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly revoker: SessionRevoker,
    private readonly outbox: EventOutbox,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(this.config.sessions.cleanupIntervalSeconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One pass of the job; also called by tests. */
  async run(): Promise<MaintenanceResult> {
    const revoked = await withAdvisoryLock(
      this.dataSource,
      AdvisoryLock.SessionMaintenance,
      (connection) => this.expireOverdue(connection),
    );
    // Once the lock's connection is free: delivering them reads the log.
    await this.outbox.publish(revoked.events);
    const expired = revoked.result;
    const deleted = await this.deleteEnded();
    if (expired > 0 || deleted > 0) {
      this.logger.log(`Marked ${expired} sessions expired, deleted ${deleted} old ones`);
    }
    return { expired, deleted };
  }

  /** Revokes the overdue sessions in one short transaction; resolves once it has committed. */
  private expireOverdue(connection: EntityManager): Promise<CommittedUnpublished<number>> {
    return this.outbox.transactionOn(connection, async (tx) => {
      const overdue = await tx.manager
        .getRepository(SessionEntity)
        .createQueryBuilder('session')
        .select(['session.id', 'session.userId'])
        .where('session.revoked_at IS NULL')
        .andWhere('(session.expires_at <= now() OR session.idle_expires_at <= now())')
        .getMany();
      const byUser = new Map<string, string[]>();
      for (const session of overdue) {
        byUser.set(session.userId, [...(byUser.get(session.userId) ?? []), session.id]);
      }
      let expired = 0;
      for (const [userId, sessionIds] of byUser) {
        const revoked = await this.revoker.revokeInTransaction(
          tx,
          { userId, sessionIds },
          'expired',
        );
        expired += revoked.length;
      }
      return expired;
    });
  }

  /**
   * Deletes sessions ended before the retention cutoff, {@link DELETE_BATCH} rows a statement,
   * each statement its own transaction, until a batch comes back short. Revoked and past their
   * absolute deadline are two range scans (ix_sessions_revoked_at, ix_sessions_expires_at)
   * rather than one OR, which no single index serves.
   */
  private async deleteEnded(): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.sessions.retentionSeconds * 1000);
    let deleted = 0;
    for (const column of ['revoked_at', 'expires_at'] as const) {
      for (;;) {
        // The lock is taken per batch, so the connection goes back to the pool between batches
        // (the embedded database has one: requests waited for a whole backlog's deletion).
        const count = await withAdvisoryLock(
          this.dataSource,
          AdvisoryLock.SessionMaintenance,
          (connection) => this.deleteBatch(connection, column, cutoff),
        );
        deleted += count;
        // A shutdown ends the pass between batches; the next run goes on from there.
        if (this.job.stopping) return deleted;
        if (count < DELETE_BATCH) break;
      }
    }
    return deleted;
  }

  private async deleteBatch(
    connection: EntityManager,
    column: 'revoked_at' | 'expires_at',
    cutoff: Date,
  ): Promise<number> {
    const { count } = await changeRows(
      connection,
      // By row address (a TID scan): `id IN (…)` was planned as a hash join over a scan of the
      // whole table, and `id = ANY(…)` probes the primary key once per row.
      `DELETE FROM sessions WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM sessions WHERE ${column} < $1 ORDER BY ${column} LIMIT $2))`,
      [cutoff, DELETE_BATCH],
    );
    return count;
  }
}
