import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GeneralRateLimitGuard } from './general-rate-limit.guard.js';
import { RateLimitStorageModule } from './rate-limit-storage.module.js';

/**
 * The general per-user/per-IP limit on every route, as a global guard. Import it after the auth
 * module, so its guard runs after the auth guard and sees who is signed in. Sign-in failure and
 * registration limits are in {@link LoginThrottleModule}.
 */
@Module({
  imports: [RateLimitStorageModule],
  providers: [{ provide: APP_GUARD, useClass: GeneralRateLimitGuard }],
})
export class RateLimitModule {}
