import type { OrderListQuery } from '@taproom/web-core/api/contracts';

/** One place for react-query keys, so live events and features agree on them. */
export const queryKeys = {
  menu: ['menu'] as const,
  orders: ['orders'] as const,
  orderList: (query: OrderListQuery) => ['orders', 'list', query] as const,
  order: (id: string) => ['orders', 'one', id] as const,
  sessions: ['sessions'] as const,
};
