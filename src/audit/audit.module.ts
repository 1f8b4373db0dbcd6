import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { AuditController } from './audit.controller.js';
import { AuditRetention } from './audit-retention.js';
import { AuditService } from './audit.service.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

/**
 * The audit log: import it and call {@link AuditService.record} inside your transaction. Entries
 * older than `AUDIT_RETENTION` are deleted by {@link AuditRetention}.
 */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity]), UsersModule],
  controllers: [AuditController],
  providers: [AuditService, AuditRetention],
  exports: [AuditService],
})
export class AuditModule {}
