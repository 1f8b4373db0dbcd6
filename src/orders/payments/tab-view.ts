import { ApiProperty } from '@nestjs/swagger';
import { OrderView } from '../order-view.js';

/** A tab: the orders of one table or customer, today, that are not cancelled and not paid. */
export class TabView {
  @ApiProperty({ type: [OrderView], description: 'Oldest first' })
  orders!: OrderView[];

  @ApiProperty({ type: 'integer', example: 2400, description: 'Σ totalCents of the orders' })
  totalCents!: number;

  @ApiProperty({ type: 'integer', example: 400, description: 'Σ paidCents of the orders' })
  paidCents!: number;

  @ApiProperty({ type: 'integer', example: 2000, description: 'Σ balanceCents of the orders' })
  balanceCents!: number;
}
