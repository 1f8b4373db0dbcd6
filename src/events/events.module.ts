import { Global, Module } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EventBus } from './event-bus.js';
import { EventLog } from './event-log.js';
import { EventOutbox } from './event-outbox.js';
import { eventLogTail } from './event-log-relay.js';
import { EventLogPruning } from './event-log-pruning.js';
import { InProcessEventBus } from './in-process-event-bus.js';
import { RedisEventBus } from './redis-event-bus.js';

/**
 * The event bus (in-process, or Redis when `REDIS_URL` is set), the event log and the outbox
 * that modules emit events through, injectable everywhere.
 */
@Global()
@Module({
  providers: [
    {
      provide: EventBus,
      inject: [APP_CONFIG, getDataSourceToken()],
      // Each starts reading the event log (and connecting) at application bootstrap.
      useFactory: (config: AppConfig, dataSource: DataSource): EventBus => {
        const tail = eventLogTail(dataSource.manager);
        if (config.redisUrl === undefined) return new InProcessEventBus(tail);
        return new RedisEventBus(config.redisUrl, config.redisKeyPrefix, tail);
      },
    },
    EventLog,
    EventOutbox,
    EventLogPruning,
  ],
  // Other modules emit events through the outbox only; the bus is for subscribers.
  exports: [EventBus, EventLog, EventOutbox],
})
export class EventsModule {}
