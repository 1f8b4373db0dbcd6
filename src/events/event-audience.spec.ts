import { describe, expect, it } from '@jest/globals';
import type { AuthContext } from '../auth/auth-context.js';
import type { DomainEvent } from './domain-event.js';
import { isFor, messageOf, sseFrame } from './event-audience.js';

const customer: AuthContext = { userId: 'u1', sessionId: 's1', role: 'customer', app: 'customer' };
const otherCustomer: AuthContext = { ...customer, userId: 'u2', sessionId: 's2' };
const bartender: AuthContext = {
  userId: 'b1',
  sessionId: 's3',
  role: 'bartender',
  app: 'bartender',
};
const admin: AuthContext = { userId: 'a1', sessionId: 's4', role: 'admin', app: 'admin' };

describe('who receives which live event', () => {
  const order: DomainEvent = { type: 'order.created', order: { id: 'o1' }, customerId: 'u1' };

  it('sends orders to staff and their own customer only', () => {
    expect(isFor(customer, order)).toBe(true);
    expect(isFor(bartender, order)).toBe(true);
    expect(isFor(admin, order)).toBe(true);
    expect(isFor(otherCustomer, order)).toBe(false);
    expect(isFor(otherCustomer, { ...order, type: 'order.updated' })).toBe(false);
  });

  it('sends the menu to everyone', () => {
    for (const who of [customer, otherCustomer, bartender, admin]) {
      expect(isFor(who, { type: 'menu.updated' })).toBe(true);
    }
  });

  it('sends a revocation to that session only, not to the user’s other sessions', () => {
    const revoked: DomainEvent = {
      type: 'session.revoked',
      sessionId: 's1',
      userId: 'u1',
      reason: 'logout',
    };
    expect(isFor(customer, revoked)).toBe(true);
    expect(isFor({ ...customer, sessionId: 's9' }, revoked)).toBe(false);
    expect(isFor(admin, revoked)).toBe(false);
    expect(messageOf(revoked)).toEqual({
      event: 'session.revoked',
      data: { sessionId: 's1', reason: 'logout' },
    });
  });

  it('never streams user.changed', () => {
    expect(isFor(admin, { type: 'user.changed', userId: 'u1' })).toBe(false);
  });

  it('writes one frame with the id, the event name and one line of JSON', () => {
    expect(sseFrame('42', { event: 'order.updated', data: { note: 'a\nb' } })).toBe(
      'id: 42\nevent: order.updated\ndata: {"note":"a\\nb"}\n\n',
    );
  });
});
