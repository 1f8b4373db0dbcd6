import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsersModule } from '../users/users.module.js';
import { AuditController } from './audit.controller.js';
import { AuditService } from './audit.service.js';
import { AuditEventEntity } from './entities/audit-event.entity.js';

/** The audit log: import it and call {@link AuditService.record} inside your transaction. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEventEntity]), UsersModule],
  controllers: [AuditController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
