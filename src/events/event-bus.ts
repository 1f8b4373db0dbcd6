import type { DomainEvent } from './domain-event.js';

export type EventHandler = (event: DomainEvent) => void;

/**
 * Fan-out of domain events to every subscriber, on this instance and (with Redis) on all others.
 * `publish` resolves once the event has been handed to the transport.
 */
export abstract class EventBus {
  abstract publish(event: DomainEvent): Promise<void>;
  /** Returns a function that unsubscribes. */
  abstract subscribe(handler: EventHandler): () => void;
}
