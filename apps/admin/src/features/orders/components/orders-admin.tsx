import { Anchor, Button, Group, MultiSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { ORDER_STATUSES, type Order, type OrderStatus } from '@taproom/web-core/api/contracts';
import { formatDateTime, formatMoney } from '@taproom/web-core/ui/format';
import { orderStatusShortLabel } from '@taproom/web-core/ui/order-status';
import { OrderStatusBadge } from '@taproom/web-core/ui/order-status-badge';
import { PaymentStatusBadge } from '@taproom/web-core/ui/payment-status-badge';
import { Link } from 'react-router';
import { type Column, PagedQueryTable } from '@/components/paged-query-table';
import { UserPicker } from '@/components/user-picker';
import { CURRENCY } from '@/config/app-config';
import { nameWithOptions } from '@taproom/web-core/ui/options';
import { isUserId } from '@/lib/people';
import { useUrlFilters } from '@/lib/url-filters';
import { type OrderFilter, useOrderList } from '../api/orders-api';
import { OrdersCsvLink } from './orders-csv-link';

const STATUS_OPTIONS = ORDER_STATUSES.map((value) => ({
  value,
  label: orderStatusShortLabel(value),
}));

function isStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

const ORDER_COLUMNS: readonly Column<Order>[] = [
  {
    header: 'No.',
    cell: (order) => (
      <Anchor
        component={Link}
        to={`/orders/${order.id}`}
        fw={700}
        aria-label={`Order ${String(order.number)}`}
      >
        #{order.number}
      </Anchor>
    ),
  },
  {
    header: 'Placed',
    cell: (order) => (
      <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(order.createdAt)}</span>
    ),
  },
  {
    header: 'Customer',
    cell: (order) => (
      <Anchor
        component={Link}
        to={`/users/${order.customer.id}`}
        size="sm"
        style={{ overflowWrap: 'anywhere' }}
      >
        {order.customer.name}
      </Anchor>
    ),
  },
  {
    header: 'Items',
    cell: (order) => (
      <>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {order.items
            .map((line) => `${String(line.quantity)}× ${nameWithOptions(line)}`)
            .join(', ')}
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
  {
    header: 'Payment',
    cell: (order) => (
      <>
        <PaymentStatusBadge status={order.paymentStatus} size="sm" />
        {order.paymentStatus === 'partially_paid' && (
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {formatMoney(order.balanceCents, CURRENCY)} left
          </Text>
        )}
      </>
    ),
  },
  { header: 'Staff', cell: (order) => order.assignee?.name ?? '—' },
  {
    header: 'Total',
    cell: (order) => (
      <span style={{ whiteSpace: 'nowrap' }}>{formatMoney(order.totalCents, CURRENCY)}</span>
    ),
  },
];

/**
 * Every order, newest first, filtered by status, days, table and customer (kept in the address,
 * so a person's orders can be linked to); live; each opens its detail; the same filters export
 * as CSV.
 */
export function OrdersAdmin() {
  const { params, set, clear } = useUrlFilters();
  const filter: OrderFilter = {
    statuses: (params.get('status') ?? '').split(',').filter(isStatus),
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    table: params.get('table') ?? '',
    customerId: isUserId(params.get('customerId') ?? '') ? (params.get('customerId') ?? '') : '',
  };
  const page = Number(params.get('page') ?? '1') || 1;
  const tableInvalid = filter.table !== '' && !/^[1-9]\d{0,2}$/.test(filter.table.trim());
  // A table that is not a number is marked at the field, and nothing is asked meanwhile.
  const orders = useOrderList(filter, page, !tableInvalid);

  const filtered =
    filter.statuses.length > 0 ||
    filter.from !== '' ||
    filter.to !== '' ||
    filter.table !== '' ||
    filter.customerId !== '';

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Orders
        </Title>
        <OrdersCsvLink filter={filter} />
      </Group>
      <Group align="flex-end">
        <MultiSelect
          label="Status"
          placeholder={filter.statuses.length === 0 ? 'Any status' : undefined}
          size="md"
          w={260}
          clearable
          data={STATUS_OPTIONS}
          value={[...filter.statuses]}
          onChange={(value) => {
            set('status', value.join(','));
          }}
        />
        <TextInput
          type="date"
          label="From"
          size="md"
          value={filter.from}
          max={filter.to || undefined}
          onChange={(e) => {
            set('from', e.currentTarget.value);
          }}
        />
        <TextInput
          type="date"
          label="To"
          size="md"
          value={filter.to}
          min={filter.from || undefined}
          onChange={(e) => {
            set('to', e.currentTarget.value);
          }}
        />
        <TextInput
          label="Table"
          size="md"
          w={90}
          inputMode="numeric"
          value={filter.table}
          error={tableInvalid ? '1 to 999' : undefined}
          onChange={(e) => {
            set('table', e.currentTarget.value);
          }}
        />
        <UserPicker
          label="Customer"
          role="customer"
          value={filter.customerId}
          w={240}
          onChange={(user) => {
            set('customerId', user?.id ?? '');
          }}
        />
        {filtered && (
          <Button
            variant="subtle"
            onClick={() => {
              clear();
            }}
          >
            Clear filters
          </Button>
        )}
      </Group>
      <PagedQueryTable
        query={orders}
        columns={ORDER_COLUMNS}
        rowKey={(order) => order.id}
        rowTestId="order-row"
        label="Orders"
        emptyTitle="No orders match"
        emptyHint={
          filtered
            ? 'Widen the dates or clear a filter.'
            : 'Orders appear here as customers place them.'
        }
        minWidth={900}
        page={page}
        onPageChange={(next) => {
          set('page', String(next));
        }}
      />
    </Stack>
  );
}
