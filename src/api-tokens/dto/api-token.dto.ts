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
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { API_TOKEN_SCOPE_NAMES, type ApiTokenScope } from '../api-token-scopes.js';

const TOKEN_NAME_MAX_LENGTH = 100;
const TOKEN_MAX_DAYS = 365;

const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** `POST /api/tokens` */
export class CreateApiTokenDto {
  @ApiProperty({
    minLength: 1,
    maxLength: TOKEN_NAME_MAX_LENGTH,
    example: 'Stock sync (back office)',
    description: 'What the token is for, to recognise it in the list. Trimmed.',
  })
  @Transform(trimmed)
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(TOKEN_NAME_MAX_LENGTH)
  name!: string;

  @ApiProperty({
    enum: API_TOKEN_SCOPE_NAMES,
    isArray: true,
    minItems: 1,
    example: ['orders:read'],
    description: 'What the token may do: at least one scope, each at most once.',
  })
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(API_TOKEN_SCOPE_NAMES.length)
  @ArrayUnique({ message: 'scopes must not repeat a scope' })
  @IsIn(API_TOKEN_SCOPE_NAMES, {
    each: true,
    message: `each scope must be one of: ${API_TOKEN_SCOPE_NAMES.join(', ')}`,
  })
  scopes!: ApiTokenScope[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: TOKEN_MAX_DAYS,
    example: 90,
    description: 'Days until the token stops working; without it, it works until revoked.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(TOKEN_MAX_DAYS)
  expiresInDays?: number;
}

/** An API token as its owner sees it in the list: never the token itself. */
export class ApiTokenViewDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Stock sync (back office)' })
  name!: string;

  @ApiProperty({ enum: API_TOKEN_SCOPE_NAMES, isArray: true })
  scopes!: ApiTokenScope[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Null: works until revoked.',
  })
  expiresAt!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Null: never used. Updated at most about once a minute.',
  })
  lastUsedAt!: string | null;
}

/** `201` of `POST /api/tokens`: the only time the token is shown. */
export class CreatedApiTokenDto extends ApiTokenViewDto {
  @ApiProperty({
    example: 'tap_3q2-7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    description:
      'Send it as `Authorization: Bearer tap_…`. Shown once: only its SHA-256 is kept, so it cannot be shown again.',
  })
  token!: string;
}
