import { ApiError } from '@taproom/web-core/api/api-error';
import type { Order } from '@taproom/web-core/api/contracts';
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
    tableNumber: null,
    note: null,
    assignee: null,
    version: 1,
    createdAt: '2026-11-27T20:00:00.000Z',
    updatedAt: '2026-11-27T20:00:00.000Z',
    history: [],
    cancelReason: null,
    ...patch,
  };
}

function page(...items: Order[]) {
  return { data: { items, total: items.length } };
}

beforeEach(() => {
  http.get.mockReset();
  http.patch.mockReset();
  http.post.mockReset();
});

describe('the queue store', () => {
  it('loads every open status in one request and does not alarm for the first snapshot', async () => {
    http.get.mockResolvedValueOnce(page(order('o1')));
    const store = new QueueStore();
    await store.load();
    expect(http.get).toHaveBeenCalledWith('/orders', {
      params: { status: 'pending,accepted,preparing,ready', page: 1, limit: 100 },
    });
    expect(store.getState().orders.size).toBe(1);
    expect(store.getState().unacknowledged.size).toBe(0);
  });

  it('flashes a new order until acknowledged, and stops when someone accepts it', async () => {
    http.get.mockResolvedValueOnce(page());
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
    http.get.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
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
    http.get.mockResolvedValueOnce(page()).mockResolvedValueOnce(page(order('missed')));
    const store = new QueueStore();
    await store.load();
    await store.load();
    expect([...store.getState().unacknowledged]).toEqual(['missed']);
  });

  it('shows a version conflict with the fresh card from details.current, never overwriting it', async () => {
    http.get.mockResolvedValueOnce(page(order('o1', { status: 'accepted', version: 2 })));
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
    http.get
      .mockResolvedValueOnce(page(order('o1')))
      .mockResolvedValueOnce({ data: order('o1', { status: 'cancelled', version: 2 }) });
    const store = new QueueStore();
    await store.load();
    http.patch.mockRejectedValueOnce(new ApiError(409, 'INVALID_TRANSITION', 'moved on'));
    await store.changeStatus(order('o1'), 'accepted');
    expect(store.getState().orders.has('o1')).toBe(false);
    expect(store.getState().conflicts.get('o1')?.order.status).toBe('cancelled');
  });

  it('passes other errors to the caller and forgets everything on reset', async () => {
    http.get.mockResolvedValueOnce(page(order('o1')));
    const store = new QueueStore();
    await store.load();
    http.post.mockRejectedValueOnce(new ApiError(0, 'NETWORK', 'offline'));
    await expect(store.cancel(order('o1'), 'spilled')).rejects.toThrow('offline');
    expect(http.post).toHaveBeenCalledWith('/orders/o1/cancel', { reason: 'spilled' });
    store.reset();
    expect(store.getState().orders.size).toBe(0);
    expect(store.getState().status).toBe('idle');
  });
});
