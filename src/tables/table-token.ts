import { createHash, createHmac, randomBytes } from 'node:crypto';

/** A token is 32 bytes, base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * The tokens of tables' QR codes (`<PUBLIC_URL>/t/<token>`).
 *
 * The database keeps only a token's SHA-256 (to find the table) and the 32 random bytes it was
 * derived from (`nonce`, new on every rotation): the token itself is
 * `HMAC-SHA256(key, tableId | nonce)`, 32 bytes that look random to anyone without the key. So
 * the admin console can show every table's QR code again for a reprint (the server recomputes
 * it), while someone who reads the database, or a backup of it, can neither read nor mint a
 * token. The key is derived from `REFRESH_TOKEN_KEY` (a purpose label keeps the two uses apart):
 * changing that secret changes every QR code, which then need printing again.
 *
 * Pure: no clock, no database; unit-tested on its own.
 */
export class TableTokenCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('taproom table QR tokens v1').digest();
  }

  /** A fresh nonce, for a new table or a rotation. */
  newNonce(): Buffer {
    return randomBytes(32);
  }

  /** The token of table `tableId` under `nonce`. */
  mint(tableId: string, nonce: Buffer): string {
    return createHmac('sha256', this.key)
      .update(tableId.toLowerCase())
      .update('|')
      .update(nonce)
      .digest('base64url');
  }

  /** What the database keeps of a token, to find its table. */
  hash(token: string): Buffer {
    return createHash('sha256').update(token).digest();
  }

  /** Whether `token` could be a token at all (43 base64url characters). */
  isWellFormed(token: string): boolean {
    return TOKEN_SHAPE.test(token);
  }
}
