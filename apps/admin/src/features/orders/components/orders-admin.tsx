import { Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { ORDER_STATUSES, type OrderStatus } from '@taproom/web-core/api/contracts';
import { formatDateTime, formatMoney } from '@taproom/web-core/ui/format';
import { orderStatusShortLabel } from '@taproom/web-core/ui/order-status';
import { OrderStatusBadge } from '@taproom/web-core/ui/order-status-badge';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { useState } from 'react';
import { Pager } from '@/components/pager';
import { CURRENCY, PAGE_SIZE } from '@/config/app-config';
import { useOrderList } from '../api/orders-api';

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
      {orders.isPending && <LoadingState label="Loading orders…" />}
      {orders.isError && (
        <ErrorState message={orders.error.message} onRetry={() => void orders.refetch()} />
      )}
      {orders.isSuccess && (
        <>
          <Table.ScrollContainer minWidth={760}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>No.</Table.Th>
                  <Table.Th>Placed</Table.Th>
                  <Table.Th>Customer</Table.Th>
                  <Table.Th>Items</Table.Th>
                  <Table.Th>Table</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Staff</Table.Th>
                  <Table.Th>Total</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {orders.data.items.map((order) => (
                  <Table.Tr key={order.id} data-testid="order-row">
                    <Table.Td fw={700}>#{order.number}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(order.createdAt)}
                    </Table.Td>
                    <Table.Td>{order.customer.name}</Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {order.items
                          .map((line) => `${String(line.quantity)}× ${line.name}`)
                          .join(', ')}
                      </Text>
                      {order.cancelReason !== null && (
                        <Text size="xs" c="red">
                          Cancelled: {order.cancelReason}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{order.tableNumber ?? '—'}</Table.Td>
                    <Table.Td>
                      <OrderStatusBadge status={order.status} size="sm" />
                    </Table.Td>
                    <Table.Td>{order.assignee?.name ?? '—'}</Table.Td>
                    <Table.Td>{formatMoney(order.totalCents, CURRENCY)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            page={page}
            total={orders.data.total}
            pageSize={PAGE_SIZE}
            onChange={setPage}
            label="Orders"
          />
        </>
      )}
    </Stack>
  );
}
