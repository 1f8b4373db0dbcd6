import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminUsersService } from './admin-users.service.js';
import { UsersModule } from './users.module.js';

/**
 * User management for admins (`/api/admin/users`). Its own module because it ends sessions:
 * the sessions module already depends on the users module.
 */
@Module({
  imports: [UsersModule, SessionsModule, AuditModule],
  controllers: [AdminUsersController],
  providers: [AdminUsersService],
})
export class AdminUsersModule {}
