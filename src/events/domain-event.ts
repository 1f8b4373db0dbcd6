/**
 * Events modules publish. Modules never know who listens (SSE streams, caches, other
 * instances); the bus delivers to every subscriber on every instance.
 */
export type DomainEventBody =
  | { type: 'order.created'; order: unknown; customerId: string }
  | { type: 'order.updated'; order: unknown; customerId: string }
  | { type: 'menu.updated' }
  | { type: 'venue.updated' }
  | { type: 'session.revoked'; sessionId: string; userId: string; reason: string }
  | { type: 'user.changed'; userId: string };

/**
 * An event as the bus carries it. `id` is set when the event was written to the event log
 * (see `EventLog.append`): it orders events by commit and is the `id:` of live streams.
 */
export type DomainEvent = DomainEventBody & { readonly id?: string };

/** The events that go to live streams, and so to the event log. */
export type LoggableEvent = Exclude<DomainEventBody, { type: 'user.changed' }>;

/** An event that is in the event log. */
export type LoggedEvent = LoggableEvent & { readonly id: string };
