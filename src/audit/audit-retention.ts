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
import { PeriodicJob } from '../common/periodic-job.js';
import { AdvisoryLock, withAdvisoryLock } from '../database/advisory-lock.js';
import { changeRows } from '../database/sql-rows.js';

/** How often the purge runs on each instance (one at a time across instances). */
const PURGE_INTERVAL_MS = 3600_000;
/**
 * Rows per DELETE. Each statement commits on its own, so locks and the dead rows' write-ahead
 * log stay small and a year's backlog never becomes one long transaction.
 */
const BATCH_SIZE = 10_000;

/**
 * Deletes audit entries older than `AUDIT_RETENTION`, hourly, oldest first in batches of
 * {@link BATCH_SIZE}, each batch its own statement and transaction under the advisory lock (one
 * instance at a time deletes; the connection goes back to the pool between batches): readers
 * never wait for it (PostgreSQL deletes do not block reads).
 */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditRetention');
  private readonly job = new PeriodicJob(this.logger, 'Audit retention purge failed', () =>
    this.run(),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(PURGE_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One purge: how many entries it deleted. Also called by tests. */
  async run(): Promise<number> {
    // One cutoff for the whole pass, so it ends even while entries keep ageing.
    const cutoff = new Date(Date.now() - this.config.audit.retentionSeconds * 1000);
    let deleted = 0;
    for (;;) {
      // The lock is taken per batch, so the connection goes back to the pool between batches:
      // the embedded database has one, and every request waited for a whole backlog's purge.
      const batch = await withAdvisoryLock(
        this.dataSource,
        AdvisoryLock.AuditRetention,
        (manager) =>
          // The oldest batch, found on ix_audit_events_at (read backwards) rather than by a scan.
          changeRows(
            manager,
            `DELETE FROM audit_events
            WHERE id IN (SELECT id FROM audit_events
                          WHERE at < $1
                          ORDER BY at, seq
                          LIMIT ${String(BATCH_SIZE)})`,
            [cutoff],
          ),
      );
      deleted += batch.count;
      if (batch.count < BATCH_SIZE || this.job.stopping) break;
    }
    if (deleted > 0) this.logger.log(`Deleted ${String(deleted)} audit entries past retention`);
    return deleted;
  }
}
