import {
  ActionIcon,
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { formatMoney } from '@taproom/web-core/ui/format';
import { LineOptions } from '@taproom/web-core/ui/line-options';
import { EmptyState } from '@taproom/web-core/ui/page-states';
import { type SubmitEvent, useState } from 'react';
import { CURRENCY } from '@/config/app-config';
import { tableFieldHint, useServiceMode } from '@/lib/service-wording';
import {
  type CartLine,
  cartTotalCents,
  LINE_NOTE_MAX,
  MAX_QUANTITY,
  useCart,
} from '@/lib/cart-store';
import { useSendStatus } from '../hooks/use-order-sender';
import { ORDER_TIMEOUT_MS, orderSender, type WaitReason } from '../order-sender';
import { refusalWords } from '../refusal-words';

const NOTE_MAX = 280;
const NONE: ReadonlySet<string> = new Set();

const WAITING_WHY: Record<WaitReason, string> = {
  offline:
    'You are offline. Your order is kept on this phone and goes to the bar when you are back online.',
  unreachable:
    'Taproom cannot be reached right now. We keep trying, and your order goes to the bar as soon as it answers.',
  timeout: `Taproom did not answer within ${String(ORDER_TIMEOUT_MS / 1000)} seconds. We keep trying; if your order already arrived, it is not placed twice.`,
};

function CartLineRow({
  line,
  unavailable,
  locked,
}: {
  line: CartLine;
  /** Why the line can't be ordered now ("Half isn't available right now"), or null. */
  unavailable: string | null;
  locked: boolean;
}) {
  const setQuantity = useCart((cart) => cart.setQuantity);
  const setLineNote = useCart((cart) => cart.setLineNote);
  const [editingNote, setEditingNote] = useState(false);
  return (
    <Paper component="li" withBorder p="sm" data-testid="cart-line">
      <Group justify="space-between" wrap="nowrap">
        <Stack gap={0} style={{ minWidth: 0 }}>
          <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
            {line.name}
          </Text>
          <LineOptions options={line.options} />
          <Text size="sm" c="dimmed">
            {formatMoney(line.priceCents, CURRENCY)} each
          </Text>
          {unavailable !== null && (
            <Text size="sm" c="red.8" data-testid="line-unavailable">
              {unavailable}
            </Text>
          )}
        </Stack>
        <Group gap={6} wrap="nowrap" role="group" aria-label={`Quantity of ${line.name}`}>
          <ActionIcon
            variant="light"
            size="lg"
            disabled={locked}
            aria-label={line.quantity === 1 ? `Remove ${line.name}` : `One less ${line.name}`}
            onClick={() => {
              setQuantity(line.id, line.quantity - 1);
            }}
          >
            −
          </ActionIcon>
          <Text fw={700} w={24} ta="center" aria-live="polite">
            {line.quantity}
          </Text>
          <ActionIcon
            variant="light"
            size="lg"
            aria-label={`One more ${line.name}`}
            disabled={locked || line.quantity >= MAX_QUANTITY}
            onClick={() => {
              setQuantity(line.id, line.quantity + 1);
            }}
          >
            +
          </ActionIcon>
        </Group>
      </Group>
      {line.note !== '' || editingNote ? (
        <TextInput
          mt="xs"
          size="sm"
          aria-label={`Note for ${line.name}`}
          placeholder="No ice, extra lime…"
          maxLength={LINE_NOTE_MAX}
          value={line.note}
          readOnly={locked}
          autoFocus={editingNote && line.note === ''}
          data-testid="line-note"
          rightSection={
            line.note.length > LINE_NOTE_MAX - 20 ? (
              <Text size="xs" c="dimmed">
                {LINE_NOTE_MAX - line.note.length}
              </Text>
            ) : undefined
          }
          onChange={(e) => {
            setLineNote(line.id, e.currentTarget.value);
          }}
          onBlur={() => {
            if (line.note.trim() === '') setEditingNote(false);
          }}
        />
      ) : (
        !locked && (
          <Button
            variant="subtle"
            size="compact-sm"
            mt={4}
            px={0}
            aria-label={`Add a note for ${line.name}`}
            onClick={() => {
              setEditingNote(true);
            }}
          >
            + Add a note
          </Button>
        )
      )}
    </Paper>
  );
}

/**
 * The cart and its checkout: per-line notes, table number, a note for the bar, and one order per
 * attempt. An order that cannot be sent now waits, visibly, and goes out once when it can.
 */
export function CartView({
  userId,
  unavailable,
  unavailableOptions = NONE,
  guestTable,
  onNeedSignIn,
}: {
  /** The signed-in customer, or null. */
  userId: string | null;
  /** Items the live menu says cannot be ordered now. */
  unavailable: ReadonlySet<string>;
  /** Choices the live menu says cannot be had now (86'd at the bar, or gone), by option id. */
  unavailableOptions?: ReadonlySet<string>;
  /** A table's guest orders for that table only: it is shown, not asked. */
  guestTable: number | null;
  onNeedSignIn: () => void;
}) {
  const cart = useCart();
  const serviceMode = useServiceMode();
  const status = useSendStatus();
  const locked = cart.pending !== null;

  if (cart.lines.length === 0) {
    return (
      <EmptyState title="Your cart is empty">
        Add something from the menu to get started.
      </EmptyState>
    );
  }

  const problemOf = (line: CartLine): string | null => {
    if (unavailable.has(line.menuItemId)) return 'Not available right now';
    const gone = line.options.filter((option) => unavailableOptions.has(option.id));
    if (gone.length === 0) return null;
    const names = gone.map((option) => option.name).join(', ');
    return `${names} ${gone.length === 1 ? 'isn’t' : 'aren’t'} available right now`;
  };
  const blocked = cart.lines.filter((line) => problemOf(line) !== null);

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (userId === null) {
      onNeedSignIn();
      return;
    }
    if (useCart.getState().pending !== null) return;
    orderSender.submit(userId);
  }

  const total = formatMoney(cartTotalCents(cart.lines), CURRENCY);
  return (
    <form onSubmit={submit} aria-labelledby="cart-title">
      <Stack>
        <Title order={1} size="h2" id="cart-title">
          Your order
        </Title>
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {cart.lines.map((line) => (
            <CartLineRow key={line.id} line={line} unavailable={problemOf(line)} locked={locked} />
          ))}
        </Stack>
        <Group justify="space-between">
          <Text fw={600}>Total</Text>
          <Text fw={700} size="xl" data-testid="cart-total">
            {total}
          </Text>
        </Group>
        {guestTable === null ? (
          <NumberInput
            label="Table number"
            description={tableFieldHint(serviceMode)}
            min={1}
            max={999}
            allowDecimal={false}
            allowNegative={false}
            inputMode="numeric"
            readOnly={locked}
            value={cart.tableNumber ?? ''}
            onChange={(value) => {
              cart.setTableNumber(
                typeof value === 'number' && value >= 1 && value <= 999 ? value : null,
              );
            }}
          />
        ) : (
          <Text data-testid="guest-table-line">
            Table <b>{guestTable}</b>
            <Text span c="dimmed" size="sm">
              {' '}
              · you ordered from this table&apos;s code
            </Text>
          </Text>
        )}
        <Textarea
          label="Note for the bar"
          placeholder="We're by the window"
          maxLength={NOTE_MAX}
          autosize
          minRows={2}
          readOnly={locked}
          value={cart.note}
          description={`${cart.note.length}/${NOTE_MAX}`}
          onChange={(e) => {
            cart.setNote(e.currentTarget.value);
          }}
        />
        {status.phase === 'refused' && (
          <Alert color="red" role="alert" title="Your order was not placed">
            {refusalWords(status.error, cart.lines)}
          </Alert>
        )}
        {blocked.length > 0 && !locked && (
          <Alert color="yellow" role="status">
            Remove what is not available to place your order.
          </Alert>
        )}
        {status.phase === 'waiting' && locked ? (
          <Alert
            color="yellow"
            role="status"
            title="Waiting for connection — we'll send it once"
            data-testid="order-waiting"
            data-reason={status.reason}
          >
            <Stack gap="sm" align="flex-start">
              <Text size="sm">{WAITING_WHY[status.reason]}</Text>
              <Button
                variant="default"
                onClick={() => {
                  orderSender.cancel();
                }}
              >
                Cancel
              </Button>
            </Stack>
          </Alert>
        ) : (
          <Button type="submit" size="lg" loading={locked} disabled={blocked.length > 0} fullWidth>
            {userId !== null ? `Place order · ${total}` : 'Sign in to order'}
          </Button>
        )}
      </Stack>
    </form>
  );
}
