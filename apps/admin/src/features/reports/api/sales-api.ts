import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';
import type { SalesReport, ServiceReport } from '@taproom/web-core/api/contracts';

/** Completed orders' revenue per business day, `from` and `to` included (YYYY-MM-DD). */
export function useSalesReport(from: string, to: string, enabled = true) {
  return useQuery({
    queryKey: [...queryKeys.sales, from, to],
    queryFn: async () =>
      (await api.get<SalesReport>('/admin/reports/sales', { params: { from, to } })).data,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** How the bar served the orders of those days: demand per hour, time to accept and to ready. */
export function useServiceReport(from: string, to: string, enabled = true) {
  return useQuery({
    queryKey: [...queryKeys.sales, 'service', from, to],
    queryFn: async () =>
      (await api.get<ServiceReport>('/admin/reports/service', { params: { from, to } })).data,
    placeholderData: keepPreviousData,
    enabled,
  });
}
