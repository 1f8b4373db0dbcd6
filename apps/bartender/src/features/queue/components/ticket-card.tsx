import { ActionIcon, Alert, Badge, Button, Group, Menu, Text } from '@mantine/core';
import type { Order } from '@taproom/web-core/api/contracts';
import { formatTime } from '@taproom/web-core/ui/format';
import { optionsByGroup } from '@taproom/web-core/ui/options';
import { orderStatusShortLabel } from '@taproom/web-core/ui/order-status';
import { PaymentStatusBadge } from '@taproom/web-core/ui/payment-status-badge';
import { openReceipt } from '@taproom/web-core/ui/receipt';
import { memo, type ReactNode } from 'react';
import { api } from '@/lib/session';
import type { ConflictNotice } from '../stores/queue-store';
import {
  advanceLabel,
  type AgeLevel,
  formatAge,
  nextStatus,
  previousStatus,
  type QueueStatus,
  type StationTicket,
} from '../utils/queue-logic';

export interface TicketActions {
  onAdvance: (order: Order) => void;
  onRecall: (order: Order) => void;
  onCancel: (order: Order) => void;
  onSelect: (order: Order) => void;
  onDismissConflict: (id: string) => void;
}

/** What other features add to the board's tickets (composed in src/app). */
export interface TicketAddons {
  /** More entries for a ticket's "more" menu (taking payment, opening a tab). */
  menuItems?: (order: Order) => ReactNode;
  /** Actions on a recently completed ticket. */
  recentActions?: (order: Order) => ReactNode;
}

/**
 * One order at the bar, dense enough for a rush and readable at arm's length: the number, the
 * table (or "at the bar"), the lines this station makes with their choices (a group per line
 * under the item: "Size: Half"), notes and allergens, the
 * order's note, its age in the venue's colours, and one big next step; going back and cancelling
 * are behind the "more" menu.
 */
export const TicketCard = memo(function TicketCard({
  order,
  status,
  view,
  level,
  now,
  oldest,
  isNew,
  selected,
  busy,
  conflict,
  allergensOf,
  actions,
  addons,
}: {
  order: Order;
  status: QueueStatus;
  /** The lines at the board's station, and the other stations the order also goes to. */
  view: StationTicket;
  level: AgeLevel;
  now: number;
  /** The lane's longest-waiting ticket: marked even when every ticket is red. */
  oldest: boolean;
  isNew: boolean;
  selected: boolean;
  busy: boolean;
  conflict: ConflictNotice | undefined;
  allergensOf: (menuItemId: string) => readonly string[];
  actions: TicketActions;
  addons?: TicketAddons | undefined;
}) {
  const back = previousStatus(status);
  const where = order.tableNumber !== null ? `Table ${String(order.tableNumber)}` : 'At the bar';
  const age = formatAge(order.createdAt, now);
  return (
    <article
      id={`ticket-${order.id}`}
      className="ticket"
      tabIndex={-1}
      data-testid="ticket"
      data-order-number={order.number}
      data-age={level}
      data-new={isNew || undefined}
      data-selected={selected || undefined}
      data-oldest={oldest || undefined}
      aria-label={`Order ${String(order.number)}, ${where}, waiting ${age}${isNew ? ', new' : ''}`}
      onClick={(event) => {
        // A tap on the ticket (not on one of its buttons) selects it.
        if ((event.target as HTMLElement).closest('button') === null) actions.onSelect(order);
      }}
    >
      <div className="ticket-head">
        <span className="ticket-number">#{order.number}</span>
        <span className="ticket-where">{where}</span>
        <span
          className="ticket-age"
          data-age={level}
          title={`Ordered at ${formatTime(order.createdAt)}`}
        >
          {age}
        </span>
      </div>
      {oldest && (
        <Badge className="ticket-oldest-badge" color="dark" variant="filled" size="sm">
          Oldest
        </Badge>
      )}
      {isNew && (
        <Badge className="ticket-new-badge" color="orange.9" variant="filled" size="sm">
          New
        </Badge>
      )}
      {conflict !== undefined && (
        <Alert
          color="red"
          variant="light"
          role="alert"
          title="Changed by someone else"
          p="xs"
          mt={4}
          withCloseButton
          closeButtonLabel={`Dismiss the notice on order ${String(order.number)}`}
          onClose={() => {
            actions.onDismissConflict(order.id);
          }}
          data-testid="conflict-notice"
        >
          {conflict.message}
        </Alert>
      )}
      <ul className="ticket-lines">
        {view.lines.map((line, index) => {
          const allergens = allergensOf(line.menuItemId);
          return (
            <li key={`${line.menuItemId}-${String(index)}`}>
              <span className="ticket-line">
                <b>{line.quantity} ×</b> {line.name}
              </span>
              {optionsByGroup(line.options).map(([group, names]) => (
                <span key={group} className="ticket-line-option" data-testid="ticket-option">
                  <span className="ticket-option-group">{group}:</span> {names.join(', ')}
                </span>
              ))}
              {line.note !== null && line.note !== '' && (
                <span className="ticket-line-note">“{line.note}”</span>
              )}
              {allergens.length > 0 && (
                <span
                  className="ticket-allergens"
                  aria-label={`Allergens: ${allergens.join(', ')}`}
                >
                  {allergens.map((allergen) => (
                    <Badge key={allergen} size="xs" color="grape" variant="light">
                      {allergen}
                    </Badge>
                  ))}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {order.note !== null && order.note !== '' && (
        <Text size="sm" className="ticket-note">
          <b>Note:</b> {order.note}
        </Text>
      )}
      {view.alsoAt.length > 0 && (
        <Text size="xs" fw={700} c="indigo.8" data-testid="also-at">
          also at: {view.alsoAt.join(', ')}
        </Text>
      )}
      <Group gap={6} wrap="nowrap" justify="space-between">
        <Text size="xs" c="dimmed" truncate>
          {order.customer.name}
          {order.assignee !== null ? ` · ${order.assignee.name}` : ''}
        </Text>
        <PaymentStatusBadge status={order.paymentStatus} size="sm" />
      </Group>
      <Group gap={6} wrap="nowrap" mt={4}>
        <Button
          className="ticket-primary"
          size="sm"
          fullWidth
          loading={busy}
          onClick={() => {
            actions.onAdvance(order);
          }}
          aria-label={`${advanceLabel(status)}: order ${String(order.number)} to ${orderStatusShortLabel(nextStatus(status))}`}
        >
          {advanceLabel(status)}
        </Button>
        <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
          <Menu.Target>
            <ActionIcon
              variant="default"
              size={36}
              disabled={busy}
              aria-label={`More for order ${String(order.number)}`}
            >
              ⋯
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {addons?.menuItems?.(order)}
            {back !== null && (
              <Menu.Item
                onClick={() => {
                  actions.onRecall(order);
                }}
              >
                Back to {orderStatusShortLabel(back)}
              </Menu.Item>
            )}
            <Menu.Item
              onClick={() => {
                openReceipt(api, order);
              }}
            >
              Print receipt…
            </Menu.Item>
            <Menu.Item
              c="red.9"
              onClick={() => {
                actions.onCancel(order);
              }}
            >
              Cancel order…
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
    </article>
  );
});
