import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Injectable, type LoggerService } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts TOTP secrets at rest: AES-256-GCM with a key derived by HKDF-SHA-256 from
 * `REFRESH_TOKEN_KEY` (info `taproom/totp-secret/v1`), the user's id as additional data (a
 * secret copied to another user's row does not open). The server secret is already required in
 * production and shared by every instance, so no new setting can be forgotten; the derivation
 * keeps the two uses apart. Rotating `REFRESH_TOKEN_KEY` makes existing secrets unreadable:
 * those users then need an admin's two-factor reset (README).
 *
 * Stored as `version (1) | iv (12) | tag (16) | ciphertext`.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@InjectConfig() config: AppConfig) {
    this.key = Buffer.from(
      hkdfSync('sha256', config.secrets.refreshTokenKey, 'taproom', 'taproom/totp-secret/v1', 32),
    );
  }

  seal(plain: string, userId: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(userId, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  /** The secret, or `undefined` when it does not open (another key, another user, tampered). */
  open(sealed: Buffer, userId: string): string | undefined {
    if (sealed.length <= 1 + IV_BYTES + TAG_BYTES || sealed[0] !== VERSION) return undefined;
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAAD(Buffer.from(userId, 'utf8'));
      decipher.setAuthTag(tag);
      const body = sealed.subarray(1 + IV_BYTES + TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/**
 * Opens a stored secret of `userId`; when it does not open, logs an error naming the cause and
 * the fix (never the secret) and answers `undefined`, so the code is refused as a wrong one.
 */
export function openOrReport(
  box: SecretBox,
  sealed: Buffer,
  userId: string,
  which: 'secret' | 'pending',
  logger: Pick<LoggerService, 'error'>,
): string | undefined {
  const plain = box.open(sealed, userId);
  if (plain === undefined) {
    logger.error(
      which === 'secret'
        ? `The two-factor key of user ${userId} cannot be decrypted (REFRESH_TOKEN_KEY changed ` +
            'since it was set up, or the row was altered): their codes are refused. Fix: an ' +
            'admin resets their two-factor sign-in (POST /api/admin/users/:id/2fa/reset).'
        : `The pending two-factor key of user ${userId} cannot be decrypted (REFRESH_TOKEN_KEY ` +
            'changed, or the row was altered): they must start the setup again.',
    );
  }
  return plain;
}
