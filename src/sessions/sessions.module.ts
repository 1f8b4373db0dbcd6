import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { UsersModule } from '../users/users.module.js';
import { SessionEntity } from './entities/session.entity.js';
import { RevocationRegistry } from './revocation-registry.js';
import { SecurityAudit } from './session-audit.js';
import { SessionEndHooks } from './session-end-hooks.js';
import { SessionStartHooks } from './session-start-hooks.js';
import { SessionRevoker } from './session-revoker.js';
import { SessionDirectoryService } from './session-directory.service.js';
import { SessionMaintenance } from './session-maintenance.js';
import { AdminSessionsController, SessionsController } from './sessions.controller.js';
import { SessionsService } from './sessions.service.js';

/**
 * Sessions: the `sessions` table, refresh-token rotation, the per-role policy and every
 * revocation. Other modules use {@link SessionsService} and {@link RevocationRegistry}, and hook
 * what they keep per session into its end with {@link SessionEndHooks}.
 */
@Module({
  imports: [TypeOrmModule.forFeature([SessionEntity]), UsersModule, AuditModule],
  controllers: [SessionsController, AdminSessionsController],
  providers: [
    SessionsService,
    SessionRevoker,
    RevocationRegistry,
    SecurityAudit,
    SessionDirectoryService,
    SessionMaintenance,
    SessionEndHooks,
    SessionStartHooks,
  ],
  exports: [
    SessionsService,
    RevocationRegistry,
    SecurityAudit,
    SessionMaintenance,
    SessionEndHooks,
    SessionStartHooks,
  ],
})
export class SessionsModule {}
