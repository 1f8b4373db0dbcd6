import { Button, Group, Text } from '@mantine/core';
import type { Order } from '@taproom/web-core/api/contracts';

/** How many numbers the banner lists before "and N more". */
const SHOWN = 6;

/**
 * New orders where the eye is: a banner across the top of the board ("3 new: #41 #42 #43"), each
 * number a button that jumps to its ticket, and one to say the bar has seen them all (which
 * stops the chime).
 */
export function NewOrdersBanner({
  orders,
  onJump,
  onAcknowledgeAll,
}: {
  /** The unacknowledged new orders, oldest first. */
  orders: readonly Order[];
  onJump: (order: Order) => void;
  onAcknowledgeAll: () => void;
}) {
  if (orders.length === 0) return null;
  const more = orders.length - SHOWN;
  return (
    <div className="new-orders-banner" role="status" data-testid="new-orders-banner">
      <Group gap={8} wrap="nowrap" className="new-orders-list">
        <Text fw={800} fz="lg" c="white" style={{ whiteSpace: 'nowrap' }}>
          {orders.length} new:
        </Text>
        {orders.slice(0, SHOWN).map((order) => (
          <Button
            key={order.id}
            size="compact-md"
            variant="white"
            color="dark"
            onClick={() => {
              onJump(order);
            }}
            aria-label={`Show new order ${String(order.number)}`}
          >
            #{order.number}
          </Button>
        ))}
        {more > 0 && (
          <Text c="white" fw={700} style={{ whiteSpace: 'nowrap' }}>
            and {more} more
          </Text>
        )}
      </Group>
      <Button size="compact-md" color="dark" onClick={onAcknowledgeAll}>
        Seen them
      </Button>
    </div>
  );
}
