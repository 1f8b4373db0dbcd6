import { Module } from '@nestjs/common';
import { SessionsModule } from '../sessions/sessions.module.js';
import { EventStreams } from './event-streams.service.js';
import { EventsController } from './events.controller.js';

/** `GET /api/events`: the live event streams (the bus and the log come from EventsModule). */
@Module({
  imports: [SessionsModule],
  controllers: [EventsController],
  providers: [EventStreams],
  exports: [EventStreams],
})
export class EventStreamsModule {}
