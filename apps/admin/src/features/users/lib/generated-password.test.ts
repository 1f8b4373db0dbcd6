import { describe, expect, it } from 'vitest';
import { generatePassword } from './generated-password';

describe('generatePassword', () => {
  it('gives 5 groups of 5 unambiguous characters, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      const password = generatePassword();
      expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{5}(-[a-km-zA-HJ-NP-Z2-9]{5}){4}$/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });

  it('skips bytes that would bias the alphabet', () => {
    // 255 is above the largest multiple of 56 below 256 (224), so it is thrown away.
    const bytes = [255, 0];
    let next = 0;
    const password = generatePassword((buffer) => {
      buffer[0] = bytes[next % 2] ?? 0;
      next += 1;
    });
    expect(password).toBe('aaaaa-aaaaa-aaaaa-aaaaa-aaaaa');
  });
});
