import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, MaxLength, ValidateBy, isEmail } from 'class-validator';
import { canonicalEmail } from '../canonical-email.js';

/** Characters that show as nothing or as a space: any one makes a lookalike of another address. */
const INVISIBLE = /[\p{C}\p{Z}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * The scripts in common use today (Unicode's "recommended" scripts, UAX #31 table 4): letters of
 * others (Coptic "ⲟ", Lisu "ꓐ", Cherokee "Ꭺ") are rare in addresses and mostly lookalikes.
 */
const RECOMMENDED_SCRIPTS = (
  'Common Latin Cyrillic Greek Armenian Georgian Hebrew Arabic Thaana Devanagari Bengali ' +
  'Gurmukhi Gujarati Oriya Tamil Telugu Kannada Malayalam Sinhala Thai Lao Tibetan Myanmar ' +
  'Ethiopic Khmer Hangul Hiragana Katakana Bopomofo Han'
).split(' ');
const RECOMMENDED_LETTER = new RegExp(
  `[${RECOMMENDED_SCRIPTS.map((script) => `\\p{Script=${script}}`).join('')}]`,
  'u',
);
const LETTER = /\p{L}/u;

/**
 * Letters for phonetics, not names: IPA ("ɑ", "ʂ"), modifier letters ("ˀ"), small capitals
 * ("ᴀ"), phonetic extensions ("ᶊ").
 */
const PHONETIC_LATIN = /[\u0250-\u02FF\u1D00-\u1DBF\uAB30-\uAB6F]/u;

/**
 * Scripts with letters that look like Latin ones (Cyrillic "а", Greek "ο", Armenian "օ"): a part
 * of an address that mixes two of them is a lookalike ("аdmin" with a Cyrillic "а"), never a
 * name anyone writes.
 */
const CONFUSABLE_SCRIPTS = [
  /\p{Script=Latin}/u,
  /\p{Script=Cyrillic}/u,
  /\p{Script=Greek}/u,
  /\p{Script=Armenian}/u,
];

/** A combining mark: after NFKC, one left on a Latin, Cyrillic or Greek letter draws another ("ı̇"). */
const MARK = /\p{M}/u;

/** What a domain label may hold: letters, marks, digits and hyphens (no symbols). */
const DOMAIN_LABEL = /^[\p{L}\p{M}\p{N}-]+$/u;
/** What a local part may hold: letters, marks, digits, and ASCII's printable characters. */
const LOCAL_PART = /^[\p{L}\p{M}\p{N}\x21-\x7e]+$/u;

/** Why one part of an (already normalized) address is a lookalike, or null. */
function lookalikePartReason(part: string): string | null {
  for (const character of part) {
    if (LETTER.test(character) && !RECOMMENDED_LETTER.test(character)) {
      return 'must not use letters of scripts outside common use';
    }
  }
  if (PHONETIC_LATIN.test(part)) return 'must not use phonetic letters that look like others';
  const scripts = CONFUSABLE_SCRIPTS.filter((script) => script.test(part));
  if (scripts.length > 1) {
    return 'must not mix letters of lookalike scripts (Latin and Cyrillic, say)';
  }
  if (scripts.length === 1 && MARK.test(part)) {
    return 'must not put combining marks on Latin, Cyrillic or Greek letters';
  }
  return null;
}

/**
 * Why an (already normalized) email is a lookalike of another one, or null when it is not.
 * Each part is judged alone: the local part, and each label of the domain ("аpple.com").
 */
function lookalikeEmailReason(email: string): string | null {
  if (INVISIBLE.test(email)) return 'must not contain invisible characters or spaces';
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const labels = email.slice(at + 1).split('.');
  if (!LOCAL_PART.test(local) || !labels.every((label) => DOMAIN_LABEL.test(label))) {
    return 'must not contain symbols outside ASCII';
  }
  for (const part of [local, ...labels]) {
    const reason = lookalikePartReason(part);
    if (reason) return reason;
  }
  return null;
}

/**
 * What is wrong with an account email as typed, or null: the checks of {@link IsAccountEmail}
 * for callers outside a request (the create-admin command).
 */
export function accountEmailProblem(typed: string): string | null {
  const email = typed.normalize('NFKC').trim();
  if (!isEmail(email)) return 'email must be an email';
  if (email.length > 254) return 'email must be shorter than or equal to 254 characters';
  const reason = storedFormReason(email);
  return reason && `email ${reason}`;
}

/**
 * What the part before the "@" may not hold: quotes, the characters that separate or enclose
 * addresses in a mail header (`< > , ;`), a backslash, parentheses (comments), whitespace or
 * control characters. An address with any of them (a quoted local part such as
 * `"a,b"@example.com`) is valid by the RFC but cannot be carried as one plain address: mail
 * libraries and servers split, mangle or refuse it.
 */
const UNMAILABLE_LOCAL = /["<>,;\\()\s\p{Cc}]/u;

/**
 * Why a normalized email cannot be stored: too long once canonical, not one plain address, or a
 * lookalike.
 */
function storedFormReason(email: string): string | null {
  // Lower-casing can grow it ("İ" is "i" and a combining dot).
  if (canonicalEmail(email).length > 254) return 'must be at most 254 characters once lower-cased';
  if (UNMAILABLE_LOCAL.test(email.slice(0, email.lastIndexOf('@')))) {
    return 'must be a plain address: no quotes, spaces, < > , ; \\ ( ) or control characters before the @';
  }
  return lookalikeEmailReason(email);
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
        validate: (value: unknown) => typeof value === 'string' && !storedFormReason(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'email'} ${
            typeof args?.value === 'string' ? (storedFormReason(args.value) ?? '') : ''
          }`.trim(),
      },
    }),
  );
}
