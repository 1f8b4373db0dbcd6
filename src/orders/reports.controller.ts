import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, TokenScope } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { ReportRangeQueryDto } from './dto/report-range.dto.js';
import { SalesReport } from './dto/sales-report.dto.js';
import { ServiceReport } from './dto/service-report.dto.js';
import { SalesReportService } from './sales-report.service.js';
import { ServiceReportService } from './service-report.service.js';

@ApiTags('Reports (admin)')
@ApiBearerAuth(BEARER_AUTH)
@Roles('admin')
@ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.TOKEN_INVALID, ErrorCode.FORBIDDEN)
@TokenScope('reports:read')
@Controller('admin/reports')
export class ReportsController {
  constructor(
    private readonly salesReports: SalesReportService,
    private readonly serviceReports: ServiceReportService,
  ) {}

  @Get('sales')
  @ApiOperation({
    summary: 'Sales of completed orders per business day, best sellers and the total',
    description:
      'Days are business days in VENUE_TIMEZONE (the day an order was placed), from and to included, at most 366 days.',
  })
  @ApiOkResponse({ type: SalesReport })
  sales(@Query() query: ReportRangeQueryDto): Promise<SalesReport> {
    return this.salesReports.report(query);
  }

  @Get('service')
  @ApiOperation({
    summary: 'Orders per hour of the day, and how long orders waited to be accepted and ready',
    description:
      'Over the orders placed on the business days from and to (included, in VENUE_TIMEZONE, at ' +
      'most 366 days; the same range as the sales report). Waits run from placing the order to ' +
      'its first move to accepted, and to ready, as its status history records them; p50 and p90 ' +
      'are null when no order of the range got that far.',
  })
  @ApiOkResponse({ type: ServiceReport })
  service(@Query() query: ReportRangeQueryDto): Promise<ServiceReport> {
    return this.serviceReports.report(query);
  }
}
