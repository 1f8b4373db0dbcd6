import { applyDecorators } from '@nestjs/common';
import { IsISO8601, ValidateBy } from 'class-validator';

/**
 * A point in time as an ISO 8601 date-time the database reads as such: `IsISO8601` alone also
 * takes week dates (`2026-W49`), ordinal dates (`2026-340`) and the basic format (`20261206`),
 * which `Date` cannot parse; those would reach SQL as an invalid timestamp (a 500) instead of a
 * 400 naming the field.
 */
export function IsInstant(): PropertyDecorator {
  return applyDecorators(
    IsISO8601({ strict: true }),
    ValidateBy({
      name: 'isInstant',
      validator: {
        // A time of day needs its zone (`Z` or an offset): without one, `Date` would read it in
        // the server's own zone, which is neither the client's nor the venue's.
        validate: (value: unknown) =>
          typeof value === 'string' &&
          !Number.isNaN(Date.parse(value)) &&
          (!value.includes('T') || /(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value)),
        defaultMessage: (args) =>
          `${args?.property ?? 'value'} must be a date and time with its zone, such as 2026-12-06T21:00:00Z`,
      },
    }),
  );
}
