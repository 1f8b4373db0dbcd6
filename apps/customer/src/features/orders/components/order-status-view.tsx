import { Alert, Button, Group, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { confirmAction } from '@taproom/web-core/ui/confirm';
import type { Order, OrderStatus } from '@taproom/web-core/api/contracts';
import { formatMoney, formatTime } from '@taproom/web-core/ui/format';
import { LineOptions } from '@taproom/web-core/ui/line-options';
import { ORDER_STEPS } from '@taproom/web-core/ui/order-status';
import { OrderStatusBadge } from '@taproom/web-core/ui/order-status-badge';
import { ErrorState, LoadingState } from '@taproom/web-core/ui/page-states';
import { PrintReceiptButton } from '@taproom/web-core/ui/receipt';
import { VatBreakdown } from '@taproom/web-core/ui/vat-breakdown';
import { CURRENCY } from '@/config/app-config';
import { api } from '@/lib/session';
import { type ServiceMode, statusHint, stepLabel, useServiceMode } from '@/lib/service-wording';
import { useCancelOrder, useOrder } from '../api/orders-api';
import { useReadyAttention } from '../hooks/use-ready-attention';
import { PaymentSummary } from './payment-summary';
import { ReadyAlerts } from './ready-alerts';

/** Until it is ready, an order's page offers an alert for when it is. */
const OPEN: readonly OrderStatus[] = ['pending', 'accepted', 'preparing'];

function StatusSteps({ order, serviceMode }: { order: Order; serviceMode: ServiceMode }) {
  const handover = { serviceMode, tableNumber: order.tableNumber, number: order.number };
  const reached = (status: OrderStatus): string | undefined =>
    order.history.findLast((entry) => entry.status === status)?.at;
  const current = ORDER_STEPS.indexOf(order.status);
  return (
    <Stack component="ol" gap="xs" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Progress">
      {ORDER_STEPS.map((step, index) => {
        const done = current >= index;
        const at = reached(step);
        return (
          <li key={step} aria-current={order.status === step ? 'step' : undefined}>
            <Group gap="xs">
              <Text aria-hidden fw={700} c={done ? 'green.8' : 'gray.5'}>
                {done ? '●' : '○'}
              </Text>
              <Text fw={order.status === step ? 700 : 400} c={done ? undefined : 'dimmed'}>
                {stepLabel(step, handover)}
                {done && at !== undefined && (
                  <Text component="span" c="dimmed" size="sm">
                    {' '}
                    · {formatTime(at)}
                  </Text>
                )}
                <VisuallyHidden>{done ? ' (done)' : ' (not yet)'}</VisuallyHidden>
              </Text>
            </Group>
          </li>
        );
      })}
    </Stack>
  );
}

/** One order: its number big enough to read across the bar, and its status as it moves. */
export function OrderStatusView({
  orderId,
  onReorder,
  reorderDisabled,
}: {
  orderId: string;
  /** "Order again". */
  onReorder: (order: Order) => void;
  reorderDisabled: boolean;
}) {
  const order = useOrder(orderId);
  const cancel = useCancelOrder();
  const serviceMode = useServiceMode();
  useReadyAttention(order.data);
  if (order.isPending) return <LoadingState label="Loading your order…" />;
  if (order.isError) {
    return <ErrorState message={order.error.message} onRetry={() => void order.refetch()} />;
  }
  const o = order.data;
  return (
    <Stack>
      <Paper withBorder p="lg" ta="center" bg={o.status === 'ready' ? 'green.0' : undefined}>
        <Text size="sm" tt="uppercase" fw={600} c="dimmed">
          Order number
        </Text>
        <Title order={1} fz={88} lh={1} my="xs" data-testid="order-number">
          {o.number}
        </Title>
        <Stack gap={6} align="center" role="status" aria-live="polite" aria-atomic>
          <OrderStatusBadge status={o.status} size="xl" />
          <Text data-testid="order-status" data-status={o.status}>
            {statusHint(o.status, { serviceMode, tableNumber: o.tableNumber, number: o.number })}
          </Text>
          {o.status === 'cancelled' && o.cancelReason !== null && (
            <Text size="sm" c="dimmed">
              Reason: {o.cancelReason}
            </Text>
          )}
        </Stack>
      </Paper>
      {OPEN.includes(o.status) && <ReadyAlerts />}
      {o.status !== 'cancelled' && <StatusSteps order={o} serviceMode={serviceMode} />}
      <Paper withBorder p="md">
        <Title order={2} size="h4" mb="xs">
          What you ordered
        </Title>
        <Stack gap={4}>
          {o.items.map((line, index) => (
            <Group
              key={`${line.menuItemId}-${String(index)}`}
              justify="space-between"
              wrap="nowrap"
              align="flex-start"
            >
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text style={{ overflowWrap: 'anywhere' }}>
                  {line.quantity} × {line.name}
                </Text>
                <LineOptions options={line.options} />
                {line.note !== null && line.note !== '' && (
                  <Text size="sm" c="dimmed" data-testid="order-line-note">
                    “{line.note}”
                  </Text>
                )}
              </Stack>
              <Text style={{ flexShrink: 0 }}>
                {formatMoney(line.unitPriceCents * line.quantity, CURRENCY)}
              </Text>
            </Group>
          ))}
          <Group justify="space-between" mt="xs">
            <Text fw={700}>Total</Text>
            <Text fw={700}>{formatMoney(o.totalCents, CURRENCY)}</Text>
          </Group>
          <VatBreakdown vat={o.vat} currency={CURRENCY} />
          {o.tableNumber !== null && <Text size="sm">Table {o.tableNumber}</Text>}
          {o.note !== null && o.note !== '' && <Text size="sm">Note: {o.note}</Text>}
        </Stack>
      </Paper>
      <PaymentSummary order={o} />
      {cancel.isError && (
        <Alert color="red" role="alert">
          {cancel.error.message}
        </Alert>
      )}
      {o.status === 'pending' && (
        <Button
          color="red"
          variant="light"
          loading={cancel.isPending}
          onClick={() => {
            void confirmAction({
              title: `Cancel order ${String(o.number)}?`,
              message: 'The bar will not make it, and anything it took from stock goes back.',
              confirmLabel: 'Cancel order',
              cancelLabel: 'Keep my order',
            }).then((yes) => {
              if (yes) cancel.mutate(o.id);
            });
          }}
        >
          Cancel order
        </Button>
      )}
      <PrintReceiptButton api={api} order={o} />
      <Button
        variant="light"
        disabled={reorderDisabled}
        onClick={() => {
          onReorder(o);
        }}
      >
        Order again
      </Button>
    </Stack>
  );
}
