import { Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { Order } from '@taproom/web-core/api/contracts';
import { formatMoney } from '@taproom/web-core/ui/format';
import { PaymentStatusBadge } from '@taproom/web-core/ui/payment-status-badge';
import { CURRENCY } from '@/config/app-config';

function Row({ label, cents, strong }: { label: string; cents: number; strong?: boolean }) {
  const weight = strong === true ? 700 : 400;
  return (
    <Group justify="space-between" wrap="nowrap">
      <Text fw={weight}>{label}</Text>
      <Text fw={weight}>{formatMoney(cents, CURRENCY)}</Text>
    </Group>
  );
}

/**
 * What the customer has paid for an order, kept live like its status: paid, tip, refunds and
 * what is left. A cancelled order nobody paid for has nothing to say here.
 */
export function PaymentSummary({ order }: { order: Order }) {
  if (order.status === 'cancelled' && order.paidCents === 0 && order.refundedCents === 0) {
    return null;
  }
  return (
    <Paper withBorder p="md" data-testid="payment-summary">
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Title order={2} size="h4">
          Payment
        </Title>
        <div role="status" aria-live="polite" aria-atomic>
          <PaymentStatusBadge status={order.paymentStatus} size="lg" data-testid="payment-status" />
        </div>
      </Group>
      <Stack gap={4}>
        <Row label="Paid" cents={order.paidCents} />
        {order.tipCents > 0 && <Row label="Tip (thank you!)" cents={order.tipCents} />}
        {order.refundedCents > 0 && <Row label="Refunded" cents={order.refundedCents} />}
        {order.status !== 'cancelled' && (
          <Row label="Left to pay" cents={order.balanceCents} strong />
        )}
      </Stack>
    </Paper>
  );
}
