import { Global, Module } from '@nestjs/common';
import { EventBus } from './event-bus.js';
import { EventLog } from './event-log.js';
import { EventLogPruning } from './event-log-pruning.js';
import { InProcessEventBus } from './in-process-event-bus.js';

/** The event bus and the event log, injectable everywhere as {@link EventBus} and {@link EventLog}. */
@Global()
@Module({
  providers: [{ provide: EventBus, useClass: InProcessEventBus }, EventLog, EventLogPruning],
  exports: [EventBus, EventLog],
})
export class EventsModule {}
