import type { ErrorCode } from './contracts';

/**
 * Codes the contract announces for coming capabilities (options, payments) that the
 * server does not send yet. They have words already; once the generated
 * {@link ErrorCode} union lists them, they simply fold into it.
 */
type AnnouncedErrorCode = 'PAYMENT_EXCEEDS_BALANCE';

/** Every code a person may be told about: the server's, the announced ones, and no answer at all. */
export type MessageCode = ErrorCode | AnnouncedErrorCode | 'NETWORK';

interface MessageContext {
  /** Seconds from a `Retry-After` header (429). */
  retryAfterSeconds?: number | undefined;
}

/** "wait 42 seconds", "wait 3 minutes", or "wait a moment" when the server did not say. */
function waitText(seconds: number | undefined): string {
  if (seconds === undefined) return 'wait a moment and try again';
  const whole = Math.max(1, Math.ceil(seconds));
  if (whole < 60) return `wait ${String(whole)} ${whole === 1 ? 'second' : 'seconds'}`;
  const minutes = Math.ceil(whole / 60);
  return `wait ${String(minutes)} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

type Words = string | ((context: MessageContext) => string);

/**
 * What to tell a person for each code, never the server's own text. A record over every code, so a
 * code the server adds (the generated union grows) fails to compile here until it has words.
 */
export const CODE_WORDS: Record<MessageCode, Words> = {
  NETWORK: 'Can’t reach Taproom — check your connection.',
  VALIDATION_FAILED: 'Some details need another look — see the notes by the fields.',
  INVALID_CREDENTIALS: 'That email and password don’t match.',
  TOKEN_INVALID: 'Your sign-in has lapsed. Please sign in again.',
  TOKEN_EXPIRED: 'Your sign-in has lapsed. Please sign in again.',
  SESSION_REVOKED: 'This session was ended. Please sign in again.',
  REFRESH_INVALID: 'Your session has expired. Please sign in again.',
  REFRESH_REUSED:
    'For your safety this session was ended because its sign-in was used twice. Please sign in again.',
  ROLE_NOT_ALLOWED: 'This account can’t sign in to this app.',
  ACCOUNT_DISABLED: 'This account has been disabled. Ask an admin to switch it back on.',
  FORBIDDEN: 'You’re not allowed to do that.',
  NOT_FOUND: 'We couldn’t find that. It may have been removed.',
  UNSUPPORTED_MEDIA_TYPE: 'The app sent something Taproom doesn’t accept. Please reload the page.',
  EMAIL_TAKEN: 'There’s already an account with that email. Try signing in.',
  VERSION_CONFLICT: 'Someone else changed this a moment ago. You’re seeing the latest version now.',
  INVALID_TRANSITION: 'That’s no longer possible — the order has moved on.',
  ITEM_UNAVAILABLE: 'Something in your order isn’t available right now.',
  OUT_OF_STOCK: 'There isn’t enough left of something in your order.',
  LAST_ADMIN: 'This is the last active admin — make someone else an admin first.',
  SESSION_LIMIT: 'Too many devices are signed in. Sign out of one first.',
  IDEMPOTENCY_MISMATCH: 'Your order changed while it was being sent. Check it and send it again.',
  PAYLOAD_TOO_LARGE: 'That’s too much to send at once.',
  RATE_LIMITED: ({ retryAfterSeconds }) => `Too many tries — ${waitText(retryAfterSeconds)}.`,
  INTERNAL: 'Something went wrong on our side. Please try again.',
  SERVICE_UNAVAILABLE: 'Taproom is busy or restarting. Please try again shortly.',
  TOTP_REQUIRED: 'Enter the 6-digit code from your authenticator app.',
  TOTP_INVALID: 'That code didn’t work. Check your authenticator app and try the newest code.',
  TABLE_UNKNOWN: 'This table’s QR code no longer works. Ask the staff for a fresh one.',
  GUEST_LIMIT: 'You have several orders on the way already. Wait for one before ordering more.',
  TABLE_NUMBER_TAKEN: 'There is already a table with that number.',
  OPTIONS_INVALID: 'Please check the choices for this item.',
  PAYMENT_EXCEEDS_BALANCE: 'That’s more than is left to pay.',
  MAIL_UNAVAILABLE: 'We can’t send email right now. Please try again later.',
};

/** What to tell a person for a code (pure, no React). */
export function messageForCode(code: MessageCode, context: MessageContext = {}): string {
  const words = CODE_WORDS[code];
  return typeof words === 'string' ? words : words(context);
}
