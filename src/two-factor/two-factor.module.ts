import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { LoginThrottleModule } from '../rate-limit/login-throttle.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AdminTwoFactorController } from './admin-two-factor.controller.js';
import { SecretBox } from './secret-box.js';
import { SignInChallenges } from './sign-in-challenges.js';
import { TwoFactorController } from './two-factor.controller.js';
import { TwoFactorService } from './two-factor.service.js';

/**
 * Two-factor sign-in (TOTP): the account's setup, enable, disable and an admin's reset, and the
 * challenges and code checks the auth module's sign-in uses for its second step.
 */
@Module({
  imports: [UsersModule, SessionsModule, LoginThrottleModule, AuditModule],
  controllers: [TwoFactorController, AdminTwoFactorController],
  providers: [TwoFactorService, SignInChallenges, SecretBox],
  exports: [TwoFactorService, SignInChallenges],
})
export class TwoFactorModule {}
