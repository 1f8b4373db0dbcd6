import { Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { EventStreams } from './event-streams.service.js';
import { EventsController } from './events.controller.js';
import { RedisStreamLeases } from './redis-stream-leases.js';
import { MemoryStreamLeases, StreamLeases } from './stream-leases.js';

/** `GET /api/events`: the live event streams (the bus and the log come from EventsModule). */
@Module({
  imports: [SessionsModule],
  controllers: [EventsController],
  providers: [
    EventStreams,
    {
      // The per-session stream cap: across instances with Redis, else on this one.
      provide: StreamLeases,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig): Promise<StreamLeases> => {
        if (config.redisUrl === undefined) return new MemoryStreamLeases();
        const leases = new RedisStreamLeases(config.redisUrl, config.redisKeyPrefix);
        await leases.connect();
        return leases;
      },
    },
  ],
  exports: [EventStreams],
})
export class EventStreamsModule {}
