import { Injectable, Logger } from '@nestjs/common';
import type { DomainEvent } from './domain-event.js';
import { EventBus, type EventHandler } from './event-bus.js';

/** The single-instance bus: delivers synchronously to this process's subscribers. */
@Injectable()
export class InProcessEventBus extends EventBus {
  private readonly logger = new Logger('EventBus');
  private readonly handlers = new Set<EventHandler>();

  publish(event: DomainEvent): Promise<void> {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        // One failing subscriber must not keep the event from the others.
        this.logger.error({ err: error, type: event.type }, 'Event subscriber failed');
      }
    }
    return Promise.resolve();
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }
}
