import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module.js';
import { AdminMenuController } from './admin-menu.controller.js';
import { MenuItemEntity } from './entities/menu-item.entity.js';
import { MenuController } from './menu.controller.js';
import { MenuSnapshot } from './menu-snapshot.js';
import { MenuService } from './menu.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([MenuItemEntity]), AuditModule],
  controllers: [MenuController, AdminMenuController],
  providers: [MenuService, MenuSnapshot],
  exports: [MenuService],
})
export class MenuModule {}
