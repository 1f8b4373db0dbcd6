import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { ErrorCode, defaultMessageOf, statusOf } from '../errors/error-code.js';
import { ErrorResponseDto } from './error-response.dto.js';

/** The body a route answers with `code`, as Swagger UI shows it. */
export function errorExampleOf(code: ErrorCode): { summary: string; value: ErrorResponseDto } {
  const value: ErrorResponseDto = {
    statusCode: statusOf(code),
    code,
    message: defaultMessageOf(code),
  };
  if (code === ErrorCode.VALIDATION_FAILED) {
    value.details = [{ field: 'email', errors: ['email must be an email'] }];
  }
  return { summary: code, value };
}

/**
 * Documents the error responses a route can give, grouped by status, with their codes and an
 * example body for each (so a 401 shows a 401's body, not the schema's generic example).
 */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, grouped]) =>
      ApiResponse({
        status,
        description: grouped.join(', '),
        type: ErrorResponseDto,
        examples: Object.fromEntries(grouped.map((code) => [code, errorExampleOf(code)])),
      }),
    ),
  );
}
