import { ValidateIf } from 'class-validator';

/**
 * An optional property that may be left out but not sent as `null`: unlike `IsOptional` (which
 * skips validation for both), `null` goes on to the property's other rules and fails them with a
 * 400, rather than reaching a service that takes `null` for "leave it as it is" or chokes on it.
 */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
