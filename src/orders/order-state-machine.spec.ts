import { describe, expect, it } from '@jest/globals';
import {
  ORDER_STATUSES,
  type OrderStatus,
  allowedTargets,
  checkTransition,
  type RecallWindow,
} from './order-state-machine.js';

const NOW = new Date('2026-12-06T21:00:00.000Z');
const minutesAgo = (minutes: number): Date => new Date(NOW.getTime() - minutes * 60_000);
/** A completed order whose recall window (15 min) is still open; no window for other statuses. */
const OPEN: RecallWindow = { completedAt: minutesAgo(3), windowSeconds: 900, now: NOW };
const NOT_COMPLETED: RecallWindow = { completedAt: null, windowSeconds: 900, now: NOW };
const windowFor = (from: OrderStatus): RecallWindow =>
  from === 'completed' ? OPEN : NOT_COMPLETED;

const ALLOWED_FOR_STAFF: Record<OrderStatus, OrderStatus[]> = {
  pending: ['accepted', 'cancelled'],
  accepted: ['preparing', 'cancelled'],
  preparing: ['accepted', 'ready', 'cancelled'],
  ready: ['preparing', 'completed', 'cancelled'],
  completed: ['ready'],
  cancelled: [],
};

describe('order state machine', () => {
  it.each(ORDER_STATUSES)(
    'lets staff move a %s order exactly where the life cycle says',
    (from) => {
      expect(allowedTargets(from, 'staff', windowFor(from))).toEqual(ALLOWED_FOR_STAFF[from]);
    },
  );

  it('lets a customer only cancel a pending order', () => {
    for (const from of ORDER_STATUSES) {
      expect(allowedTargets(from, 'customer', windowFor(from))).toEqual(
        from === 'pending' ? ['cancelled'] : [],
      );
    }
  });

  it('forbids every other move, with a reason', () => {
    for (const actor of ['staff', 'customer'] as const) {
      for (const from of ORDER_STATUSES) {
        for (const to of ORDER_STATUSES) {
          const check = checkTransition(from, to, actor, windowFor(from));
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
    expect(checkTransition('pending', 'accepted', 'staff', NOT_COMPLETED)).toMatchObject({
      kind: 'forward',
    });
    expect(checkTransition('ready', 'completed', 'staff', NOT_COMPLETED)).toMatchObject({
      kind: 'forward',
    });
    expect(checkTransition('ready', 'preparing', 'staff', NOT_COMPLETED)).toMatchObject({
      kind: 'recall',
    });
    expect(checkTransition('preparing', 'accepted', 'staff', NOT_COMPLETED)).toMatchObject({
      kind: 'recall',
    });
    expect(checkTransition('accepted', 'cancelled', 'staff', NOT_COMPLETED)).toMatchObject({
      kind: 'cancel',
    });
  });

  it('asks staff for a reason to cancel, not the customer', () => {
    expect(checkTransition('ready', 'cancelled', 'staff', NOT_COMPLETED)).toMatchObject({
      needsReason: true,
    });
    expect(checkTransition('pending', 'cancelled', 'customer', NOT_COMPLETED)).toMatchObject({
      needsReason: false,
    });
  });

  it('never recalls to pending and never skips a step', () => {
    expect(checkTransition('accepted', 'pending', 'staff', NOT_COMPLETED).allowed).toBe(false);
    expect(checkTransition('pending', 'preparing', 'staff', NOT_COMPLETED).allowed).toBe(false);
    expect(checkTransition('accepted', 'ready', 'staff', NOT_COMPLETED).allowed).toBe(false);
    expect(checkTransition('ready', 'accepted', 'staff', NOT_COMPLETED).allowed).toBe(false);
  });

  it('recalls a completed order to ready only within the window, and only for staff', () => {
    expect(checkTransition('completed', 'ready', 'staff', OPEN)).toMatchObject({
      allowed: true,
      kind: 'recall',
    });
    const atTheEdge = { ...OPEN, completedAt: minutesAgo(15) };
    expect(checkTransition('completed', 'ready', 'staff', atTheEdge).allowed).toBe(true);
    const late = checkTransition('completed', 'ready', 'staff', {
      ...OPEN,
      completedAt: minutesAgo(22),
    });
    expect(late).toEqual({
      allowed: false,
      reason:
        'A served order can be recalled for 15 min after it was completed; this one was completed 22 min ago.',
    });
    // Just past the window: never "for 15 min; completed 15 min ago".
    const justLate = checkTransition('completed', 'ready', 'staff', {
      ...OPEN,
      completedAt: new Date(NOW.getTime() - 15 * 60_000 - 10_000),
    });
    expect(justLate).toMatchObject({
      allowed: false,
      reason: expect.stringContaining('completed 16 min ago') as unknown,
    });
    const seconds = checkTransition('completed', 'ready', 'staff', {
      completedAt: new Date(NOW.getTime() - 7_000),
      windowSeconds: 5,
      now: NOW,
    });
    expect(seconds).toMatchObject({
      reason:
        'A served order can be recalled for 5 s after it was completed; this one was completed 7 s ago.',
    });
    expect(checkTransition('completed', 'ready', 'customer', OPEN).allowed).toBe(false);
    expect(checkTransition('completed', 'preparing', 'staff', OPEN).allowed).toBe(false);
    expect(checkTransition('completed', 'cancelled', 'staff', OPEN).allowed).toBe(false);
    expect(checkTransition('cancelled', 'ready', 'staff', OPEN).allowed).toBe(false);
    expect(checkTransition('completed', 'ready', 'staff', NOT_COMPLETED).allowed).toBe(false);
  });
});
