import type { ExecutionContext } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, type ThrottlerOptions } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/auth.decorators.js';
import type { AppConfig, RateLimitsConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import {
  ANONYMOUS_THROTTLER,
  GeneralThrottlerGuard,
  USER_THROTTLER,
} from './general-throttler.guard.js';
import { RateLimitStorage } from './rate-limit-storage.js';
import { RateLimitStorageModule } from './rate-limit-storage.module.js';

/** Who is calling: a session's user, an API token, or no one known. */
function callerKind(context: ExecutionContext): 'user' | 'token' | 'anonymous' {
  const auth = context.switchToHttp().getRequest<AuthenticatedRequest>().auth;
  if (auth === undefined) return 'anonymous';
  return auth.apiToken === undefined ? 'user' : 'token';
}

/**
 * The general limits as named throttlers: "user" counts signed-in callers, each session's user
 * by `RATE_LIMIT_USER_PER_MINUTE` and each API token on its own by `RATE_LIMIT_TOKEN_PER_MINUTE`
 * (the tracker keeps them apart); "anonymous" counts the rest by `RATE_LIMIT_ANON_PER_MINUTE`.
 * Each skips the other's callers, and a limit of 0 is off. (Two throttlers, not three: every
 * throttler costs each request a metadata lookup, and the guarded path is measured.)
 */
export function generalThrottlers(limits: RateLimitsConfig): ThrottlerOptions[] {
  const off = (limit: number) => limit === 0;
  const ruleOf = (context: ExecutionContext) =>
    callerKind(context) === 'token' ? limits.token : limits.user;
  return [
    {
      name: USER_THROTTLER,
      limit: (context) => ruleOf(context).limit,
      ttl: (context) => ruleOf(context).windowSeconds * 1000,
      skipIf: (context) => {
        const kind = callerKind(context);
        if (kind === 'anonymous') return true;
        return off(kind === 'token' ? limits.token.limit : limits.user.limit);
      },
    },
    {
      name: ANONYMOUS_THROTTLER,
      limit: limits.anonymous.limit,
      ttl: limits.anonymous.windowSeconds * 1000,
      skipIf: (context) => off(limits.anonymous.limit) || callerKind(context) !== 'anonymous',
    },
  ];
}

/**
 * The general per-user/per-IP limit on every route: `@nestjs/throttler` with Taproom's guard
 * ({@link GeneralThrottlerGuard}) and storage (Redis when configured, shared by instances; else
 * memory). Import it after the auth module, so its guard runs after the auth guard and sees who
 * is signed in (on public routes too, when a valid token is sent). `@SkipGeneralLimits()` exempts
 * a route. Sign-in failure and registration limits
 * count failures, not requests: they are {@link LoginThrottleModule}'s, on the same storage.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [APP_CONFIG, RateLimitStorage],
      useFactory: (config: AppConfig, storage: RateLimitStorage) => ({
        throttlers: generalThrottlers(config.rateLimits),
        storage,
        // The contract's answer is the 429 with Retry-After; no X-RateLimit-* on every response.
        setHeaders: false,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: GeneralThrottlerGuard }],
})
export class RateLimitModule {}
