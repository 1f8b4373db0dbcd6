import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import QRCode from 'qrcode';
import { AuditService } from '../audit/audit.service.js';
import type { AuthContext } from '../auth/auth-context.js';
import type { ClientInfo } from '../auth/auth.service.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { changeRows, selectRows } from '../database/sql-rows.js';
import { EventOutbox } from '../events/event-outbox.js';
import { LoginThrottle, checkAttempt } from '../rate-limit/login-throttle.js';
import { deviceLabel } from '../sessions/device-label.js';
import { SecurityAudit } from '../sessions/session-audit.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PasswordHasher } from '../users/password-hasher.js';
import { type User, UsersService } from '../users/users.service.js';
import {
  RECOVERY_CODE_COUNT,
  hashRecoveryCode,
  newRecoveryCode,
  normalizeRecoveryCode,
} from './recovery-codes.js';
import { SecretBox, openOrReport } from './secret-box.js';
import { isTotpCode, matchingStep, newTotpSecret, totpUri } from './totp.js';

/** What the authenticator app needs: the secret, as a URI and as a QR code of it. */
export interface TwoFactorSetup {
  readonly secret: string;
  readonly otpauthUri: string;
  readonly qrSvg: string;
}

/** A code a user gives: one from the authenticator app, or a recovery code. */
export interface SecondFactor {
  readonly code?: string | undefined;
  readonly recoveryCode?: string | undefined;
}

/** Which kind of code matched. */
export type SecondFactorUsed = 'totp' | 'recovery';

const ISSUER = 'Taproom';

function codeProblem(message: string): AppError {
  return new AppError(ErrorCode.VALIDATION_FAILED, message, [{ field: 'code', errors: [message] }]);
}

function alreadyOn(): AppError {
  return new AppError(
    ErrorCode.FORBIDDEN,
    'Two-factor sign-in is on already; turn it off first to set up another device.',
    { reason: 'two_factor_enabled' },
  );
}

const START_AGAIN =
  'The key changed since this code was made (a newer setup): start again and scan the new code.';

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/**
 * Two-factor sign-in (TOTP, RFC 6238) of one account: setup (a pending secret, encrypted),
 * enable (confirmed with a code; ten recovery codes), disable (password and code), an admin's
 * reset, and the check of a sign-in's code. Owns `two_factor_secrets` and
 * `two_factor_recovery_codes`; the user's `twoFactorEnabled` flag goes through the users module.
 *
 * Each code is accepted once: the step of the last accepted code is kept, and a code counts only
 * through `UPDATE … WHERE last_step < $step`, so of two requests with one code exactly one wins.
 */
@Injectable()
export class TwoFactorService {
  private readonly logger = new Logger('TwoFactor');

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: EventOutbox,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly loginThrottle: LoginThrottle,
    private readonly audit: AuditService,
    private readonly securityAudit: SecurityAudit,
    private readonly box: SecretBox,
  ) {}

  /**
   * Starts (or restarts) a setup: a new pending secret, shown once, stored encrypted. Asks for
   * the password first ("confirm access"): a session alone (a stolen access token) must not be
   * able to put a key of its own on the account. A wrong password counts as a failed sign-in.
   */
  async setup(auth: AuthContext, password: string, client: ClientInfo): Promise<TwoFactorSetup> {
    const user = await this.accountOf(auth);
    if (user.twoFactorEnabled) throw alreadyOn();
    await this.confirmPassword(auth, user, password, client);
    const secret = newTotpSecret();
    // Not over a confirmed key: an enable that won meanwhile stays as it is.
    const rows = await selectRows(
      this.dataSource.manager,
      `INSERT INTO two_factor_secrets (user_id, pending_secret, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (user_id) DO UPDATE SET pending_secret = EXCLUDED.pending_secret, updated_at = now()
         WHERE two_factor_secrets.secret IS NULL
       RETURNING user_id`,
      [user.id, this.box.seal(secret, user.id)],
    );
    if (rows.length === 0) throw alreadyOn();
    const otpauthUri = totpUri(secret, ISSUER, user.email ?? user.name);
    const qrSvg = await QRCode.toString(otpauthUri, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    return { secret, otpauthUri, qrSvg };
  }

  /**
   * Confirms the pending secret with a code of it: two-factor sign-in is on, ten new recovery
   * codes (the only time they are shown) replace any earlier ones, and every other session of
   * the user ends (reason `logout_all`): one opened with a stolen password must not outlive it.
   *
   * Exactly the secret the code was checked against becomes the key: the row is locked before
   * the pending secret is read, and the update is conditional on it still being that one, so a
   * setup racing this enable makes it fail ("start again") instead of switching the key.
   */
  async enable(auth: AuthContext, code: string, client: ClientInfo): Promise<string[]> {
    if (!isTotpCode(code)) throw codeProblem('Enter the 6-digit code from your authenticator app.');
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await this.outbox.transaction(async (tx) => {
      const { manager } = tx;
      const user = await this.users.lockById(auth.userId, manager);
      if (!user?.active) throw new AppError(ErrorCode.SESSION_REVOKED);
      await this.sessions.assertActive(auth.sessionId, manager);
      if (user.twoFactorEnabled) {
        throw new AppError(ErrorCode.FORBIDDEN, 'Two-factor sign-in is on already.', {
          reason: 'two_factor_enabled',
        });
      }
      const [row] = await selectRows<{ pending_secret: Buffer | null }>(
        manager,
        `SELECT pending_secret FROM two_factor_secrets WHERE user_id = $1 FOR UPDATE`,
        [user.id],
      );
      const pending = row?.pending_secret ?? null;
      if (pending === null) throw codeProblem('Start the setup first: no key is waiting.');
      const secret = this.openStored(pending, user.id, 'pending');
      if (secret === undefined) throw codeProblem(START_AGAIN);
      const step = matchingStep(secret, code, nowSeconds());
      if (step === undefined) {
        throw codeProblem(
          'That code does not match. Check that the time on your phone is right and try the current code.',
        );
      }
      const { count } = await changeRows(
        manager,
        `UPDATE two_factor_secrets
            SET secret = $3, pending_secret = NULL, enabled_at = now(),
                last_step = $2, updated_at = now()
          WHERE user_id = $1 AND pending_secret = $3`,
        [user.id, step, pending],
      );
      if (count !== 1) throw codeProblem(START_AGAIN);
      await changeRows(manager, `DELETE FROM two_factor_recovery_codes WHERE user_id = $1`, [
        user.id,
      ]);
      for (const recovery of codes) {
        await selectRows(
          manager,
          `INSERT INTO two_factor_recovery_codes (user_id, code_hash) VALUES ($1, $2)
           RETURNING user_id`,
          [user.id, hashRecoveryCode(normalizeRecoveryCode(recovery) ?? recovery)],
        );
      }
      await this.users.setTwoFactorEnabled(user.id, true, manager);
      await this.audit.record(
        {
          type: 'two_factor_enabled',
          userId: user.id,
          sessionId: auth.sessionId,
          ip: client.ip,
          details: { device: deviceLabel(client.userAgent) },
        },
        manager,
      );
      // Each ended session is audited (session_revoked) in this transaction.
      await this.sessions.revokeUserSessionsInTransaction(tx, user.id, 'logout_all', {
        exceptSessionId: auth.sessionId,
        ip: client.ip,
      });
      tx.emit({ type: 'user.changed', userId: user.id });
    });
    return codes;
  }

  /**
   * Turns two-factor sign-in off, given the password and a code (from the app, or a recovery
   * code: someone who lost the phone but kept the codes can start over). Wrong ones count as
   * failed sign-ins. With `TWO_FACTOR_ADMIN=required` an admin cannot turn it off (another
   * admin can reset it).
   */
  async disable(
    auth: AuthContext,
    input: { password: string } & SecondFactor,
    client: ClientInfo,
  ): Promise<void> {
    const user = await this.accountOf(auth);
    if (!user.twoFactorEnabled) throw codeProblem('Two-factor sign-in is off already.');
    if (this.config.twoFactorAdmin === 'required' && user.role === 'admin') {
      throw new AppError(
        ErrorCode.FORBIDDEN,
        'Admins must keep two-factor sign-in here; another admin can reset it.',
        { reason: 'two_factor_required' },
      );
    }
    const { email, passwordHash } = user as User & { email: string; passwordHash: string };
    this.hasher.assertRoom();
    const attempt = await this.loginThrottle.begin(email, client.ip, {
      userId: user.id,
      kind: 'two_factor_disable',
    });
    const failed = async (reason: 'password' | 'code'): Promise<never> => {
      await attempt.failed();
      await this.securityAudit.loginFailed(client, {
        userId: user.id,
        sessionId: auth.sessionId,
        email: user.emailCanonical,
        details: { reason: 'two_factor_disable', wrong: reason },
      });
      throw reason === 'password'
        ? new AppError(ErrorCode.INVALID_CREDENTIALS, 'The password is wrong.')
        : new AppError(ErrorCode.TOTP_INVALID);
    };
    const passwordOk = await checkAttempt(attempt, () =>
      this.hasher.verify(passwordHash, input.password),
    );
    if (!passwordOk) return failed('password');
    const used = await checkAttempt(attempt, () => this.verify(user.id, input));
    if (used === undefined) return failed('code');
    await attempt.succeeded();
    await this.outbox.transaction(async (tx) => {
      const { manager } = tx;
      const current = await this.users.lockById(user.id, manager);
      if (!current?.active) throw new AppError(ErrorCode.SESSION_REVOKED);
      if (current.credentialsVersion !== user.credentialsVersion) {
        throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'The password is wrong.');
      }
      await this.sessions.assertActive(auth.sessionId, manager);
      await this.clear(user.id, manager);
      await this.audit.record(
        {
          type: 'two_factor_disabled',
          userId: user.id,
          sessionId: auth.sessionId,
          ip: client.ip,
          details: { with: used },
        },
        manager,
      );
      tx.emit({ type: 'user.changed', userId: user.id });
    });
  }

  /**
   * An admin turns another user's two-factor sign-in off and ends every session of theirs. Not
   * their own: that takes the password and a code (disable), or another admin.
   */
  async reset(actor: AuthContext, userId: string, ip: string | null): Promise<void> {
    if (userId === actor.userId) {
      throw new AppError(
        ErrorCode.FORBIDDEN,
        'You cannot reset your own two-factor sign-in: turn it off with your password and a ' +
          'code, or ask another admin.',
        { reason: 'own_account' },
      );
    }
    await this.outbox.transaction(async (tx) => {
      const { manager } = tx;
      const user = await this.users.lockById(userId, manager);
      if (!user) throw new AppError(ErrorCode.NOT_FOUND, 'No such user.');
      await this.clear(user.id, manager);
      await this.audit.record(
        {
          type: 'two_factor_reset',
          userId: user.id,
          sessionId: actor.sessionId,
          ip,
          details: { actorId: actor.userId, wasEnabled: user.twoFactorEnabled },
        },
        manager,
      );
      await this.sessions.revokeUserSessionsInTransaction(tx, user.id, 'admin', {
        actorId: actor.userId,
        ip,
      });
      tx.emit({ type: 'user.changed', userId: user.id });
    });
  }

  /**
   * Checks a sign-in's code and uses it up: a TOTP code within one step and newer than the last
   * one accepted, or an unused recovery code. Returns which matched, or `undefined`.
   */
  async verify(userId: string, factor: SecondFactor): Promise<SecondFactorUsed | undefined> {
    if (factor.code !== undefined) {
      return (await this.acceptTotp(userId, factor.code)) ? 'totp' : undefined;
    }
    if (factor.recoveryCode !== undefined) {
      return (await this.useRecoveryCode(userId, factor.recoveryCode)) ? 'recovery' : undefined;
    }
    return undefined;
  }

  /** How many unused recovery codes the user has left. */
  async recoveryCodesLeft(userId: string): Promise<number> {
    const [row] = await selectRows<{ left: number }>(
      this.dataSource.manager,
      `SELECT count(*)::int AS left FROM two_factor_recovery_codes
        WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
    return row?.left ?? 0;
  }

  private async acceptTotp(userId: string, code: string): Promise<boolean> {
    if (!isTotpCode(code)) return false;
    const [row] = await selectRows<{ secret: Buffer | null; last_step: string | number }>(
      this.dataSource.manager,
      `SELECT secret, last_step FROM two_factor_secrets WHERE user_id = $1`,
      [userId],
    );
    if (!row?.secret) return false;
    const secret = this.openStored(row.secret, userId, 'secret');
    if (secret === undefined) return false;
    const step = matchingStep(secret, code, nowSeconds(), Number(row.last_step));
    if (step === undefined) return false;
    // Of two requests with the same code (or two codes racing), only one moves the step on.
    const { count } = await changeRows(
      this.dataSource.manager,
      `UPDATE two_factor_secrets SET last_step = $2
        WHERE user_id = $1 AND secret IS NOT NULL AND last_step < $2`,
      [userId, step],
    );
    return count === 1;
  }

  private async useRecoveryCode(userId: string, input: string): Promise<boolean> {
    const normalized = normalizeRecoveryCode(input);
    if (normalized === undefined) return false;
    const { count } = await changeRows(
      this.dataSource.manager,
      `UPDATE two_factor_recovery_codes SET used_at = now()
        WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [userId, hashRecoveryCode(normalized)],
    );
    return count === 1;
  }

  /** Removes the secret and the recovery codes and turns the flag off (in `manager`'s transaction). */
  private async clear(userId: string, manager: EntityManager): Promise<void> {
    await changeRows(manager, `DELETE FROM two_factor_recovery_codes WHERE user_id = $1`, [userId]);
    await changeRows(manager, `DELETE FROM two_factor_secrets WHERE user_id = $1`, [userId]);
    await this.users.setTwoFactorEnabled(userId, false, manager);
  }

  /**
   * Opens a stored secret. One that does not open (REFRESH_TOKEN_KEY changed, or the row was
   * tampered with) is logged, once per attempt and without the secret: the user's right codes
   * are refused from now on, and only an admin's reset (or a new setup) helps.
   */
  private openStored(
    sealed: Buffer,
    userId: string,
    which: 'secret' | 'pending',
  ): string | undefined {
    return openOrReport(this.box, sealed, userId, which, this.logger);
  }

  /** Checks the caller's password for setup; a wrong one counts as a failed sign-in. */
  private async confirmPassword(
    auth: AuthContext,
    user: User,
    password: string,
    client: ClientInfo,
  ): Promise<void> {
    const { email, passwordHash } = user as User & { email: string; passwordHash: string };
    this.hasher.assertRoom();
    const attempt = await this.loginThrottle.begin(email, client.ip, {
      userId: user.id,
      kind: 'two_factor_setup',
    });
    const ok = await checkAttempt(attempt, () => this.hasher.verify(passwordHash, password));
    if (ok) {
      await attempt.succeeded();
      return;
    }
    await attempt.failed();
    await this.securityAudit.loginFailed(client, {
      userId: user.id,
      sessionId: auth.sessionId,
      email: user.emailCanonical,
      details: { reason: 'two_factor_setup' },
    });
    throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'The password is wrong.');
  }

  /** The caller's account; guests (no password, no email) have no two-factor sign-in. */
  private async accountOf(auth: AuthContext): Promise<User> {
    const user = await this.users.findById(auth.userId);
    if (!user?.active) throw new AppError(ErrorCode.SESSION_REVOKED);
    if (user.email === null || user.passwordHash === null) {
      throw new AppError(ErrorCode.FORBIDDEN, 'A guest has no account to protect; sign up first.');
    }
    return user;
  }
}
