import { describe, expect, it } from '@jest/globals';
import { REDACTED, sanitizeAuditDetails } from './audit-details.js';

describe('sanitizeAuditDetails', () => {
  it('keeps ordinary details as they are', () => {
    const details = { email: 'a@b.co', reason: 'admin', from: 'bartender', to: 'admin', n: 3 };
    expect(sanitizeAuditDetails(details)).toEqual({ details, removed: [] });
  });

  it('drops password, token, secret, hash and cookie keys at any depth', () => {
    const { details, removed } = sanitizeAuditDetails({
      email: 'a@b.co',
      password: 'hunter2hunter2',
      newPassword: 'x',
      refreshToken: 'abc',
      nested: { accessToken: 'x', passwordHash: 'y', keep: 1, list: [{ secret: 's', ok: true }] },
      Cookie: 'rt_admin=1',
      authorization: 'Bearer x',
    });
    expect(details).toEqual({ email: 'a@b.co', nested: { keep: 1, list: [{ ok: true }] } });
    expect(removed).toEqual(
      expect.arrayContaining([
        'password',
        'newPassword',
        'refreshToken',
        'nested.accessToken',
        'nested.passwordHash',
        'nested.list[0].secret',
        'Cookie',
        'authorization',
      ]),
    );
  });

  it('masks JWT-shaped strings whatever their key', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
    const { details } = sanitizeAuditDetails({ note: jwt, other: 'fine.text' });
    expect(details).toEqual({ note: REDACTED, other: 'fine.text' });
  });

  it('turns dates into ISO strings and leaves no undefined values', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(sanitizeAuditDetails({ at, gone: undefined }).details).toEqual({
      at: '2026-01-02T03:04:05.000Z',
    });
  });

  it('gives an empty object for no details', () => {
    expect(sanitizeAuditDetails(undefined).details).toEqual({});
  });
});
