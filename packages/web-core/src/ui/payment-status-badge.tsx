import { Badge, type BadgeProps } from '@mantine/core';
import type { PaymentStatus } from '../api/contracts';
import { paymentStatusColor, paymentStatusLabel } from './payment-status';

/**
 * Whether an order is paid: unpaid (outlined, the usual state while it is made), partly paid,
 * paid, refunded. The label is the words, so colour is never the only sign.
 */
export function PaymentStatusBadge({
  status,
  size = 'md',
  ...rest
}: { status: PaymentStatus; size?: BadgeProps['size'] } & Omit<BadgeProps, 'color' | 'variant'>) {
  return (
    <Badge
      color={paymentStatusColor(status)}
      variant={status === 'unpaid' ? 'outline' : status === 'paid' ? 'filled' : 'light'}
      size={size}
      data-payment-status={status}
      style={{ flexShrink: 0, overflow: 'visible' }}
      {...rest}
    >
      {paymentStatusLabel(status)}
    </Badge>
  );
}
