import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength, ValidateBy } from 'class-validator';

/** Characters that show as nothing or as a space: any one makes a lookalike of another address. */
const INVISIBLE = /[\p{C}\p{Z}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * Scripts with letters that look like Latin ones (Cyrillic "а", Greek "ο", Armenian "օ", Cherokee
 * "Ꭺ"): a part of an address that mixes two of them is a lookalike ("аdmin" with a Cyrillic "а"),
 * never a name anyone writes.
 */
const CONFUSABLE_SCRIPTS = [
  /\p{Script=Latin}/u,
  /\p{Script=Cyrillic}/u,
  /\p{Script=Greek}/u,
  /\p{Script=Armenian}/u,
  /\p{Script=Cherokee}/u,
];

/** Why an (already normalized) email is a lookalike of another one, or null when it is not. */
export function lookalikeEmailReason(email: string): string | null {
  if (INVISIBLE.test(email)) return 'must not contain invisible characters or spaces';
  // The local part as one, and each label of the domain on its own ("аpple.com" vs "apple.com").
  const at = email.lastIndexOf('@');
  const parts = [email.slice(0, at), ...email.slice(at + 1).split('.')];
  for (const part of parts) {
    const scripts = CONFUSABLE_SCRIPTS.filter((script) => script.test(part));
    if (scripts.length > 1)
      return 'must not mix letters of lookalike scripts (Latin and Cyrillic, say)';
  }
  return null;
}

/**
 * An account's email as it comes in (sign-up, an admin creating an account): normalized first
 * (NFKC, trimmed), then validated, so what is checked is what is stored: a fullwidth "＠" or
 * "，" becomes "@" or "," before the address is judged, and the length counts the stored form.
 * No invisible, control or space characters, and no part that mixes lookalike scripts, which
 * would make a lookalike of another address.
 */
export function IsAccountEmail(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.normalize('NFKC').trim() : value,
    ),
    IsEmail(),
    MaxLength(254),
    ValidateBy({
      name: 'isNotLookalikeEmail',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && !lookalikeEmailReason(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'email'} ${
            typeof args?.value === 'string' ? (lookalikeEmailReason(args.value) ?? '') : ''
          }`.trim(),
      },
    }),
  );
}
