import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { DomainEvent } from './domain-event.js';
import { EventBus, type EventHandler } from './event-bus.js';
import { EventLogRelay, type EventLogTail } from './event-log-relay.js';

/** This process's subscribers: every handler gets every event, synchronously. */
export class LocalSubscribers {
  private readonly logger = new Logger('EventBus');
  private readonly handlers = new Set<EventHandler>();

  add(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  deliver(event: DomainEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        // One failing subscriber must not keep the event from the others.
        this.logger.error({ err: error, type: event.type }, 'Event subscriber failed');
      }
    }
  }
}

/**
 * The single-instance bus. Logged events (with an id) reach subscribers in id order through an
 * {@link EventLogRelay}: `publish` makes it read the log, and resolves once that read has
 * delivered the event. Events that are not logged are delivered at once.
 */
@Injectable()
export class InProcessEventBus extends EventBus implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly subscribers = new LocalSubscribers();
  private readonly relay: EventLogRelay;

  constructor(tail: EventLogTail) {
    super();
    this.relay = new EventLogRelay(tail, (event) => {
      this.subscribers.deliver(event);
    });
  }

  /** Starts from the current end of the event log, once the migrations have created it. */
  onApplicationBootstrap(): Promise<void> {
    return this.relay.start();
  }

  async publish(event: DomainEvent): Promise<void> {
    if (event.id === undefined) this.subscribers.deliver(event);
    else await this.relay.readPast(event.id);
  }

  subscribe(handler: EventHandler): () => void {
    return this.subscribers.add(handler);
  }

  onModuleDestroy(): void {
    this.relay.stop();
  }
}
