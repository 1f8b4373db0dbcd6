import { asApiError } from '@taproom/web-core/api/api-client';
import type { LiveEvent, Order, OrderPage, OrderStatus } from '@taproom/web-core/api/contracts';
import { MAX_QUEUE_ORDERS } from '@/config/app-config';
import { api } from '@/lib/session';
import {
  applyOrder,
  applyRecent,
  pruneRecent,
  pruneUnacknowledged,
  QUEUE_STATUSES,
  RECENT_WINDOW_MS,
  reconcile,
  type QueueOrders,
  type RecentOrders,
} from '../utils/queue-logic';

/** A ticket that someone else changed under us: the fresh order and what to say about it. */
export interface ConflictNotice {
  order: Order;
  message: string;
}

export interface QueueState {
  orders: QueueOrders;
  /** Completed and cancelled in the last two hours: the "Recently completed" lane. */
  recent: RecentOrders;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** When the last snapshot arrived (local clock). */
  syncedAt: number | null;
  /** New orders nobody has acknowledged yet: they flash and chime. */
  unacknowledged: ReadonlySet<string>;
  /** By order id; at most {@link MAX_NOTICES}. */
  conflicts: ReadonlyMap<string, ConflictNotice>;
}

const MAX_NOTICES = 20;
const PAGE_SIZE = 100;
/** Past this many recently closed orders held, the ones older than two hours are dropped. */
const MAX_RECENT = 200;
export const CONFLICT_MESSAGE = 'Changed by someone else. This card shows the latest version.';

const INITIAL: QueueState = {
  orders: new Map(),
  recent: new Map(),
  status: 'idle',
  error: null,
  syncedAt: null,
  unacknowledged: new Set(),
  conflicts: new Map(),
};

/**
 * The bar's open orders in one place: a snapshot from `GET /api/orders`, kept current by live
 * events and by the answers to the bar's own actions, always by `version`, so nothing older ever
 * overwrites something newer. Framework-free; React reads it with `useSyncExternalStore`.
 */
export class QueueStore {
  private state: QueueState = INITIAL;
  private readonly listeners = new Set<() => void>();
  /** Orders heard while a snapshot is on its way, applied on top of it. */
  private during: Order[] | null = null;
  private loading: Promise<void> | null = null;
  private loadAgain = false;
  private generation = 0;

  getState = (): QueueState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Fetches every open order; a call during a load runs once more after it. */
  load(): Promise<void> {
    if (this.loading !== null) {
      this.loadAgain = true;
      return this.loading;
    }
    this.loading = this.loadOnce().finally(() => {
      this.loading = null;
      if (this.loadAgain) {
        this.loadAgain = false;
        void this.load();
      }
    });
    return this.loading;
  }

  handleEvent = (event: LiveEvent): void => {
    switch (event.type) {
      case 'order.created':
      case 'order.updated':
        this.applyServerOrder(event.data);
        return;
      case 'resync':
        void this.load();
        return;
      case 'menu.updated':
      case 'venue.updated':
      case 'session.revoked':
        return;
    }
  };

  /**
   * Moves an order to `status` from the version on the card, and returns it as it is now; a
   * conflict shows the fresh card and returns null (nothing moved).
   */
  async changeStatus(order: Order, status: OrderStatus, reason?: string): Promise<Order | null> {
    return this.act(order, async () => {
      const body =
        reason === undefined
          ? { status, version: order.version }
          : { status, version: order.version, reason };
      return (await api.patch<Order>(`/orders/${encodeURIComponent(order.id)}/status`, body)).data;
    });
  }

  /** Cancels with the reason the bar gives. */
  async cancel(order: Order, reason: string): Promise<Order | null> {
    return this.act(
      order,
      async () =>
        (await api.post<Order>(`/orders/${encodeURIComponent(order.id)}/cancel`, { reason })).data,
    );
  }

  acknowledge(id: string): void {
    if (!this.state.unacknowledged.has(id)) return;
    const next = new Set(this.state.unacknowledged);
    next.delete(id);
    this.setState({ unacknowledged: next });
  }

  acknowledgeAll(): void {
    if (this.state.unacknowledged.size > 0) this.setState({ unacknowledged: new Set() });
  }

  dismissConflicts(ids: readonly string[]): void {
    const next = new Map(this.state.conflicts);
    for (const id of ids) next.delete(id);
    if (next.size !== this.state.conflicts.size) this.setState({ conflicts: next });
  }

  dismissConflict(id: string): void {
    if (!this.state.conflicts.has(id)) return;
    const next = new Map(this.state.conflicts);
    next.delete(id);
    this.setState({ conflicts: next });
  }

  /** Forgets everything (sign-out): the next person starts from a fresh snapshot. */
  reset(): void {
    this.generation += 1;
    this.during = null;
    this.state = INITIAL;
    this.emit();
  }

  /** The freshest copy of an order the store holds (queue or recently completed). */
  current(id: string): Order | undefined {
    return this.state.orders.get(id) ?? this.state.recent.get(id);
  }

  private async act(order: Order, send: () => Promise<Order>): Promise<Order | null> {
    try {
      const updated = await send();
      this.dismissConflict(order.id);
      this.acknowledge(order.id);
      this.applyServerOrder(updated);
      return updated;
    } catch (caught) {
      const error = asApiError(caught);
      if (error?.code === 'VERSION_CONFLICT') {
        const current = currentOf(error.details);
        if (current !== undefined) {
          this.applyServerOrder(current);
          this.noteConflict(current, CONFLICT_MESSAGE);
          return null;
        }
      }
      if (error?.code === 'VERSION_CONFLICT' || error?.code === 'INVALID_TRANSITION') {
        const fresh = await this.fetchOne(order.id);
        if (fresh !== undefined) {
          this.applyServerOrder(fresh);
          this.noteConflict(
            fresh,
            // The server says why a move is refused in words meant for the bar ("completed
            // 22 min ago"): better than a generic line.
            error.code === 'VERSION_CONFLICT'
              ? CONFLICT_MESSAGE
              : (error.serverMessage ?? error.message),
          );
          return null;
        }
      }
      throw caught;
    }
  }

  private async fetchOne(id: string): Promise<Order | undefined> {
    try {
      return (await api.get<Order>(`/orders/${encodeURIComponent(id)}`)).data;
    } catch {
      return undefined;
    }
  }

  private noteConflict(order: Order, message: string): void {
    const next = new Map(this.state.conflicts);
    next.delete(order.id);
    next.set(order.id, { order, message });
    while (next.size > MAX_NOTICES) {
      const oldest = next.keys().next().value;
      if (oldest === undefined) break;
      next.delete(oldest);
    }
    this.setState({ conflicts: next });
  }

  private applyServerOrder(order: Order): void {
    this.during?.push(order);
    const held = this.state.orders.get(order.id);
    const orders = applyOrder(this.state.orders, order);
    let recent = applyRecent(this.state.recent, order, this.state.orders);
    // A whole shift of closed orders is not kept: the lane shows two hours.
    if (recent.size > MAX_RECENT) recent = pruneRecent(recent, orders, Date.now());
    if (recent !== this.state.recent) this.setState({ recent });
    if (orders === this.state.orders) return;
    let unacknowledged = this.state.unacknowledged;
    if (held === undefined && order.status === 'pending') {
      unacknowledged = new Set(unacknowledged).add(order.id);
    }
    const conflict = this.state.conflicts.get(order.id);
    let conflicts = this.state.conflicts;
    // A notice about an order that moved on again is stale: the card shows the truth.
    if (conflict !== undefined && conflict.order.version < order.version && orders.has(order.id)) {
      const next = new Map(conflicts);
      next.delete(order.id);
      conflicts = next;
    }
    this.setState({
      orders,
      unacknowledged: pruneUnacknowledged(unacknowledged, orders),
      conflicts,
    });
  }

  private async loadOnce(): Promise<void> {
    const generation = this.generation;
    const first = this.state.syncedAt === null;
    this.during = [];
    if (first) this.setState({ status: 'loading', error: null });
    try {
      const [snapshot, closed] = await Promise.all([fetchOpenOrders(), fetchRecentOrders()]);
      if (generation !== this.generation) return;
      const before = this.state.orders;
      const orders = reconcile(snapshot, this.during, before);
      let recent = this.state.recent;
      for (const order of [...closed, ...this.during]) recent = applyRecent(recent, order, orders);
      recent = pruneRecent(recent, orders, Date.now());
      let unacknowledged = this.state.unacknowledged;
      if (!first) {
        // Orders the stream missed (a gap in the replay) alert like any new order.
        for (const order of orders.values()) {
          if (order.status === 'pending' && !before.has(order.id)) {
            unacknowledged = new Set(unacknowledged).add(order.id);
          }
        }
      }
      this.setState({
        orders,
        recent,
        status: 'ready',
        error: null,
        syncedAt: Date.now(),
        unacknowledged: pruneUnacknowledged(unacknowledged, orders),
      });
    } catch (caught) {
      if (generation !== this.generation) return;
      const message = asApiError(caught)?.message ?? 'Could not load the queue.';
      this.setState({ status: this.state.syncedAt === null ? 'error' : 'ready', error: message });
    } finally {
      if (generation === this.generation) this.during = null;
    }
  }

  private setState(patch: Partial<QueueState>): void {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

/** `details.current` of a `VERSION_CONFLICT`, when it looks like an order. */
function currentOf(details: unknown): Order | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const current = (details as { current?: unknown }).current;
  if (typeof current !== 'object' || current === null) return undefined;
  const order = current as Partial<Order>;
  return typeof order.id === 'string' &&
    typeof order.version === 'number' &&
    typeof order.status === 'string'
    ? (current as Order)
    : undefined;
}

/**
 * Every open order, a page at a time, up to {@link MAX_QUEUE_ORDERS}. Each page asks for the
 * orders after the previous page's last (`cursor`): by page number, an order accepted or placed
 * between two requests would shift the pages and one ticket would be missed or read twice.
 */
async function fetchOpenOrders(): Promise<Order[]> {
  const all: Order[] = [];
  let cursor: string | null = null;
  do {
    const { data }: { data: OrderPage } = await api.get<OrderPage>('/orders', {
      params: {
        status: QUEUE_STATUSES.join(','),
        limit: PAGE_SIZE,
        ...(cursor === null ? {} : { cursor }),
      },
    });
    all.push(...data.items);
    // A server without cursors answers no `nextCursor`: the walk ends rather than re-reading page 1.
    cursor = data.nextCursor ?? null;
  } while (cursor !== null && all.length < MAX_QUEUE_ORDERS);
  return all;
}

/** What closed in the last two hours, latest first (at most one page: the lane shows 100). */
async function fetchRecentOrders(): Promise<Order[]> {
  const { data } = await api.get<OrderPage>('/orders', {
    params: {
      status: 'completed,cancelled',
      updatedFrom: new Date(Date.now() - RECENT_WINDOW_MS).toISOString(),
      sort: 'updatedAt',
      limit: PAGE_SIZE,
    },
  });
  return data.items;
}

/** The bar's one queue. */
export const queueStore = new QueueStore();
