import {
  Anchor,
  Button,
  Card,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { Order } from '@taproom/web-core/api/contracts';
import { CancelDialog } from '@taproom/web-core/ui/cancel-order-dialog';
import { formatDateTime, formatMoney } from '@taproom/web-core/ui/format';
import { orderStatusShortLabel } from '@taproom/web-core/ui/order-status';
import { OrderStatusBadge } from '@taproom/web-core/ui/order-status-badge';
import { EmptyState, ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { PrintReceiptButton } from '@taproom/web-core/ui/receipt';
import { useState } from 'react';
import { Link } from 'react-router';
import { IdWithCopy } from '@/components/id-with-copy';
import { CURRENCY } from '@/config/app-config';
import { LineOptions } from '@taproom/web-core/ui/line-options';
import { formatVatRate } from '@taproom/web-core/ui/options';
import { api } from '@/lib/session';
import { toastDone } from '@/lib/toasts';
import { useCancelOrder, useOrder } from '../api/orders-api';
import { OrderPayments } from './order-payments';

/** One order: its lines, who moved it when, its customer; staff may cancel it with a reason. */
export function OrderDetail({ id }: { id: string }) {
  const order = useOrder(id);
  if (order.isPending) return <LoadingState label="Loading the order…" />;
  if (order.isError) {
    return asApiError(order.error)?.code === 'NOT_FOUND' ? (
      <EmptyState title="No such order">
        <Anchor component={Link} to="/orders">
          Back to all orders
        </Anchor>
      </EmptyState>
    ) : (
      <ErrorState message={order.error.message} onRetry={() => void order.refetch()} />
    );
  }
  return <OrderView order={order.data} />;
}

function OrderView({ order }: { order: Order }) {
  const [cancelling, setCancelling] = useState<Order | null>(null);
  const cancel = useCancelOrder();
  const open = order.status !== 'completed' && order.status !== 'cancelled';
  return (
    <Stack>
      <Anchor component={Link} to="/orders" size="sm">
        ← All orders
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <div style={{ minWidth: 0, flex: 1 }}>
          <Group gap="sm">
            <Title order={1} size="h2">
              Order #{order.number}
            </Title>
            <OrderStatusBadge status={order.status} />
          </Group>
          <Text c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            Placed {formatDateTime(order.createdAt)} by{' '}
            <Anchor component={Link} to={`/users/${order.customer.id}`} underline="always">
              {order.customer.name}
            </Anchor>
            {order.tableNumber !== null && <> · table {order.tableNumber}</>}
          </Text>
        </div>
        <Group gap="xs">
          <PrintReceiptButton api={api} order={order} />
          {open && (
            <Button
              color="red"
              variant="light"
              onClick={() => {
                setCancelling(order);
              }}
            >
              Cancel order
            </Button>
          )}
        </Group>
      </Group>
      {order.cancelReason !== null && (
        <Text c="red" style={{ overflowWrap: 'anywhere' }}>
          Cancelled: {order.cancelReason}
        </Text>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h4">
              Items
            </Title>
            <Table aria-label="Items">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Qty</Table.Th>
                  <Table.Th>Item</Table.Th>
                  <Table.Th>Station</Table.Th>
                  <Table.Th ta="right">VAT</Table.Th>
                  <Table.Th ta="right">Price</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {order.items.map((line, index) => (
                  <Table.Tr key={`${line.menuItemId}-${String(index)}`}>
                    <Table.Td>{line.quantity}×</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {line.name}
                      </Text>
                      <LineOptions options={line.options} />
                      {line.note !== null && (
                        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                          “{line.note}”
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{line.station}</Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatVatRate(line.vatRateBasisPoints)}
                    </Table.Td>
                    <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(line.unitPriceCents * line.quantity, CURRENCY)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th colSpan={4}>Total</Table.Th>
                  <Table.Th ta="right">{formatMoney(order.totalCents, CURRENCY)}</Table.Th>
                </Table.Tr>
                {order.vat.map((vat) => (
                  <Table.Tr key={vat.rateBasisPoints} data-testid="vat-line">
                    <Table.Td colSpan={4} c="dimmed">
                      incl. VAT {formatVatRate(vat.rateBasisPoints)} (net{' '}
                      {formatMoney(vat.netCents, CURRENCY)})
                    </Table.Td>
                    <Table.Td ta="right" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {formatMoney(vat.vatCents, CURRENCY)}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tfoot>
            </Table>
            {order.note !== null && (
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                <b>Note:</b> {order.note}
              </Text>
            )}
            <IdWithCopy label="Id" value={order.id} />
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h4">
              History
            </Title>
            <Timeline active={order.history.length - 1} bulletSize={14} lineWidth={2}>
              {order.history.map((entry, index) => (
                <Timeline.Item
                  key={`${entry.status}-${String(index)}`}
                  title={orderStatusShortLabel(entry.status)}
                >
                  <Text size="sm" c="dimmed">
                    {formatDateTime(entry.at)} ·{' '}
                    <Anchor
                      component={Link}
                      to={`/users/${entry.by.id}`}
                      size="sm"
                      underline="always"
                    >
                      {entry.by.name}
                      {entry.by.role === 'customer' ? '' : ` (${entry.by.role})`}
                    </Anchor>
                  </Text>
                </Timeline.Item>
              ))}
            </Timeline>
          </Stack>
        </Card>
      </SimpleGrid>
      <OrderPayments order={order} />
      <CancelDialog
        order={cancelling}
        onClose={() => {
          setCancelling(null);
        }}
        onCancel={async (target, reason) => {
          await cancel.mutateAsync({ id: target.id, reason });
          toastDone(
            `Order #${String(target.number)} is cancelled; ${target.customer.name} sees why.`,
          );
        }}
      />
    </Stack>
  );
}
