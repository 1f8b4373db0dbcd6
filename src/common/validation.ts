import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from './errors/app-error.js';
import { ErrorCode } from './errors/error-code.js';

/** One invalid field of a request, as listed in `details` of `VALIDATION_FAILED`. */
export interface FieldError {
  field: string;
  errors: string[];
}

/** Flattens class-validator's nested errors into `field.path` entries. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Whitelisting validation for every body, query and param DTO; unknown properties are refused. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const summary = details.map((detail) => detail.errors.join(', ')).join('; ');
      return new AppError(ErrorCode.VALIDATION_FAILED, summary || undefined, details);
    },
  });
}
