import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import type { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { selectRows } from '../database/sql-rows.js';
import { type CursorKey, type CursorList, encodeCursor } from './list-cursor.js';
import { QueryWholeNumber } from './query-values.js';

const DEFAULT_PAGE_LIMIT = 20;
const MAX_PAGE_LIMIT = 100;
const MAX_PAGE = 1_000_000;

/**
 * `page` (from 1) and `limit` (default 20, at most 100) of every list endpoint. Extend it with a
 * list's own filters: `class AuditQueryDto extends PageQueryDto { ... }`.
 */
export class PageQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE,
    default: 1,
    description: 'Page number, from 1.',
  })
  @IsOptional()
  @QueryWholeNumber(1, MAX_PAGE)
  page = 1;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_LIMIT,
    default: DEFAULT_PAGE_LIMIT,
    description: 'Items per page.',
  })
  @IsOptional()
  @QueryWholeNumber(1, MAX_PAGE_LIMIT)
  limit: number = DEFAULT_PAGE_LIMIT;
}

/**
 * Up to this many matching rows, a list's `total` is exact; past it, counting them all would cost
 * a scan of every match (a million orders), so the total is the planner's estimate instead.
 */
const EXACT_TOTAL_LIMIT = 10_000;

/** How many rows a list's filter matches: exact up to {@link EXACT_TOTAL_LIMIT}. */
export interface PageTotal {
  total: number;
  totalIsEstimate: boolean;
}

/** One page of a list: the items and how many there are in all. */
export interface Page<T> extends PageTotal {
  items: T[];
}

/**
 * One page of a list that also pages by keyset (`cursor`): the orders and the audit log.
 * `nextCursor` asks for the page after this one; null when this page ends the list.
 */
export interface CursorPage<T> extends Page<T> {
  nextCursor: string | null;
}

/** `total` and `totalIsEstimate` of a `*PageDto`, for Swagger. */
export class PageTotalDto implements PageTotal {
  @ApiProperty({
    example: 1,
    description: `How many match: exact up to ${EXACT_TOTAL_LIMIT.toLocaleString('en')}; above that it may be an estimate (see totalIsEstimate).`,
  })
  total!: number;

  @ApiProperty({
    example: false,
    description: `True when total is the database's estimate (only ever above ${EXACT_TOTAL_LIMIT.toLocaleString('en')}): show it as "about".`,
  })
  totalIsEstimate!: boolean;
}

/** {@link PageTotalDto} with the `nextCursor` of a list that pages by keyset, for Swagger. */
export class CursorPageTotalDto extends PageTotalDto {
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'WyJhdWRpdCIsIjIwMjYtMTItMDdUMTI6MDA6MDAuMTIzNDU2WiIsIjQyIl0',
    description:
      'Pass as `cursor` for the page after this one (same filters and sort); null when this ' +
      'page ends the list. Opaque: an addition to the contract, beside `page`.',
  })
  nextCursor!: string | null;
}

/**
 * How many rows `sql` (a SELECT with its parameters, without ORDER BY or LIMIT) returns. It reads
 * at most {@link EXACT_TOTAL_LIMIT} + 1 of them, so a count costs the same on a million rows as
 * on ten thousand; when there are more, the total is the planner's estimate of the whole query
 * (`EXPLAIN`), never below what was counted, and flagged as an estimate.
 */
export async function countUpTo(
  manager: EntityManager,
  sql: string,
  params: unknown[],
  estimated: { sql: string; params: unknown[] } = { sql, params },
): Promise<PageTotal> {
  const [row] = await selectRows<{ n: string | number }>(
    manager,
    `SELECT count(*) AS n FROM (${sql} LIMIT ${EXACT_TOTAL_LIMIT + 1}) AS counted`,
    params,
  );
  const counted = Number(row?.n ?? 0);
  if (counted <= EXACT_TOTAL_LIMIT) return { total: counted, totalIsEstimate: false };
  const estimate = await plannedRows(manager, estimated.sql, estimated.params);
  return { total: Math.max(counted, estimate), totalIsEstimate: true };
}

/**
 * {@link countUpTo} for a TypeORM query of the list (its filters, before ordering and paging).
 * `estimateWith`, when given, is the query whose plan estimates a long list instead: the same
 * list without conditions whose combined selectivity the planner gets badly wrong.
 */
export function countQueryUpTo<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  estimateWith?: SelectQueryBuilder<T>,
): Promise<PageTotal> {
  const [sql, params] = builder.clone().select('1').getQueryAndParameters();
  const estimated = estimateWith?.clone().select('1').getQueryAndParameters();
  return countUpTo(
    builder.dataSource.manager,
    sql,
    params,
    estimated && { sql: estimated[0], params: estimated[1] },
  );
}

/** The planner's estimate of how many rows `sql` returns (its top node's `Plan Rows`). */
async function plannedRows(
  manager: EntityManager,
  sql: string,
  params: unknown[],
): Promise<number> {
  const [row] = await selectRows<{ 'QUERY PLAN': unknown }>(
    manager,
    `EXPLAIN (FORMAT JSON) ${sql}`,
    params,
  );
  // node-postgres parses the JSON plan; some drivers hand it over as text.
  const raw = row?.['QUERY PLAN'];
  const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as
    { Plan?: { 'Plan Rows'?: unknown } }[] | undefined;
  const rows = Number(plan?.[0]?.Plan?.['Plan Rows']);
  return Number.isFinite(rows) ? Math.round(rows) : 0;
}

/**
 * The total to answer a page with. An estimate never stays below what the page itself shows:
 * a page that is not full ends the list, so the total is exact (the rows before it and on it);
 * a full page proves those rows and may have more after it, so an estimate counts at least one
 * more. The planner's estimate of a filter whose conditions go together (one customer's completed
 * orders) can be far below the truth, and a pager must still reach the last page.
 */
export function totalWithPage(
  counted: PageTotal,
  window: { skip: number; take: number },
  rowsOnPage: number,
): PageTotal {
  if (!counted.totalIsEstimate || rowsOnPage === 0) return counted;
  if (rowsOnPage < window.take) return { total: window.skip + rowsOnPage, totalIsEstimate: false };
  return {
    total: Math.max(counted.total, window.skip + rowsOnPage + 1),
    totalIsEstimate: true,
  };
}

/**
 * The total to answer a cursor page with: as {@link totalWithPage}, but how many rows come before
 * the cursor is not known (counting them would cost what the cursor saves), so an estimate stays
 * one, never below the rows this page shows and, when there are more, one more.
 */
export function totalWithCursorPage(
  counted: PageTotal,
  rowsOnPage: number,
  more: boolean,
): PageTotal {
  if (!counted.totalIsEstimate) return counted;
  return { total: Math.max(counted.total, rowsOnPage + (more ? 1 : 0)), totalIsEstimate: true };
}

/**
 * A page of `take` rows out of `rows`, read with one more than the page (`take + 1`) so that the
 * extra row tells whether the list goes on: then `nextCursor` is the cursor of the page's last
 * row; null when the page ends the list.
 */
export function cutPage<R>(
  rows: readonly R[],
  take: number,
  list: CursorList,
  keyOf: (row: R) => CursorKey,
): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, take);
  const last = page.at(-1);
  const nextCursor =
    rows.length > take && last !== undefined ? encodeCursor(list, keyOf(last)) : null;
  return { rows: page, nextCursor };
}

/** The rows to skip and take for a page query. */
export function pageWindow(query: Pick<PageQueryDto, 'page' | 'limit'>): {
  skip: number;
  take: number;
} {
  const limit = query.limit;
  return { skip: (query.page - 1) * limit, take: limit };
}
