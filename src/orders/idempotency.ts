import { createHash } from 'node:crypto';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { CreateOrderDto } from './dto/create-order.dto.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Keys are remembered this long; after that the same key starts a new order. */
export const IDEMPOTENCY_TTL_HOURS = 24;

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Checks the header's value: 1–255 visible ASCII characters (a UUID is the usual choice). */
export function parseIdempotencyKey(value: string | string[] | undefined): string {
  const problem =
    value === undefined || value === ''
      ? `the ${IDEMPOTENCY_HEADER} header is required`
      : Array.isArray(value)
        ? `send one ${IDEMPOTENCY_HEADER} header`
        : KEY_PATTERN.test(value)
          ? undefined
          : `${IDEMPOTENCY_HEADER} must be 1-255 visible ASCII characters`;
  if (problem === undefined && typeof value === 'string') return value;
  throw new AppError(ErrorCode.VALIDATION_FAILED, problem, [
    { field: IDEMPOTENCY_HEADER, errors: [problem ?? 'invalid'] },
  ]);
}

/**
 * A hash of what the order request means: the same lines (with their options, in any order),
 * table and notes give the same hash whatever the JSON's key order or omitted optional fields.
 */
export function hashOrderRequest(body: CreateOrderDto): string {
  const canonical = {
    items: body.items.map((line) => [
      line.menuItemId.toLowerCase(),
      line.quantity,
      line.note ?? null,
      // A line's options are a set: the order they were sent in means nothing.
      (line.options ?? []).map((id) => id.toLowerCase()).sort(),
    ]),
    tableNumber: body.tableNumber ?? null,
    note: body.note ?? null,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
