import { Button, Group, Paper, Stack, Text, UnstyledButton } from '@mantine/core';
import { formatDateTime, formatMoney } from '@taproom/web-core/ui/format';
import { OrderStatusBadge } from '@taproom/web-core/ui/order-status-badge';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import type { Order } from '@taproom/web-core/api/contracts';
import { useState } from 'react';
import { CURRENCY } from '@/config/app-config';
import { useOrders } from '../api/orders-api';
import { itemsSummary } from '../order-summary';

const PAGE_SIZE = 20;

/** Order history, newest first, a page at a time; each row names what was ordered. */
export function OrderList({
  onOpen,
  onReorder,
  reorderDisabled,
}: {
  onOpen: (id: string) => void;
  /** "Order again". */
  onReorder: (order: Order) => void;
  reorderDisabled: boolean;
}) {
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
        {items.map((order) => {
          const summary = itemsSummary(order.items);
          return (
            <Paper component="li" key={order.id} withBorder p="sm" data-testid="order-row">
              <UnstyledButton
                w="100%"
                onClick={() => {
                  onOpen(order.id);
                }}
              >
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text fw={700} size="lg">
                      #{order.number}
                    </Text>
                    <Text size="sm" lineClamp={2} data-testid="order-row-items">
                      {summary}
                    </Text>
                    <Text size="sm" c="dimmed">
                      {formatDateTime(order.createdAt)} · {formatMoney(order.totalCents, CURRENCY)}
                    </Text>
                  </Stack>
                  <OrderStatusBadge status={order.status} />
                </Group>
              </UnstyledButton>
              <Group justify="flex-end" mt={4}>
                <Button
                  variant="light"
                  size="compact-sm"
                  disabled={reorderDisabled}
                  aria-label={`Order again: ${summary}`}
                  onClick={() => {
                    onReorder(order);
                  }}
                >
                  Order again
                </Button>
              </Group>
            </Paper>
          );
        })}
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
