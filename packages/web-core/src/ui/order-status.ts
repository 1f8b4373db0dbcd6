import type { OrderStatus } from '../api/contracts';

/** The happy path an order walks, in order. */
export const ORDER_STEPS: readonly OrderStatus[] = [
  'pending',
  'accepted',
  'preparing',
  'ready',
  'completed',
];

const LABELS: Record<OrderStatus, string> = {
  pending: 'Sent to the bar',
  accepted: 'Accepted',
  preparing: 'Being prepared',
  ready: 'Ready to collect',
  completed: 'Collected',
  cancelled: 'Cancelled',
};

const COLORS: Record<OrderStatus, string> = {
  pending: 'gray',
  accepted: 'blue',
  preparing: 'orange',
  ready: 'green',
  completed: 'teal',
  cancelled: 'red',
};

const SHORT_LABELS: Record<OrderStatus, string> = {
  pending: 'Sent',
  accepted: 'Accepted',
  preparing: 'Preparing',
  ready: 'Ready',
  completed: 'Collected',
  cancelled: 'Cancelled',
};

/** One word for badges and lists. */
export function orderStatusShortLabel(status: OrderStatus): string {
  return SHORT_LABELS[status];
}

export function orderStatusLabel(status: OrderStatus): string {
  return LABELS[status];
}

export function orderStatusColor(status: OrderStatus): string {
  return COLORS[status];
}
