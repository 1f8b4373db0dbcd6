import { createHash } from 'node:crypto';
import { AppError } from '../../common/errors/app-error.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import type { StoredPaymentKey } from './payments.repository.js';

/**
 * A hash of what a payment request means: where it goes (an order, or a tab) and what it pays,
 * whatever the JSON's key order or omitted optional fields. The same key sent for another order,
 * or with another amount, is a different request (`422 IDEMPOTENCY_MISMATCH`).
 */
export function hashPaymentRequest(request: {
  readonly orderId?: string;
  readonly tableNumber?: number;
  readonly customerId?: string;
  readonly orderIds?: readonly string[];
  readonly method: string;
  readonly amountCents: number;
  readonly tipCents?: number;
}): string {
  const canonical = [
    request.orderId?.toLowerCase() ?? null,
    request.tableNumber ?? null,
    request.customerId?.toLowerCase() ?? null,
    request.orderIds === undefined
      ? null
      : [...request.orderIds].map((id) => id.toLowerCase()).sort(),
    request.method,
    request.amountCents,
    request.tipCents ?? 0,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The answer to a key that an earlier request used, if the request is the same. */
export function answerStored(
  stored: StoredPaymentKey | undefined,
  requestHash: string,
): { result: never; replayed: true } {
  if (stored === undefined) throw new Error('A payment key conflicted but cannot be read');
  if (stored.requestHash !== requestHash) {
    throw new AppError(
      ErrorCode.IDEMPOTENCY_MISMATCH,
      'This Idempotency-Key was already used for a different payment; use a new key for a new payment.',
    );
  }
  // What the first request answered, as it stored it: the caller knows its shape.
  return { result: stored.response as never, replayed: true };
}
