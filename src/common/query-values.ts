import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';

/**
 * A query parameter that lists values: `a,b`, `a&…=b` and `a,b&…=c` all read as one list, each
 * value trimmed. (Fastify gives a repeated parameter as an array; without this, mixing the two
 * spellings was refused while each alone was taken.)
 */
export function CommaList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    const parts = Array.isArray(value) ? value : [value];
    return parts.every((part) => typeof part === 'string')
      ? parts.flatMap((part) => part.split(',').map((entry) => entry.trim()))
      : value;
  });
}

/**
 * A whole number from `min` to `max` written plainly in a query (`7`, never ` 7 `, `07`, `7.0`,
 * `7e0` or `0x7`: one value, one spelling), read as a number; anything else is refused with one
 * message naming the range.
 */
export function QueryWholeNumber(min: number, max: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^[1-9]\d*$|^0$/.test(value) ? Number(value) : value,
    ),
    ValidateBy({
      name: 'queryWholeNumber',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a whole number from ${String(min)} to ${String(max)}`,
      },
    }),
  );
}
