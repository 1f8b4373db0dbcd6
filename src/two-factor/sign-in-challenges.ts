import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AppName } from '../auth/auth-context.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { changeRows, selectRows } from '../database/sql-rows.js';

/** How long the code step of a sign-in may take. */
const CHALLENGE_TTL_SECONDS = 300;
/** Codes tried per challenge (each counted before it is checked); then it is dead. */
const CHALLENGE_MAX_ATTEMPTS = 5;

/** What the password step of a sign-in hands over to its code step. */
export interface NewChallenge {
  readonly userId: string;
  readonly app: AppName;
  readonly ip: string | null;
  /** The user's credentials version as the password check read it. */
  readonly credentialsVersion: number;
  readonly refreshTransport: 'cookie' | 'body';
  readonly remember: boolean;
}

export interface Challenge extends NewChallenge {
  readonly id: string;
  readonly attempts: number;
}

interface ChallengeRow {
  id: string;
  user_id: string;
  app: AppName;
  ip: string | null;
  credentials_version: number;
  refresh_transport: 'cookie' | 'body';
  remember: boolean;
  attempts: number;
}

const hashOf = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Every answer about a challenge that cannot be used: unknown, used, expired, elsewhere. */
export function deadChallenge(): AppError {
  return new AppError(
    ErrorCode.INVALID_CREDENTIALS,
    'This sign-in has expired or was started elsewhere; enter your password again.',
  );
}

/**
 * The second step of a sign-in: after the right password, a user with two-factor sign-in gets a
 * challenge, an opaque random token (32 bytes) of which only the SHA-256 is stored, with the
 * user, app and address it is bound to, what the login asked for (refresh transport, remember)
 * and the credentials version the password check read. It lives 5 minutes, takes at most 5
 * codes (each counted before it is checked) and is used once.
 */
@Injectable()
export class SignInChallenges {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A new challenge's token; expired rows older than a day go on the way. */
  async issue(input: NewChallenge): Promise<{ challenge: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const rows = await selectRows<{ expires_at: Date }>(
      this.dataSource.manager,
      `INSERT INTO two_factor_challenges
         (id, token_hash, user_id, app, ip, credentials_version, refresh_transport, remember,
          expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + $9::int * interval '1 second')
       RETURNING expires_at`,
      [
        randomUUID(),
        hashOf(token),
        input.userId,
        input.app,
        input.ip,
        input.credentialsVersion,
        input.refreshTransport,
        input.remember,
        CHALLENGE_TTL_SECONDS,
      ],
    );
    await changeRows(
      this.dataSource.manager,
      `DELETE FROM two_factor_challenges WHERE expires_at < now() - interval '1 day'`,
    );
    return { challenge: token, expiresAt: new Date(rows[0]?.expires_at ?? Date.now()) };
  }

  /**
   * The live challenge of `token` for this app and address, or a {@link deadChallenge} error:
   * unknown, used, expired, out of attempts, or presented by another app or address.
   */
  async find(token: string, app: AppName | undefined, ip: string | null): Promise<Challenge> {
    const [row] = await selectRows<ChallengeRow>(
      this.dataSource.manager,
      `SELECT id, user_id, app, ip, credentials_version, refresh_transport, remember, attempts
         FROM two_factor_challenges
        WHERE token_hash = $1 AND consumed_at IS NULL AND expires_at > now() AND attempts < $2`,
      [hashOf(token), CHALLENGE_MAX_ATTEMPTS],
    );
    if (!row || (app !== undefined && row.app !== app) || row.ip !== ip) throw deadChallenge();
    return {
      id: row.id,
      userId: row.user_id,
      app: row.app,
      ip: row.ip,
      credentialsVersion: row.credentials_version,
      refreshTransport: row.refresh_transport,
      remember: row.remember,
      attempts: row.attempts,
    };
  }

  /**
   * Counts one code tried, before it is checked, in one conditional statement: parallel tries
   * never get more than the cap checked. Returns the attempts left after this one, or throws
   * {@link deadChallenge} when none was left (or it was used or expired meanwhile).
   */
  async countAttempt(id: string): Promise<number> {
    const { rows } = await changeRows(
      this.dataSource.manager,
      `UPDATE two_factor_challenges SET attempts = attempts + 1
        WHERE id = $1 AND attempts < $2 AND consumed_at IS NULL AND expires_at > now()
        RETURNING attempts`,
      [id, CHALLENGE_MAX_ATTEMPTS],
    );
    const attempts = (rows[0] as { attempts: number } | undefined)?.attempts;
    if (attempts === undefined) throw deadChallenge();
    return CHALLENGE_MAX_ATTEMPTS - attempts;
  }

  /** Uses the challenge up (once: a second use, even a parallel one, is a dead challenge). */
  async consume(id: string): Promise<void> {
    const { count } = await changeRows(
      this.dataSource.manager,
      `UPDATE two_factor_challenges SET consumed_at = now()
        WHERE id = $1 AND consumed_at IS NULL AND expires_at > now()`,
      [id],
    );
    if (count !== 1) throw deadChallenge();
  }
}
