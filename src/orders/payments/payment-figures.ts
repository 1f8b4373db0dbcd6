import type { OrderStatus } from '../order-state-machine.js';

export const PAYMENT_METHODS = ['cash', 'card', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_STATUSES = ['unpaid', 'partially_paid', 'paid', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** What an order's figures are worked out from: its total, status and money rows. */
export interface PaymentInput {
  readonly totalCents: number;
  readonly status: OrderStatus;
  readonly payments: readonly { readonly amountCents: number; readonly tipCents: number }[];
  readonly refunds: readonly { readonly amountCents: number }[];
}

export interface PaymentFigures {
  readonly paymentStatus: PaymentStatus;
  /** Paid towards the total, less what was refunded; tips are not in it. */
  readonly paidCents: number;
  readonly tipCents: number;
  readonly refundedCents: number;
  /** What is left to pay: 0 for a cancelled order. */
  readonly balanceCents: number;
}

/**
 * An order's payment figures. `paidCents` = Σ payments − Σ refunds (tips excluded). A refund
 * settles what it gives back (a drink comped, a wrong charge made good): it is not owed again,
 * so `balanceCents` = total − Σ payments, and 0 for a cancelled order. The status is `unpaid`
 * while nothing was paid, `partially_paid` while something is left to pay, `refunded` once
 * nothing is left to pay and something was given back, else `paid` (an order of 0 is paid).
 */
export function paymentFigures(input: PaymentInput): PaymentFigures {
  const paid = input.payments.reduce((sum, payment) => sum + payment.amountCents, 0);
  const tipCents = input.payments.reduce((sum, payment) => sum + payment.tipCents, 0);
  const refundedCents = input.refunds.reduce((sum, refund) => sum + refund.amountCents, 0);
  const paidCents = paid - refundedCents;
  const balanceCents = input.status === 'cancelled' ? 0 : Math.max(0, input.totalCents - paid);
  const paymentStatus: PaymentStatus =
    paid === 0 && input.totalCents > 0
      ? 'unpaid'
      : balanceCents > 0
        ? 'partially_paid'
        : refundedCents > 0
          ? 'refunded'
          : 'paid';
  return { paymentStatus, paidCents, tipCents, refundedCents, balanceCents };
}
