import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
  ValidateIf,
} from 'class-validator';

const MAX_PRICE_CENTS = 1_000_000;
/** The most a stock count may hold. */
export const MAX_STOCK = 1_000_000;
/** An allergen label: 1–30 lowercase letters, digits, spaces or dashes. */
const ALLERGEN = /^[a-z0-9][a-z0-9 -]{0,29}$/;
const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;
const trimEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value)
    ? value.map((entry: unknown) =>
        typeof entry === 'string' ? entry.trim().toLowerCase() : entry,
      )
    : value;

/** `POST /api/admin/menu-items` */
export class CreateMenuItemDto {
  @ApiProperty({ minLength: 1, maxLength: 80, example: 'Pale Ale' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  name!: string;

  @ApiPropertyOptional({ maxLength: 500, default: '' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty({ minLength: 1, maxLength: 40, example: 'Beer' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(40)
  category!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_PRICE_CENTS, example: 550 })
  @IsInt()
  @Min(0)
  @Max(MAX_PRICE_CENTS)
  priceCents!: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  available?: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    default: null,
    minimum: 0,
    maximum: MAX_STOCK,
    description: 'null = unlimited',
  })
  @ValidateIf((_object, value) => value !== null)
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_STOCK)
  stock?: number | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', pattern: ALLERGEN.source },
    maxItems: 20,
    default: [],
    example: ['gluten', 'nuts'],
    description: 'Short lowercase labels (trimmed)',
  })
  @IsOptional()
  @Transform(trimEach)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(ALLERGEN, {
    each: true,
    message: 'each allergen must be a short label (1-30 letters, digits, spaces or dashes)',
  })
  allergens?: string[];

  @ApiPropertyOptional({
    maxLength: 24,
    example: 'kitchen',
    description: 'Where it is prepared: one of STATIONS (default: the first, `bar`)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @MaxLength(24)
  station?: string;

  @ApiPropertyOptional({ default: 0, description: 'Position within its category (ascending)' })
  @IsOptional()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  sortOrder?: number;
}

/** `PATCH /api/admin/menu-items/:id`: any field, or `stockDelta` to restock. */
export class UpdateMenuItemDto extends PartialType(CreateMenuItemDto) {
  @ApiPropertyOptional({
    type: 'integer',
    description:
      'Added to the stock as it is at that moment (concurrent orders are kept); not together with stock',
    example: 24,
  })
  // Absent is fine; null is not a number to add.
  @ValidateIf((_object, value) => value !== undefined)
  @IsInt()
  @NotEquals(0)
  @Min(-MAX_STOCK)
  @Max(MAX_STOCK)
  stockDelta?: number;
}

/** `PATCH /api/menu/:id/availability` */
export class SetAvailabilityDto {
  @ApiProperty()
  @IsBoolean()
  available!: boolean;
}
