import type { AppConfig } from '../config/app-config.js';
import type { OrderView } from '../orders/order-view.js';

/** What the service worker shows, and where a tap on it leads (JSON of the push message). */
export interface PushMessage {
  readonly title: string;
  readonly body: string;
  /** The order's page in the customer app. */
  readonly url: string;
  readonly orderId: string;
  readonly status: 'ready' | 'cancelled';
  readonly number: number;
}

/** A message, and the key that makes it go out once however many instances hear the event. */
export interface PushWork {
  readonly key: string;
  readonly message: PushMessage;
}

/**
 * The message an `order.updated` event calls for: the order has just become ready, or staff have
 * just cancelled it (a customer who cancels knows). Any other change (and a repeat of the same
 * event) calls for none: the newest history entry must be the move into the current status.
 */
export function pushWorkFor(
  order: OrderView,
  serviceMode: AppConfig['serviceMode'],
): PushWork | undefined {
  const last = order.history.at(-1);
  if (last?.status !== order.status) return undefined;
  const key = `order:${order.id}:${String(order.history.length)}`;
  const common = { url: `/orders/${order.id}`, orderId: order.id, number: order.number };
  const number = `#${String(order.number)}`;
  if (order.status === 'ready') {
    return {
      key,
      message: {
        ...common,
        status: 'ready',
        title: `Your order ${number} is ready`,
        // As the order's page says it: table service needs a table.
        body:
          serviceMode === 'table' && order.tableNumber !== null
            ? `We'll bring it to table ${String(order.tableNumber)}.`
            : `Collect it at the bar with number ${String(order.number)}.`,
      },
    };
  }
  if (order.status === 'cancelled' && last.by.id !== order.customer.id) {
    return {
      key,
      message: {
        ...common,
        status: 'cancelled',
        title: `Your order ${number} was cancelled`,
        body:
          order.cancelReason === null
            ? `Your order ${number} was cancelled. Ask at the bar.`
            : `Your order ${number} was cancelled: ${order.cancelReason}`,
      },
    };
  }
  return undefined;
}
