import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

const DEFAULT_PAGE_LIMIT = 20;
const MAX_PAGE_LIMIT = 100;

/**
 * `page` (from 1) and `limit` (default 20, at most 100) of every list endpoint. Extend it with a
 * list's own filters: `class AuditQueryDto extends PageQueryDto { ... }`.
 */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: 1_000_000,
    default: 1,
    description: 'Page number, from 1.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page = 1;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_LIMIT,
    default: DEFAULT_PAGE_LIMIT,
    description: 'Items per page.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit: number = DEFAULT_PAGE_LIMIT;
}

/** One page of a list: the items and how many there are in all. */
export interface Page<T> {
  items: T[];
  total: number;
}

/** The rows to skip and take for a page query. */
export function pageWindow(query: Pick<PageQueryDto, 'page' | 'limit'>): {
  skip: number;
  take: number;
} {
  const limit = query.limit;
  return { skip: (query.page - 1) * limit, take: limit };
}
