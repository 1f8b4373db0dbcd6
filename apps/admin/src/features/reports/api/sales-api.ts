import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';
import type { SalesReport } from '@taproom/web-core/api/contracts';

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
