import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `GET /api/admin/reports/sales`: business days in VENUE_TIMEZONE, both ends included. */
export class SalesReportQueryDto {
  @ApiPropertyOptional({
    format: 'date',
    example: '2026-11-01',
    description: 'Default: 6 days before `to`',
  })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date written YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', example: '2026-11-30', description: 'Default: today' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date written YYYY-MM-DD' })
  to?: string;
}

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
}
