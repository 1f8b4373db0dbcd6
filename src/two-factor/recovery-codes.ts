import { createHash, randomInt } from 'node:crypto';

/** Lower-case letters and digits without the look-alikes (0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;
export const RECOVERY_CODE_COUNT = 10;

/**
 * A recovery code: 12 characters of a 31-letter alphabet (about 59 bits), shown in groups as
 * `xxxx-xxxx-xxxx`. High-entropy, so a plain SHA-256 is a safe way to store it.
 */
export function newRecoveryCode(): string {
  const groups: string[] = [];
  for (let group = 0; group < GROUPS; group++) {
    let text = '';
    for (let index = 0; index < GROUP_LENGTH; index++)
      text += ALPHABET.charAt(randomInt(ALPHABET.length));
    groups.push(text);
  }
  return groups.join('-');
}

/**
 * A typed recovery code in its stored form (case, spaces and dashes ignored), or `undefined`
 * when it cannot be one.
 */
export function normalizeRecoveryCode(input: string): string | undefined {
  const compact = input.toLowerCase().replace(/[\s-]/g, '');
  if (compact.length !== GROUPS * GROUP_LENGTH) return undefined;
  return /^[a-z2-9]+$/.test(compact) && !/[ilo01]/.test(compact) ? compact : undefined;
}

/** What is stored of a (normalized) recovery code. */
export function hashRecoveryCode(normalized: string): Buffer {
  return createHash('sha256').update(normalized, 'utf8').digest();
}
