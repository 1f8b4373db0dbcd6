import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, Matches, MaxLength } from 'class-validator';

/**
 * An account's email as it comes in (sign-up, an admin creating an account): normalized first
 * (NFKC, trimmed), then validated, so what is checked is what is stored: a fullwidth "＠" or
 * "，" becomes "@" or "," before the address is judged, and the length counts the stored form.
 * No invisible, control or space characters, which would make a lookalike of another address.
 */
export function IsAccountEmail(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.normalize('NFKC').trim() : value,
    ),
    IsEmail(),
    MaxLength(254),
    Matches(/^[^\p{C}\p{Z}]*$/u, {
      message: 'email must not contain invisible characters or spaces',
    }),
  );
}
