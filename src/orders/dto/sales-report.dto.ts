import { ApiProperty } from '@nestjs/swagger';
import { VatShareView } from '../order-view.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../payments/payment-figures.js';

export class SalesDay {
  @ApiProperty({ format: 'date', example: '2026-11-27' })
  date!: string;

  @ApiProperty({ example: 12 })
  orders!: number;

  @ApiProperty({ example: 9800 })
  revenueCents!: number;
}

export class TopItem {
  @ApiProperty({ format: 'uuid' })
  menuItemId!: string;

  @ApiProperty({ example: 'Pilsner' })
  name!: string;

  @ApiProperty({ example: 30 })
  quantity!: number;

  @ApiProperty({ example: 15000 })
  revenueCents!: number;
}

export class SalesByMethod {
  @ApiProperty({ enum: PAYMENT_METHODS, enumName: 'PaymentMethod' })
  method!: PaymentMethod;

  @ApiProperty({
    type: 'integer',
    example: 9000,
    description: 'Paid by this method (before refunds)',
  })
  amountCents!: number;

  @ApiProperty({ type: 'integer', example: 300 })
  tipCents!: number;

  @ApiProperty({ type: 'integer', example: 500, description: 'Refunded by this method' })
  refundedCents!: number;
}

/**
 * Revenue and best sellers: completed orders only. Payment figures: every order placed on the
 * range's days, each counted as its own figures say (so they add up to the orders' figures).
 */
export class SalesReport {
  @ApiProperty({ type: [SalesDay], description: 'Every day of the range, oldest first' })
  days!: SalesDay[];

  @ApiProperty({ type: [TopItem], description: 'Best sellers by quantity, at most 10' })
  topItems!: TopItem[];

  @ApiProperty({ example: 9800 })
  totalRevenueCents!: number;

  @ApiProperty({
    type: [VatShareView],
    description:
      "The VAT the revenue contains, per rate (lowest first): the sum of the orders' own breakdowns",
  })
  vat!: VatShareView[];

  @ApiProperty({
    type: 'integer',
    example: 9500,
    description: "Σ paidCents of the range's orders: paid less refunded, tips not included",
  })
  paidCents!: number;

  @ApiProperty({ type: 'integer', example: 300, description: "Σ tipCents of the range's orders" })
  tipCents!: number;

  @ApiProperty({
    type: 'integer',
    example: 500,
    description: "Σ refundedCents of the range's orders",
  })
  refundedCents!: number;

  @ApiProperty({
    type: 'integer',
    example: 800,
    description: "Σ balanceCents of the range's orders: ordered, not cancelled, not yet paid",
  })
  unpaidCents!: number;

  @ApiProperty({
    type: [SalesByMethod],
    description: 'Per payment method (cash, card, other; each listed), over the same orders',
  })
  payments!: SalesByMethod[];
}
