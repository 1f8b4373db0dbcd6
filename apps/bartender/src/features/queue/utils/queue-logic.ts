import type { Order, OrderStatus } from '@taproom/web-core/api/contracts';

/** The statuses the bar works on, one column each, in the order an order walks them. */
export const QUEUE_STATUSES = ['pending', 'accepted', 'preparing', 'ready'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export function isQueueStatus(status: OrderStatus): status is QueueStatus {
  return (QUEUE_STATUSES as readonly OrderStatus[]).includes(status);
}

/** Open orders by id. Only orders the bar still works on are kept, so the map stays small. */
export type QueueOrders = ReadonlyMap<string, Order>;

/**
 * Applies one order as the server sent it (event, answer, conflict) to the queue. An order older
 * than the one held (lower `version`) is ignored, so a late event or a stale refetch never turns
 * a ticket back; a completed or cancelled order leaves the queue. Returns the same map when
 * nothing changed.
 */
export function applyOrder(orders: QueueOrders, order: Order): QueueOrders {
  const held = orders.get(order.id);
  if (held !== undefined && held.version >= order.version) return orders;
  if (!isQueueStatus(order.status)) {
    if (held === undefined) return orders;
    const next = new Map(orders);
    next.delete(order.id);
    return next;
  }
  const next = new Map(orders);
  next.set(order.id, order);
  return next;
}

/**
 * A fresh snapshot of the open orders, with the events that arrived while it was being fetched
 * applied on top (by version), so neither a replayed event nor the snapshot wins by mere timing.
 * Orders held before that are newer than the snapshot's copy (an answer that overtook the fetch)
 * are kept; orders missing from the snapshot are gone (completed or cancelled meanwhile).
 */
export function reconcile(
  snapshot: readonly Order[],
  during: readonly Order[],
  held: QueueOrders = new Map(),
): QueueOrders {
  let orders: QueueOrders = new Map(
    snapshot.filter((order) => isQueueStatus(order.status)).map((order) => [order.id, order]),
  );
  for (const order of held.values()) {
    const fresh = orders.get(order.id);
    if (fresh !== undefined && order.version > fresh.version) orders = applyOrder(orders, order);
  }
  for (const order of during) orders = applyOrder(orders, order);
  return orders;
}

/** The queue's columns, each oldest first (first come, first served). */
export function groupQueue(orders: QueueOrders): Record<QueueStatus, Order[]> {
  const columns: Record<QueueStatus, Order[]> = {
    pending: [],
    accepted: [],
    preparing: [],
    ready: [],
  };
  for (const order of orders.values()) {
    if (isQueueStatus(order.status)) columns[order.status].push(order);
  }
  for (const status of QUEUE_STATUSES) {
    columns[status].sort(
      (a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.number - b.number,
    );
  }
  return columns;
}

/** The next step of the happy path, from each column. */
export function nextStatus(status: QueueStatus): OrderStatus {
  switch (status) {
    case 'pending':
      return 'accepted';
    case 'accepted':
      return 'preparing';
    case 'preparing':
      return 'ready';
    case 'ready':
      return 'completed';
  }
}

/** One step back (a recall), among accepted, preparing and ready; null where there is none. */
export function previousStatus(status: QueueStatus): QueueStatus | null {
  switch (status) {
    case 'pending':
    case 'accepted':
      return null;
    case 'preparing':
      return 'accepted';
    case 'ready':
      return 'preparing';
  }
}

/** What the button that moves a ticket on says. */
export function advanceLabel(status: QueueStatus): string {
  switch (status) {
    case 'pending':
      return 'Accept';
    case 'accepted':
      return 'Start';
    case 'preparing':
      return 'Ready';
    case 'ready':
      return 'Served';
  }
}

export type AgeLevel = 'fresh' | 'amber' | 'red';

/** How urgent a ticket looks after waiting `now - createdAt`. */
export function ageLevel(
  createdAt: string,
  now: number,
  thresholds: { amberMs: number; redMs: number },
): AgeLevel {
  const age = now - Date.parse(createdAt);
  if (age >= thresholds.redMs) return 'red';
  if (age >= thresholds.amberMs) return 'amber';
  return 'fresh';
}

/** A ticket's age as the bar reads it: `0:45`, `7 min`, `1 h 05`. */
export function formatAge(createdAt: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(createdAt)) / 1000));
  if (seconds < 60) return '<1 min';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')}`;
}

/** Drops acknowledgements owed for orders that are no longer pending in the queue. */
export function pruneUnacknowledged(
  unacknowledged: ReadonlySet<string>,
  orders: QueueOrders,
): ReadonlySet<string> {
  let changed = false;
  const kept = new Set<string>();
  for (const id of unacknowledged) {
    if (orders.get(id)?.status === 'pending') kept.add(id);
    else changed = true;
  }
  return changed ? kept : unacknowledged;
}
