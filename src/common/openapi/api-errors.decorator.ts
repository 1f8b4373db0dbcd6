import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { type ErrorCode, statusOf } from '../errors/error-code.js';
import { ErrorResponseDto } from './error-response.dto.js';

/** Documents the error responses a route can give, grouped by status, with their codes. */
export function ApiErrors(...codes: ErrorCode[]): MethodDecorator & ClassDecorator {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ...[...byStatus].map(([status, grouped]) =>
      ApiResponse({ status, description: grouped.join(', '), type: ErrorResponseDto }),
    ),
  );
}
