import { type KeyObject, createHash, createSecretKey } from 'node:crypto';

/**
 * The signing secret as a `KeyObject`: jsonwebtoken would otherwise rebuild a key from a string
 * on every call (hundreds of microseconds per verification).
 */
export function jwtSecretKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/** Names a key without revealing it, so tokens say which key signed them (`kid`). */
export function jwtKeyId(secret: string): string {
  return createHash('sha256').update(`taproom-kid:${secret}`).digest('base64url').slice(0, 16);
}
