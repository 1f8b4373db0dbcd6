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
  Title,
} from '@mantine/core';
import { asApiError } from '@taproom/web-core/api/api-client';
import type { Order } from '@taproom/web-core/api/contracts';
import { formatMoney } from '@taproom/web-core/ui/format';
import { EmptyState } from '@taproom/web-core/ui/page-states';
import { useMutation } from '@tanstack/react-query';
import type { SubmitEvent } from 'react';
import { CURRENCY } from '@/config/app-config';
import { cartTotalCents, MAX_QUANTITY, orderRequestOf, useCart } from '@/lib/cart-store';
import { tableFieldHint, useServiceMode } from '@/lib/service-wording';
import { placeOrder } from '../api/place-order';

const NOTE_MAX = 280;

/**
 * The cart and its checkout: table number, a note for the bar, and one order per attempt
 * (the Idempotency-Key lives in the cart until the order is placed).
 */
export function CartView({
  signedIn,
  unavailable,
  onNeedSignIn,
  onPlaced,
  onStockProblem,
}: {
  signedIn: boolean;
  /** Items the live menu says cannot be ordered now. */
  unavailable: ReadonlySet<string>;
  onNeedSignIn: () => void;
  onPlaced: (order: Order) => void;
  onStockProblem: () => void;
}) {
  const cart = useCart();
  const serviceMode = useServiceMode();
  const mutation = useMutation({
    mutationFn: ({ key }: { key: string }) => placeOrder(orderRequestOf(useCart.getState()), key),
    onSuccess: (order) => {
      useCart.getState().clear();
      onPlaced(order);
    },
    onError: (error) => {
      const code = asApiError(error)?.code;
      if (code === 'ITEM_UNAVAILABLE' || code === 'OUT_OF_STOCK') onStockProblem();
    },
  });

  if (cart.lines.length === 0) {
    return (
      <EmptyState title="Your cart is empty">
        Add something from the menu to get started.
      </EmptyState>
    );
  }

  const blocked = cart.lines.filter((line) => unavailable.has(line.menuItemId));

  function submit(event: SubmitEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!signedIn) {
      onNeedSignIn();
      return;
    }
    if (mutation.isPending) return;
    mutation.mutate({ key: useCart.getState().checkoutKey() });
  }

  const error = asApiError(mutation.error);
  return (
    <form onSubmit={submit} aria-labelledby="cart-title">
      <Stack>
        <Title order={1} size="h2" id="cart-title">
          Your order
        </Title>
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {cart.lines.map((line) => (
            <Paper component="li" key={line.menuItemId} withBorder p="sm" data-testid="cart-line">
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={0} style={{ minWidth: 0 }}>
                  <Text fw={600} truncate>
                    {line.name}
                  </Text>
                  <Text size="sm" c="dimmed">
                    {formatMoney(line.priceCents, CURRENCY)} each
                  </Text>
                  {unavailable.has(line.menuItemId) && (
                    <Text size="sm" c="red.8">
                      Not available right now
                    </Text>
                  )}
                </Stack>
                <Group gap={6} wrap="nowrap" role="group" aria-label={`Quantity of ${line.name}`}>
                  <ActionIcon
                    variant="light"
                    size="lg"
                    aria-label={
                      line.quantity === 1 ? `Remove ${line.name}` : `One less ${line.name}`
                    }
                    onClick={() => {
                      cart.setQuantity(line.menuItemId, line.quantity - 1);
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
                    disabled={line.quantity >= MAX_QUANTITY}
                    onClick={() => {
                      cart.setQuantity(line.menuItemId, line.quantity + 1);
                    }}
                  >
                    +
                  </ActionIcon>
                </Group>
              </Group>
            </Paper>
          ))}
        </Stack>
        <Group justify="space-between">
          <Text fw={600}>Total</Text>
          <Text fw={700} size="xl" data-testid="cart-total">
            {formatMoney(cartTotalCents(cart.lines), CURRENCY)}
          </Text>
        </Group>
        <NumberInput
          label="Table number"
          description={tableFieldHint(serviceMode)}
          min={1}
          max={999}
          allowDecimal={false}
          allowNegative={false}
          inputMode="numeric"
          value={cart.tableNumber ?? ''}
          onChange={(value) => {
            cart.setTableNumber(
              typeof value === 'number' && value >= 1 && value <= 999 ? value : null,
            );
          }}
        />
        <Textarea
          label="Note for the bar"
          placeholder="No ice, please"
          maxLength={NOTE_MAX}
          autosize
          minRows={2}
          value={cart.note}
          description={`${cart.note.length}/${NOTE_MAX}`}
          onChange={(e) => {
            cart.setNote(e.currentTarget.value);
          }}
        />
        {error !== undefined && (
          <Alert color="red" role="alert" title="Your order was not placed">
            {error.summary('order')}
            {(error.code === 'NETWORK' || error.status >= 500) &&
              ' Sending again will not order twice.'}
          </Alert>
        )}
        {blocked.length > 0 && (
          <Alert color="yellow" role="status">
            Remove what is not available to place your order.
          </Alert>
        )}
        <Button
          type="submit"
          size="lg"
          loading={mutation.isPending}
          disabled={blocked.length > 0}
          fullWidth
        >
          {signedIn
            ? `Place order · ${formatMoney(cartTotalCents(cart.lines), CURRENCY)}`
            : 'Sign in to order'}
        </Button>
      </Stack>
    </form>
  );
}
