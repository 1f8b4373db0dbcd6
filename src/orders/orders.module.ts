import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { MenuModule } from '../menu/menu.module.js';
import { UsersModule } from '../users/users.module.js';
import { BusyEveningService } from './busy-evening.service.js';
import { IdempotencyKeyCleanup } from './idempotency-key-cleanup.js';
import { OrderCreationService } from './order-creation.service.js';
import { OrderQueriesService } from './order-queries.service.js';
import { OrderStatusService } from './order-status.service.js';
import { OrdersController } from './orders.controller.js';
import { OrdersRepository } from './orders.repository.js';
import { ExportsController } from './exports.controller.js';
import { OrdersExportService } from './orders-export.service.js';
import { ReceiptService } from './receipt.service.js';
import { ReportDays } from './report-days.js';
import { ReportDaysFill } from './report-days-fill.js';
import { ReportsController } from './reports.controller.js';
import { SalesReportService } from './sales-report.service.js';
import { ServiceReportService } from './service-report.service.js';
import { PaymentsController } from './payments/payments.controller.js';
import { PaymentsRepository } from './payments/payments.repository.js';
import { PaymentsService } from './payments/payments.service.js';
import { TabsService } from './payments/tabs.service.js';

/**
 * Orders: placing them (idempotently), the life cycle, payments and tabs, listings, reports and
 * CSV exports.
 */
@Module({
  imports: [MenuModule, UsersModule, AuditModule],
  controllers: [OrdersController, PaymentsController, ReportsController, ExportsController],
  providers: [
    OrdersRepository,
    OrderCreationService,
    OrderStatusService,
    OrderQueriesService,
    ReceiptService,
    ReportDays,
    ReportDaysFill,
    SalesReportService,
    ServiceReportService,
    OrdersExportService,
    IdempotencyKeyCleanup,
    BusyEveningService,
    PaymentsRepository,
    PaymentsService,
    TabsService,
  ],
  exports: [BusyEveningService],
})
export class OrdersModule {}
