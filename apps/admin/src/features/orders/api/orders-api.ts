import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Order, OrderStatus, Page } from '@taproom/web-core/api/contracts';
import { PAGE_SIZE } from '@/config/app-config';
import { endOfDay, startOfDay } from '@/lib/dates';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

export interface OrderFilter {
  status: OrderStatus | '';
  /** YYYY-MM-DD, local days, both included. */
  from: string;
  to: string;
  page: number;
}

export function useOrderList(filter: OrderFilter) {
  return useQuery({
    queryKey: [...queryKeys.orders, 'list', filter],
    queryFn: async () => {
      const from = startOfDay(filter.from);
      const to = endOfDay(filter.to);
      return (
        await api.get<Page<Order>>('/orders', {
          params: {
            ...(filter.status !== '' ? { status: filter.status } : {}),
            ...(from !== undefined ? { from } : {}),
            ...(to !== undefined ? { to } : {}),
            page: filter.page,
            limit: PAGE_SIZE,
          },
        })
      ).data;
    },
    placeholderData: keepPreviousData,
  });
}
