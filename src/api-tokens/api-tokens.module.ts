import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { UsersModule } from '../users/users.module.js';
import { ApiTokenDirectory } from './api-token-directory.js';
import { ApiTokenStrategy } from './api-token.strategy.js';
import { ApiTokensController } from './api-tokens.controller.js';
import { ApiTokensService } from './api-tokens.service.js';
import { ApiTokenEntity } from './entities/api-token.entity.js';

/**
 * API tokens for integrations: admins' tokens (`/api/tokens`) and passport's strategy for
 * `Bearer tap_…`, which the auth module's global guard uses.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity]), AuditModule, UsersModule],
  controllers: [ApiTokensController],
  providers: [ApiTokensService, ApiTokenDirectory, ApiTokenStrategy],
  exports: [ApiTokenStrategy],
})
export class ApiTokensModule {}
