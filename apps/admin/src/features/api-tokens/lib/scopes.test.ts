import { describe, expect, it } from 'vitest';
import { expiresInDays, isExpired, SCOPES, scopeWords } from './scopes';

describe('API token scopes', () => {
  it('have words for every scope the server knows', () => {
    expect(SCOPES).toEqual([
      'menu:read',
      'menu:write',
      'orders:read',
      'orders:write',
      'reports:read',
      'audit:read',
      'users:read',
    ]);
    for (const scope of SCOPES) expect(scopeWords(scope).label).not.toContain(':');
  });

  it('turn the expiry choice into days', () => {
    expect(expiresInDays('30')).toBe(30);
    expect(expiresInDays('never')).toBeUndefined();
  });

  it('tell an expired token', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    expect(isExpired(null, now)).toBe(false);
    expect(isExpired('2026-06-01T11:59:59Z', now)).toBe(true);
    expect(isExpired('2026-06-02T00:00:00Z', now)).toBe(false);
  });
});
