import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { lowerCaseId } from '../../../common/ids.js';
import { MAX_TABLE_NUMBER, MIN_TABLE_NUMBER } from '../../../common/table-numbers.js';
import { PAYMENT_METHODS, type PaymentMethod } from '../payment-figures.js';

/** The most one payment, tip or refund may be: €100,000. */
const MAX_PAYMENT_CENTS = 10_000_000;
/** The most orders one tab payment may name. */
const MAX_TAB_ORDERS = 100;

const lowerCaseIds = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? value.map((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
    : value;

/** `POST /api/orders/:id/payments` */
export class RecordPaymentDto {
  @ApiProperty({ enum: PAYMENT_METHODS, enumName: 'PaymentMethod' })
  @IsIn(PAYMENT_METHODS)
  method!: PaymentMethod;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAYMENT_CENTS,
    example: 1000,
    description: 'Paid towards the total; at most the balance',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_PAYMENT_CENTS)
  amountCents!: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_PAYMENT_CENTS,
    example: 100,
    description: 'On top of the amount (default 0)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PAYMENT_CENTS)
  tipCents?: number;
}

/** `POST /api/orders/:id/refunds` */
export class RecordRefundDto {
  @ApiProperty({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAYMENT_CENTS,
    example: 500,
    description: 'At most what is paid (paidCents)',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_PAYMENT_CENTS)
  amountCents!: number;

  @ApiProperty({ minLength: 1, maxLength: 280, example: 'Spilled drink' })
  @IsString()
  @MinLength(1)
  @MaxLength(280)
  reason!: string;

  @ApiPropertyOptional({
    enum: PAYMENT_METHODS,
    enumName: 'PaymentMethod',
    description: "How the money goes back; by default the method of the order's last payment",
  })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  method?: PaymentMethod;
}

/** `POST /api/tabs/payments`: exactly one of `tableNumber` and `customerId`. */
export class TabPaymentDto extends RecordPaymentDto {
  @ApiPropertyOptional({ type: 'integer', minimum: MIN_TABLE_NUMBER, maximum: MAX_TABLE_NUMBER })
  @IsOptional()
  @IsInt()
  @Min(MIN_TABLE_NUMBER)
  @Max(MAX_TABLE_NUMBER)
  tableNumber?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Transform(lowerCaseId)
  @IsUUID('all')
  customerId?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: MAX_TAB_ORDERS,
    description: "Pay only these of the tab's orders (all of them when left out)",
  })
  @IsOptional()
  @Transform(lowerCaseIds)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TAB_ORDERS)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  orderIds?: string[];
}
