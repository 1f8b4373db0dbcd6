import { type ErrorCode, defaultMessageOf, statusOf } from './error-code.js';

/**
 * A domain error: services throw it with a contract error code; the exception filter turns it
 * into the HTTP error body. Services never throw HTTP exceptions.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message ?? defaultMessageOf(code));
  }

  get status(): number {
    return statusOf(this.code);
  }
}

/** The JSON body of every error response. */
export interface ErrorBody {
  statusCode: number;
  code: ErrorCode;
  message: string;
  details?: unknown;
}
