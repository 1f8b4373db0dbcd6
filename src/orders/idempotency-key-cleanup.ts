import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicJob } from '../common/periodic-job.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { OrdersRepository } from './orders.repository.js';
import { PaymentsRepository } from './payments/payments.repository.js';

const CLEANUP_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Deletes idempotency keys (of orders and of payments) past their 24 hours, hourly. Expired keys
 * are already ignored when orders are placed or payments recorded; this only keeps the table small. Safe on every instance at once.
 */
@Injectable()
export class IdempotencyKeyCleanup implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotencyKeys');
  private readonly job = new PeriodicJob(
    this.logger,
    'Could not delete expired idempotency keys',
    () => this.run(),
  );

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly orders: OrdersRepository,
    private readonly payments: PaymentsRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start(CLEANUP_INTERVAL_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }

  async run(): Promise<number> {
    try {
      const deleted =
        (await this.orders.deleteExpiredKeys(this.dataSource.manager)) +
        (await this.payments.deleteExpiredKeys(this.dataSource.manager));
      if (deleted > 0) this.logger.log(`Deleted ${deleted} expired idempotency keys`);
      return deleted;
    } catch (error) {
      this.logger.warn({ err: error }, 'Could not delete expired idempotency keys');
      return 0;
    }
  }
}
