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
import { selectRows } from '../database/sql-rows.js';
import { addDays } from './business-day.js';
import { ReportDays, STORED_DAYS } from './report-days.js';

/** How often the fill runs on each instance (one at a time across instances). */
const FILL_INTERVAL_MS = 3600_000;
/** Days computed per pass: a week's orders per statement, so no statement runs long. */
const CHUNK_DAYS = 7;

/**
 * Stores the report summaries of the days up to three days back that are not stored yet (new
 * old days, days a change discarded, a year's backlog after an upgrade), hourly, a week at a time,
 * newest first, each week under the advisory lock (one instance at a time; the connection goes
 * back to the pool between weeks, which matters on the embedded database's one connection): a
 * year's first report then reads stored days instead of aggregating every order of the year.
 */
@Injectable()
export class ReportDaysFill implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReportDaysFill');
  private readonly job = new PeriodicJob(this.logger, 'Report days fill failed', () => this.run());

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reportDays: ReportDays,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(FILL_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  /** One fill: how many day summaries it stored. Also called by tests. */
  async run(): Promise<number> {
    const [row] = await selectRows<{ last: string }>(
      this.dataSource.manager,
      `SELECT to_char((now() AT TIME ZONE 'UTC')::date - 3, 'YYYY-MM-DD') AS last`,
    );
    const last = row?.last ?? '';
    const oldest = addDays(last, 1 - STORED_DAYS);
    let stored = 0;
    for (let to = last; to >= oldest && !this.job.stopping; to = addDays(to, -CHUNK_DAYS)) {
      const from = [addDays(to, 1 - CHUNK_DAYS), oldest].reduce((a, b) => (a > b ? a : b));
      stored += await withAdvisoryLock(this.dataSource, AdvisoryLock.ReportDaysFill, (manager) =>
        this.reportDays.fill(manager, { from, to }),
      );
    }
    if (stored > 0) this.logger.log(`Stored ${String(stored)} report day summaries`);
    return stored;
  }
}
