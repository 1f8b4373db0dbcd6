import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Order, OrderPage, OrderStatus, RefundRequest } from '@taproom/web-core/api/contracts';
import { PAGE_SIZE } from '@/config/app-config';
import { endOfDay, startOfDay } from '@/lib/dates';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

export interface OrderFilter {
  /** Any of these; none means every status. */
  statuses: readonly OrderStatus[];
  /** YYYY-MM-DD, local days, both included. */
  from: string;
  to: string;
  /** A table number as typed ('' for any table). */
  table: string;
  /** Only this customer's orders ('' for everyone's). */
  customerId: string;
}

/** The list's (and the CSV's) query parameters for a filter. */
export function orderParams(filter: OrderFilter): Record<string, string> {
  const from = startOfDay(filter.from);
  const to = endOfDay(filter.to);
  const table = filter.table.trim();
  return {
    ...(filter.statuses.length > 0 ? { status: filter.statuses.join(',') } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(table !== '' ? { tableNumber: table } : {}),
    ...(filter.customerId !== '' ? { customerId: filter.customerId } : {}),
  };
}

export function useOrderList(filter: OrderFilter, page: number, enabled = true) {
  return useQuery({
    queryKey: [...queryKeys.orders, 'list', filter, page],
    queryFn: async () =>
      (
        await api.get<OrderPage>('/orders', {
          params: { ...orderParams(filter), page, limit: PAGE_SIZE },
        })
      ).data,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useOrder(id: string) {
  return useQuery({
    queryKey: [...queryKeys.orders, 'one', id],
    queryFn: async () => (await api.get<Order>(`/orders/${encodeURIComponent(id)}`)).data,
  });
}

/** Staff cancel, with the reason the customer is shown. */
export function useCancelOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      (await api.post<Order>(`/orders/${encodeURIComponent(id)}/cancel`, { reason })).data,
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.orders }),
  });
}

/** An admin refund: `amountCents` (at most what is paid) with the reason the books keep. */
export function useRefundOrder() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: RefundRequest }) =>
      (await api.post<Order>(`/orders/${encodeURIComponent(id)}/refunds`, body)).data,
    onSuccess: (order) => {
      client.setQueryData([...queryKeys.orders, 'one', order.id], order);
    },
    onSettled: () => void client.invalidateQueries({ queryKey: queryKeys.orders }),
  });
}
