import type { Order } from '@taproom/web-core/api/contracts';
import type { PendingOrder } from '@/lib/cart-store';
import { api } from '@/lib/session';

/**
 * `POST /api/orders` with the pending order's Idempotency-Key and its body exactly as it was
 * frozen (a string, so a retry sends the same bytes): a retry after a lost answer, a double tap
 * or a reload gets the same order back, never a second one.
 */
export async function placeOrder(pending: PendingOrder, signal: AbortSignal): Promise<Order> {
  const { data } = await api.post<Order>('/orders', pending.body, {
    headers: { 'Idempotency-Key': pending.key, 'Content-Type': 'application/json' },
    signal,
  });
  return data;
}
