import type { PipeTransform } from '@nestjs/common';
import type { TransformFnParams } from 'class-transformer';
import { isUUID } from 'class-validator';
import { AppError } from './errors/app-error.js';
import { ErrorCode } from './errors/error-code.js';

/**
 * Ids arrive in any letter case: PostgreSQL's `uuid` type ignores it, JavaScript's `===` does
 * not. Every id the API takes is lower-cased once, where it comes in (this transform on DTO
 * fields, {@link IdPipe} on path parameters), so the rest of the code compares one spelling.
 */
export function lowerCaseId({ value }: TransformFnParams): unknown {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/**
 * A path parameter that is an id: lower-cased; a malformed one names nothing, so it is answered
 * like an unknown one (`404` with `notFound`).
 */
export class IdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly notFound: string) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !isUUID(value)) {
      throw new AppError(ErrorCode.NOT_FOUND, this.notFound);
    }
    return value.toLowerCase();
  }
}
