import type { Order, OrderStatus } from '@taproom/web-core/api/contracts';
import { optionsText } from '@taproom/web-core/ui/options';

type OrderLine = Order['items'][number];

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

/** Every station: the board shows every ticket, whole. */
export const ALL_STATIONS = null;
/** The station a board shows, or {@link ALL_STATIONS}. */
export type StationFilter = string | typeof ALL_STATIONS;

/** A ticket as one station sees it: its lines there, and the other stations it has lines at. */
export interface StationTicket {
  readonly lines: readonly OrderLine[];
  readonly alsoAt: readonly string[];
}

/** What `station` makes of `order`; null when none of its lines are made there. */
export function ticketAt(order: Order, station: StationFilter): StationTicket | null {
  if (station === ALL_STATIONS) return { lines: order.items, alsoAt: [] };
  const lines = order.items.filter((line) => line.station === station);
  if (lines.length === 0) return null;
  const alsoAt = [
    ...new Set(order.items.map((line) => line.station).filter((other) => other !== station)),
  ];
  return { lines, alsoAt };
}

/**
 * The stations a board offers: the venue's, then any other that open tickets' lines name (an
 * item left at a station STATIONS no longer lists), so no ticket hides behind a filter nobody
 * can choose.
 */
export function stationsOnBoard(configured: readonly string[], orders: QueueOrders): string[] {
  const found = new Set<string>();
  for (const order of orders.values()) {
    for (const line of order.items) if (!configured.includes(line.station)) found.add(line.station);
  }
  return [...configured, ...[...found].sort()];
}

/**
 * The queue's columns, each oldest first (first come, first served); with a station, only the
 * tickets that have lines there.
 */
export function groupQueue(
  orders: QueueOrders,
  station: StationFilter = ALL_STATIONS,
): Record<QueueStatus, Order[]> {
  const columns: Record<QueueStatus, Order[]> = {
    pending: [],
    accepted: [],
    preparing: [],
    ready: [],
  };
  for (const order of orders.values()) {
    if (!isQueueStatus(order.status)) continue;
    if (station !== ALL_STATIONS && !order.items.some((line) => line.station === station)) continue;
    columns[order.status].push(order);
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

/** Statuses whose lines are still to be made: what the all-day count adds up. */
const TO_MAKE: readonly OrderStatus[] = ['pending', 'accepted', 'preparing'];

export interface AllDayCount {
  /** The item and its choices: a half and a pint of one beer are counted apart. */
  readonly key: string;
  readonly menuItemId: string;
  readonly name: string;
  /** The choices, `Size: Half · Extras: Bacon`; empty for none. */
  readonly options: string;
  readonly quantity: number;
}

/**
 * The all-day count: how many of each item the open tickets still need made (new, accepted and
 * preparing; ready ones are made), at `station` or everywhere; most first, then by name.
 */
export function allDayCounts(orders: QueueOrders, station: StationFilter): AllDayCount[] {
  const counts = new Map<string, AllDayCount>();
  for (const order of orders.values()) {
    if (!TO_MAKE.includes(order.status)) continue;
    for (const line of order.items) {
      if (station !== ALL_STATIONS && line.station !== station) continue;
      const choices = line.options.map((option) => option.id).sort();
      const key = [line.menuItemId, ...choices].join(',');
      const held = counts.get(key);
      counts.set(key, {
        key,
        menuItemId: line.menuItemId,
        name: held?.name ?? line.name,
        options: held?.options ?? optionsText(line.options),
        quantity: (held?.quantity ?? 0) + line.quantity,
      });
    }
  }
  return [...counts.values()].sort(
    (a, b) =>
      b.quantity - a.quantity || a.name.localeCompare(b.name) || a.options.localeCompare(b.options),
  );
}

/** How far back the "Recently completed" lane looks. */
export const RECENT_WINDOW_MS = 2 * 60 * 60_000;

/** Completed and cancelled orders by id, as the "Recently completed" lane holds them. */
export type RecentOrders = ReadonlyMap<string, Order>;

/**
 * Applies one order to the recently completed list: a completed or cancelled order comes in (by
 * version, like the queue), one that moved on again (a recall) leaves, and a late copy of an order
 * the board already holds newer (`open`) is ignored. Same map when unchanged.
 */
export function applyRecent(recent: RecentOrders, order: Order, open: QueueOrders): RecentOrders {
  const held = recent.get(order.id) ?? open.get(order.id);
  if (held !== undefined && held.version >= order.version) return recent;
  const closed = order.status === 'completed' || order.status === 'cancelled';
  if (!closed && held === undefined) return recent;
  const next = new Map(recent);
  if (closed) next.set(order.id, order);
  else next.delete(order.id);
  return next;
}

/** When an order closed: its last move into `completed` or `cancelled` (else its last change). */
export function closedAt(order: Order): number {
  const closing = order.history.findLast((entry) => entry.status === order.status);
  return Date.parse(closing?.at ?? order.updatedAt);
}

/**
 * The list without what no longer belongs in it: orders closed more than
 * {@link RECENT_WINDOW_MS} before `now`, and orders the board holds open again in a newer version
 * (recalled while this tablet was not listening). Same map when unchanged.
 */
export function pruneRecent(recent: RecentOrders, open: QueueOrders, now: number): RecentOrders {
  const stale = [...recent.values()].filter(
    (order) =>
      now - closedAt(order) > RECENT_WINDOW_MS ||
      (open.get(order.id)?.version ?? 0) > order.version,
  );
  if (stale.length === 0) return recent;
  const next = new Map(recent);
  for (const order of stale) next.delete(order.id);
  return next;
}

/** The lane's tickets: closed within {@link RECENT_WINDOW_MS} of `now`, latest first. */
export function recentList(recent: RecentOrders, now: number): Order[] {
  return [...recent.values()]
    .filter((order) => now - closedAt(order) <= RECENT_WINDOW_MS)
    .sort((a, b) => closedAt(b) - closedAt(a));
}

/**
 * Until when a completed order may be recalled to ready (`RECALL_WINDOW` after its completion);
 * null for any other order.
 */
export function recallDeadline(order: Order, recallWindowSeconds: number): number | null {
  if (order.status !== 'completed') return null;
  return closedAt(order) + recallWindowSeconds * 1000;
}
