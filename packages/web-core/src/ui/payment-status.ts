import type { PaymentMethod, PaymentStatus } from '../api/contracts';

const LABELS: Record<PaymentStatus, string> = {
  unpaid: 'Unpaid',
  partially_paid: 'Partly paid',
  paid: 'Paid',
  refunded: 'Refunded',
};

const COLORS: Record<PaymentStatus, string> = {
  unpaid: 'gray',
  partially_paid: 'yellow',
  paid: 'green',
  refunded: 'grape',
};

const METHOD_LABELS: Record<PaymentMethod, string> = {
  cash: 'Cash',
  card: 'Card',
  other: 'Other',
};

/** One or two words for badges and lists. */
export function paymentStatusLabel(status: PaymentStatus): string {
  return LABELS[status];
}

export function paymentStatusColor(status: PaymentStatus): string {
  return COLORS[status];
}

export function paymentMethodLabel(method: PaymentMethod): string {
  return METHOD_LABELS[method];
}
