/** Every error code of the API contract. One filter maps each to its HTTP status. */
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  TOKEN_INVALID = 'TOKEN_INVALID',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  SESSION_REVOKED = 'SESSION_REVOKED',
  REFRESH_INVALID = 'REFRESH_INVALID',
  REFRESH_REUSED = 'REFRESH_REUSED',
  ROLE_NOT_ALLOWED = 'ROLE_NOT_ALLOWED',
  ACCOUNT_DISABLED = 'ACCOUNT_DISABLED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  EMAIL_TAKEN = 'EMAIL_TAKEN',
  VERSION_CONFLICT = 'VERSION_CONFLICT',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  ITEM_UNAVAILABLE = 'ITEM_UNAVAILABLE',
  OUT_OF_STOCK = 'OUT_OF_STOCK',
  LAST_ADMIN = 'LAST_ADMIN',
  SESSION_LIMIT = 'SESSION_LIMIT',
  IDEMPOTENCY_MISMATCH = 'IDEMPOTENCY_MISMATCH',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED = 'RATE_LIMITED',
  INTERNAL = 'INTERNAL',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  TABLE_UNKNOWN = 'TABLE_UNKNOWN',
  TABLE_NUMBER_TAKEN = 'TABLE_NUMBER_TAKEN',
  GUEST_LIMIT = 'GUEST_LIMIT',
  MAIL_UNAVAILABLE = 'MAIL_UNAVAILABLE',
  TOTP_REQUIRED = 'TOTP_REQUIRED',
  TOTP_INVALID = 'TOTP_INVALID',
  OPTIONS_INVALID = 'OPTIONS_INVALID',
  PAYMENT_EXCEEDS_BALANCE = 'PAYMENT_EXCEEDS_BALANCE',
}

/** The HTTP status of each error code; the `switch` is exhaustive, so a new code must be mapped. */
export function statusOf(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.OPTIONS_INVALID:
      return 400;
    case ErrorCode.INVALID_CREDENTIALS:
    case ErrorCode.TOKEN_INVALID:
    case ErrorCode.TOKEN_EXPIRED:
    case ErrorCode.SESSION_REVOKED:
    case ErrorCode.REFRESH_INVALID:
    case ErrorCode.REFRESH_REUSED:
    case ErrorCode.TOTP_REQUIRED:
    case ErrorCode.TOTP_INVALID:
      return 401;
    case ErrorCode.ROLE_NOT_ALLOWED:
    case ErrorCode.ACCOUNT_DISABLED:
    case ErrorCode.FORBIDDEN:
      return 403;
    case ErrorCode.NOT_FOUND:
    case ErrorCode.TABLE_UNKNOWN:
      return 404;
    case ErrorCode.EMAIL_TAKEN:
    case ErrorCode.VERSION_CONFLICT:
    case ErrorCode.INVALID_TRANSITION:
    case ErrorCode.ITEM_UNAVAILABLE:
    case ErrorCode.OUT_OF_STOCK:
    case ErrorCode.LAST_ADMIN:
    case ErrorCode.SESSION_LIMIT:
    case ErrorCode.TABLE_NUMBER_TAKEN:
    case ErrorCode.GUEST_LIMIT:
    case ErrorCode.PAYMENT_EXCEEDS_BALANCE:
      return 409;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ErrorCode.IDEMPOTENCY_MISMATCH:
      return 422;
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.INTERNAL:
      return 500;
    case ErrorCode.SERVICE_UNAVAILABLE:
    case ErrorCode.MAIL_UNAVAILABLE:
      return 503;
  }
}

const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  VALIDATION_FAILED: 'The request is not valid.',
  INVALID_CREDENTIALS: 'The email or password is wrong.',
  TOKEN_INVALID: 'The access token is missing or not valid.',
  TOKEN_EXPIRED: 'The access token has expired.',
  SESSION_REVOKED: 'This session has ended.',
  REFRESH_INVALID: 'The refresh token is not valid.',
  REFRESH_REUSED: 'The refresh token was already used; the session has been ended.',
  ROLE_NOT_ALLOWED: 'This account may not sign in to this app.',
  ACCOUNT_DISABLED: 'This account is disabled; ask an admin to re-activate it.',
  FORBIDDEN: 'You may not do this.',
  NOT_FOUND: 'Not found.',
  UNSUPPORTED_MEDIA_TYPE: 'Send the body as application/json.',
  EMAIL_TAKEN: 'An account with this email already exists.',
  VERSION_CONFLICT: 'Someone else changed this first.',
  INVALID_TRANSITION: 'That status change is not allowed.',
  ITEM_UNAVAILABLE: 'An item is not available.',
  OUT_OF_STOCK: 'There is not enough stock.',
  LAST_ADMIN: 'The last active admin cannot be demoted or deactivated.',
  SESSION_LIMIT: 'Too many active sessions for this app.',
  IDEMPOTENCY_MISMATCH: 'This Idempotency-Key was used with a different request.',
  PAYLOAD_TOO_LARGE: 'The request body is too large.',
  RATE_LIMITED: 'Too many requests; try again later.',
  INTERNAL: 'Something went wrong on our side.',
  SERVICE_UNAVAILABLE: 'The service is temporarily unavailable.',
  TABLE_UNKNOWN: 'This table link is not valid any more; ask the staff for the current one.',
  TABLE_NUMBER_TAKEN: 'A table with this number already exists.',
  GUEST_LIMIT: 'A guest may have only a few unfinished orders at once.',
  MAIL_UNAVAILABLE: 'This server cannot send mail; ask the staff for help.',
  TOTP_REQUIRED: 'Enter the code from your authenticator app to finish signing in.',
  TOTP_INVALID: 'That code is not right; check your authenticator app and try again.',
  OPTIONS_INVALID: 'The options chosen for an item are not valid.',
  PAYMENT_EXCEEDS_BALANCE:
    'The amount is more than is left to pay (or, for a refund, than was paid).',
};

export function defaultMessageOf(code: ErrorCode): string {
  return DEFAULT_MESSAGES[code];
}
