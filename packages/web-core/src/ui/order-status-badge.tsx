import { Badge } from '@mantine/core';
import type { OrderStatus } from '../api/contracts';
import { orderStatusColor, orderStatusLabel, orderStatusShortLabel } from './order-status';

export function OrderStatusBadge({
  status,
  size = 'md',
}: {
  status: OrderStatus;
  size?: 'sm' | 'md' | 'lg' | 'xl';
}) {
  return (
    <Badge
      color={orderStatusColor(status)}
      size={size}
      variant="light"
      data-status={status}
      style={{ flexShrink: 0, overflow: 'visible' }}
      title={orderStatusLabel(status)}
    >
      {orderStatusShortLabel(status)}
    </Badge>
  );
}
