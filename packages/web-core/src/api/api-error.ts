import { ERROR_CODES, type ApiErrorBody, type ErrorCode } from './contracts';
import { messageForCode } from './error-messages';
import { humanFieldErrors, type FormName } from './field-words';

/** Codes that end the session: the person has to sign in again. */
export const SESSION_ENDING_CODES: readonly ErrorCode[] = [
  'SESSION_REVOKED',
  'REFRESH_REUSED',
  'REFRESH_INVALID',
  'TOKEN_INVALID',
];

/** Anything that went wrong talking to the API, with a message a person can read. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    /** The contract's error code, or `NETWORK` when no answer came back. */
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly details?: unknown,
    /** Seconds from a `Retry-After` header (429). */
    readonly retryAfterSeconds?: number,
    /** The server's own message, kept for logs. */
    readonly serverMessage?: string,
  ) {
    super(message);
  }

  /**
   * The fields a `VALIDATION_FAILED` answer lists, each with a sentence in the words of `form`
   * (never the validator's text); empty for any other answer.
   */
  fieldErrors(form: FormName): Record<string, string> {
    return this.code === 'VALIDATION_FAILED' ? humanFieldErrors(form, this.details) : {};
  }

  /**
   * One line for a place with no spot per field (a cart, a toast): the sentences of the fields a
   * `VALIDATION_FAILED` answer lists, else the message.
   */
  summary(form: FormName): string {
    const sentences = [...new Set(Object.values(this.fieldErrors(form)))];
    return sentences.length > 0 ? sentences.join(' ') : this.message;
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Recognises the contract's error body. */
function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return typeof body.statusCode === 'number' && isErrorCode(body.code);
}

function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** Builds an ApiError from an HTTP status, a body and a `Retry-After` header. */
export function apiErrorFrom(status: number, body: unknown, retryAfter?: unknown): ApiError {
  if (status === 0) return new ApiError(0, 'NETWORK', messageForCode('NETWORK'));
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  if (isApiErrorBody(body)) {
    return new ApiError(
      status,
      body.code,
      messageForCode(body.code, { retryAfterSeconds }),
      body.details,
      retryAfterSeconds,
      body.message,
    );
  }
  const code: ErrorCode =
    status >= 500 ? 'INTERNAL' : status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
  return new ApiError(status, code, messageForCode(code), undefined, retryAfterSeconds);
}
