import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, ValidateBy, type ValidationArguments } from 'class-validator';
import { AppError } from './errors/app-error.js';
import { ErrorCode } from './errors/error-code.js';

/**
 * The lists (and, for a list with several sorts, the sort) a keyset cursor belongs to. A cursor
 * names its list, so one answered by another list or for another sort is refused rather than
 * read as a position it never was.
 */
const CURSOR_LISTS = ['orders.createdAt', 'orders.updatedAt', 'audit'] as const;
export type CursorList = (typeof CURSOR_LISTS)[number];

/**
 * Where a keyset page starts: right after the row with this sort instant and tie-breaker, in the
 * list's order (newest first). The instant is kept to the microsecond as PostgreSQL stores it: a
 * `Date` would cut it to the millisecond, and rows inside that millisecond would be skipped.
 */
export interface CursorKey {
  /** The sort instant in UTC, always six decimals: `2026-12-07T12:00:00.123456Z`. */
  readonly at: string;
  /** What breaks ties between rows of one instant: an order's id, an audit entry's `seq`. */
  readonly tie: string;
}

/**
 * SQL for `column` (a timestamptz) as {@link CursorKey.at} writes it, whatever the session's time
 * zone and date style.
 */
export function cursorInstantSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The longest cursor accepted; the ones this server writes are about 110 characters. */
const MAX_CURSOR_LENGTH = 200;

const INSTANT = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEQ = /^[1-9]\d{0,18}$/;
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** The opaque text of a cursor: base64url of `[list, at, tie]` as JSON. */
export function encodeCursor(list: CursorList, key: CursorKey): string {
  return Buffer.from(JSON.stringify([list, key.at, key.tie]), 'utf8').toString('base64url');
}

/** What reading a cursor gave: its key, or why it is refused (a sentence naming `cursor`). */
type CursorReading = { key: CursorKey } | { problem: string };

/**
 * Reads a cursor of `list`. Only what {@link encodeCursor} writes is taken: the same bytes, a key
 * of the list's kind (an order's id, an audit entry's `seq`) and an instant that exists.
 */
export function readCursor(text: unknown, list: CursorList): CursorReading {
  const malformed = { problem: 'cursor must be a nextCursor as this list answered it' };
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_CURSOR_LENGTH) {
    return malformed;
  }
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return malformed;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return malformed;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 3 ||
    !decoded.every((part): part is string => typeof part === 'string')
  ) {
    return malformed;
  }
  const [from, at, tie] = decoded as [string, string, string];
  if (!(CURSOR_LISTS as readonly string[]).includes(from)) return malformed;
  const key = { at, tie };
  if (!validKey(from as CursorList, key)) return malformed;
  // Another spelling of the same bytes (padding, spaces in the JSON) is not a cursor we wrote.
  if (encodeCursor(from as CursorList, key) !== text) return malformed;
  if (from !== list)
    return {
      problem: `cursor belongs to ${describeList(from as CursorList)}, not to ${describeList(list)}`,
    };
  return { key };
}

function validKey(list: CursorList, key: CursorKey): boolean {
  const instant = INSTANT.exec(key.at);
  if (!instant || Number(instant[1]) < 1) return false;
  // A date that does not exist (February 30th, hour 24) is refused here, not by the database.
  const milliseconds = `${key.at.slice(0, 23)}Z`;
  const date = new Date(milliseconds);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== milliseconds) return false;
  if (list === 'audit') return SEQ.test(key.tie) && BigInt(key.tie) <= MAX_BIGINT;
  return UUID.test(key.tie);
}

function describeList(list: CursorList): string {
  switch (list) {
    case 'orders.createdAt':
      return 'the orders list sorted by createdAt';
    case 'orders.updatedAt':
      return 'the orders list sorted by updatedAt';
    case 'audit':
      return 'the audit list';
  }
}

/**
 * The key of a cursor the query's validation already accepted; a refused one throws
 * `400 VALIDATION_FAILED` naming `cursor` all the same (a caller that skipped the validation).
 */
export function cursorKeyOf(text: string, list: CursorList): CursorKey {
  const reading = readCursor(text, list);
  if ('key' in reading) return reading.key;
  throw new AppError(ErrorCode.VALIDATION_FAILED, reading.problem, [
    { field: 'cursor', errors: [reading.problem] },
  ]);
}

/** Why a query's `cursor` is refused, or undefined when it is fine. */
function cursorProblem(
  value: unknown,
  query: object,
  listOf: (query: object) => CursorList,
): string | undefined {
  const page = (query as { page?: unknown }).page;
  if (typeof page === 'number' && page > 1) {
    return 'cursor cannot be combined with page above 1: the cursor says where the page starts';
  }
  const reading = readCursor(value, listOf(query));
  return 'problem' in reading ? reading.problem : undefined;
}

/**
 * `cursor` of a list that pages by keyset: optional, the `nextCursor` of an earlier answer of the
 * same list (and sort, which `listOf` reads from the query). Anything else, or `cursor` with
 * `page` above 1, is refused with `400 VALIDATION_FAILED` naming `cursor`.
 */
export function ListCursor(listOf: (query: object) => CursorList): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: String,
      maxLength: MAX_CURSOR_LENGTH,
      description:
        'Where the page starts: the `nextCursor` of the previous page (same list, same sort). ' +
        'Opaque. Unlike `page`, a cursor page costs the same at any depth, and rows added at the ' +
        'head meanwhile neither repeat nor push rows off. Not with `page` above 1.',
    }),
    IsOptional(),
    ValidateBy({
      name: 'listCursor',
      validator: {
        validate: (value: unknown, args?: ValidationArguments) =>
          cursorProblem(value, args?.object ?? {}, listOf) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          cursorProblem(args?.value, args?.object ?? {}, listOf) ?? 'cursor is not valid',
      },
    }),
  );
}
