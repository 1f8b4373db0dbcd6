import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { MAX_TABLE_NUMBER, MIN_TABLE_NUMBER } from '../../common/table-numbers.js';

const LABEL_MAX_LENGTH = 100;

/** Labels are trimmed; an empty one means none. */
const label = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};

/** `POST /api/admin/tables` */
export class CreateTableDto {
  @ApiProperty({ minimum: MIN_TABLE_NUMBER, maximum: MAX_TABLE_NUMBER, example: 7 })
  @IsInt()
  @Min(MIN_TABLE_NUMBER)
  @Max(MAX_TABLE_NUMBER)
  number!: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: LABEL_MAX_LENGTH,
    example: 'Window',
    description: 'Trimmed; empty or null means no label.',
  })
  @IsOptional()
  @Transform(label)
  @IsString()
  @MaxLength(LABEL_MAX_LENGTH)
  label?: string | null;
}

/** `PATCH /api/admin/tables/:id` */
export class UpdateTableDto {
  @ApiProperty({
    type: String,
    nullable: true,
    maxLength: LABEL_MAX_LENGTH,
    example: 'Terrace 2',
    description: 'The new label; empty or null removes it.',
  })
  @Transform(label)
  @ValidateIf((_object, value) => value !== null)
  @IsString()
  @MaxLength(LABEL_MAX_LENGTH)
  label!: string | null;
}

/** A table as the admin console sees it, with its QR code's link. */
export class TableViewDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 7 })
  number!: number;

  @ApiProperty({ type: String, nullable: true, example: 'Window' })
  label!: string | null;

  @ApiProperty({
    example: 'https://bar.example.com/t/3q2-7wFh0cJ9r0yXg8mE1kQJb3o5vC1nS7aZ8dW4eR0',
    description:
      '`<PUBLIC_URL>/t/<token>`: what the QR code holds. It changes only when the table’s ' +
      'token is rotated.',
  })
  qrUrl!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

/** What anyone holding a table's token may learn: which table it is. */
export class PublicTableDto {
  @ApiProperty({ example: 7 })
  number!: number;

  @ApiProperty({ type: String, nullable: true, example: 'Window' })
  label!: string | null;
}
