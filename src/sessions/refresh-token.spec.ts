import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { RefreshTokenCodec } from './refresh-token.js';

const SESSION = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

describe('RefreshTokenCodec', () => {
  const codec = new RefreshTokenCodec('k'.repeat(48));
  const salt = randomBytes(32);

  it('mints <sessionId>.<generation>.<mac> with a 256-bit mac', () => {
    const token = codec.mint(SESSION, 3, salt);
    const [id, generation, mac] = token.split('.');
    expect(id).toBe(SESSION);
    expect(generation).toBe('3');
    expect(Buffer.from(mac!, 'base64url')).toHaveLength(32);
  });

  it('is deterministic for the same session, generation and salt (so the grace window can recompute it)', () => {
    expect(codec.mint(SESSION, 1, salt)).toBe(codec.mint(SESSION, 1, salt));
  });

  it('differs by generation, salt and key', () => {
    const token = codec.mint(SESSION, 1, salt);
    expect(codec.mint(SESSION, 2, salt)).not.toBe(token);
    expect(codec.mint(SESSION, 1, randomBytes(32))).not.toBe(token);
    expect(new RefreshTokenCodec('j'.repeat(48)).mint(SESSION, 1, salt)).not.toBe(token);
  });

  it('verifies its own tokens and nothing else', () => {
    const parsed = codec.parse(codec.mint(SESSION, 7, salt))!;
    expect(codec.verify(parsed, salt)).toBe(true);
    expect(codec.verify(parsed, randomBytes(32))).toBe(false);
    expect(codec.verify({ ...parsed, generation: 8 }, salt)).toBe(false);
    const other = new RefreshTokenCodec('j'.repeat(48));
    expect(other.verify(parsed, salt)).toBe(false);
  });

  it.each([
    '',
    'garbage',
    `${SESSION}.1`,
    `${SESSION}.-1.${'A'.repeat(43)}`,
    `${SESSION}.01.${'A'.repeat(43)}`,
    `${SESSION}.1.${'A'.repeat(42)}`,
    `${SESSION}.1.${'A'.repeat(43)}.extra`,
    `${SESSION.toUpperCase()}.1.${'A'.repeat(43)}`,
    `${SESSION}.99999999999.${'A'.repeat(43)}`,
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
  ])('does not parse %p', (token) => {
    expect(codec.parse(token)).toBeUndefined();
  });
});
