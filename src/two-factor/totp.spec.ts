import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '../config/app-config.js';
import { normalizeRecoveryCode, newRecoveryCode } from './recovery-codes.js';
import { SecretBox, openOrReport } from './secret-box.js';
import { matchingStep, newTotpSecret, totpAt, totpUri } from './totp.js';

describe('TOTP through the configured library (RFC 6238)', () => {
  // RFC 6238 Appendix B, SHA-1: the 20-byte ASCII secret, 8-digit codes.
  const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('gives the RFC’s code at T = %i', (time, code) => {
    expect(totpAt(RFC_SECRET, time, 8)).toBe(code);
  });

  it('gives the RFC’s codes in their last six digits at 6 digits (HOTP truncation)', () => {
    expect(totpAt(RFC_SECRET, 59)).toBe('287082');
    expect(totpAt(RFC_SECRET, 1111111109)).toBe('081804');
  });

  const secret = newTotpSecret();
  const t = 1_700_000_010; // 10 s into step 56666667
  const step = Math.floor(t / 30);

  it('accepts a code of the step before, the current one and the next, and no further', () => {
    expect(matchingStep(secret, totpAt(secret, t), t)).toBe(step);
    expect(matchingStep(secret, totpAt(secret, t - 30), t)).toBe(step - 1);
    expect(matchingStep(secret, totpAt(secret, t + 30), t)).toBe(step + 1);
    expect(matchingStep(secret, totpAt(secret, t - 60), t)).toBeUndefined();
    expect(matchingStep(secret, totpAt(secret, t + 60), t)).toBeUndefined();
  });

  it('refuses a replay: a code whose step is not after the last one accepted', () => {
    const code = totpAt(secret, t);
    expect(matchingStep(secret, code, t, step - 1)).toBe(step);
    expect(matchingStep(secret, code, t, step)).toBeUndefined();
    // The next step's code is still good after this one.
    expect(matchingStep(secret, totpAt(secret, t + 30), t + 30, step)).toBe(step + 1);
  });

  it('refuses anything but six digits, and another secret’s code', () => {
    const code = totpAt(secret, t);
    expect(matchingStep(secret, ` ${code}`, t)).toBeUndefined();
    expect(matchingStep(secret, code.slice(1), t)).toBeUndefined();
    expect(matchingStep(secret, 'abcdef', t)).toBeUndefined();
    expect(matchingStep(newTotpSecret(), code, t)).toBeUndefined();
  });

  it('writes an otpauth URI with issuer, label and the secret', () => {
    const uri = totpUri(secret, 'Taproom', 'ann@example.com');
    expect(uri).toMatch(/^otpauth:\/\/totp\/Taproom:ann%40example\.com\?/);
    expect(new URL(uri).searchParams.get('secret')).toBe(secret);
    expect(new URL(uri).searchParams.get('issuer')).toBe('Taproom');
  });
});

describe('recovery codes', () => {
  it('are readable groups that normalise whatever the case, spaces and dashes', () => {
    const code = newRecoveryCode();
    expect(code).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(normalizeRecoveryCode(` ${code.toUpperCase().replace(/-/g, ' ')} `)).toBe(
      code.replace(/-/g, ''),
    );
    expect(normalizeRecoveryCode('0000-0000-0000')).toBeUndefined();
    expect(normalizeRecoveryCode('abcd')).toBeUndefined();
  });

  it('are ten different ones', () => {
    expect(new Set(Array.from({ length: 10 }, newRecoveryCode)).size).toBe(10);
  });
});

describe('TOTP secrets at rest', () => {
  const config = (key: string) =>
    loadConfig({
      NODE_ENV: 'test',
      JWT_SECRET: 'jwt-secret-0123456789abcdef0123456789abcd',
      REFRESH_TOKEN_KEY: key,
      DATA_DIR: '/tmp',
    });
  const box = new SecretBox(config('refresh-key-0123456789abcdef0123456789abcd'));
  const user = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';

  it('are encrypted, and open only for the same user under the same key', () => {
    const secret = newTotpSecret();
    const sealed = box.seal(secret, user);
    expect(sealed.toString('latin1')).not.toContain(secret);
    expect(box.open(sealed, user)).toBe(secret);
    expect(box.open(sealed, '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d')).toBeUndefined();
    const other = new SecretBox(config('another-key-0123456789abcdef0123456789ab'));
    expect(other.open(sealed, user)).toBeUndefined();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    expect(box.open(tampered, user)).toBeUndefined();
  });

  describe('a stored key that does not open (REFRESH_TOKEN_KEY changed)', () => {
    /** A logger that keeps what it is given. */
    const recording = () => {
      const errors: unknown[][] = [];
      return { errors, logger: { error: (...args: unknown[]) => errors.push(args) } };
    };

    it('is refused and logged once, naming the cause and the fix, without the secret', () => {
      const secret = newTotpSecret();
      const sealed = box.seal(secret, user);
      const rotated = new SecretBox(config('another-key-0123456789abcdef0123456789ab'));
      const { errors, logger } = recording();
      expect(openOrReport(rotated, sealed, user, 'secret', logger)).toBeUndefined();
      expect(errors).toHaveLength(1);
      const line = errors.flat().map(String).join(' ');
      expect(line).toContain(user);
      expect(line).toMatch(/cannot be decrypted/);
      expect(line).toMatch(/REFRESH_TOKEN_KEY/);
      expect(line).toMatch(/admin resets/);
      expect(line).not.toContain(secret);
      expect(line).not.toContain(sealed.toString('base64'));
      expect(line).not.toContain(sealed.toString('hex'));
    });

    it('says to start again for a pending key, and stays quiet for one that opens', () => {
      const sealed = box.seal(newTotpSecret(), user);
      const rotated = new SecretBox(config('another-key-0123456789abcdef0123456789ab'));
      const { errors, logger } = recording();
      expect(openOrReport(rotated, sealed, user, 'pending', logger)).toBeUndefined();
      expect(errors.flat().map(String).join(' ')).toMatch(/start the setup again/);
      expect(openOrReport(box, sealed, user, 'secret', logger)).toBeDefined();
      expect(errors).toHaveLength(1);
    });
  });
});
