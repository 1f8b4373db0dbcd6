import type { CreateOrderRequest, Order } from '@taproom/web-core/api/contracts';
import { api } from '@/lib/session';

/**
 * `POST /api/orders` with the checkout attempt's Idempotency-Key: a retry or a double tap sends
 * the same key and gets the same order back, never a second one.
 */
export async function placeOrder(body: CreateOrderRequest, idempotencyKey: string): Promise<Order> {
  const { data } = await api.post<Order>('/orders', body, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return data;
}
