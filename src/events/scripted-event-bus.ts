import type { DomainEvent } from './domain-event.js';
import { EventBus, type EventHandler } from './event-bus.js';

/**
 * An event bus for unit tests of its subscribers: events are delivered at once, and the test
 * says when the bus loses and regains the other instances ({@link setConnected}), which the
 * in-process bus never does.
 */
export class ScriptedEventBus extends EventBus {
  private readonly handlers = new Set<EventHandler>();
  private readonly listeners = new Set<(connected: boolean) => void>();

  publish(event: DomainEvent): Promise<void> {
    for (const handler of this.handlers) handler(event);
    return Promise.resolve();
  }

  subscribe(handler: EventHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  override onConnectivityChange(listener: (connected: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setConnected(connected: boolean): void {
    for (const listener of this.listeners) listener(connected);
  }
}
