import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { Order } from '@taproom/web-core/api/contracts';
import { moneyInputOf, parseMoneyInput } from '@taproom/web-core/money/money-input';
import { formatDateTime, formatMoney } from '@taproom/web-core/ui/format';
import { paymentMethodLabel } from '@taproom/web-core/ui/payment-status';
import { PaymentStatusBadge } from '@taproom/web-core/ui/payment-status-badge';
import { type SubmitEvent, useState } from 'react';
import { Link } from 'react-router';
import { CURRENCY } from '@/config/app-config';
import { toastDone } from '@/lib/toasts';
import { useRefundOrder } from '../api/orders-api';

const MAX_REASON = 280;
const money = (cents: number): string => formatMoney(cents, CURRENCY);

function Figure({ label, cents, strong }: { label: string; cents: number; strong?: boolean }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={strong === true ? 800 : 600} fz={strong === true ? 'lg' : 'md'}>
        {money(cents)}
      </Text>
    </div>
  );
}

/**
 * An order's money: what was paid, how and by whom, tips, refunds (with their reasons) and what
 * is left; an admin refunds from here (up to what is paid, with a reason).
 */
export function OrderPayments({ order }: { order: Order }) {
  const [refunding, setRefunding] = useState(false);
  const entries = [
    ...order.payments.map((payment) => ({ kind: 'payment' as const, at: payment.at, payment })),
    ...order.refunds.map((refund) => ({ kind: 'refund' as const, at: refund.at, refund })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <Card withBorder data-testid="order-payments">
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="sm">
            <Title order={2} size="h4">
              Payments
            </Title>
            <PaymentStatusBadge status={order.paymentStatus} />
          </Group>
          <Button
            variant="light"
            color="red"
            disabled={order.paidCents === 0}
            title={order.paidCents === 0 ? 'Nothing paid to refund' : undefined}
            onClick={() => {
              setRefunding(true);
            }}
          >
            Refund…
          </Button>
        </Group>
        <Group gap="xl">
          <Figure label="Total" cents={order.totalCents} />
          <Figure label="Paid" cents={order.paidCents} />
          <Figure label="Tips" cents={order.tipCents} />
          <Figure label="Refunded" cents={order.refundedCents} />
          <Figure label="Left to pay" cents={order.balanceCents} strong />
        </Group>
        {entries.length === 0 ? (
          <Text c="dimmed">No payments yet.</Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table aria-label="Payments and refunds">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>What</Table.Th>
                  <Table.Th ta="right">Amount</Table.Th>
                  <Table.Th ta="right">Tip</Table.Th>
                  <Table.Th>By</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((entry) =>
                  entry.kind === 'payment' ? (
                    <Table.Tr key={entry.payment.id} data-testid="payment-row">
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(entry.at)}
                      </Table.Td>
                      <Table.Td>{paymentMethodLabel(entry.payment.method)}</Table.Td>
                      <Table.Td ta="right">{money(entry.payment.amountCents)}</Table.Td>
                      <Table.Td ta="right">
                        {entry.payment.tipCents > 0 ? money(entry.payment.tipCents) : '—'}
                      </Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/users/${entry.payment.by.id}`} size="sm">
                          {entry.payment.by.name}
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  ) : (
                    <Table.Tr key={entry.refund.id} data-testid="refund-row">
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(entry.at)}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="red.9" fw={600}>
                          Refund
                        </Text>
                        <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                          {entry.refund.reason}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right" c="red.9">
                        −{money(entry.refund.amountCents)}
                      </Table.Td>
                      <Table.Td ta="right">—</Table.Td>
                      <Table.Td>
                        <Anchor component={Link} to={`/users/${entry.refund.by.id}`} size="sm">
                          {entry.refund.by.name}
                        </Anchor>
                      </Table.Td>
                    </Table.Tr>
                  ),
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      <Modal
        opened={refunding}
        onClose={() => {
          setRefunding(false);
        }}
        title={`Refund order #${String(order.number)}`}
        closeButtonProps={{ 'aria-label': 'Close without refunding' }}
        centered
      >
        {refunding && (
          <RefundForm
            order={order}
            onDone={() => {
              setRefunding(false);
            }}
          />
        )}
      </Modal>
    </Card>
  );
}

function RefundForm({ order, onDone }: { order: Order; onDone: () => void }) {
  const refund = useRefundOrder();
  const [amountText, setAmountText] = useState(moneyInputOf(order.paidCents));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ amount?: string; reason?: string }>({});
  const [error, setError] = useState<string | null>(null);

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (refund.isPending) return;
    const amount = parseMoneyInput(amountText);
    const problems: { amount?: string; reason?: string } = {};
    if (amount === null) problems.amount = 'Enter an amount such as 4.50.';
    else if (amount < 1) problems.amount = 'Enter an amount above zero.';
    else if (amount > order.paidCents) {
      problems.amount = `At most what was paid: ${money(order.paidCents)}.`;
    }
    if (reason.trim() === '') problems.reason = 'Say why: the books keep the reason.';
    setErrors(problems);
    if (Object.keys(problems).length > 0 || amount === null) return;
    setError(null);
    try {
      await refund.mutateAsync({
        id: order.id,
        body: { amountCents: amount, reason: reason.trim() },
      });
      toastDone(`Refunded ${money(amount)} on order #${String(order.number)}.`);
      onDone();
    } catch (caught) {
      const apiError = asApiError(caught);
      if (apiError?.code === 'PAYMENT_EXCEEDS_BALANCE') {
        setError(
          'That’s more than was paid on this order. Someone may have refunded it meanwhile.',
        );
      } else {
        const fields: { amount?: string; reason?: string } = {};
        const words = apiError?.fieldErrors('refund') ?? {};
        if (words.amountCents !== undefined) fields.amount = words.amountCents;
        if (words.reason !== undefined) fields.reason = words.reason;
        setErrors(fields);
        if (Object.keys(fields).length === 0) {
          setError(apiError?.message ?? 'The refund did not go through.');
        }
      }
    }
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack>
        {error !== null && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <TextInput
          label="Amount"
          description={`Paid so far: ${money(order.paidCents)}.`}
          inputMode="decimal"
          autoComplete="off"
          leftSection="€"
          required
          value={amountText}
          error={errors.amount}
          data-autofocus
          onChange={(event) => {
            setAmountText(event.currentTarget.value);
            setErrors({});
          }}
        />
        <Textarea
          label="Reason"
          required
          autosize
          minRows={2}
          maxLength={MAX_REASON}
          value={reason}
          error={errors.reason}
          onChange={(event) => {
            setReason(event.currentTarget.value);
            setErrors({});
          }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Keep the payment
          </Button>
          <Button type="submit" color="red" loading={refund.isPending}>
            Refund
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
