import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { ApiErrors } from '../common/openapi/api-errors.decorator.js';
import { BEARER_AUTH } from '../common/openapi/openapi.js';
import { SalesReport, SalesReportQueryDto } from './dto/sales-report.dto.js';
import { SalesReportService } from './sales-report.service.js';

@ApiTags('Reports (admin)')
@ApiBearerAuth(BEARER_AUTH)
@Roles('admin')
@Controller('admin/reports')
export class SalesReportController {
  constructor(private readonly reports: SalesReportService) {}

  @Get('sales')
  @ApiOperation({
    summary: 'Sales of completed orders per business day, best sellers and the total',
    description:
      'Days are business days in VENUE_TIMEZONE (the day an order was placed), from and to included, at most 366 days.',
  })
  @ApiOkResponse({ type: SalesReport })
  @ApiErrors(ErrorCode.VALIDATION_FAILED, ErrorCode.TOKEN_INVALID, ErrorCode.FORBIDDEN)
  sales(@Query() query: SalesReportQueryDto): Promise<SalesReport> {
    return this.reports.report(query);
  }
}
