import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { PeriodicJob } from '../common/periodic-job.js';
import { AdvisoryLock, withAdvisoryLock } from '../database/advisory-lock.js';
import { changeRows } from '../database/sql-rows.js';
import { KNOWN_DEVICE_DAYS } from './new-device-notices.js';

/** Sent and failed messages (and so their recipients) are kept this long. */
const MAIL_RETENTION_DAYS = 30;
/** Spent and expired links are kept this long past their end. */
const LINK_RETENTION_DAYS = 1;
/** How often the purge runs on each instance (one at a time across instances). */
const PURGE_INTERVAL_MS = 3600_000;

/** What one purge deleted. */
export interface RetentionResult {
  readonly mails: number;
  readonly links: number;
  readonly devices: number;
}

/**
 * Deletes what mail leaves behind once it is of no use, hourly, one instance at a time (advisory
 * lock): `mail_outbox` rows sent or given up more than 30 days ago, `account_link_tokens`
 * spent or expired more than a day ago, and `known_devices` not seen for 90 days (past that a
 * sign-in from them is new again anyway).
 */
@Injectable()
export class MailRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('MailRetention');
  private readonly job = new PeriodicJob(this.logger, 'Mail retention purge failed', () =>
    this.run(),
  );

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.job.start(PURGE_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One purge; also called by tests. */
  async run(): Promise<RetentionResult> {
    const result = await withAdvisoryLock(
      this.dataSource,
      AdvisoryLock.MailRetention,
      async (manager) => {
        const mails = await changeRows(
          manager,
          `DELETE FROM mail_outbox
            WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL)
              AND coalesce(sent_at, failed_at) < now() - make_interval(days => $1)`,
          [MAIL_RETENTION_DAYS],
        );
        const links = await changeRows(
          manager,
          `DELETE FROM account_link_tokens
            WHERE coalesce(used_at, expires_at) < now() - make_interval(days => $1)`,
          [LINK_RETENTION_DAYS],
        );
        const devices = await changeRows(
          manager,
          `DELETE FROM known_devices WHERE last_seen_at < now() - make_interval(days => $1)`,
          [KNOWN_DEVICE_DAYS],
        );
        return { mails: mails.count, links: links.count, devices: devices.count };
      },
    );
    if (result.mails + result.links + result.devices > 0) {
      this.logger.log(
        `Deleted ${String(result.mails)} old mails, ${String(result.links)} old links, ${String(result.devices)} unseen devices`,
      );
    }
    return result;
  }
}
