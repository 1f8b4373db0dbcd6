import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { AdvisoryLock, withAdvisoryLock } from '../database/advisory-lock.js';
import { EventOutbox } from '../events/event-outbox.js';
import { SessionEntity } from './entities/session.entity.js';
import { SessionRevoker } from './session-revoker.js';

export interface MaintenanceResult {
  readonly expired: number;
  readonly deleted: number;
}

/**
 * The periodic session job, run by one instance at a time (advisory lock): sessions past their
 * idle or absolute deadline are revoked with reason `expired` (through the one revocation path,
 * so streams close and caches learn of it), and rows ended longer ago than `SESSION_RETENTION`
 * are deleted.
 */
@Injectable()
export class SessionMaintenance implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SessionMaintenance');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly revoker: SessionRevoker,
    private readonly outbox: EventOutbox,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.run()
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'Session maintenance failed');
        })
        .finally(() => {
          this.running = undefined;
        });
    }, this.config.sessions.cleanupIntervalSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass of the job; also called by tests. */
  async run(): Promise<MaintenanceResult> {
    const { result, events } = await withAdvisoryLock(
      this.dataSource,
      AdvisoryLock.SessionMaintenance,
      (connection) =>
        this.outbox.transactionOn(connection, async (tx) => {
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
          const cutoff = new Date(Date.now() - this.config.sessions.retentionSeconds * 1000);
          const removed = await tx.manager
            .createQueryBuilder()
            .delete()
            .from(SessionEntity)
            .where('(revoked_at IS NOT NULL AND revoked_at < :cutoff) OR expires_at < :cutoff', {
              cutoff,
            })
            .execute();
          return { expired, deleted: removed.affected ?? 0 };
        }),
    );
    // Once the lock's connection is free: delivering them reads the log.
    await this.outbox.publish(events);
    const { expired, deleted } = result;
    if (expired > 0 || deleted > 0) {
      this.logger.log(`Marked ${expired} sessions expired, deleted ${deleted} old ones`);
    }
    return { expired, deleted };
  }
}
