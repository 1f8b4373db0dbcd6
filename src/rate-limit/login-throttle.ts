import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig, RateLimitRule } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { clientKey, emailKey, normalizeEmail } from './rate-limit-keys.js';
import { RateLimitStorage, retryAfterSeconds } from './rate-limit-storage.js';

/** Which failure limit an attempt ran into. */
export type LoginLimitScope = 'email_ip' | 'ip' | 'account';

/** What is being checked: a sign-in, or the current password of change-password. */
export type PasswordCheckKind = 'login' | 'change_password';

/** One password check in progress; call exactly one of the two when the answer is known. */
export interface LoginAttempt {
  /** Wrong password or unknown email: the attempt counts as a failure on every limit. */
  failed(): Promise<void>;
  /** Right password: the attempt is taken back, so successful sign-ins are never limited. */
  succeeded(): Promise<void>;
}

export interface LoginAttemptContext {
  /** The account, when the caller already knows it (change-password). */
  readonly userId?: string | null;
  readonly kind?: PasswordCheckKind;
}

const windowMs = (rule: RateLimitRule): number => rule.windowSeconds * 1000;

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
 * `begin` reserves the attempt on the per-email counters before the (slow) password check, so
 * a burst of parallel guesses cannot all slip past the limit together.
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
    const ipKey = `login:ip:${address}`;
    const accountKey = `login:acct:${account}`;
    const pairKey = `login:ei:${account}:${address}`;

    if (limits.loginFailuresPerIp.limit > 0) {
      const window = await this.storage.peek(ipKey);
      if (window.count >= limits.loginFailuresPerIp.limit) {
        return this.refuse('ip', ipKey, window.msToReset, email, ip, context);
      }
    }
    const reserved: string[] = [];
    const rules: [LoginLimitScope, string, RateLimitRule][] = [
      ['account', accountKey, limits.loginFailuresPerAccount],
      ['email_ip', pairKey, limits.loginFailuresPerEmailAndIp],
    ];
    for (const [scope, key, rule] of rules) {
      if (rule.limit === 0) continue;
      const reservation = await this.storage.reserve(key, windowMs(rule), rule.limit);
      if (!reservation.allowed) {
        await Promise.all(reserved.map((taken) => this.storage.release(taken)));
        return this.refuse(scope, key, reservation.msToReset, email, ip, context);
      }
      reserved.push(key);
    }

    let settled = false;
    return {
      failed: async () => {
        if (settled) return;
        settled = true;
        if (limits.loginFailuresPerIp.limit > 0) {
          await this.storage.hit(ipKey, windowMs(limits.loginFailuresPerIp));
        }
      },
      succeeded: async () => {
        if (settled) return;
        settled = true;
        await Promise.all(reserved.map((key) => this.storage.release(key)));
      },
    };
  }

  /** Counts one registration from this IP; `429 RATE_LIMITED` past the limit. */
  async assertRegistrationAllowed(ip: string | null): Promise<void> {
    const rule = this.config.rateLimits.registrationsPerIp;
    if (rule.limit === 0) return;
    const key = `register:ip:${clientKey(ip)}`;
    const reservation = await this.storage.reserve(key, windowMs(rule), rule.limit);
    if (!reservation.allowed) {
      const retryAfter = retryAfterSeconds(reservation.msToReset);
      throw new AppError(
        ErrorCode.RATE_LIMITED,
        `Too many sign-ups from this address; try again in ${retryAfter} seconds.`,
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
          email: normalizeEmail(email),
          scope,
          kind: context.kind ?? 'login',
          retryAfterSeconds: retryAfter,
        },
      });
    }
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `Too many failed attempts; try again in ${retryAfter} seconds.`,
      undefined,
      { 'Retry-After': String(retryAfter) },
    );
  }
}
