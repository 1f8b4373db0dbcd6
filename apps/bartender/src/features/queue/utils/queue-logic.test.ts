import type { Order, OrderStatus } from '@taproom/web-core/api/contracts';
import { describe, expect, it } from 'vitest';
import {
  ageLevel,
  applyOrder,
  formatAge,
  groupQueue,
  nextStatus,
  previousStatus,
  pruneUnacknowledged,
  reconcile,
  type QueueOrders,
} from './queue-logic';

const T0 = Date.parse('2026-11-27T20:00:00Z');

function order(id: string, patch: Partial<Order> = {}): Order {
  return {
    id,
    number: Number(id.replace(/\D/g, '')) || 1,
    customer: { id: 'c', name: 'Ann' },
    status: 'pending',
    items: [
      {
        menuItemId: 'm1',
        name: 'Lager',
        unitPriceCents: 450,
        quantity: 1,
        note: null,
        station: 'bar',
      },
    ],
    totalCents: 450,
    tableNumber: 4,
    note: null,
    assignee: null,
    version: 1,
    createdAt: new Date(T0).toISOString(),
    updatedAt: new Date(T0).toISOString(),
    history: [],
    cancelReason: null,
    ...patch,
  };
}

function map(...orders: Order[]): QueueOrders {
  return new Map(orders.map((o) => [o.id, o]));
}

describe('applying orders to the queue', () => {
  it('adds a new open order and replaces an older version', () => {
    const one = applyOrder(new Map(), order('o1'));
    expect(one.get('o1')?.status).toBe('pending');
    const two = applyOrder(one, order('o1', { status: 'accepted', version: 2 }));
    expect(two.get('o1')?.status).toBe('accepted');
  });

  it('ignores an event older than or equal to what it holds (a late or replayed event)', () => {
    const held = map(order('o1', { status: 'preparing', version: 3 }));
    expect(applyOrder(held, order('o1', { status: 'accepted', version: 2 }))).toBe(held);
    expect(applyOrder(held, order('o1', { status: 'preparing', version: 3 }))).toBe(held);
  });

  it('drops completed and cancelled orders, and never adds one', () => {
    const held = map(order('o1', { status: 'ready', version: 4 }));
    expect(applyOrder(held, order('o1', { status: 'completed', version: 5 })).size).toBe(0);
    expect(applyOrder(held, order('o2', { status: 'cancelled', version: 2 }))).toBe(held);
  });
});

describe('reconciling a refetch with events heard meanwhile', () => {
  it('lets events that arrived during the fetch win over an older snapshot', () => {
    const snapshot = [order('o1', { version: 1 }), order('o2', { version: 1 })];
    const during = [
      order('o1', { status: 'accepted', version: 2 }),
      order('o3', { version: 1 }),
      order('o2', { status: 'cancelled', version: 2 }),
    ];
    const result = reconcile(snapshot, during);
    expect([...result.keys()].sort()).toEqual(['o1', 'o3']);
    expect(result.get('o1')?.status).toBe('accepted');
  });

  it('keeps a held version newer than the snapshot, and forgets what the snapshot lacks', () => {
    const held = map(order('o1', { status: 'ready', version: 4 }), order('gone', { version: 1 }));
    const result = reconcile([order('o1', { status: 'preparing', version: 3 })], [], held);
    expect(result.get('o1')?.version).toBe(4);
    expect(result.has('gone')).toBe(false);
  });

  it('keeps only open statuses from the snapshot', () => {
    const result = reconcile([order('o1', { status: 'completed' })], []);
    expect(result.size).toBe(0);
  });
});

describe('the columns', () => {
  it('groups by status, oldest first', () => {
    const later = new Date(T0 + 60_000).toISOString();
    const columns = groupQueue(
      map(
        order('o2', { createdAt: later }),
        order('o1'),
        order('o3', { status: 'ready', version: 4 }),
      ),
    );
    expect(columns.pending.map((o) => o.id)).toEqual(['o1', 'o2']);
    expect(columns.ready.map((o) => o.id)).toEqual(['o3']);
    expect(columns.accepted).toEqual([]);
  });

  it('walks forward one step and back one step among accepted, preparing and ready', () => {
    const forward: OrderStatus[] = ['pending', 'accepted', 'preparing', 'ready'].map((s) =>
      nextStatus(s as 'pending'),
    );
    expect(forward).toEqual(['accepted', 'preparing', 'ready', 'completed']);
    expect(previousStatus('pending')).toBeNull();
    expect(previousStatus('accepted')).toBeNull();
    expect(previousStatus('preparing')).toBe('accepted');
    expect(previousStatus('ready')).toBe('preparing');
  });
});

describe('ticket age', () => {
  const thresholds = { amberMs: 5 * 60_000, redMs: 8 * 60_000 };
  const created = new Date(T0).toISOString();

  it('is amber from 5 minutes and red from 8 (configurable)', () => {
    expect(ageLevel(created, T0 + 4 * 60_000 + 59_000, thresholds)).toBe('fresh');
    expect(ageLevel(created, T0 + 5 * 60_000, thresholds)).toBe('amber');
    expect(ageLevel(created, T0 + 8 * 60_000, thresholds)).toBe('red');
    expect(ageLevel(created, T0 + 60_000, { amberMs: 30_000, redMs: 50_000 })).toBe('red');
  });

  it('reads as minutes, then hours', () => {
    expect(formatAge(created, T0 + 20_000)).toBe('<1 min');
    expect(formatAge(created, T0 + 7 * 60_000 + 5_000)).toBe('7 min');
    expect(formatAge(created, T0 + 65 * 60_000)).toBe('1 h 05');
    expect(formatAge(created, T0 - 5_000)).toBe('<1 min');
  });
});

describe('acknowledgements', () => {
  it('forgets orders that are no longer pending or left the queue', () => {
    const ids = new Set(['o1', 'o2', 'o3']);
    const kept = pruneUnacknowledged(
      ids,
      map(order('o1'), order('o2', { status: 'accepted', version: 2 })),
    );
    expect([...kept]).toEqual(['o1']);
    const same = new Set(['o1']);
    expect(pruneUnacknowledged(same, map(order('o1')))).toBe(same);
  });
});
