import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength, ValidateBy } from 'class-validator';

/**
 * Line breaks and other control characters: C0 and C1 controls (CR, LF, tab, NEL…) and the
 * Unicode line and paragraph separators. A name is shown on one line (in the apps, in mails).
 */
const NAME_CONTROL = /[\p{Cc}\u2028\u2029]/u;

/**
 * A name as stored: trimmed, and in Unicode's composed form (NFC), so "Wäller" typed with a
 * combining diaeresis is the same text as "Wäller" typed with one key, and a search finds both.
 */
export function storedPersonName(typed: string): string {
  return typed.trim().normalize('NFC');
}

const asStored = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? storedPersonName(value) : value;

/**
 * What is wrong with a name as typed, or null: the checks of {@link IsPersonName} for callers
 * outside a request (the create-admin command).
 */
export function personNameProblem(typed: string): string | null {
  const name = storedPersonName(typed);
  if (name.length < 1 || name.length > 100) return 'name must be 1 to 100 characters long';
  if (NAME_CONTROL.test(name))
    return 'name must be on one line: no line breaks or control characters';
  return null;
}

/**
 * A person's name as it comes in (registration, a guest's upgrade, an admin creating or renaming
 * someone): trimmed and composed ({@link storedPersonName}), 1–100 characters, on one line (no
 * line breaks or control characters, which would let a name pose as more lines of a mail that
 * shows it).
 */
export function IsPersonName(): PropertyDecorator {
  return applyDecorators(
    Transform(asStored),
    IsString(),
    MinLength(1),
    MaxLength(100),
    ValidateBy({
      name: 'isOneLineName',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !NAME_CONTROL.test(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'name'} must be on one line: no line breaks or control characters`,
      },
    }),
  );
}
