import type { DomainEvent } from './domain-event.js';

export type EventHandler = (event: DomainEvent) => void;

/** Whether the bus reaches the other instances: `disabled` for the in-process bus. */
export type BusHealth = 'up' | 'down' | 'disabled';

/**
 * Fan-out of domain events to every subscriber, on this instance and (with Redis) on all others.
 * Logged events (with an id) reach subscribers in id order, each once: publish them only after
 * their transaction has committed. `publish` resolves once the event has been delivered here
 * (unless the event log cannot be read: then a later read delivers it) and handed to the
 * transport; an event reaches this instance's subscribers even when the transport is down.
 */
export abstract class EventBus {
  abstract publish(event: DomainEvent): Promise<void>;
  /** Returns a function that unsubscribes. */
  abstract subscribe(handler: EventHandler): () => void;

  /** For readiness: whether the transport to the other instances works. */
  health(): BusHealth {
    return 'disabled';
  }

  /** For readiness: {@link health}, checked against the transport now (it may have stalled). */
  probe(): Promise<BusHealth> {
    return Promise.resolve(this.health());
  }

  /**
   * Called with `false` when the bus loses contact with the other instances (events published
   * elsewhere may be missed until then) and with `true` once it has reconnected and caught up
   * from the event log. The in-process bus never calls it. Returns a function that unsubscribes.
   */
  onConnectivityChange(_listener: (connected: boolean) => void): () => void {
    return () => undefined;
  }
}
