import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { lowerCaseId } from '../../common/ids.js';
import { MAX_VAT_RATE_BASIS_POINTS } from '../../orders/money.js';
import {
  MAX_OPTION_GROUPS,
  MAX_OPTIONS_PER_GROUP,
  MAX_PRICE_DELTA_CENTS,
} from '../option-groups.js';

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

/** One option of a group, as the admin sends it. */
export class OptionInputDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "An existing option's id keeps it (same id); leave it out for a new option",
  })
  @IsOptional()
  @Transform(lowerCaseId)
  @IsUUID('all')
  id?: string;

  @ApiProperty({ minLength: 1, maxLength: 60, example: 'Half pint' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  name!: string;

  @ApiProperty({ minimum: -MAX_PRICE_DELTA_CENTS, maximum: MAX_PRICE_DELTA_CENTS, example: -250 })
  @IsInt()
  @Min(-MAX_PRICE_DELTA_CENTS)
  @Max(MAX_PRICE_DELTA_CENTS)
  priceDeltaCents!: number;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  available?: boolean;
}

/** One option group, as the admin sends it (see `optionGroups`). */
export class OptionGroupInputDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description: "An existing group's id keeps it (same id); leave it out for a new group",
  })
  @IsOptional()
  @Transform(lowerCaseId)
  @IsUUID('all')
  id?: string;

  @ApiProperty({ minLength: 1, maxLength: 60, example: 'Size' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  name!: string;

  @ApiProperty({ minimum: 0, maximum: MAX_OPTIONS_PER_GROUP, example: 1 })
  @IsInt()
  @Min(0)
  @Max(MAX_OPTIONS_PER_GROUP)
  min!: number;

  @ApiProperty({
    minimum: 1,
    maximum: MAX_OPTIONS_PER_GROUP,
    example: 1,
    description: 'At least min, at most the number of options',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_OPTIONS_PER_GROUP)
  max!: number;

  @ApiProperty({
    type: [OptionInputDto],
    minItems: 1,
    maxItems: MAX_OPTIONS_PER_GROUP,
    description: 'In display order',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_OPTIONS_PER_GROUP)
  @ValidateNested({ each: true })
  @Type(() => OptionInputDto)
  options!: OptionInputDto[];
}

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

  @ApiPropertyOptional({
    default: 0,
    minimum: 0,
    maximum: MAX_VAT_RATE_BASIS_POINTS,
    example: 2000,
    description: 'VAT rate the price includes, in basis points (2000 = 20 %)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_VAT_RATE_BASIS_POINTS)
  vatRateBasisPoints?: number;

  @ApiPropertyOptional({
    type: [OptionGroupInputDto],
    maxItems: MAX_OPTION_GROUPS,
    default: [],
    description:
      "The item's option groups in display order. On a change it replaces them all: a given " +
      '`id` keeps that group or option, one without is new, one left out is removed. ' +
      '0 ≤ min ≤ max ≤ options, and no choice may bring the unit price below 0.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_OPTION_GROUPS)
  @ValidateNested({ each: true })
  @Type(() => OptionGroupInputDto)
  optionGroups?: OptionGroupInputDto[];
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

/** `PATCH /api/menu/:id/availability` and `PATCH /api/menu/:id/options/:optionId/availability` */
export class SetAvailabilityDto {
  @ApiProperty()
  @IsBoolean()
  available!: boolean;
}
