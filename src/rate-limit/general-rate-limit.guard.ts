import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.decorators.js';
import { AppError } from '../common/errors/app-error.js';
import { ErrorCode } from '../common/errors/error-code.js';
import type { AppConfig } from '../config/app-config.js';
import { InjectConfig } from '../config/config.module.js';
import { clientKey } from './rate-limit-keys.js';
import { RateLimitStorage, retryAfterSeconds } from './rate-limit-storage.js';

/**
 * The general limit of every route: `RATE_LIMIT_USER_PER_MINUTE` per signed-in user and
 * `RATE_LIMIT_ANON_PER_MINUTE` per IP for anonymous callers (0 turns one off), counted on the
 * shared storage; past it, `429 RATE_LIMITED` with `Retry-After`. It is registered after the auth
 * guard, so `request.auth` is set for signed-in callers.
 *
 * Why not `@nestjs/throttler`'s guard: its 6.7 release is CommonJS that `require()`s the
 * ESM-only `@nestjs/common` 12. Node ≥ 20.19 allows that at run time, but Jest's ESM loader on
 * Node < 24.9 does not, so no e2e test could boot the app. The storage still implements
 * `@nestjs/throttler`'s `ThrottlerStorage` (type only), so its guard can take over later.
 */
@Injectable()
export class GeneralRateLimitGuard implements CanActivate {
  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly storage: RateLimitStorage,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const userId = request.auth?.userId;
    const rule =
      userId === undefined ? this.config.rateLimits.anonymous : this.config.rateLimits.user;
    if (rule.limit === 0) return true;
    const key = userId === undefined ? `req:ip:${clientKey(request.ip)}` : `req:user:${userId}`;
    const window = await this.storage.hit(key, rule.windowSeconds * 1000);
    if (window.count <= rule.limit) return true;
    const retryAfter = retryAfterSeconds(window.msToReset);
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `Too many requests; try again in ${retryAfter} seconds.`,
      undefined,
      { 'Retry-After': String(retryAfter) },
    );
  }
}
