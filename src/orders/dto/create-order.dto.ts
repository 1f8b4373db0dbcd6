import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { lowerCaseId } from '../../common/ids.js';
import { MAX_TABLE_NUMBER, MIN_TABLE_NUMBER } from '../../common/table-numbers.js';
import { Type, Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

const MAX_ORDER_LINES = 30;
const MAX_LINE_QUANTITY = 20;
const MAX_LINE_OPTIONS = 20;

export class OrderLineDto {
  @ApiProperty({ format: 'uuid' })
  @Transform(lowerCaseId)
  @IsUUID('all')
  menuItemId!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_LINE_QUANTITY, example: 2 })
  @IsInt()
  @Min(1)
  @Max(MAX_LINE_QUANTITY)
  quantity!: number;

  @ApiPropertyOptional({ maxLength: 140, example: 'no ice' })
  @IsOptional()
  @IsString()
  @MaxLength(140)
  note?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_LINE_OPTIONS,
    default: [],
    description:
      "Ids of the item's options chosen for this line (each once); the server checks each " +
      "group's min and max and prices them (`400 OPTIONS_INVALID` otherwise)",
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? value.map((id: unknown) => (typeof id === 'string' ? id.toLowerCase() : id))
      : value,
  )
  @IsArray()
  @ArrayMaxSize(MAX_LINE_OPTIONS)
  @IsUUID('all', { each: true })
  options?: string[];
}

/** `POST /api/orders` */
export class CreateOrderDto {
  @ApiProperty({ type: [OrderLineDto], minItems: 1, maxItems: MAX_ORDER_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ORDER_LINES)
  @ValidateNested({ each: true })
  @Type(() => OrderLineDto)
  items!: OrderLineDto[];

  @ApiPropertyOptional({ minimum: MIN_TABLE_NUMBER, maximum: MAX_TABLE_NUMBER, example: 7 })
  @IsOptional()
  @IsInt()
  @Min(MIN_TABLE_NUMBER)
  @Max(MAX_TABLE_NUMBER)
  tableNumber?: number;

  @ApiPropertyOptional({ maxLength: 280 })
  @IsOptional()
  @IsString()
  @MaxLength(280)
  note?: string;
}
