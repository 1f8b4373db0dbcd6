/** No 0/O, 1/l/I: a password read out or copied by hand is read right. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A new password an admin hands over once: 5 groups of 5 characters (about 145 bits) from the
 * browser's cryptographic random source, above every role's minimum length and never a common
 * password.
 */
export function generatePassword(
  random: (bytes: Uint8Array<ArrayBuffer>) => void = (b) => crypto.getRandomValues(b),
): string {
  const groups: string[] = [];
  const bytes = new Uint8Array(1);
  for (let group = 0; group < 5; group += 1) {
    let text = '';
    while (text.length < 5) {
      random(bytes);
      const byte = bytes[0] ?? 0;
      // Rejection sampling: only bytes below a multiple of the alphabet's size, so no bias.
      if (byte < Math.floor(256 / ALPHABET.length) * ALPHABET.length) {
        text += ALPHABET.charAt(byte % ALPHABET.length);
      }
    }
    groups.push(text);
  }
  return groups.join('-');
}
