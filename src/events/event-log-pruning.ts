import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicJob } from '../common/periodic-job.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { EventLog } from './event-log.js';

/** Prunes at least this often, and more often when the retention is short. */
const MAX_INTERVAL_SECONDS = 300;

/** The periodic job that deletes event log entries past `EVENT_RETENTION`. */
@Injectable()
export class EventLogPruning implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventLogPruning');
  private readonly job = new PeriodicJob(this.logger, 'Event log pruning failed', () =>
    this.log.prune(),
  );

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly log: EventLog,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = Math.min(MAX_INTERVAL_SECONDS, this.config.events.retentionSeconds / 4);
    this.job.start(seconds * 1000);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
