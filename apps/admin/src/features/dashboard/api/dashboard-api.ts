import { useQuery } from '@tanstack/react-query';
import type { Order, OrderPage, SalesReport } from '@taproom/web-core/api/contracts';
import type { ListTotal } from '@taproom/web-core/ui/format';
import { isoDate, startOfDay } from '@/lib/dates';
import { queryKeys } from '@/lib/query-keys';
import { api } from '@/lib/session';

export interface DashboardFigures {
  ordersToday: ListTotal;
  revenueTodayCents: number;
  openQueue: ListTotal;
  latest: Order[];
  /** Today's sales report: what was paid, tips, refunds, unpaid, per way of paying. */
  sales: SalesReport;
}

/** Today's figures; every order event refetches them (see lib/live-events). */
export function useDashboard() {
  return useQuery({
    queryKey: [...queryKeys.dashboard],
    queryFn: async (): Promise<DashboardFigures> => {
      const today = isoDate(new Date());
      const [todays, open, sales] = await Promise.all([
        api.get<OrderPage>('/orders', { params: { from: startOfDay(today), limit: 5 } }),
        api.get<OrderPage>('/orders', {
          params: { status: 'pending,accepted,preparing,ready', limit: 1 },
        }),
        api.get<SalesReport>('/admin/reports/sales', {
          params: { from: today, to: today },
        }),
      ]);
      return {
        ordersToday: { total: todays.data.total, totalIsEstimate: todays.data.totalIsEstimate },
        revenueTodayCents: sales.data.totalRevenueCents,
        openQueue: { total: open.data.total, totalIsEstimate: open.data.totalIsEstimate },
        latest: todays.data.items,
        sales: sales.data,
      };
    },
  });
}
