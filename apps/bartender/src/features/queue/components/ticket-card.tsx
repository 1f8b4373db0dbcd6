import { Alert, Badge, Button, Group, Paper, Stack, Text } from '@mantine/core';
import type { Order } from '@taproom/web-core/api/contracts';
import { formatTime } from '@taproom/web-core/ui/format';
import { orderStatusShortLabel } from '@taproom/web-core/ui/order-status';
import { memo } from 'react';
import { TICKET_AMBER_AFTER_MS, TICKET_RED_AFTER_MS } from '@/config/app-config';
import type { ConflictNotice } from '../stores/queue-store';
import {
  advanceLabel,
  ageLevel,
  formatAge,
  nextStatus,
  previousStatus,
  type QueueStatus,
} from '../utils/queue-logic';

export interface TicketActions {
  onAdvance: (order: Order) => void;
  onRecall: (order: Order) => void;
  onCancel: (order: Order) => void;
  onAcknowledge: (id: string) => void;
  onDismissConflict: (id: string) => void;
}

const AGE_COLOR = { fresh: 'gray', amber: 'yellow.5', red: 'red.9' } as const;

/** One order at the bar: number, table, lines with notes and allergens, age, and the next move. */
export const TicketCard = memo(function TicketCard({
  order,
  status,
  now,
  isNew,
  busy,
  conflict,
  allergensOf,
  actions,
}: {
  order: Order;
  status: QueueStatus;
  now: number;
  isNew: boolean;
  busy: boolean;
  conflict: ConflictNotice | undefined;
  allergensOf: (menuItemId: string) => readonly string[];
  actions: TicketActions;
}) {
  const level = ageLevel(order.createdAt, now, {
    amberMs: TICKET_AMBER_AFTER_MS,
    redMs: TICKET_RED_AFTER_MS,
  });
  const back = previousStatus(status);
  const label = `Order ${order.number}`;
  return (
    <Paper
      component="article"
      withBorder
      p="sm"
      className="ticket"
      data-testid="ticket"
      data-order-number={order.number}
      data-age={level}
      data-new={isNew || undefined}
      aria-label={`${label}${order.tableNumber !== null ? `, table ${order.tableNumber}` : ''}`}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Text fw={800} fz={26} lh={1}>
              #{order.number}
            </Text>
            <Text size="sm" fw={600}>
              {order.tableNumber !== null ? `Table ${order.tableNumber}` : 'At the bar'}
            </Text>
          </div>
          <Stack gap={2} align="flex-end">
            <Badge
              color={AGE_COLOR[level]}
              variant={level === 'fresh' ? 'light' : 'filled'}
              autoContrast
              size="lg"
              title={`Ordered at ${formatTime(order.createdAt)}`}
            >
              {formatAge(order.createdAt, now)}
            </Badge>
            {isNew && (
              <Badge color="orange.9" variant="filled" size="sm">
                New
              </Badge>
            )}
          </Stack>
        </Group>
        {conflict !== undefined && (
          <Alert
            color="red"
            variant="light"
            role="alert"
            title="Changed by someone else"
            p="xs"
            withCloseButton
            closeButtonLabel={`Dismiss the notice on order ${order.number}`}
            onClose={() => {
              actions.onDismissConflict(order.id);
            }}
            data-testid="conflict-notice"
          >
            {conflict.message}
          </Alert>
        )}
        <Stack component="ul" gap={4} p={0} m={0} style={{ listStyle: 'none' }}>
          {order.items.map((line, index) => {
            const allergens = allergensOf(line.menuItemId);
            return (
              <li key={`${line.menuItemId}-${String(index)}`}>
                <Text fw={600} lh={1.25}>
                  {line.quantity} × {line.name}
                </Text>
                {line.note !== null && line.note !== '' && (
                  <Text size="sm" fs="italic" c="orange.9">
                    “{line.note}”
                  </Text>
                )}
                {allergens.length > 0 && (
                  <Group gap={4} mt={2} aria-label={`Allergens: ${allergens.join(', ')}`}>
                    {allergens.map((allergen) => (
                      <Badge key={allergen} size="xs" color="grape" variant="light">
                        {allergen}
                      </Badge>
                    ))}
                  </Group>
                )}
              </li>
            );
          })}
        </Stack>
        {order.note !== null && order.note !== '' && (
          <Text size="sm" p={6} bg="yellow.1" style={{ borderRadius: 6 }}>
            <b>Note:</b> {order.note}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {order.customer.name}
          {order.assignee !== null ? ` · ${order.assignee.name}` : ''}
        </Text>
        {isNew && (
          <Button
            variant="outline"
            color="orange"
            size="sm"
            onClick={() => {
              actions.onAcknowledge(order.id);
            }}
            aria-label={`Got it: acknowledge order ${order.number}`}
          >
            Got it
          </Button>
        )}
        <Group gap={6} wrap="nowrap" grow>
          {back !== null && (
            <Button
              variant="default"
              size="sm"
              disabled={busy}
              onClick={() => {
                actions.onRecall(order);
              }}
              aria-label={`Move order ${order.number} back to ${orderStatusShortLabel(back)}`}
            >
              Back
            </Button>
          )}
          <Button
            size="sm"
            loading={busy}
            onClick={() => {
              actions.onAdvance(order);
            }}
            aria-label={`${advanceLabel(status)}: order ${order.number} to ${orderStatusShortLabel(nextStatus(status))}`}
          >
            {advanceLabel(status)}
          </Button>
        </Group>
        <Button
          variant="subtle"
          color="red"
          size="xs"
          disabled={busy}
          onClick={() => {
            actions.onCancel(order);
          }}
          aria-label={`Cancel order ${order.number}`}
        >
          Cancel…
        </Button>
      </Stack>
    </Paper>
  );
});
