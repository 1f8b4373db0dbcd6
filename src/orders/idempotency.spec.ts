import { describe, expect, it } from '@jest/globals';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { hashOrderRequest, parseIdempotencyKey } from './idempotency.js';

const ITEM = '5d0c7a4e-6f3e-4c49-9c7a-1f1e2d3c4b5a';

describe('Idempotency-Key', () => {
  it('accepts a UUID and other visible ASCII keys', () => {
    expect(parseIdempotencyKey('0b9f8a6e-1c2d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(
      '0b9f8a6e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    );
    expect(parseIdempotencyKey('order:42/retry')).toBe('order:42/retry');
  });

  it.each([undefined, '', 'has space', 'x'.repeat(256), 'tab\there', 'ünïcode'])(
    'refuses %p with VALIDATION_FAILED naming the header',
    (value) => {
      let thrown: unknown;
      try {
        parseIdempotencyKey(value);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect((thrown as AppError).code).toBe(ErrorCode.VALIDATION_FAILED);
      expect(JSON.stringify((thrown as AppError).details)).toContain('Idempotency-Key');
    },
  );

  it('refuses the header sent twice', () => {
    expect(() => parseIdempotencyKey(['a', 'b'])).toThrow(AppError);
  });
});

describe('order request hash', () => {
  it('ignores key order and omitted optional fields', () => {
    const a = hashOrderRequest({ items: [{ menuItemId: ITEM, quantity: 2 }] });
    const b = hashOrderRequest({
      note: undefined,
      items: [{ quantity: 2, menuItemId: ITEM.toUpperCase(), note: undefined }],
    });
    expect(a).toBe(b);
  });

  it('differs when anything that matters differs', () => {
    const base = hashOrderRequest({ items: [{ menuItemId: ITEM, quantity: 2 }], tableNumber: 4 });
    expect(
      hashOrderRequest({ items: [{ menuItemId: ITEM, quantity: 3 }], tableNumber: 4 }),
    ).not.toBe(base);
    expect(
      hashOrderRequest({ items: [{ menuItemId: ITEM, quantity: 2 }], tableNumber: 5 }),
    ).not.toBe(base);
    expect(
      hashOrderRequest({ items: [{ menuItemId: ITEM, quantity: 2, note: 'ice' }], tableNumber: 4 }),
    ).not.toBe(base);
  });
});
