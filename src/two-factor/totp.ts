import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/**
 * TOTP as Taproom uses it (RFC 6238): HMAC-SHA-1, 6 digits, 30-second steps, a code accepted
 * from the step before to the step after the server's (clock drift and typing time). All of it
 * is otplib's; this file only fixes its options in one place.
 */
const TOTP_PERIOD_SECONDS = 30;
const TOTP_DIGITS = 6;
const ALGORITHM = 'sha1';
/** otplib's tolerance is in seconds: one period either way is the step before and after. */
const TOLERANCE_SECONDS = TOTP_PERIOD_SECONDS;
/** What a code looks like before it is checked at all. */
const CODE = /^\d{6}$/;

/** A new secret: 20 random bytes (160 bits, RFC 4226's recommendation), Base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The `otpauth://` URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, issuer: string, label: string): string {
  return generateURI({
    issuer,
    label,
    secret,
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
  });
}

/**
 * The code of `secret` (Base32, or raw bytes) at `epochSeconds`; `digits` 8 only for the RFC's
 * test vectors.
 */
export function totpAt(
  secret: string | Uint8Array,
  epochSeconds: number,
  digits: 6 | 8 = 6,
): string {
  return generateSync({
    secret,
    epoch: epochSeconds,
    algorithm: ALGORITHM,
    digits,
    period: TOTP_PERIOD_SECONDS,
  });
}

/**
 * The time step `code` belongs to when it is a code of `secret` within one step of
 * `epochSeconds` and later than `afterStep` (a step already used: replay), else `undefined`.
 */
export function matchingStep(
  secret: string,
  code: string,
  epochSeconds: number,
  afterStep?: number,
): number | undefined {
  if (!CODE.test(code)) return undefined;
  const result = verifySync({
    secret,
    token: code,
    epoch: epochSeconds,
    algorithm: ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterStep !== undefined && afterStep >= 0 ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
}

/** Whether `input` looks like a TOTP code (six digits). */
export function isTotpCode(input: string): boolean {
  return CODE.test(input);
}
