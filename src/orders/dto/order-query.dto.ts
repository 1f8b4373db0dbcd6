import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { lowerCaseId } from '../../common/ids.js';
import { IsInstant } from '../../common/instant.js';
import { CommaList, QueryWholeNumber } from '../../common/query-values.js';
import { type CursorList, ListCursor } from '../../common/list-cursor.js';
import { PageQueryDto } from '../../common/pagination.js';
import { ORDER_STATUSES, type OrderStatus } from '../order-state-machine.js';
import { MAX_TABLE_NUMBER, MIN_TABLE_NUMBER } from '../../common/table-numbers.js';

const ORDER_SORTS = ['createdAt', 'updatedAt'] as const;
export type OrderSort = (typeof ORDER_SORTS)[number];

/**
 * Which orders: the filters `GET /api/orders` and `GET /api/admin/orders.csv` share. `from`
 * inclusive, `to` exclusive, on `createdAt`; `updatedFrom` inclusive, on `updatedAt`. A customer's
 * list is their own orders whatever `customerId` says (someone else's id finds nothing).
 */
export class OrderFilterQueryDto {
  @ApiPropertyOptional({
    description: 'One status, or several separated by commas (pending,accepted)',
    example: 'pending,accepted',
    type: String,
  })
  @IsOptional()
  @CommaList()
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
    type: 'integer',
    minimum: MIN_TABLE_NUMBER,
    maximum: MAX_TABLE_NUMBER,
    example: 7,
    description: 'Orders placed for this table',
  })
  @IsOptional()
  @QueryWholeNumber(MIN_TABLE_NUMBER, MAX_TABLE_NUMBER)
  tableNumber?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "This customer's orders (staff; a customer only ever sees their own)",
  })
  @IsOptional()
  @Transform(lowerCaseId)
  @IsUUID('all')
  customerId?: string;
}

/** The cursor list of an orders sort: a cursor of one sort is refused by the other. */
export function orderCursorList(sort: OrderSort | undefined): CursorList {
  return sort === 'updatedAt' ? 'orders.updatedAt' : 'orders.createdAt';
}

/**
 * `GET /api/orders`: newest first (by `createdAt`, or by `updatedAt` with `sort=updatedAt`), a
 * page at a time (by `page`, or after a `cursor`), with the filters of {@link OrderFilterQueryDto}.
 */
export class OrderQueryDto extends IntersectionType(PageQueryDto, OrderFilterQueryDto) {
  @ApiPropertyOptional({
    enum: ORDER_SORTS,
    default: 'createdAt',
    description: 'Newest first by creation, or by the last change',
  })
  @IsOptional()
  @IsIn(ORDER_SORTS)
  sort?: OrderSort;

  @ListCursor((query) => orderCursorList((query as OrderQueryDto).sort))
  cursor?: string;
}
