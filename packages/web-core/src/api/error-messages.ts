import type { ErrorCode } from './contracts';

interface MessageContext {
  retryAfterSeconds?: number | undefined;
  details?: unknown;
}

function waitText(seconds: number | undefined): string {
  if (seconds === undefined) return 'Please wait a moment and try again.';
  if (seconds < 60) return `Please try again in ${Math.max(1, Math.ceil(seconds))} s.`;
  return `Please try again in ${Math.ceil(seconds / 60)} min.`;
}

/** What to tell a person for each of the contract's error codes (pure, no React). */
export function messageForCode(code: ErrorCode | 'NETWORK', context: MessageContext = {}): string {
  switch (code) {
    case 'NETWORK':
      return 'Could not reach Taproom. Check your connection and try again.';
    case 'VALIDATION_FAILED':
      return 'Some details are not right. Check the highlighted fields.';
    case 'INVALID_CREDENTIALS':
      return 'That email and password do not match.';
    case 'TOKEN_INVALID':
    case 'TOKEN_EXPIRED':
      return 'Your sign-in has lapsed. Please sign in again.';
    case 'SESSION_REVOKED':
      return 'This session was ended. Please sign in again.';
    case 'REFRESH_INVALID':
      return 'Your session has expired. Please sign in again.';
    case 'REFRESH_REUSED':
      return 'For your safety this session was ended because its sign-in was used twice. Please sign in again.';
    case 'ROLE_NOT_ALLOWED':
      return 'This account cannot sign in to this app.';
    case 'ACCOUNT_DISABLED':
      return 'This account has been disabled. Ask an admin to re-activate it.';
    case 'FORBIDDEN':
      return 'You are not allowed to do that.';
    case 'NOT_FOUND':
      return 'We could not find that. It may have been removed.';
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 'The app sent something the server does not accept. Please reload.';
    case 'EMAIL_TAKEN':
      return 'An account with that email already exists. Try signing in.';
    case 'VERSION_CONFLICT':
      return 'Someone else changed this a moment ago. The latest version is shown.';
    case 'INVALID_TRANSITION':
      return 'That is no longer possible: the order has moved on.';
    case 'ITEM_UNAVAILABLE':
      return 'Something in your order is not available right now.';
    case 'OUT_OF_STOCK':
      return 'There is not enough left of something in your order.';
    case 'LAST_ADMIN':
      return 'This is the last active admin: promote someone else first.';
    case 'SESSION_LIMIT':
      return 'Too many devices are signed in. Sign out of one first.';
    case 'IDEMPOTENCY_MISMATCH':
      return 'Your order changed while it was being sent. Please check it and send it again.';
    case 'PAYLOAD_TOO_LARGE':
      return 'That is too much to send at once.';
    case 'RATE_LIMITED':
      return `Too many attempts. ${waitText(context.retryAfterSeconds)}`;
    case 'INTERNAL':
      return 'Something went wrong on our side. Please try again.';
    case 'SERVICE_UNAVAILABLE':
      return 'Taproom is busy or restarting. Please try again shortly.';
    case 'TABLE_UNKNOWN':
      return 'This table’s QR code is no longer valid. Ask the staff for the current one.';
    case 'TABLE_NUMBER_TAKEN':
      return 'There is already a table with that number.';
    case 'GUEST_LIMIT':
      return 'You have several orders on the way already. Wait for one, or create an account.';
  }
}
