/**
 * Events modules publish. Modules never know who listens (SSE streams, caches, other
 * instances); the bus delivers to every subscriber on every instance.
 */
export type DomainEvent =
  | { type: 'order.created'; order: unknown; customerId: string }
  | { type: 'order.updated'; order: unknown; customerId: string }
  | { type: 'menu.updated' }
  | { type: 'session.revoked'; sessionId: string; userId: string; reason: string }
  | { type: 'user.changed'; userId: string };

export type DomainEventType = DomainEvent['type'];
