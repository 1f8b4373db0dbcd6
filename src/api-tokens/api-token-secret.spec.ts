import { describe, expect, it } from '@jest/globals';
import { hashApiToken, isWellFormedApiToken, mintApiToken } from './api-token-secret.js';

describe('API token secrets', () => {
  it('are tap_ and 32 random bytes in base64url', () => {
    const token = mintApiToken();
    expect(token).toMatch(/^tap_[\w-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(mintApiToken()).not.toBe(token);
  });

  it('tells well-formed tokens from anything else', () => {
    expect(isWellFormedApiToken(mintApiToken())).toBe(true);
    expect(isWellFormedApiToken('tap_short')).toBe(false);
    expect(isWellFormedApiToken(`tap_${'a'.repeat(43)}x`)).toBe(false);
    expect(isWellFormedApiToken(`tok_${'a'.repeat(43)}`)).toBe(false);
  });

  it('are kept as a SHA-256 only', () => {
    const token = mintApiToken();
    expect(hashApiToken(token)).toHaveLength(32);
    expect(hashApiToken(token).equals(hashApiToken(token))).toBe(true);
  });
});
