import { describe, expect, it } from '@jest/globals';
import { AppError } from './errors/app-error.js';
import { type CursorKey, cursorKeyOf, encodeCursor, readCursor } from './list-cursor.js';

const ORDER_KEY: CursorKey = {
  at: '2026-12-07T12:00:00.123456Z',
  tie: '0b8f3c1e-2f5a-4c6d-9e7f-0123456789ab',
};
const AUDIT_KEY: CursorKey = { at: '2026-01-31T23:59:59.000001Z', tie: '9223372036854775807' };

/** base64url of any text, as a forged cursor would be written. */
const forge = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

describe('list cursors', () => {
  it('reads back the key it wrote, for each list', () => {
    const orders = encodeCursor('orders.createdAt', ORDER_KEY);
    expect(readCursor(orders, 'orders.createdAt')).toEqual({ key: ORDER_KEY });
    const updated = encodeCursor('orders.updatedAt', ORDER_KEY);
    expect(readCursor(updated, 'orders.updatedAt')).toEqual({ key: ORDER_KEY });
    const audit = encodeCursor('audit', AUDIT_KEY);
    expect(readCursor(audit, 'audit')).toEqual({ key: AUDIT_KEY });
  });

  it('is opaque text that fits a query string as it is', () => {
    const cursor = encodeCursor('orders.updatedAt', ORDER_KEY);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(encodeURIComponent(cursor)).toBe(cursor);
    expect(cursor).not.toContain(ORDER_KEY.tie);
  });

  it('refuses a cursor of another sort or list, saying whose it is', () => {
    const created = encodeCursor('orders.createdAt', ORDER_KEY);
    expect(readCursor(created, 'orders.updatedAt')).toEqual({
      problem:
        'cursor belongs to the orders list sorted by createdAt, not to the orders list sorted by updatedAt',
    });
    const audit = encodeCursor('audit', AUDIT_KEY);
    expect(readCursor(audit, 'orders.createdAt')).toHaveProperty('problem');
    // An order cursor names an id, an audit cursor a sequence number: neither passes as the other.
    expect(
      readCursor(forge(JSON.stringify(['audit', ORDER_KEY.at, ORDER_KEY.tie])), 'audit'),
    ).toHaveProperty('problem');
    expect(
      readCursor(
        forge(JSON.stringify(['orders.createdAt', AUDIT_KEY.at, AUDIT_KEY.tie])),
        'orders.createdAt',
      ),
    ).toHaveProperty('problem');
  });

  it.each([
    ['an empty text', ''],
    ['plain words', 'page two'],
    ['a cursor with base64 padding', `${encodeCursor('audit', AUDIT_KEY)}=`],
    ['base64url that is not JSON', forge('not json')],
    ['JSON that is not a triple', forge('{"list":"audit"}')],
    ['a list nobody answers', forge(JSON.stringify(['users', AUDIT_KEY.at, AUDIT_KEY.tie]))],
    ['a number for a text', forge(JSON.stringify(['audit', AUDIT_KEY.at, 42]))],
    ['a millisecond instant', forge(JSON.stringify(['audit', '2026-12-07T12:00:00.123Z', '1']))],
    [
      'an instant with an offset',
      forge(JSON.stringify(['audit', '2026-12-07T12:00:00.000000+01:00', '1'])),
    ],
    ['February 30th', forge(JSON.stringify(['audit', '2026-02-30T12:00:00.000000Z', '1']))],
    ['hour 24', forge(JSON.stringify(['audit', '2026-02-03T24:00:00.000000Z', '1']))],
    ['year 0', forge(JSON.stringify(['audit', '0000-01-01T00:00:00.000000Z', '1']))],
    ['a seq of 0', forge(JSON.stringify(['audit', AUDIT_KEY.at, '0']))],
    ['a seq past bigint', forge(JSON.stringify(['audit', AUDIT_KEY.at, '9223372036854775808']))],
    ['a seq with a sign', forge(JSON.stringify(['audit', AUDIT_KEY.at, '-1']))],
    [
      'an upper-case id',
      forge(JSON.stringify(['orders.createdAt', ORDER_KEY.at, ORDER_KEY.tie.toUpperCase()])),
    ],
    ['an id with SQL', forge(JSON.stringify(['orders.createdAt', ORDER_KEY.at, "x' OR '1'='1"]))],
    [
      'the JSON spelled with spaces',
      forge(JSON.stringify(['audit', AUDIT_KEY.at, AUDIT_KEY.tie], null, 1)),
    ],
    ['an overlong text', 'A'.repeat(201)],
  ])('refuses %s as malformed', (_name, text) => {
    expect(readCursor(text, 'audit')).toEqual({
      problem: 'cursor must be a nextCursor as this list answered it',
    });
  });

  it('refuses what is not text at all (a repeated query parameter is an array)', () => {
    const cursor = encodeCursor('audit', AUDIT_KEY);
    expect(readCursor([cursor, cursor], 'audit')).toHaveProperty('problem');
    expect(readCursor(undefined, 'audit')).toHaveProperty('problem');
  });

  it('gives the key, or throws 400 VALIDATION_FAILED naming cursor', () => {
    expect(cursorKeyOf(encodeCursor('audit', AUDIT_KEY), 'audit')).toEqual(AUDIT_KEY);
    let thrown: unknown;
    try {
      cursorKeyOf('nope', 'audit');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect(thrown).toMatchObject({
      code: 'VALIDATION_FAILED',
      status: 400,
      details: [{ field: 'cursor', errors: [expect.stringContaining('cursor')] }],
    });
  });
});
