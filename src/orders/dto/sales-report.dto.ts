import { ApiProperty } from '@nestjs/swagger';
import { VatShareView } from '../order-view.js';

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

/** Completed orders only. */
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
}
