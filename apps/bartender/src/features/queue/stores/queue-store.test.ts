import { ApiError } from '@taproom/web-core/api/api-error';
import type { Order, OrderPage } from '@taproom/web-core/api/contracts';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const http = vi.hoisted(() => ({ get: vi.fn(), patch: vi.fn(), post: vi.fn() }));
vi.mock('@/lib/session', () => ({ api: http, session: {} }));

const { CONFLICT_MESSAGE, QueueStore } = await import('./queue-store');

function order(id: string, patch: Partial<Order> = {}): Order {
  return {
    id,
    number: 7,
    customer: { id: 'c', name: 'Ann' },
    status: 'pending',
    items: [],
    totalCents: 0,
    vat: [],
    tableNumber: null,
    note: null,
    assignee: null,
    version: 1,
    createdAt: '2026-11-27T20:00:00.000Z',
    updatedAt: '2026-11-27T20:00:00.000Z',
    history: [],
    cancelReason: null,
    paymentStatus: 'paid',
    paidCents: 0,
    tipCents: 0,
    refundedCents: 0,
    balanceCents: 0,
    payments: [],
    refunds: [],
    ...patch,
  };
}

function page(...items: Order[]): { data: OrderPage } {
  return { data: { items, total: items.length, totalIsEstimate: false, nextCursor: null } };
}

const CLOSED = 'completed,cancelled';
/** What `GET /api/orders?status=completed,cancelled…` answers: the recently closed orders. */
let closed: Order[] = [];

/** Queues the answers to the open-order requests (one per load) and single-order fetches. */
function answers(...values: unknown[]): void {
  const queue = [...values];
  http.get.mockImplementation((url: string, config?: { params?: { status?: string } }) => {
    if (config?.params?.status === CLOSED) return Promise.resolve(page(...closed));
    if (queue.length === 0) return Promise.reject(new Error(`unexpected GET ${url}`));
    const next = queue.shift();
    return next instanceof Promise ? next : Promise.resolve(next);
  });
}

beforeEach(() => {
  http.get.mockReset();
  http.patch.mockReset();
  http.post.mockReset();
  closed = [];
});

describe('the queue store', () => {
  it('loads every open status in one request and does not alarm for the first snapshot', async () => {
    answers(page(order('o1')));
    const store = new QueueStore();
    await store.load();
    expect(http.get).toHaveBeenCalledWith('/orders', {
      params: { status: 'pending,accepted,preparing,ready', limit: 100 },
    });
    expect(store.getState().orders.size).toBe(1);
    expect(store.getState().unacknowledged.size).toBe(0);
  });

  it('reads a long queue page after page by cursor, never by page number', async () => {
    const first = page(order('o1'), order('o2'));
    first.data.nextCursor = 'after-o2';
    answers(first, page(order('o3')));
    const store = new QueueStore();
    await store.load();
    expect(http.get).toHaveBeenCalledWith('/orders', {
      params: { status: 'pending,accepted,preparing,ready', limit: 100, cursor: 'after-o2' },
    });
    expect([...store.getState().orders.keys()].sort()).toEqual(['o1', 'o2', 'o3']);
  });

  it('flashes a new order until acknowledged, and stops when someone accepts it', async () => {
    answers(page());
    const store = new QueueStore();
    await store.load();
    store.handleEvent({ type: 'order.created', id: '1', data: order('o1') });
    expect([...store.getState().unacknowledged]).toEqual(['o1']);
    store.handleEvent({
      type: 'order.updated',
      id: '2',
      data: order('o1', { status: 'accepted', version: 2 }),
    });
    expect(store.getState().unacknowledged.size).toBe(0);
    store.handleEvent({ type: 'order.created', id: '3', data: order('o2') });
    store.acknowledge('o2');
    expect(store.getState().unacknowledged.size).toBe(0);
  });

  it('applies events heard during a refetch on top of its (older) snapshot', async () => {
    let answer: (value: unknown) => void = () => undefined;
    answers(new Promise((resolve) => (answer = resolve)));
    const store = new QueueStore();
    const loading = store.load();
    store.handleEvent({
      type: 'order.updated',
      id: '9',
      data: order('o1', { status: 'ready', version: 4 }),
    });
    answer(page(order('o1', { status: 'preparing', version: 3 })));
    await loading;
    expect(store.getState().orders.get('o1')?.status).toBe('ready');
  });

  it('alarms for a pending order that only a reconnect refetch revealed', async () => {
    answers(page(), page(order('missed')));
    const store = new QueueStore();
    await store.load();
    await store.load();
    expect([...store.getState().unacknowledged]).toEqual(['missed']);
  });

  it('shows a version conflict with the fresh card from details.current, never overwriting it', async () => {
    answers(page(order('o1', { status: 'accepted', version: 2 })));
    const store = new QueueStore();
    await store.load();
    const fresh = order('o1', {
      status: 'preparing',
      version: 3,
      assignee: { id: 'b2', name: 'Bo' },
    });
    http.patch.mockRejectedValueOnce(
      new ApiError(409, 'VERSION_CONFLICT', 'conflict', { current: fresh }),
    );
    const held = store.getState().orders.get('o1');
    if (held === undefined) throw new Error('missing');
    await store.changeStatus(held, 'preparing');
    expect(http.patch).toHaveBeenCalledWith('/orders/o1/status', {
      status: 'preparing',
      version: 2,
    });
    expect(store.getState().orders.get('o1')).toEqual(fresh);
    expect(store.getState().conflicts.get('o1')?.message).toBe(CONFLICT_MESSAGE);
    // Acting again from the fresh card clears the notice.
    http.patch.mockResolvedValueOnce({ data: order('o1', { status: 'ready', version: 4 }) });
    await store.changeStatus(fresh, 'ready');
    expect(store.getState().conflicts.size).toBe(0);
    expect(store.getState().orders.get('o1')?.status).toBe('ready');
  });

  it('on an invalid transition fetches the order and says why', async () => {
    answers(page(order('o1')), { data: order('o1', { status: 'cancelled', version: 2 }) });
    const store = new QueueStore();
    await store.load();
    const because = 'The order is already cancelled.';
    http.patch.mockRejectedValueOnce(
      new ApiError(409, 'INVALID_TRANSITION', 'moved on', undefined, undefined, because),
    );
    await expect(store.changeStatus(order('o1'), 'accepted')).resolves.toBeNull();
    expect(store.getState().orders.has('o1')).toBe(false);
    expect(store.getState().conflicts.get('o1')).toMatchObject({
      order: { status: 'cancelled' },
      message: because,
    });
  });

  it('passes other errors to the caller and forgets everything on reset', async () => {
    answers(page(order('o1')));
    const store = new QueueStore();
    await store.load();
    http.post.mockRejectedValueOnce(new ApiError(0, 'NETWORK', 'offline'));
    await expect(store.cancel(order('o1'), 'spilled')).rejects.toThrow('offline');
    expect(http.post).toHaveBeenCalledWith('/orders/o1/cancel', { reason: 'spilled' });
    store.reset();
    expect(store.getState().orders.size).toBe(0);
    expect(store.getState().status).toBe('idle');
  });

  it('loads what closed in the last two hours, latest change first, with the open orders', async () => {
    const served = order('s1', {
      status: 'completed',
      version: 5,
      updatedAt: new Date().toISOString(),
    });
    closed = [served, order('s0', { status: 'completed', version: 5 })];
    answers(page(order('o1')));
    const store = new QueueStore();
    const before = Date.now();
    await store.load();
    const call = http.get.mock.calls.find(
      ([, config]) => (config as { params: { status: string } }).params.status === CLOSED,
    );
    const params = (call?.[1] as { params: Record<string, unknown> }).params;
    expect(params).toMatchObject({ status: CLOSED, sort: 'updatedAt', limit: 100 });
    const since = Date.parse(String(params.updatedFrom));
    expect(before - since).toBeGreaterThanOrEqual(2 * 3600_000 - 1000);
    expect(before - since).toBeLessThanOrEqual(2 * 3600_000 + 1000);
    // Only the last two hours: s0 closed days ago.
    expect([...store.getState().recent.keys()]).toEqual(['s1']);
    expect(store.getState().orders.has('s1')).toBe(false);
  });

  it('moves an order between the board and the recently completed list as it closes and is recalled', async () => {
    answers(page(order('o1', { status: 'ready', version: 4 })));
    const store = new QueueStore();
    await store.load();
    const served = order('o1', { status: 'completed', version: 5 });
    http.patch.mockResolvedValueOnce({ data: served });
    await expect(
      store.changeStatus(order('o1', { status: 'ready', version: 4 }), 'completed'),
    ).resolves.toEqual(served);
    expect(store.getState().orders.has('o1')).toBe(false);
    expect(store.current('o1')).toEqual(served);
    // Recalled on another tablet: back on the board, out of the list.
    store.handleEvent({
      type: 'order.updated',
      id: '7',
      data: order('o1', { status: 'ready', version: 6 }),
    });
    expect(store.getState().orders.get('o1')?.version).toBe(6);
    expect(store.getState().recent.has('o1')).toBe(false);
    // A late copy of the completed order changes nothing.
    store.handleEvent({ type: 'order.updated', id: '5', data: served });
    expect(store.getState().recent.has('o1')).toBe(false);
    expect(store.getState().orders.get('o1')?.status).toBe('ready');
  });
});
