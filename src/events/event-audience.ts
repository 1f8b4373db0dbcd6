import type { AuthContext } from '../auth/auth-context.js';
import { STAFF_ROLES } from '../users/role.js';
import type { DomainEvent } from './domain-event.js';

/** What a live stream sends for an event: its SSE `event:` name and `data:`. */
export interface StreamMessage {
  readonly event: string;
  readonly data: unknown;
}

/**
 * The contract's table of who receives what: orders go to staff and their own customer, the menu
 * and the venue's settings to everyone, a revocation to that session's streams only. Events that
 * are not for streams (`user.changed`) go to no one.
 */
export function isFor(recipient: AuthContext, event: DomainEvent): boolean {
  switch (event.type) {
    case 'order.created':
    case 'order.updated':
      return STAFF_ROLES.includes(recipient.role) || event.customerId === recipient.userId;
    case 'menu.updated':
    case 'venue.updated':
      return true;
    case 'session.revoked':
      return event.sessionId === recipient.sessionId;
    case 'user.changed':
      return false;
  }
}

/** The data a stream shows for an event (never internal fields such as the revoked user's id). */
export function messageOf(event: DomainEvent): StreamMessage {
  switch (event.type) {
    case 'order.created':
    case 'order.updated':
      return { event: event.type, data: event.order };
    case 'menu.updated':
    case 'venue.updated':
      return { event: event.type, data: {} };
    case 'session.revoked':
      return { event: event.type, data: { sessionId: event.sessionId, reason: event.reason } };
    case 'user.changed':
      return { event: event.type, data: {} };
  }
}

/** One SSE frame. `data` is JSON on one line, so it never needs splitting. */
export function sseFrame(id: string, message: StreamMessage): string {
  return `id: ${id}\nevent: ${message.event}\ndata: ${JSON.stringify(message.data)}\n\n`;
}
