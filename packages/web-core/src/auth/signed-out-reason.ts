import type { ErrorCode, RevocationReason } from '../api/contracts';

/**
 * Why an app is signed out: the contract's revocation reasons, plus what only the client knows
 * (the person signed out here or in another tab, the tab idled out, the session could not be
 * restored).
 */
export type SignedOutReason =
  RevocationReason | 'signed_out' | 'signed_out_elsewhere' | 'idle' | 'revoked' | 'unreachable';

/** "30 minutes", "1 minute", "12 hours", "30 days": an idle timeout in words. */
export function idleDurationWords(seconds: number): string {
  const units: [number, string][] = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, word] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${word}${count === 1 ? '' : 's'}`;
    }
  }
  const minutes = Math.max(1, Math.round(seconds / 60));
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * A sentence for the "signed out" notice, or null when there is nothing worth saying.
 * `idleTimeoutSeconds` (the session's, when known) names how long "inactivity" was.
 */
export function signedOutMessage(
  reason: SignedOutReason | null,
  idleTimeoutSeconds: number | null = null,
): string | null {
  switch (reason) {
    case null:
    case 'signed_out':
      return null;
    case 'signed_out_elsewhere':
    case 'logout':
      return 'You signed out in another tab or window.';
    case 'logout_all':
      return 'You signed out of all your devices.';
    case 'evicted':
      return 'You signed in on another device, so this one was signed out.';
    case 'admin':
      return 'An admin ended this session.';
    case 'password_changed':
      return 'Your password was changed, so this device was signed out.';
    case 'password_reset':
      return 'Your password was reset, so every device was signed out.';
    case 'role_changed':
      return 'Your account was changed by an admin. Please sign in again.';
    case 'deactivated':
      return 'This account has been deactivated.';
    case 'reuse_detected':
      return 'For your safety this session was ended: its sign-in was used twice.';
    case 'expired':
      return 'Your session has expired. Please sign in again.';
    case 'idle':
      return idleTimeoutSeconds === null
        ? 'Signed out after inactivity.'
        : `You were signed out after ${idleDurationWords(idleTimeoutSeconds)} without activity.`;
    case 'revoked':
      return 'This session was ended. Please sign in again.';
    case 'unreachable':
      return 'Could not reach Taproom to restore your session.';
  }
}

/** The reason implied by an API error code that ends a session. */
export function reasonForErrorCode(
  code: ErrorCode,
  context: { dormant: boolean; knownRevocation: RevocationReason | null },
): SignedOutReason {
  if (context.knownRevocation !== null) return context.knownRevocation;
  switch (code) {
    case 'REFRESH_REUSED':
      return 'reuse_detected';
    case 'REFRESH_INVALID':
      return context.dormant ? 'idle' : 'expired';
    case 'SESSION_REVOKED':
      return context.dormant ? 'idle' : 'revoked';
    case 'TOKEN_INVALID':
    case 'TOKEN_EXPIRED':
    case 'VALIDATION_FAILED':
    case 'INVALID_CREDENTIALS':
    case 'ROLE_NOT_ALLOWED':
    case 'ACCOUNT_DISABLED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'UNSUPPORTED_MEDIA_TYPE':
    case 'EMAIL_TAKEN':
    case 'VERSION_CONFLICT':
    case 'INVALID_TRANSITION':
    case 'ITEM_UNAVAILABLE':
    case 'OUT_OF_STOCK':
    case 'LAST_ADMIN':
    case 'SESSION_LIMIT':
    case 'IDEMPOTENCY_MISMATCH':
    case 'PAYLOAD_TOO_LARGE':
    case 'RATE_LIMITED':
    case 'INTERNAL':
    case 'SERVICE_UNAVAILABLE':
    case 'TABLE_UNKNOWN':
    case 'TABLE_NUMBER_TAKEN':
    case 'GUEST_LIMIT':
    case 'MAIL_UNAVAILABLE':
    case 'TOTP_REQUIRED':
    case 'TOTP_INVALID':
    case 'OPTIONS_INVALID':
    case 'PAYMENT_EXCEEDS_BALANCE':
      return 'revoked';
  }
}
