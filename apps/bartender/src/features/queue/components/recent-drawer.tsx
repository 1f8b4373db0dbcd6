import { Badge, Button, Drawer, Group, Stack, Text } from '@mantine/core';
import type { Order } from '@taproom/web-core/api/contracts';
import { formatTime } from '@taproom/web-core/ui/format';
import { PaymentStatusBadge } from '@taproom/web-core/ui/payment-status-badge';
import { nameWithOptions } from '@taproom/web-core/ui/options';
import { openReceipt } from '@taproom/web-core/ui/receipt';
import { api } from '@/lib/session';
import { closedAt, recallDeadline } from '../utils/queue-logic';
import type { TicketAddons } from './ticket-card';

/** "12 min left", "under a minute left": how long a recall stays possible. */
function timeLeft(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  return minutes < 1 ? 'under a minute left' : `${String(minutes)} min left`;
}

/**
 * The last two hours of completed and cancelled tickets, latest first. A served order can be
 * recalled to Ready within the venue's recall window (a drink taken back); the server has the
 * last word, and its refusal is shown as it says it.
 */
export function RecentDrawer({
  opened,
  onClose,
  orders,
  now,
  recallWindowSeconds,
  busy,
  onRecall,
  addons,
}: {
  opened: boolean;
  onClose: () => void;
  orders: readonly Order[];
  now: number;
  recallWindowSeconds: number;
  busy: ReadonlySet<string>;
  onRecall: (order: Order) => void;
  addons?: TicketAddons | undefined;
}) {
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="md"
      title="Recently completed (last 2 hours)"
      closeButtonProps={{ 'aria-label': 'Close recently completed' }}
    >
      {orders.length === 0 ? (
        <Text c="dimmed">Nothing completed or cancelled in the last two hours.</Text>
      ) : (
        <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {orders.map((order) => {
            const deadline = recallDeadline(order, recallWindowSeconds);
            const recallable = deadline !== null && deadline > now;
            const cancelled = order.status === 'cancelled';
            return (
              <li
                key={order.id}
                className="recent-ticket"
                data-testid="recent-ticket"
                data-order-number={order.number}
                data-status={order.status}
              >
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div style={{ minWidth: 0 }}>
                    <Group gap={8} wrap="nowrap">
                      <Text fw={800} fz="xl">
                        #{order.number}
                      </Text>
                      <Badge color={cancelled ? 'red' : 'green'} variant="light">
                        {cancelled ? 'Cancelled' : 'Served'}{' '}
                        {formatTime(new Date(closedAt(order)).toISOString())}
                      </Badge>
                      {!cancelled && <PaymentStatusBadge status={order.paymentStatus} />}
                    </Group>
                    <Text size="sm" lineClamp={2}>
                      {order.items
                        .map((line) => `${String(line.quantity)} × ${nameWithOptions(line)}`)
                        .join(', ')}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {order.tableNumber !== null
                        ? `Table ${String(order.tableNumber)}`
                        : 'At the bar'}
                      {' · '}
                      {order.customer.name}
                      {cancelled && order.cancelReason !== null ? ` · ${order.cancelReason}` : ''}
                    </Text>
                  </div>
                  <Group gap="xs" wrap="nowrap" align="flex-start">
                    {addons?.recentActions?.(order)}
                    <Button
                      size="sm"
                      variant="default"
                      onClick={() => {
                        openReceipt(api, order);
                      }}
                      aria-label={`Print the receipt of order ${String(order.number)}`}
                    >
                      Receipt
                    </Button>
                    {order.status === 'completed' && (
                      <Stack gap={2} align="flex-end">
                        <Button
                          size="sm"
                          variant={recallable ? 'filled' : 'default'}
                          color="orange"
                          loading={busy.has(order.id)}
                          onClick={() => {
                            onRecall(order);
                          }}
                          aria-label={`Recall order ${String(order.number)} to Ready`}
                        >
                          Recall
                        </Button>
                        <Text size="xs" c="dimmed">
                          {recallable ? timeLeft(deadline - now) : 'window closed'}
                        </Text>
                      </Stack>
                    )}
                  </Group>
                </Group>
              </li>
            );
          })}
        </Stack>
      )}
    </Drawer>
  );
}
