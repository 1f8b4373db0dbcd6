import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { EventLog } from './event-log.js';

/** Prunes at least this often, and more often when the retention is short. */
const MAX_INTERVAL_SECONDS = 300;

/** The periodic job that deletes event log entries past `EVENT_RETENTION`. */
@Injectable()
export class EventLogPruning implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventLogPruning');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly log: EventLog,
  ) {}

  onApplicationBootstrap(): void {
    const seconds = Math.min(MAX_INTERVAL_SECONDS, this.config.events.retentionSeconds / 4);
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.log
        .prune()
        .catch((error: unknown) => {
          this.logger.error({ err: error }, 'Event log pruning failed');
        })
        .finally(() => {
          this.running = undefined;
        });
    }, seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
