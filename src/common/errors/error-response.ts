import { HttpException } from '@nestjs/common';
import { AppError, type ErrorBody } from './app-error.js';
import { ErrorCode, defaultMessageOf, statusOf } from './error-code.js';

export interface ErrorResponse {
  readonly body: ErrorBody;
  readonly headers: Readonly<Record<string, string>>;
  /** True when the error is ours, not the client's: log it with its stack. */
  readonly unexpected: boolean;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: connection exceptions and operator intervention (shutdown, crash recovery).
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '57P01',
  '57P02',
  '57P03',
]);
const CONNECTION_ERROR_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error|Connection refused|the database system is (starting up|shutting down)/i;

/** True for errors that mean the database (or another dependency) cannot be reached right now. */
function isUnavailableError(error: unknown): boolean {
  // Duck-typed: socket errors may come from another realm, where `instanceof Error` fails.
  if (typeof error !== 'object' || error === null) return false;
  const { code, driverError, message } = error as {
    code?: unknown;
    driverError?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
  if (driverError !== undefined && driverError !== error && isUnavailableError(driverError)) {
    return true;
  }
  return typeof message === 'string' && CONNECTION_ERROR_MESSAGES.test(message);
}

const FASTIFY_CODES: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: ErrorCode.PAYLOAD_TOO_LARGE,
    message: 'The request body is larger than 100 kB.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    message: 'Send the body as application/json.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: ErrorCode.VALIDATION_FAILED,
    message: 'The request body is not valid JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: ErrorCode.VALIDATION_FAILED,
    message: 'The request body is empty but its Content-Type is application/json.',
  },
  FST_ERR_BAD_URL: {
    code: ErrorCode.VALIDATION_FAILED,
    message: 'The path is not a valid URL (broken percent-encoding).',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: ErrorCode.VALIDATION_FAILED,
    message: 'The Content-Length header does not match the body.',
  },
};

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return ErrorCode.VALIDATION_FAILED;
    case 401:
      return ErrorCode.TOKEN_INVALID;
    case 403:
      return ErrorCode.FORBIDDEN;
    case 404:
    case 405:
      return ErrorCode.NOT_FOUND;
    case 413:
      return ErrorCode.PAYLOAD_TOO_LARGE;
    case 415:
      return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
    case 429:
      return ErrorCode.RATE_LIMITED;
    case 503:
      return ErrorCode.SERVICE_UNAVAILABLE;
    default:
      return status >= 400 && status < 500 ? ErrorCode.VALIDATION_FAILED : ErrorCode.INTERNAL;
  }
}

function bodyOf(code: ErrorCode, message?: string, details?: unknown): ErrorBody {
  const body: ErrorBody = {
    statusCode: statusOf(code),
    code,
    message: message ?? defaultMessageOf(code),
  };
  if (details !== undefined) body.details = details;
  return body;
}

/**
 * Turns anything thrown while handling a request into the contract's error body. Only messages
 * we wrote reach the client: driver, ORM and framework texts never do.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof AppError) {
    return {
      body: bodyOf(error.code, error.message, error.details),
      headers: error.headers ?? {},
      unexpected: error.code === ErrorCode.INTERNAL,
    };
  }
  if (error instanceof HttpException) {
    // Nest wraps Fastify's own 4xx errors (body too large, bad JSON) and keeps them as the cause.
    if (error.cause !== undefined) {
      const fromCause = fromFastifyError(error.cause);
      if (fromCause) return fromCause;
    }
    const code = codeForStatus(error.getStatus());
    return { body: bodyOf(code), headers: {}, unexpected: code === ErrorCode.INTERNAL };
  }
  if (isUnavailableError(error)) {
    return { body: bodyOf(ErrorCode.SERVICE_UNAVAILABLE), headers: {}, unexpected: false };
  }
  return fromFastifyError(error) ?? unexpectedError();
}

function unexpectedError(): ErrorResponse {
  return { body: bodyOf(ErrorCode.INTERNAL), headers: {}, unexpected: true };
}

function fromFastifyError(error: unknown): ErrorResponse | undefined {
  if (!(error instanceof Error)) return undefined;
  const fastifyCode = (error as { code?: unknown }).code;
  const known = typeof fastifyCode === 'string' ? FASTIFY_CODES[fastifyCode] : undefined;
  if (known) return { body: bodyOf(known.code, known.message), headers: {}, unexpected: false };
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { body: bodyOf(codeForStatus(status)), headers: {}, unexpected: false };
  }
  return undefined;
}
