import { describe, expect, it } from 'vitest';
import { apiErrorFrom } from './api-error';

describe('API errors', () => {
  it('turns a contract error into a readable message, keeping code and details', () => {
    const error = apiErrorFrom(409, { statusCode: 409, code: 'OUT_OF_STOCK', message: 'stock' });
    expect(error.code).toBe('OUT_OF_STOCK');
    expect(error.message).toBe('There is not enough left of something in your order.');
    expect(error.serverMessage).toBe('stock');
  });

  it('says when to try again after 429 RATE_LIMITED', () => {
    const error = apiErrorFrom(429, { statusCode: 429, code: 'RATE_LIMITED', message: 'x' }, '42');
    expect(error.retryAfterSeconds).toBe(42);
    expect(error.message).toBe('Too many attempts. Please try again in 42 s.');
  });

  it('lists VALIDATION_FAILED fields', () => {
    const error = apiErrorFrom(400, {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'bad',
      details: [{ field: 'password', errors: ['password is too common'] }],
    });
    expect(error.fieldErrors()).toEqual({ password: 'password is too common' });
  });

  it('reports an unreachable server as NETWORK and a bare 502 as INTERNAL', () => {
    expect(apiErrorFrom(0, undefined).code).toBe('NETWORK');
    expect(apiErrorFrom(502, '<html>').code).toBe('INTERNAL');
  });
});
