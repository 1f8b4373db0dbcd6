import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AdminTablesController } from './admin-tables.controller.js';
import { TableEntity } from './entities/table.entity.js';
import { TablesController } from './tables.controller.js';
import { TablesService } from './tables.service.js';

/** The venue's tables and their QR codes (`/api/admin/tables`, `GET /api/tables/:token`). */
@Module({
  imports: [TypeOrmModule.forFeature([TableEntity]), AuditModule],
  controllers: [AdminTablesController, TablesController],
  providers: [TablesService],
  exports: [TablesService],
})
export class TablesModule {}
