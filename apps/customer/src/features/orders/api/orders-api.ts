import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Order, OrderListQuery, OrderPage } from '@taproom/web-core/api/contracts';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

/** The signed-in customer's orders, newest first (the server only returns their own). */
export function useOrders(query: OrderListQuery) {
  return useQuery({
    queryKey: queryKeys.orderList(query),
    queryFn: async () => (await api.get<OrderPage>('/orders', { params: query })).data,
  });
}

/** One order. Live `order.updated` events write straight into this query's cache. */
export function useOrder(id: string) {
  return useQuery({
    queryKey: queryKeys.order(id),
    queryFn: async () => (await api.get<Order>(`/orders/${encodeURIComponent(id)}`)).data,
  });
}

/** Cancels an order that is still pending. */
export function useCancelOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      (await api.post<Order>(`/orders/${encodeURIComponent(id)}/cancel`, {})).data,
    onSuccess: (order) => {
      client.setQueryData(queryKeys.order(order.id), order);
      void client.invalidateQueries({ queryKey: [...queryKeys.orders, 'list'] });
    },
  });
}
