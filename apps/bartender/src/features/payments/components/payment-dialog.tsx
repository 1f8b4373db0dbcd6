import {
  Alert,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import {
  PAYMENT_METHODS,
  type PaymentMethod,
  type PaymentRequest,
} from '@taproom/web-core/api/contracts';
import { IdempotentSubmission } from '@taproom/web-core/api/idempotent-submission';
import { moneyInputOf, parseMoneyInput } from '@taproom/web-core/money/money-input';
import { formatMoney } from '@taproom/web-core/ui/format';
import { paymentMethodLabel } from '@taproom/web-core/ui/payment-status';
import { type SubmitEvent, useId, useState } from 'react';
import { CURRENCY } from '@/config/app-config';
import { changeDue, tenderSuggestions, type TipChoice, tipFor } from '../utils/payment-math';

/** What a payment is for, and how to send it. */
export interface PaymentTarget {
  /** "Order #12", "Table 4". */
  title: string;
  /** What the payment covers, in a few words ("2 orders"). */
  description?: string;
  /** What is left to pay. */
  balanceCents: number;
  /** A share of a split: the amount is set, only the tip and the tender are asked. */
  fixedAmountCents?: number;
  /** Sends the payment with its `Idempotency-Key`; rejects with the API's error. */
  send: (body: PaymentRequest, idempotencyKey: string) => Promise<void>;
  /** Told once the payment is recorded (to say so, and to mark a share paid). */
  onPaid?: (paid: PaidSummary) => void;
}

export interface PaidSummary {
  method: PaymentMethod;
  amountCents: number;
  tipCents: number;
  /** Cash only, when the tendered sum was entered. */
  changeCents: number | null;
}

const TIP_CHOICES: readonly { value: TipChoice; label: string }[] = [
  { value: 'none', label: 'No tip' },
  { value: 'ten', label: '10 %' },
  { value: 'fifteen', label: '15 %' },
  { value: 'roundUp', label: 'Round up' },
  { value: 'custom', label: 'Custom' },
];

const money = (cents: number): string => formatMoney(cents, CURRENCY);

/** `details.balanceCents` of a `PAYMENT_EXCEEDS_BALANCE` answer, when it is there. */
function balanceOf(details: unknown): number | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const balance = (details as { balanceCents?: unknown }).balanceCents;
  return typeof balance === 'number' ? balance : undefined;
}

/**
 * "Take payment": cash, card or other; the amount (the balance unless changed: part payments are
 * fine); a tip from quick buttons or typed; for cash, what was handed over and the change to give.
 * One `Idempotency-Key` per submission, kept for a retry of the same payment, and the button
 * waits while a payment is on its way: a double tap or a retry after a lost answer records once.
 */
export function PaymentDialog({
  target,
  onClose,
}: {
  target: PaymentTarget | null;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={target !== null}
      onClose={onClose}
      title={target === null ? 'Take payment' : `Take payment: ${target.title}`}
      closeButtonProps={{ 'aria-label': 'Close without taking payment' }}
      centered
      size={680}
    >
      {target !== null && <PaymentForm target={target} onClose={onClose} />}
    </Modal>
  );
}

function PaymentForm({ target, onClose }: { target: PaymentTarget; onClose: () => void }) {
  const ids = useId();
  const [submission] = useState(() => new IdempotentSubmission<PaymentRequest>());
  const [balance, setBalance] = useState(target.balanceCents);
  const fixed = target.fixedAmountCents;
  const [method, setMethod] = useState<PaymentMethod>('card');
  const [amountText, setAmountText] = useState(moneyInputOf(fixed ?? target.balanceCents));
  const [tipChoice, setTipChoice] = useState<TipChoice>('none');
  const [customTipText, setCustomTipText] = useState('');
  const [tenderedText, setTenderedText] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{
    amount?: string;
    tip?: string;
    tendered?: string;
  }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const amount = fixed ?? parseMoneyInput(amountText);
  const customTip = parseMoneyInput(customTipText);
  const tip = tipFor(tipChoice, amount ?? 0, customTip);
  const due = (amount ?? 0) + tip;
  const tendered = method === 'cash' ? parseMoneyInput(tenderedText) : null;
  const change = tendered === null ? null : changeDue(tendered, amount ?? 0, tip);

  function check(): { amount?: string; tip?: string; tendered?: string } {
    const problems: { amount?: string; tip?: string; tendered?: string } = {};
    if (amount === null) problems.amount = 'Enter an amount such as 12.50.';
    else if (amount < 1) problems.amount = 'Enter an amount above zero.';
    else if (amount > balance) {
      problems.amount = `That’s more than is left to pay (${money(balance)}).`;
    }
    if (tipChoice === 'custom' && customTip === null) {
      problems.tip = 'Enter a tip such as 2.00, or choose No tip.';
    }
    if (method === 'cash' && tenderedText.trim() !== '') {
      if (tendered === null) problems.tendered = 'Enter the cash handed over, such as 20.00.';
      else if (change !== null && change < 0) {
        problems.tendered = `That’s ${money(-change)} short of ${money(due)}.`;
      }
    }
    return problems;
  }

  async function submit(event: SubmitEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (submission.inFlight) return;
    const problems = check();
    setFieldErrors(problems);
    if (Object.keys(problems).length > 0 || amount === null) return;
    const body: PaymentRequest = { method, amountCents: amount, tipCents: tip };
    setBusy(true);
    setError(null);
    try {
      const sent = await submission.submit(body, target.send);
      if (sent === null) return;
      target.onPaid?.({ method, amountCents: amount, tipCents: tip, changeCents: change });
      onClose();
    } catch (caught) {
      const apiError = asApiError(caught);
      if (apiError?.code === 'PAYMENT_EXCEEDS_BALANCE') {
        const left = balanceOf(apiError.details);
        if (left !== undefined) setBalance(left);
        setError(
          left === undefined
            ? 'That’s more than is left to pay. Someone may have taken a payment meanwhile.'
            : left === 0
              ? 'Nothing is left to pay: it has been paid meanwhile.'
              : `That’s more than is left to pay: ${money(left)} is left now (someone may have taken a payment meanwhile).`,
        );
      } else if (apiError?.code === 'INVALID_TRANSITION') {
        setError('This order is cancelled, so it can’t be paid.');
      } else if (apiError === undefined || apiError.status === 0 || apiError.status >= 500) {
        setError(
          `${apiError?.message ?? 'No answer from Taproom.'} The payment may not be recorded: try again — the same payment is never recorded twice.`,
        );
      } else {
        setError(apiError.summary('payment'));
      }
    } finally {
      setBusy(false);
    }
  }

  const suggestions = tenderSuggestions(due);
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="sm">
        <Group justify="space-between" align="baseline" wrap="nowrap">
          <Text size="sm" c="dimmed">
            {target.description ?? 'Left to pay'}
          </Text>
          <Text fw={800} fz="lg" data-testid="payment-balance">
            {money(balance)} left
          </Text>
        </Group>
        {error !== null && (
          <Alert color="red" role="alert" p="sm" data-testid="payment-error">
            {error}
          </Alert>
        )}
        <div>
          <Text fz="md" fw={500} aria-hidden>
            Method
          </Text>
          <SegmentedControl
            aria-label="Method"
            fullWidth
            size="md"
            value={method}
            onChange={(value) => {
              setMethod(value);
            }}
            data={PAYMENT_METHODS.map((value) => ({ value, label: paymentMethodLabel(value) }))}
          />
        </div>
        {fixed === undefined ? (
          <TextInput
            label="Amount (part payments are fine)"
            inputMode="decimal"
            autoComplete="off"
            leftSection="€"
            value={amountText}
            error={fieldErrors.amount}
            data-autofocus
            onChange={(event) => {
              setAmountText(event.currentTarget.value);
              setFieldErrors({});
            }}
            rightSectionWidth={70}
            rightSection={
              amount !== balance ? (
                <Button
                  size="compact-xs"
                  variant="subtle"
                  onClick={() => {
                    setAmountText(moneyInputOf(balance));
                    setFieldErrors({});
                  }}
                  aria-label={`Whole balance, ${money(balance)}`}
                >
                  All
                </Button>
              ) : null
            }
          />
        ) : (
          <Group justify="space-between">
            <Text fw={500}>Amount (this share)</Text>
            <Text fw={700}>{money(fixed)}</Text>
          </Group>
        )}
        <div>
          <Text id={`${ids}-tip`} fz="md" fw={500}>
            Tip
          </Text>
          <Group gap={6} role="group" aria-labelledby={`${ids}-tip`} mt={4}>
            {TIP_CHOICES.map((choice) => {
              const value = tipFor(choice.value, amount ?? 0, customTip);
              const shown =
                choice.value === 'none' || choice.value === 'custom'
                  ? choice.label
                  : `${choice.label} ${money(value)}`;
              return (
                <Button
                  key={choice.value}
                  size="sm"
                  variant={tipChoice === choice.value ? 'filled' : 'default'}
                  aria-pressed={tipChoice === choice.value}
                  onClick={() => {
                    setTipChoice(choice.value);
                    setFieldErrors({});
                  }}
                >
                  {shown}
                </Button>
              );
            })}
          </Group>
          {tipChoice === 'custom' && (
            <TextInput
              mt="xs"
              label="Tip amount"
              inputMode="decimal"
              autoComplete="off"
              leftSection="€"
              value={customTipText}
              error={fieldErrors.tip}
              onChange={(event) => {
                setCustomTipText(event.currentTarget.value);
                setFieldErrors({});
              }}
            />
          )}
        </div>
        {method === 'cash' && (
          <div>
            <TextInput
              label="Cash handed over (optional, for the change)"
              inputMode="decimal"
              autoComplete="off"
              leftSection="€"
              value={tenderedText}
              error={fieldErrors.tendered}
              onChange={(event) => {
                setTenderedText(event.currentTarget.value);
                setFieldErrors({});
              }}
            />
            <Group gap={6} mt={6} role="group" aria-label="Quick amounts handed over">
              {[due, ...suggestions].map((note, index) => (
                <Button
                  key={`${String(index)}-${String(note)}`}
                  size="compact-md"
                  variant="light"
                  color="gray"
                  onClick={() => {
                    setTenderedText(moneyInputOf(note));
                    setFieldErrors({});
                  }}
                >
                  {index === 0 ? `Exact ${money(note)}` : money(note)}
                </Button>
              ))}
            </Group>
          </div>
        )}
        <Group
          className="payment-summary"
          role="status"
          aria-live="polite"
          aria-atomic
          justify="space-between"
          align="flex-start"
          wrap="nowrap"
        >
          <div>
            <Text size="sm" fw={600}>
              Take
            </Text>
            <Text fw={800} fz={28} lh={1.1} data-testid="payment-due">
              {money(due)}
            </Text>
            {tip > 0 && (
              <Text size="sm" c="dimmed">
                {money(amount ?? 0)} + {money(tip)} tip
              </Text>
            )}
          </div>
          {change !== null && change >= 0 && (
            <div style={{ textAlign: 'right' }}>
              <Text size="sm" fw={600}>
                Change due
              </Text>
              <Text fw={800} fz={28} lh={1.1} c="green.9" data-testid="change-due">
                {money(change)}
              </Text>
            </div>
          )}
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" loading={busy} data-testid="record-payment">
            Record payment
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
