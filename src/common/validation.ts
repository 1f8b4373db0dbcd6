import { type ArgumentMetadata, ValidationPipe, type ValidationError } from '@nestjs/common';
import { AppError } from './errors/app-error.js';
import { ErrorCode } from './errors/error-code.js';

/** One invalid field of a request, as listed in `details` of `VALIDATION_FAILED`. */
export interface FieldError {
  field: string;
  errors: string[];
}

/** Flattens class-validator's nested errors into `field.path` entries. */
function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, errors: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Deeper JSON than this is refused before class-transformer, which recurses, walks it. */
export const MAX_INPUT_DEPTH = 32;

/**
 * A UTF-16 surrogate without its pair (JSON allows `"\ud800"`): not Unicode, so PostgreSQL's jsonb
 * refuses it (a 500 from an audit or event row) and validator's isEmail throws on it.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;
const LONE_SURROGATE_REASON = 'Text must be valid Unicode (no unpaired surrogates).';

/**
 * Why an input cannot even be validated: nested deeper than {@link MAX_INPUT_DEPTH} (a stack
 * overflow in class-transformer), or a string with a NUL character (PostgreSQL text refuses it) or
 * an unpaired surrogate.
 * Walks iteratively, so the check itself cannot overflow the stack.
 */
export function unsafeInputReason(value: unknown): string | undefined {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000')) return 'Text must not contain NUL characters.';
      if (LONE_SURROGATE.test(next.value)) return LONE_SURROGATE_REASON;
    } else if (typeof next.value === 'object' && next.value !== null) {
      if (next.depth >= MAX_INPUT_DEPTH) {
        return `The input is nested deeper than ${String(MAX_INPUT_DEPTH)} levels.`;
      }
      for (const [key, child] of Object.entries(next.value)) {
        if (key.includes('\u0000')) return 'Text must not contain NUL characters.';
        if (LONE_SURROGATE.test(key)) return LONE_SURROGATE_REASON;
        pending.push({ value: child, depth: next.depth + 1 });
      }
    }
  }
  return undefined;
}

class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const fromClient = metadata.type !== 'custom';
    const reason = fromClient ? unsafeInputReason(value) : undefined;
    if (reason !== undefined) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, reason, [
        { field: metadata.data ?? metadata.type, errors: [reason] },
      ]);
    }
    return super.transform(value, metadata);
  }
}

/** Whitelisting validation for every body, query and param DTO; unknown properties are refused. */
export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
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
