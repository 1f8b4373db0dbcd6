import { describe, expect, it } from '@jest/globals';
import { TableTokenCodec } from './table-token.js';

const TABLE = '2f1c9d0e-8a6b-4c3d-9e2f-1a2b3c4d5e6f';

describe('TableTokenCodec', () => {
  const codec = new TableTokenCodec('a-test-secret-of-at-least-32-bytes-long');

  it('derives the same 43-character token from the same table and nonce', () => {
    const nonce = codec.newNonce();
    const token = codec.mint(TABLE, nonce);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(codec.mint(TABLE.toUpperCase(), Buffer.from(nonce))).toBe(token);
    expect(codec.isWellFormed(token)).toBe(true);
  });

  it('gives another token for another nonce, table or secret', () => {
    const nonce = codec.newNonce();
    const token = codec.mint(TABLE, nonce);
    expect(codec.mint(TABLE, codec.newNonce())).not.toBe(token);
    expect(codec.mint('3f1c9d0e-8a6b-4c3d-9e2f-1a2b3c4d5e6f', nonce)).not.toBe(token);
    expect(
      new TableTokenCodec('another-secret-of-at-least-32-bytes-long').mint(TABLE, nonce),
    ).not.toBe(token);
  });

  it('keeps a SHA-256 of the token, not the token', () => {
    const token = codec.mint(TABLE, codec.newNonce());
    const hash = codec.hash(token);
    expect(hash).toHaveLength(32);
    expect(hash.toString('base64url')).not.toBe(token);
    expect(codec.hash(token).equals(hash)).toBe(true);
  });

  it('tells malformed tokens apart', () => {
    expect(codec.isWellFormed('short')).toBe(false);
    expect(codec.isWellFormed('a'.repeat(42) + '=')).toBe(false);
    expect(codec.isWellFormed('a'.repeat(44))).toBe(false);
  });
});
