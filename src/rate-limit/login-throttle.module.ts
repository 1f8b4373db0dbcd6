import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { LoginThrottle } from './login-throttle.js';
import { RegistrationLimitGuard } from './registration-limit.guard.js';
import { RateLimitStorageModule } from './rate-limit-storage.module.js';

/**
 * Sign-in failure limits ({@link LoginThrottle}) and the registration limit
 * ({@link RegistrationLimitGuard}), on the same shared storage as the general limit.
 */
@Module({
  imports: [RateLimitStorageModule, AuditModule],
  providers: [LoginThrottle, RegistrationLimitGuard],
  exports: [LoginThrottle, RegistrationLimitGuard],
})
export class LoginThrottleModule {}
