import { ERROR_CODES, type ApiErrorBody, type ErrorCode } from './contracts';
import { messageForCode } from './error-messages';

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

  /** Field names listed by a `VALIDATION_FAILED` answer, mapped to their messages. */
  fieldErrors(): Record<string, string> {
    return fieldErrorsOf(this.details);
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
      messageForCode(body.code, { retryAfterSeconds, details: body.details }),
      body.details,
      retryAfterSeconds,
      body.message,
    );
  }
  const code: ErrorCode =
    status >= 500 ? 'INTERNAL' : status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
  return new ApiError(status, code, messageForCode(code), undefined, retryAfterSeconds);
}

/**
 * `VALIDATION_FAILED` details as `{field: message}`. Accepts the shapes a validator commonly
 * produces: a list of `{field|property, message|messages|constraints}` or an object of field → text.
 */
function fieldErrorsOf(details: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const list: unknown[] = Array.isArray(details)
    ? details
    : typeof details === 'object' &&
        details !== null &&
        Array.isArray((details as { fields?: unknown }).fields)
      ? (details as { fields: unknown[] }).fields
      : [];
  for (const entry of list) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const field =
      typeof e.field === 'string'
        ? e.field
        : typeof e.property === 'string'
          ? e.property
          : undefined;
    if (field === undefined) continue;
    const text =
      textOf(e.message) ?? textOf(e.messages) ?? textOf(e.constraints) ?? textOf(e.errors);
    out[field] = text ?? 'Check this field.';
  }
  if (
    list.length === 0 &&
    typeof details === 'object' &&
    details !== null &&
    !Array.isArray(details)
  ) {
    for (const [field, value] of Object.entries(details)) {
      const text = textOf(value);
      if (text !== undefined) out[field] = text;
    }
  }
  return out;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const texts = value.filter((v): v is string => typeof v === 'string');
    return texts.length > 0 ? texts.join(' ') : undefined;
  }
  if (typeof value === 'object' && value !== null) {
    const texts = Object.values(value).filter((v): v is string => typeof v === 'string');
    return texts.length > 0 ? texts.join(' ') : undefined;
  }
  return undefined;
}
