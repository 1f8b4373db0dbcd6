import { describe, expect, it } from 'vitest';
import { apiErrorFrom } from './api-error';

describe('API errors', () => {
  it('turns a contract error into a readable message, keeping code and details', () => {
    const error = apiErrorFrom(409, { statusCode: 409, code: 'OUT_OF_STOCK', message: 'stock' });
    expect(error.code).toBe('OUT_OF_STOCK');
    expect(error.message).toBe('There isn’t enough left of something in your order.');
    expect(error.serverMessage).toBe('stock');
  });

  it('says when to try again after 429 RATE_LIMITED', () => {
    const error = apiErrorFrom(429, { statusCode: 429, code: 'RATE_LIMITED', message: 'x' }, '42');
    expect(error.retryAfterSeconds).toBe(42);
    expect(error.message).toBe('Too many tries — wait 42 seconds.');
  });

  it('lists VALIDATION_FAILED fields in human words, never the validator’s', () => {
    const error = apiErrorFrom(400, {
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'name must be longer than or equal to 1 characters; email must be an email',
      details: [
        { field: 'name', errors: ['name must be longer than or equal to 1 characters'] },
        { field: 'email', errors: ['email must be an email'] },
      ],
    });
    expect(error.fieldErrors('register')).toEqual({
      name: 'Please enter your name.',
      email: 'That doesn’t look like an email address.',
    });
    expect(error.message).not.toContain('must be');
    expect(error.summary('register')).toBe(
      'Please enter your name. That doesn’t look like an email address.',
    );
  });

  it('has no field errors for other codes, and summarises them by their message', () => {
    const error = apiErrorFrom(409, { statusCode: 409, code: 'EMAIL_TAKEN', message: 'taken' });
    expect(error.fieldErrors('register')).toEqual({});
    expect(error.summary('register')).toBe(error.message);
  });

  it('says nothing of the cause of a 500', () => {
    const error = apiErrorFrom(500, {
      statusCode: 500,
      code: 'INTERNAL',
      message: 'Internal error',
      details: { stack: 'at x' },
    });
    expect(error.message).toBe('Something went wrong on our side. Please try again.');
  });

  it('tells an unreachable server apart', () => {
    expect(apiErrorFrom(0, undefined).message).toBe('Can’t reach Taproom — check your connection.');
  });

  it('reports an unreachable server as NETWORK and a bare 502 as INTERNAL', () => {
    expect(apiErrorFrom(0, undefined).code).toBe('NETWORK');
    expect(apiErrorFrom(502, '<html>').code).toBe('INTERNAL');
  });
});
