import { useQuery } from '@tanstack/react-query';
import type {
  Order,
  PaymentRequest,
  Tab,
  TabPaymentRequest,
} from '@taproom/web-core/api/contracts';
import { api } from '@/lib/session';

/** Whose tab: a table's, or one customer's (with the name to show). */
export type TabOwner =
  { kind: 'table'; tableNumber: number } | { kind: 'customer'; customerId: string; name: string };

export function tabQueryKey(owner: TabOwner | null): readonly unknown[] {
  if (owner === null) return ['tab', 'none'];
  return owner.kind === 'table'
    ? ['tab', 'table', owner.tableNumber]
    : ['tab', 'customer', owner.customerId];
}

function ownerParams(owner: TabOwner): { tableNumber: number } | { customerId: string } {
  return owner.kind === 'table'
    ? { tableNumber: owner.tableNumber }
    : { customerId: owner.customerId };
}

/** `POST /api/orders/:id/payments`: one payment on one order. */
export async function recordPayment(
  orderId: string,
  body: PaymentRequest,
  idempotencyKey: string,
): Promise<Order> {
  const { data } = await api.post<Order>(`/orders/${encodeURIComponent(orderId)}/payments`, body, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return data;
}

/** `POST /api/tabs/payments`: pays the tab's (or the chosen) orders, oldest first. */
export async function payTab(
  owner: TabOwner,
  body: Omit<TabPaymentRequest, 'tableNumber' | 'customerId'>,
  idempotencyKey: string,
): Promise<Tab> {
  const { data } = await api.post<Tab>(
    '/tabs/payments',
    { ...ownerParams(owner), ...body },
    { headers: { 'Idempotency-Key': idempotencyKey } },
  );
  return data;
}

/** The tab's unpaid orders of today, oldest first, while `owner` is set. */
export function useTab(owner: TabOwner | null) {
  return useQuery({
    queryKey: tabQueryKey(owner),
    queryFn: async () => {
      if (owner === null) throw new Error('no tab');
      return (await api.get<Tab>('/tabs', { params: ownerParams(owner) })).data;
    },
    enabled: owner !== null,
  });
}
