import { Button, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { formatDateTime, formatMoney } from '@taproom/web-core/ui/format';
import { OrderStatusBadge } from '@taproom/web-core/ui/order-status-badge';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useState } from 'react';
import { CURRENCY } from '@/config/app-config';
import { useOrders } from '../api/orders-api';

const PAGE_SIZE = 20;

/** Order history, newest first, a page at a time. */
export function OrderList({ onOpen }: { onOpen: (id: string) => void }) {
  const [page, setPage] = useState(1);
  const orders = useOrders({ page, limit: PAGE_SIZE });
  if (orders.isPending) return <LoadingState label="Loading your orders…" />;
  if (orders.isError) {
    return <ErrorState message={orders.error.message} onRetry={() => void orders.refetch()} />;
  }
  const { items, total } = orders.data;
  if (total === 0) {
    return <EmptyState title="No orders yet">Your orders will show up here.</EmptyState>;
  }
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <Stack>
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {items.map((order) => (
          <li key={order.id}>
            <UnstyledButton
              w="100%"
              onClick={() => {
                onOpen(order.id);
              }}
              aria-label={`Order ${order.number}, ${order.status}, ${formatMoney(order.totalCents, CURRENCY)}`}
            >
              <Paper withBorder p="sm" data-testid="order-row">
                <Group justify="space-between" wrap="nowrap">
                  <Stack gap={0}>
                    <Text fw={700} size="lg">
                      #{order.number}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {formatDateTime(order.createdAt)} ·{' '}
                      {order.items.reduce((n, line) => n + line.quantity, 0)} items ·{' '}
                      {formatMoney(order.totalCents, CURRENCY)}
                    </Text>
                  </Stack>
                  <OrderStatusBadge status={order.status} />
                </Group>
              </Paper>
            </UnstyledButton>
          </li>
        ))}
      </Stack>
      {pages > 1 && (
        <Group justify="space-between">
          <Button
            variant="default"
            disabled={page <= 1}
            onClick={() => {
              setPage(page - 1);
            }}
          >
            Newer
          </Button>
          <Text size="sm">
            Page {page} of {pages}
          </Text>
          <Button
            variant="default"
            disabled={page >= pages}
            onClick={() => {
              setPage(page + 1);
            }}
          >
            Older
          </Button>
        </Group>
      )}
    </Stack>
  );
}
