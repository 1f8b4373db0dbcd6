import { type ExecutionContext, Injectable } from '@nestjs/common';
import { SkipThrottle, ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/auth.decorators.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { clientKey } from './rate-limit-keys.js';

/** The named throttlers of the general limits (see {@link generalThrottlers}). */
export const USER_THROTTLER = 'user';
export const ANONYMOUS_THROTTLER = 'anonymous';

/** What the general limits count a caller's requests under, for a tracker of `getTracker`. */
const counterKey = (tracker: string): string => `req:${tracker}`;

/**
 * The counter the anonymous limit spends for a request from `ip`: also where a request whose
 * token was refused is counted (it is an anonymous request).
 */
export function anonymousCounterKey(ip: string | null | undefined): string {
  return counterKey(`ip:${clientKey(ip)}`);
}

/**
 * Exempts a route or controller from the general limits (`@SkipThrottle()` alone names only
 * the throttler called "default").
 */
export const SkipGeneralLimits = (): MethodDecorator & ClassDecorator =>
  SkipThrottle({ [USER_THROTTLER]: true, [ANONYMOUS_THROTTLER]: true });

/**
 * `@nestjs/throttler`'s guard with Taproom's tracker and errors: a signed-in caller is counted
 * by user id (whatever their address), an API token by its id (its own budget, not its
 * owner's), an anonymous one by client address (`request.ip`, which
 * follows `TRUST_PROXY`; IPv6 per /64). One counter per caller across every route, not one per
 * route. Past a limit, `429 RATE_LIMITED` with `Retry-After`, in the contract's format.
 * Registered after the auth guard, so `request.auth` is set for signed-in callers.
 */
@Injectable()
export class GeneralThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: AuthenticatedRequest): Promise<string> {
    const auth = request.auth;
    if (auth === undefined) return Promise.resolve(`ip:${clientKey(request.ip)}`);
    if (auth.apiToken !== undefined) return Promise.resolve(`token:${auth.apiToken.id}`);
    return Promise.resolve(`user:${auth.userId}`);
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    _throttlerName: string,
  ): string {
    return counterKey(tracker);
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    limit: ThrottlerLimitDetail,
  ): Promise<void> {
    const retryAfter = Math.max(1, limit.timeToBlockExpire);
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `Too many requests; try again in ${retryAfter} seconds.`,
      undefined,
      { 'Retry-After': String(retryAfter) },
    );
  }
}
