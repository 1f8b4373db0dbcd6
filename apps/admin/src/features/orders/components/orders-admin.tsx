import { Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { ORDER_STATUSES, type Order, type OrderStatus } from '@taproom/web-core/api/contracts';
import { formatDateTime, formatMoney } from '@taproom/web-core/ui/format';
import { orderStatusShortLabel } from '@taproom/web-core/ui/order-status';
import { OrderStatusBadge } from '@taproom/web-core/ui/order-status-badge';
import { useState } from 'react';
import { type Column, PagedQueryTable } from '@/components/paged-query-table';
import { CURRENCY } from '@/config/app-config';
import { useOrderList } from '../api/orders-api';

const ORDER_COLUMNS: readonly Column<Order>[] = [
  { header: 'No.', cell: (order) => <Text fw={700}>#{order.number}</Text> },
  {
    header: 'Placed',
    cell: (order) => (
      <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(order.createdAt)}</span>
    ),
  },
  { header: 'Customer', cell: (order) => order.customer.name },
  {
    header: 'Items',
    cell: (order) => (
      <>
        <Text size="sm">
          {order.items.map((line) => `${String(line.quantity)}× ${line.name}`).join(', ')}
        </Text>
        {order.cancelReason !== null && (
          <Text size="xs" c="red">
            Cancelled: {order.cancelReason}
          </Text>
        )}
      </>
    ),
  },
  { header: 'Table', cell: (order) => order.tableNumber ?? '—' },
  { header: 'Status', cell: (order) => <OrderStatusBadge status={order.status} size="sm" /> },
  { header: 'Staff', cell: (order) => order.assignee?.name ?? '—' },
  { header: 'Total', cell: (order) => formatMoney(order.totalCents, CURRENCY) },
];

/** Every order, newest first, filtered by status and a range of days; live. */
export function OrdersAdmin() {
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);
  const orders = useOrderList({ status, from, to, page });
  return (
    <Stack>
      <Title order={1} size="h2">
        Orders
      </Title>
      <Group align="flex-end">
        <Select
          label="Status"
          placeholder="Any status"
          size="md"
          clearable
          data={ORDER_STATUSES.map((value) => ({ value, label: orderStatusShortLabel(value) }))}
          value={status === '' ? null : status}
          onChange={(value) => {
            setStatus(value ?? '');
            setPage(1);
          }}
        />
        <TextInput
          type="date"
          label="From"
          value={from}
          onChange={(e) => {
            setFrom(e.currentTarget.value);
            setPage(1);
          }}
        />
        <TextInput
          type="date"
          label="To"
          value={to}
          onChange={(e) => {
            setTo(e.currentTarget.value);
            setPage(1);
          }}
        />
      </Group>
      <PagedQueryTable
        query={orders}
        columns={ORDER_COLUMNS}
        rowKey={(order) => order.id}
        rowTestId="order-row"
        label="Orders"
        emptyTitle="No orders match"
        page={page}
        onPageChange={setPage}
      />
    </Stack>
  );
}
