import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig, RateLimitRule } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { auditableEmail } from '../users/canonical-email.js';
import { clientKey, emailKey } from './rate-limit-keys.js';
import { RateLimitStorage, retryAfterSeconds } from './rate-limit-storage.js';

/** Which failure limit an attempt ran into. */
export type LoginLimitScope = 'email_ip' | 'ip' | 'account';

/**
 * What is being checked: a sign-in, the current password of change-password, a sign-in's TOTP
 * or recovery code, the password that starts a two-factor setup, or the password and code that
 * turn two-factor sign-in off.
 */
type PasswordCheckKind =
  'login' | 'change_password' | 'totp' | 'two_factor_setup' | 'two_factor_disable';

/** One password check in progress; call exactly one of the two when the answer is known. */
export interface LoginAttempt {
  /** Wrong password or unknown email: the attempt counts as a failure on every limit. */
  failed(): Promise<void>;
  /**
   * Right password (or no check made, the hasher being full): the attempt leaves no trace, so
   * successful sign-ins are never limited.
   */
  succeeded(): Promise<void>;
}

/**
 * Runs the check of an attempt. When the check itself breaks (the database, a full hasher) rather
 * than finding a wrong answer, the attempt leaves no trace on the failure counters.
 */
export async function checkAttempt<T>(attempt: LoginAttempt, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    await attempt.succeeded();
    throw error;
  }
}

export interface LoginAttemptContext {
  /** The account, when the caller already knows it (change-password). */
  readonly userId?: string | null;
  readonly kind?: PasswordCheckKind;
}

const windowMs = (rule: RateLimitRule): number => rule.windowSeconds * 1000;

/**
 * How long a sign-in waits for attempts in flight (from the same address, say) to settle, before
 * it is refused with `429`: far longer than a password check takes, even with a queue of them.
 */
const ATTEMPT_WAIT_MS = 10_000;

/**
 * Failure limits of sign-in (contract: Auth): per email and IP, per IP, per account across
 * addresses, plus registrations per IP. Counted on the shared {@link RateLimitStorage}, so they
 * hold across instances. A limit of 0 turns that rule off.
 *
 * Usage (login and change-password alike):
 * ```ts
 * const attempt = await loginThrottle.begin(email, client.ip);   // 429 when over a limit
 * if (!passwordOk) { await attempt.failed(); throw new AppError(ErrorCode.INVALID_CREDENTIALS); }
 * await attempt.succeeded();
 * ```
 * `begin` counts the attempt as in flight on every counter (email and IP, IP, account) in one
 * atomic step before the (slow) password check, so a burst of parallel guesses cannot slip past a
 * limit together; settling it turns it into a failure or leaves no trace.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly storage: RateLimitStorage,
    private readonly audit: AuditService,
  ) {}

  /**
   * Throws `429 RATE_LIMITED` with `Retry-After` (and audits `login_rate_limited`) when this
   * email from this IP, this IP, or this account has used up its failures; otherwise returns
   * the attempt to settle.
   */
  async begin(
    email: string,
    ip: string | null,
    context: LoginAttemptContext = {},
  ): Promise<LoginAttempt> {
    const limits = this.config.rateLimits;
    const address = clientKey(ip);
    const account = emailKey(email);
    const scopes: [LoginLimitScope, string, RateLimitRule][] = [
      ['ip', `login:ip:${address}`, limits.loginFailuresPerIp],
      ['account', `login:acct:${account}`, limits.loginFailuresPerAccount],
      ['email_ip', `login:ei:${account}:${address}`, limits.loginFailuresPerEmailAndIp],
    ];
    const counted = scopes.filter(([, , rule]) => rule.limit > 0);
    const rules = counted.map(([, key, rule]) => ({
      key,
      windowMs: windowMs(rule),
      limit: rule.limit,
    }));
    // Every counter at once, before the (slow) password check: a burst of parallel guesses, on
    // one instance or several, gets exactly each limit's worth checked, never more. While the
    // attempts in flight could still fill a limit, this one waits for them to settle rather than
    // being refused: a right password is never turned away for failures that did not happen.
    const attempt = randomUUID();
    const deadline = Date.now() + ATTEMPT_WAIT_MS;
    for (let pause = 10; ; pause = Math.min(pause * 2, 100)) {
      const reservation = await this.storage.reserveAttempt(rules, attempt);
      if (reservation.state === 'reserved') break;
      const index = reservation.state === 'refused' ? reservation.refused : reservation.busy;
      const [scope, key] = counted[index] ?? [];
      if (scope === undefined || key === undefined) {
        throw new Error('The storage named a rule that was not asked for');
      }
      if (reservation.state === 'refused') {
        return this.refuse(scope, key, reservation.msToReset, email, ip, context);
      }
      // Still busy after the wait: as many attempts in flight as failures are left to check.
      if (Date.now() >= deadline) return this.refuse(scope, key, 1000, email, ip, context, true);
      await sleep(pause + Math.random() * pause);
    }

    let settled = false;
    const settle = async (failed: boolean): Promise<void> => {
      if (settled) return;
      settled = true;
      await this.storage.settleAttempt(rules, attempt, failed);
    };
    return { failed: () => settle(true), succeeded: () => settle(false) };
  }

  /** Counts one registration from this IP; `429 RATE_LIMITED` past the limit. */
  async assertRegistrationAllowed(ip: string | null): Promise<void> {
    await this.reserveOrRefuse(
      this.config.rateLimits.registrationsPerIp,
      `register:ip:${clientKey(ip)}`,
      'sign-ups',
    );
  }

  /**
   * Counts one new guest (a table QR sign-in) against `RATE_LIMIT_GUEST_IP` per IP, before any
   * other work, atomically on the shared storage: N parallel requests never start more than the
   * limit. Past it, `429 RATE_LIMITED` with `Retry-After`.
   */
  async assertGuestStartAllowed(ip: string | null): Promise<void> {
    await this.reserveOrRefuse(
      this.config.rateLimits.guestsPerIp,
      `guest:ip:${clientKey(ip)}`,
      'new guests',
    );
  }

  /**
   * Counts one password reset request against `RATE_LIMIT_PASSWORD_RESET_IP` per IP and
   * `RATE_LIMIT_PASSWORD_RESET_EMAIL` per canonical email (hashed, as every key), whether or not
   * an account has that email: a `429` then says nothing about which addresses exist.
   */
  async assertPasswordResetAllowed(email: string, ip: string | null): Promise<void> {
    const limits = this.config.rateLimits;
    await this.reserveOrRefuse(
      limits.passwordResetsPerIp,
      `reset:ip:${clientKey(ip)}`,
      'password reset requests',
    );
    await this.reserveOrRefuse(
      limits.passwordResetsPerEmail,
      `reset:email:${emailKey(email)}`,
      'password reset requests for this email',
      '',
    );
  }

  private async reserveOrRefuse(
    rule: RateLimitRule,
    key: string,
    what: string,
    from = ' from this address',
  ): Promise<void> {
    if (rule.limit === 0) return;
    const reservation = await this.storage.reserve(key, windowMs(rule), rule.limit);
    if (!reservation.allowed) {
      const retryAfter = retryAfterSeconds(reservation.msToReset);
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `Too many ${what}${from}; try again in ${retryAfter} seconds.`,
        undefined,
        { 'Retry-After': String(retryAfter) },
      );
    }
  }

  private async refuse(
    scope: LoginLimitScope,
    key: string,
    msToReset: number,
    email: string,
    ip: string | null,
    context: LoginAttemptContext,
    inFlight = false,
  ): Promise<never> {
    const retryAfter = retryAfterSeconds(msToReset);
    // One audit entry per limited window, not one per refused request: a flood must not flood the log.
    const first = await this.storage.reserve(`audited:${key}`, Math.max(1, msToReset), 1);
    if (first.allowed) {
      await this.audit.record({
        type: 'login_rate_limited',
        userId: context.userId ?? null,
        ip,
        details: {
          email: auditableEmail(email),
          scope,
          kind: context.kind ?? 'login',
          retryAfterSeconds: retryAfter,
          ...(inFlight ? { inFlight: true } : {}),
        },
      });
    }
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      inFlight
        ? 'Too many sign-in attempts in progress from here; try again in a moment.'
        : `Too many failed attempts; try again in ${retryAfter} seconds.`,
      undefined,
      { 'Retry-After': String(retryAfter) },
    );
  }
}
