import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { VenueController } from './venue.controller.js';
import { VenueService } from './venue.service.js';

/** The venue's settings (`GET /api/venue`, `PATCH /api/admin/venue`). */
@Module({
  imports: [AuditModule],
  controllers: [VenueController],
  providers: [VenueService],
})
export class VenueModule {}
