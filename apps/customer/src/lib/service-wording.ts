import { useQuery } from '@tanstack/react-query';
import type { OrderStatus, Venue } from '@taproom/web-core/api/contracts';
import { venueQuery } from '@taproom/web-core/app/venue-query';
import { orderStatusLabel } from '@taproom/web-core/ui/order-status';
import { api } from './session';

export type ServiceMode = Venue['serviceMode'];

/** What the guest needs to know to get an order: where it goes, and the number they call out. */
export interface Handover {
  serviceMode: ServiceMode;
  tableNumber: number | null;
  number: number;
}

/**
 * The table the order is brought to, or null when it is collected: table service needs a table,
 * and an order without one is collected whatever the venue does.
 */
function servedAt({ serviceMode, tableNumber }: Handover): number | null {
  return serviceMode === 'table' ? tableNumber : null;
}

/** The line under the order's status, in the venue's way of serving. */
export function statusHint(status: OrderStatus, handover: Handover): string {
  const table = servedAt(handover);
  switch (status) {
    case 'pending':
      return 'The bar has your order and will accept it shortly.';
    case 'accepted':
      return 'A bartender has taken your order.';
    case 'preparing':
      return table === null
        ? 'Your order is being made.'
        : `Your order is being made. We'll bring it to table ${String(table)}.`;
    case 'ready':
      return table === null
        ? `Your order is ready. Collect it at the bar with number ${String(handover.number)}.`
        : `Your order is ready. We'll bring it to table ${String(table)}.`;
    case 'completed':
      return 'Enjoy!';
    case 'cancelled':
      return 'This order was cancelled.';
  }
}

/** A step of the order's progress: at table service it is served, not collected. */
export function stepLabel(status: OrderStatus, handover: Handover): string {
  if (servedAt(handover) === null) return orderStatusLabel(status);
  if (status === 'ready') return 'Ready';
  if (status === 'completed') return 'Served';
  return orderStatusLabel(status);
}

/** The hint under the cart's table field. */
export function tableFieldHint(serviceMode: ServiceMode): string {
  return serviceMode === 'table'
    ? "We'll bring your order to this table. Leave empty to collect it at the bar."
    : 'Leave empty if you are not at a table. You collect your order at the bar.';
}

/** The venue's service mode; `counter` (the server's default) until the venue answers. */
export function useServiceMode(): ServiceMode {
  return useQuery(venueQuery(api)).data?.serviceMode ?? 'counter';
}
