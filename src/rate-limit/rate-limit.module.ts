import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module.js';
import { GeneralRateLimitGuard } from './general-rate-limit.guard.js';
import { LoginThrottle } from './login-throttle.js';
import { RateLimitStorageModule } from './rate-limit-storage.module.js';

/**
 * Rate limiting: the general per-user/per-IP limit on every route (a global guard) and the
 * {@link LoginThrottle} that sign-in, change-password and registration call. Import it after
 * the auth module, so its guard runs after the auth guard and sees who is signed in.
 */
@Module({
  imports: [RateLimitStorageModule, AuditModule],
  providers: [LoginThrottle, { provide: APP_GUARD, useClass: GeneralRateLimitGuard }],
  exports: [LoginThrottle, RateLimitStorageModule],
})
export class RateLimitModule {}
