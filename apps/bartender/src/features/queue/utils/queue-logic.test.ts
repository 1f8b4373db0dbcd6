import type { Order, OrderStatus } from '@taproom/web-core/api/contracts';
import { describe, expect, it } from 'vitest';
import {
  ageLevel,
  ALL_STATIONS,
  allDayCounts,
  applyOrder,
  applyRecent,
  pruneRecent,
  recallDeadline,
  recentList,
  stationsOnBoard,
  ticketAt,
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
        options: [],
        vatRateBasisPoints: 0,
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
    vat: [],
    paymentStatus: 'unpaid',
    paidCents: 0,
    tipCents: 0,
    refundedCents: 0,
    balanceCents: 450,
    payments: [],
    refunds: [],
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

type Line = Order['items'][number];
const line = (name: string, station: string, quantity = 1): Line => ({
  menuItemId: `m-${name}`,
  name,
  unitPriceCents: 500,
  quantity,
  note: null,
  station,
  options: [],
  vatRateBasisPoints: 0,
});
const mixed = order('o1', {
  items: [line('Lager', 'bar', 2), line('Nachos', 'kitchen'), line('Fries', 'grill')],
});

describe('stations', () => {
  it('shows a station its own lines and where else the order goes; nothing when it has none', () => {
    expect(ticketAt(mixed, 'kitchen')).toEqual({
      lines: [line('Nachos', 'kitchen')],
      alsoAt: ['bar', 'grill'],
    });
    expect(ticketAt(mixed, ALL_STATIONS)).toEqual({ lines: mixed.items, alsoAt: [] });
    expect(ticketAt(order('o2'), 'kitchen')).toBeNull();
  });

  it("offers the venue's stations, and any other an open ticket still names", () => {
    const orders: QueueOrders = new Map([['o1', mixed]]);
    expect(stationsOnBoard(['bar', 'kitchen'], orders)).toEqual(['bar', 'kitchen', 'grill']);
    expect(stationsOnBoard(['bar', 'kitchen', 'grill'], orders)).toEqual([
      'bar',
      'kitchen',
      'grill',
    ]);
  });

  it('keeps only the tickets with lines at the station in its columns', () => {
    const orders: QueueOrders = new Map([
      ['o1', mixed],
      ['o2', order('o2')],
    ]);
    expect(groupQueue(orders, 'kitchen').pending.map((o) => o.id)).toEqual(['o1']);
    expect(groupQueue(orders, 'bar').pending.map((o) => o.id)).toEqual(['o1', 'o2']);
  });

  it('counts what is still to make per item, most first, leaving ready tickets out', () => {
    const orders: QueueOrders = new Map([
      ['o1', mixed],
      ['o2', order('o2', { status: 'preparing', items: [line('Lager', 'bar', 3)] })],
      ['o3', order('o3', { status: 'ready', items: [line('Lager', 'bar', 9)] })],
      ['o4', order('o4', { status: 'accepted', items: [line('Nachos', 'kitchen', 2)] })],
    ]);
    expect(allDayCounts(orders, 'bar')).toEqual([
      { key: 'm-Lager', menuItemId: 'm-Lager', name: 'Lager', options: '', quantity: 5 },
    ]);
    expect(allDayCounts(orders, ALL_STATIONS).map((c) => [c.name, c.quantity])).toEqual([
      ['Lager', 5],
      ['Nachos', 3],
      ['Fries', 1],
    ]);
  });

  it('counts a half and a pint apart, whatever order the choices came in', () => {
    const half = { id: 'half', groupName: 'Size', name: 'Half', priceDeltaCents: -250 };
    const lime = { id: 'lime', groupName: 'Extras', name: 'Lime', priceDeltaCents: 0 };
    const orders: QueueOrders = new Map([
      ['o1', order('o1', { items: [{ ...line('Lager', 'bar', 2), options: [half, lime] }] })],
      ['o2', order('o2', { items: [{ ...line('Lager', 'bar', 1), options: [lime, half] }] })],
      ['o3', order('o3', { items: [line('Lager', 'bar', 4)] })],
    ]);
    expect(allDayCounts(orders, 'bar').map((c) => [c.name, c.options, c.quantity])).toEqual([
      ['Lager', '', 4],
      ['Lager', 'Size: Half · Extras: Lime', 3],
    ]);
  });
});

describe('recently completed', () => {
  const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
  const served = (id: string, minutes: number, version = 5): Order =>
    order(id, {
      status: 'completed',
      version,
      updatedAt: at(minutes),
      history: [
        { status: 'pending', at: at(minutes - 10), by: { id: 'c', name: 'Ann', role: 'customer' } },
        { status: 'completed', at: at(minutes), by: { id: 'b', name: 'Bo', role: 'bartender' } },
      ],
    });

  it('takes closed orders in by version, lets a recalled one go, and ignores late copies', () => {
    let recent = applyRecent(new Map(), served('a', 0), new Map());
    expect([...recent.keys()]).toEqual(['a']);
    expect(applyRecent(recent, served('a', 0, 4), new Map())).toBe(recent);
    recent = applyRecent(recent, order('a', { status: 'ready', version: 6 }), new Map());
    expect(recent.size).toBe(0);
    const open: QueueOrders = new Map([['a', order('a', { status: 'ready', version: 6 })]]);
    expect(applyRecent(recent, served('a', 0), open).size).toBe(0);
    expect(applyRecent(new Map(), order('b'), new Map()).size).toBe(0);
  });

  it('lists the last two hours, latest closed first, and forgets the rest', () => {
    const recent = new Map([
      ['old', served('old', 0)],
      ['mid', served('mid', 100)],
      ['new', served('new', 130)],
    ]);
    const now = T0 + 150 * 60_000;
    expect(recentList(recent, now).map((o) => o.id)).toEqual(['new', 'mid']);
    const open: QueueOrders = new Map([['mid', order('mid', { status: 'ready', version: 9 })]]);
    expect([...pruneRecent(recent, open, now).keys()]).toEqual(['new']);
    expect(pruneRecent(recent, new Map(), T0)).toBe(recent);
  });

  it('offers a recall until RECALL_WINDOW after the latest completion', () => {
    expect(recallDeadline(served('a', 0), 900)).toBe(T0 + 15 * 60_000);
    expect(recallDeadline(order('a', { status: 'cancelled' }), 900)).toBeNull();
  });
});
