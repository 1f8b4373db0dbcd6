import { describe, expect, it } from '@jest/globals';
import {
  ORDER_STATUSES,
  type OrderStatus,
  allowedTargets,
  checkTransition,
} from './order-state-machine.js';

const ALLOWED_FOR_STAFF: Record<OrderStatus, OrderStatus[]> = {
  pending: ['accepted', 'cancelled'],
  accepted: ['preparing', 'cancelled'],
  preparing: ['accepted', 'ready', 'cancelled'],
  ready: ['preparing', 'completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

describe('order state machine', () => {
  it.each(ORDER_STATUSES)(
    'lets staff move a %s order exactly where the life cycle says',
    (from) => {
      expect(allowedTargets(from, 'staff')).toEqual(ALLOWED_FOR_STAFF[from]);
    },
  );

  it('lets a customer only cancel a pending order', () => {
    for (const from of ORDER_STATUSES) {
      expect(allowedTargets(from, 'customer')).toEqual(from === 'pending' ? ['cancelled'] : []);
    }
  });

  it('forbids every other move, with a reason', () => {
    for (const actor of ['staff', 'customer'] as const) {
      for (const from of ORDER_STATUSES) {
        for (const to of ORDER_STATUSES) {
          const check = checkTransition(from, to, actor);
          const expected =
            actor === 'staff'
              ? ALLOWED_FOR_STAFF[from].includes(to)
              : from === 'pending' && to === 'cancelled';
          expect(check.allowed).toBe(expected);
          if (!check.allowed) expect(check.reason.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('names the kind of each move', () => {
    expect(checkTransition('pending', 'accepted', 'staff')).toMatchObject({ kind: 'forward' });
    expect(checkTransition('ready', 'completed', 'staff')).toMatchObject({ kind: 'forward' });
    expect(checkTransition('ready', 'preparing', 'staff')).toMatchObject({ kind: 'recall' });
    expect(checkTransition('preparing', 'accepted', 'staff')).toMatchObject({ kind: 'recall' });
    expect(checkTransition('accepted', 'cancelled', 'staff')).toMatchObject({ kind: 'cancel' });
  });

  it('asks staff for a reason to cancel, not the customer', () => {
    expect(checkTransition('ready', 'cancelled', 'staff')).toMatchObject({ needsReason: true });
    expect(checkTransition('pending', 'cancelled', 'customer')).toMatchObject({
      needsReason: false,
    });
  });

  it('never recalls to pending and never skips a step', () => {
    expect(checkTransition('accepted', 'pending', 'staff').allowed).toBe(false);
    expect(checkTransition('pending', 'preparing', 'staff').allowed).toBe(false);
    expect(checkTransition('accepted', 'ready', 'staff').allowed).toBe(false);
    expect(checkTransition('ready', 'accepted', 'staff').allowed).toBe(false);
  });
});
