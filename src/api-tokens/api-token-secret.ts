import { createHash, randomBytes } from 'node:crypto';

/** Every API token starts with it: the guard tells tokens from JWTs by it. */
export const API_TOKEN_PREFIX = 'tap_';

const SECRET_BYTES = 32;
/** `tap_` and 32 bytes in base64url (43 characters, no padding). */
const WELL_FORMED = /^tap_[A-Za-z0-9_-]{43}$/;

/** A new token: `tap_` + 32 random bytes, base64url. */
export function mintApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
}

/** Whether `token` has a token's shape (anything else is refused without a query). */
export function isWellFormedApiToken(token: string): boolean {
  return WELL_FORMED.test(token);
}

/** What is stored of a token, and how a presented one is found. */
export function hashApiToken(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
