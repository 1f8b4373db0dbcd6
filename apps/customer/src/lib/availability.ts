import type { MenuItem } from '@taproom/web-core/api/contracts';

export type Availability = 'available' | 'sold_out' | 'unavailable';

/** Whether a menu item can be ordered now: taken off by the bar, sold out, or available. */
export function availabilityOf(item: Pick<MenuItem, 'available' | 'stock'>): Availability {
  if (!item.available) return 'unavailable';
  if (item.stock === 0) return 'sold_out';
  return 'available';
}
