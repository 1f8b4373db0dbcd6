import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ApiTokensModule } from '../api-tokens/api-tokens.module.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { MailModule } from '../mail/mail.module.js';
import { LoginThrottleModule } from '../rate-limit/login-throttle.module.js';
import { RateLimitStorageModule } from '../rate-limit/rate-limit-storage.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { GuestAuthService } from './guest-auth.service.js';
import { TablesModule } from '../tables/tables.module.js';
import { TwoFactorModule } from '../two-factor/two-factor.module.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { PasswordResetController } from './password-reset.controller.js';
import { PasswordResetService } from './password-reset.service.js';
import { jwtSecretKey } from './jwt-key.js';
import { JwtStrategy } from './jwt.strategy.js';
import { RefreshCookie } from './refresh-cookie.js';
import { TokenService } from './token.service.js';
import { UserViewCache } from './user-view-cache.js';

/**
 * Sign-up, sign-in and tokens, and the global guard (`AuthGuard('jwt')` over passport-jwt):
 * every route of the app needs a valid access token unless it is marked `@Public()`.
 */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: jwtSecretKey(config.secrets.jwtSecret) }),
    }),
    UsersModule,
    SessionsModule,
    LoginThrottleModule,
    RateLimitStorageModule,
    TablesModule,
    ApiTokensModule,
    MailModule,
    TwoFactorModule,
  ],
  controllers: [AuthController, PasswordResetController],
  providers: [
    AuthService,
    GuestAuthService,
    PasswordResetService,
    TokenService,
    JwtStrategy,
    RefreshCookie,
    UserViewCache,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [TokenService, UserViewCache],
})
export class AuthModule {}
