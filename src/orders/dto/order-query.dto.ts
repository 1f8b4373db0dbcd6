import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional } from 'class-validator';
import { IsInstant } from '../../common/instant.js';
import { PageQueryDto } from '../../common/pagination.js';
import { ORDER_STATUSES, type OrderStatus } from '../order-state-machine.js';

const ORDER_SORTS = ['createdAt', 'updatedAt'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

/**
 * `GET /api/orders`: newest first (by `createdAt`, or by `updatedAt` with `sort=updatedAt`); `from`
 * inclusive, `to` exclusive, on `createdAt`; `updatedFrom` inclusive, on `updatedAt`.
 */
export class OrderQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    description: 'One status, or several separated by commas (pending,accepted)',
    example: 'pending,accepted',
    type: String,
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.split(',').map((status) => status.trim()) : value,
  )
  @IsArray()
  @ArrayMaxSize(ORDER_STATUSES.length)
  @IsIn(ORDER_STATUSES, { each: true })
  status?: OrderStatus[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Created at or after' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Created before' })
  @IsOptional()
  @IsInstant()
  to?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Last changed at or after (the bar\'s "recently completed": completed,cancelled)',
  })
  @IsOptional()
  @IsInstant()
  updatedFrom?: string;

  @ApiPropertyOptional({
    enum: ORDER_SORTS,
    default: 'createdAt',
    description: 'Newest first by creation, or by the last change',
  })
  @IsOptional()
  @IsIn(ORDER_SORTS)
  sort?: OrderSort;
}
